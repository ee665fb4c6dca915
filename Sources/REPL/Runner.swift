import Engine
import Foundation
import Script
import Terminal

/// How `rnnlab run` and `rnnlab -e` print results.
public enum OutputFormat: String, CaseIterable, Sendable {
    /// What the REPL would print, without the `Out[n]:` labels.
    case text
    /// One JSON object per line for each top-level statement that has a value:
    /// `{"file": …, "line": L, "column": C, "value": V}`; text written by `print` comes as
    /// `{"output": "…"}` in order. Training progress is not written (the history has the numbers).
    case json
}

/// Non-interactive runs: a whole script (a file, stdin, `-e`) through one interpreter.
public enum Runner {
    /// Runs `source` and writes its results; returns the exit status (0, or 1 after an error,
    /// which goes to `writeError` as `FILE:LINE:COL: message` and the caret view).
    public static func run(source: String, file: String, format: OutputFormat, options: RenderOptions,
                           write: @escaping (String) -> Void, writeError: @escaping (String) -> Void) -> Int32 {
        switch format {
        case .text:
            let session = Session(options: options, numbered: false, write: write, writeError: writeError)
            return session.runScript(source, file: file) == .success ? 0 : 1
        case .json:
            return runJSON(source: source, file: file, write: write, writeError: writeError) { emit in
                Interpreter(emit: emit)
            }
        }
    }

    static func runJSON(source: String, file: String, write: @escaping (String) -> Void,
                        writeError: @escaping (String) -> Void,
                        makeEvaluator: (@escaping (Emission) -> Void) -> any Evaluator) -> Int32 {
        let evaluator = makeEvaluator { emission in
            switch emission {
            case let .text(text):
                write(ValueJSON.object([("output", ValueJSON.string(text))]) + "\n")
            case let .value(value):
                write(ValueJSON.object([("output", ValueJSON.encode(value))]) + "\n")
            case let .result(value, location):
                write(ValueJSON.object([
                    ("file", ValueJSON.string(location.file)), ("line", String(location.line)),
                    ("column", String(location.column)), ("value", ValueJSON.encode(value)),
                ]) + "\n")
            case .progress:
                // Dropped: progress depends on time, and the history train(…) returns has the numbers.
                break
            }
        }
        evaluator.isCancelled = { Interrupt.isRequested }
        for chunk in Session.chunks(of: source, isComplete: evaluator.isComplete) {
            if chunk.text.trimmingCharacters(in: .whitespaces).hasPrefix(":") {
                let location = SourceLocation(file: file, line: chunk.firstLine, column: 1)
                let error = ScriptError(":commands are for the REPL and text output, not --format json",
                                        at: location, sourceLine: chunk.text)
                writeError(Session.errorText(error, color: false))
                return 1
            }
            let padded = String(repeating: "\n", count: chunk.firstLine - 1) + chunk.text
            let result = Interrupt.computing { evaluator.run(padded, file: file) }
            if let error = result.error {
                writeError(Session.errorText(error, color: false))
                return 1
            }
        }
        return 0
    }
}
