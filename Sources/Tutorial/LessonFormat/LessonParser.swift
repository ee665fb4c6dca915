import Foundation
import Markdown

/// Reads a lesson file (markdown with YAML front matter, see docs/lesson-format.md) into a `Lesson`.
///
/// Never traps on bad input: every mistake becomes a `LessonFormatError` naming the file, the line
/// and what was expected there.
public enum LessonParser {
    public static func parse(_ text: String, file: String) throws(LessonFormatError) -> Lesson {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }
        let (meta, bodyStart) = try FrontMatter.parse(lines: lines, file: file)
        let steps = try parseBody(lines: lines, from: bodyStart, file: file)
        return Lesson(meta: meta, steps: steps, file: file)
    }

    /// A fenced block: its info string, content and 1-based fence lines.
    struct Fence {
        var info: [String]
        var content: String
        var open: Int
        var close: Int
    }

    static func parseBody(lines: [String], from start: Int, file: String) throws(LessonFormatError) -> [Step] {
        var steps: [Step] = []
        var prose: [String] = []
        var proseStart = start + 1
        func flushProse() {
            // Drop blank lines at both ends; keep the paragraph structure inside.
            var body = prose
            var first = proseStart
            while let l = body.first, l.trimmingCharacters(in: .whitespaces).isEmpty { body.removeFirst(); first += 1 }
            while let l = body.last, l.trimmingCharacters(in: .whitespaces).isEmpty { body.removeLast() }
            if !body.isEmpty { steps.append(.prose(Prose(text: body.joined(separator: "\n"), line: first))) }
            prose = []
        }
        var k = start
        while k < lines.count {
            let line = lines[k]
            guard let found = CodeFence.at(k, in: lines) else {
                if prose.isEmpty { proseStart = k + 1 }
                prose.append(line); k += 1; continue
            }
            guard let end = found.close else {
                throw LessonFormatError(file: file, line: k + 1, "the ``` fence opened here is never closed (expected a line of \(found.ticks) backticks)")
            }
            let info = found.info
            let fence = Fence(info: info, content: found.text, open: k + 1, close: end + 1)
            k = end + 1
            switch info.first {
            case "rnn":
                flushProse()
                let kind: Cell.Kind
                switch info.dropFirst().first {
                case nil: kind = .code
                case "error": kind = .error
                case "setup": kind = .setup
                case let other?:
                    throw LessonFormatError(file: file, line: fence.open, "unknown cell kind '\(other)': expected ```rnn, ```rnn error or ```rnn setup")
                }
                if info.count > 2 {
                    throw LessonFormatError(file: file, line: fence.open, "unexpected '\(info[2...].joined(separator: " "))' after ```\(info[0]) \(info[1]): expected nothing more on the fence line")
                }
                if let found = LessonCodeRules.replCommand(in: fence.content) {
                    throw LessonFormatError(file: file, line: fence.open + found.line,
                                            LessonCodeRules.replCommandMessage(found.command, in: "a cell (the cell at line \(fence.open))"))
                }
                var cell = Cell(kind: kind, source: fence.content, expectedOutput: nil, line: fence.open, endLine: fence.close, outputFence: nil)
                // An output fence may follow, after blank lines only.
                var next = k
                while next < lines.count, lines[next].trimmingCharacters(in: .whitespaces).isEmpty { next += 1 }
                if let output = CodeFence.at(next, in: lines), output.info.first == "output" {
                    if kind == .setup {
                        throw LessonFormatError(file: file, line: next + 1, "a setup cell has no recorded output: expected prose, a cell or a quiz after ```rnn setup (line \(fence.open))")
                    }
                    guard let oEnd = output.close else {
                        throw LessonFormatError(file: file, line: next + 1, "the ```output fence opened here is never closed (expected a line of \(output.ticks) backticks)")
                    }
                    cell.expectedOutput = output.text
                    cell.outputFence = (next + 1)...(oEnd + 1)
                    k = oEnd + 1
                }
                steps.append(.cell(cell))
                proseStart = k + 1
            case "output":
                throw LessonFormatError(file: file, line: fence.open, "an ```output fence must follow a ```rnn or ```rnn error cell (only blank lines between)")
            case "quiz":
                flushProse()
                steps.append(.question(try QuizParser.parse(fence.content, file: file, fenceLine: fence.open)))
                proseStart = k + 1
            case "exercise":
                flushProse()
                steps.append(.exercise(try ExerciseParser.parse(fence.content, file: file, fenceLine: fence.open)))
                proseStart = k + 1
            default:
                // Any other fence (```python, ```text, a bare ```) is part of the prose.
                if prose.isEmpty { proseStart = fence.open }
                prose.append(contentsOf: lines[(fence.open - 1)...(fence.close - 1)])
            }
        }
        flushProse()
        return steps
    }
}
