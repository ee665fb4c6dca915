import Foundation
import Script

/// One lesson's live session: a fresh interpreter, and cells run the way the REPL runs a script —
/// statement by statement, so that what `print` writes comes before the next statement's value.
///
/// Rendering is injected: `Tutorial` knows the language but not the terminal, so the command line
/// passes the REPL's printer (colour off) and tests pass plain text. `render` returns nil for a
/// value that prints nothing (`none`).
public final class LessonSession {
    public let interpreter: Interpreter
    let render: (Value) -> String?
    private let buffer: OutputBuffer

    /// The plain renderer: `Value.description`, nothing for `none`.
    public static func plainRender(_ value: Value) -> String? {
        if case .none = value { return nil }
        return value.description
    }

    public init(render: @escaping (Value) -> String? = { LessonSession.plainRender($0) }) {
        let buffer = OutputBuffer()
        self.buffer = buffer
        self.render = render
        self.interpreter = Interpreter { emission in
            switch emission {
            case let .text(text): buffer.write(text.hasSuffix("\n") ? text : text + "\n")
            case let .value(value): if let text = render(value) { buffer.write(text + "\n") }
            }
        }
    }

    /// What running a cell printed, and its error if it failed (statements before the error ran).
    public struct CellRun: Sendable {
        public var output: String
        public var error: ScriptError?
    }

    public func run(_ source: String, file: String = "<cell>", firstLine: Int = 1) -> CellRun {
        buffer.take()
        for chunk in LessonSession.chunks(of: source) {
            let padded = String(repeating: "\n", count: max(0, firstLine - 1 + chunk.firstLine - 1)) + chunk.text
            let result = interpreter.run(padded, file: file)
            for (value, _) in result.values {
                if let text = render(value) { buffer.write(text + "\n") }
            }
            if let error = result.error { return CellRun(output: buffer.take(), error: error) }
        }
        return CellRun(output: buffer.take(), error: nil)
    }

    /// Top-level statements with the 1-based line each starts on: a chunk ends where no bracket,
    /// brace or string is open and the next line does not go on with `else`/`elif`.
    static func chunks(of source: String) -> [(firstLine: Int, text: String)] {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func isBlank(_ line: String) -> Bool {
            let t = line.trimmingCharacters(in: .whitespaces)
            return t.isEmpty || t.hasPrefix("#")
        }
        func continues(after index: Int) -> Bool {
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
            if Interpreter.isComplete(text) && !continues(after: index) {
                result.append((start, text))
                current = []
            }
        }
        if !current.isEmpty { result.append((start, current.joined(separator: "\n"))) }
        return result
    }
}

/// Text written while a cell runs (the interpreter calls `emit` on its own thread while the caller waits).
final class OutputBuffer: @unchecked Sendable {
    private var text = ""
    func write(_ s: String) { text += s }
    @discardableResult func take() -> String { defer { text = "" }; return text }
}
