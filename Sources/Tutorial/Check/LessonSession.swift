import Engine
import Figures
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

    /// Seconds one `run` (or one `timed` body) may take before the interpreter is stopped; nil: no limit.
    public var timeLimit: Double?
    /// Read by the interpreter's thread (`isCancelled`) while the caller waits for it.
    private let clock = Deadline()

    public init(render: @escaping (Value) -> String? = { LessonSession.plainRender($0) }, timeLimit: Double? = nil) {
        self.timeLimit = timeLimit
        let buffer = OutputBuffer()
        self.buffer = buffer
        self.render = render
        self.interpreter = Interpreter { emission in
            switch emission {
            case let .text(text): buffer.write(text.hasSuffix("\n") ? text : text + "\n")
            case let .value(value), let .result(value, _):
                guard let text = render(value) else { break }
                if case let .figure(figure) = value { buffer.write(figure, drawing: text + "\n") } else { buffer.write(text + "\n") }
            // Progress depends on time: a lesson's recorded output must not.
            case .progress: break
            }
        }
        let clock = clock
        interpreter.isCancelled = { clock.passed }
    }

    /// Runs `body` (anything that runs code in `interpreter`) under the time limit; true when the
    /// limit was reached, so the interpreter was stopped.
    public func timed(_ body: () -> Void) -> Bool {
        guard let timeLimit else { body(); return false }
        defer { clock.stop() }
        clock.enforce(seconds: timeLimit, body)
        return clock.passed
    }

    /// What running a cell printed, and its error if it failed (statements before the error ran).
    public struct CellRun: Sendable {
        public var output: String
        /// `output` cut where figures were printed: each figure's drawing is one `.figure` piece
        /// holding the figure itself, so a renderer other than the terminal's (the web book) can
        /// draw it its own way. Joined as text, the pieces are `output`.
        public var pieces: [OutputPiece] = []
        public var error: ScriptError?
        /// The run was stopped at the time limit (`error` is then the interruption).
        public var timedOut = false
    }

    /// Runs a cell statement by statement, stopped when it takes longer than `timeLimit`.
    public func run(_ source: String, file: String = "<cell>", firstLine: Int = 1) -> CellRun {
        buffer.take()
        var failure: ScriptError?
        let timedOut = timed {
            Interpreter.forEachStatement(of: source, firstLine: firstLine) { text, line in
                failure = interpreter.run(text, file: file, firstLine: line).error
                return failure == nil
            }
        }
        let pieces = buffer.pieced()
        return CellRun(output: buffer.take(), pieces: pieces, error: failure, timedOut: timedOut && failure != nil)
    }
}

/// One stretch of what a cell printed: text, or a figure (whose drawing the text holds too).
public enum OutputPiece: Sendable, Equatable {
    /// Printed text, as `render` and `print` wrote it.
    case text(String)
    /// A figure value the cell showed; `drawing` is the text `render` made of it.
    case figure(Figure, drawing: String)
}

/// Text written while a cell runs (the interpreter calls `emit` on its own thread while the caller waits).
final class OutputBuffer: @unchecked Sendable {
    private var text = ""
    /// The same text cut at figures: finished pieces, and the text written since the last figure.
    private var pieces: [OutputPiece] = []
    private var pending = ""

    func write(_ s: String) { text += s; pending += s }

    /// A figure's drawing, written as text and kept as a piece of its own.
    func write(_ figure: Figure, drawing: String) {
        text += drawing
        if !pending.isEmpty { pieces.append(.text(pending)); pending = "" }
        pieces.append(.figure(figure, drawing: drawing))
    }

    @discardableResult func take() -> String {
        defer { text = ""; pieces = []; pending = "" }
        return text
    }

    /// What `take` would return, as pieces (call before `take`).
    func pieced() -> [OutputPiece] { pending.isEmpty ? pieces : pieces + [.text(pending)] }
}
