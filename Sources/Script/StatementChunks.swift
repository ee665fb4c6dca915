import Foundation

extension Interpreter {
    /// Splits source into top-level statements (or groups of them on one line), each with the
    /// 1-based line it starts on, so that a file or a lesson cell runs statement by statement as
    /// if typed at the prompt. A chunk ends where `isComplete` says no bracket, brace or string is
    /// open and the next non-blank line does not go on with `else`/`elif`; a line for which
    /// `standsAlone` holds (the REPL's `:commands`) is a chunk of its own. Blank and comment-only
    /// lines between chunks are dropped.
    public static func statementChunks(
        of source: String,
        isComplete: (String) -> Bool = Interpreter.isComplete,
        standsAlone: (String) -> Bool = { _ in false }
    ) -> [(firstLine: Int, text: String)] {
        var lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        func isBlank(_ line: Substring) -> Bool {
            let t = Interpreter.droppingLeadingSpace(line)
            return t.isEmpty || t.first == "#"
        }
        func continuesBlock(after index: Int) -> Bool {
            var k = index + 1
            while k < lines.count, isBlank(lines[k]) { k += 1 }
            guard k < lines.count else { return false }
            let t = Interpreter.droppingLeadingSpace(lines[k])
            return ["else", "elif"].contains { t.hasPrefix($0) && !(t.dropFirst($0.count).first.map { $0.isLetter || $0.isNumber || $0 == "_" } ?? false) }
        }
        // One pass over the lines; a statement's text grows in place as its lines come.
        var result: [(firstLine: Int, text: String)] = []
        var text = ""
        var open = false
        var start = 0
        for (index, line) in lines.enumerated() {
            if !open {
                if isBlank(line) { continue }
                start = index + 1
                text = String(line)
                open = true
            } else {
                text += "\n"
                text += line
            }
            if standsAlone(text) || isComplete(text) && !continuesBlock(after: index) {
                result.append((start, text))
                open = false
            }
        }
        if open { result.append((start, text)) }
        return result
    }

    /// `line` without the spaces and tabs in front (what `trimmingCharacters(in: .whitespaces)`
    /// removes on that side), without a trip through Foundation for every line of a long script.
    public static func droppingLeadingSpace<S: StringProtocol>(_ line: S) -> S.SubSequence {
        line.drop { c in
            c == " " || c == "\t" || !c.isASCII && c.unicodeScalars.allSatisfy { $0.properties.generalCategory == .spaceSeparator }
        }
    }
}

extension Interpreter {
    /// The one loop that runs a script as the prompt would: `body` gets each top-level statement
    /// (see ``statementChunks(of:isComplete:standsAlone:)``) with the line of the file it starts
    /// on — `source` itself starting on line `firstLine` — and returns false to stop there.
    /// The REPL (`:load`, `rnnlab run`, `-e`, both output formats) and the lessons' cells all run
    /// through it, each doing its own work per statement (showing, recording, timing).
    public static func forEachStatement(
        of source: String, firstLine: Int = 1,
        isComplete: (String) -> Bool = Interpreter.isComplete,
        standsAlone: (String) -> Bool = { _ in false },
        _ body: (_ text: String, _ line: Int) -> Bool
    ) {
        for chunk in statementChunks(of: source, isComplete: isComplete, standsAlone: standsAlone) {
            if !body(chunk.text, max(1, firstLine - 1 + chunk.firstLine)) { return }
        }
    }
}
