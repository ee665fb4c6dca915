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
        var lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        func isBlank(_ line: String) -> Bool {
            let t = line.trimmingCharacters(in: .whitespaces)
            return t.isEmpty || t.hasPrefix("#")
        }
        func continuesBlock(after index: Int) -> Bool {
            var k = index + 1
            while k < lines.count, isBlank(lines[k]) { k += 1 }
            guard k < lines.count else { return false }
            let t = lines[k].trimmingCharacters(in: .whitespaces)
            return ["else", "elif"].contains { t.hasPrefix($0) && !(t.dropFirst($0.count).first.map { $0.isLetter || $0.isNumber || $0 == "_" } ?? false) }
        }
        var result: [(firstLine: Int, text: String)] = []
        var current: [String] = []
        var start = 0
        for (index, line) in lines.enumerated() {
            if current.isEmpty {
                if isBlank(line) { continue }
                start = index + 1
            }
            current.append(line)
            let text = current.joined(separator: "\n")
            if standsAlone(text) || isComplete(text) && !continuesBlock(after: index) {
                result.append((start, text))
                current = []
            }
        }
        if !current.isEmpty { result.append((start, current.joined(separator: "\n"))) }
        return result
    }
}
