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
    /// Exit status after Ctrl-C (128 + SIGINT), as a shell reports a program the signal ended.
    public static let interruptedStatus: Int32 = 130

    /// Runs `source` and writes its results; returns the exit status (0, or 1 after an error,
    /// which goes to `writeError` as `FILE:LINE:COL: message` and the caret view, or 130 when
    /// Ctrl-C (SIGINT) stopped it: the running statement stops at its next loop turn or call).
    public static func run(source: String, file: String, format: OutputFormat, options: RenderOptions,
                           write: @escaping (String) -> Void, writeError: @escaping (String) -> Void) -> Int32 {
        // The same handler as the prompt's, so `rnnlab -e`, `rnnlab run FILE` and `rnnlab run -`
        // all stop the same way (and three presses end a computation stuck in native code).
        Interrupt.install()
        Interrupt.clear()
        switch format {
        case .text:
            let session = Session(options: options, numbered: false, write: write, writeError: writeError)
            session.forgetsInterrupts = false
            let outcome = session.runScript(source, file: file)
            // A press during the last statement that it finished anyway (train keeps its history)
            // still ends the run as interrupted.
            if Interrupt.isRequested {
                if outcome == .success { writeError("\ninterrupted at \(file)\n") }
                return interruptedStatus
            }
            return outcome == .success ? 0 : 1
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
            if Interrupt.isRequested {
                writeError("interrupted at \(file):\(chunk.firstLine)\n")
                return interruptedStatus
            }
            if chunk.text.trimmingCharacters(in: .whitespaces).hasPrefix(":") {
                let location = SourceLocation(file: file, line: chunk.firstLine, column: 1)
                let error = ScriptError(":commands are for the REPL and text output, not --format json",
                                        at: location, sourceLine: chunk.text)
                writeError(Session.errorText(error, color: false))
                return 1
            }
            let result = Interrupt.computing(clearing: false) { evaluator.run(chunk.text, file: file, firstLine: chunk.firstLine) }
            if let error = result.error {
                if Interrupt.isRequested {
                    writeError("interrupted" + (error.location.map { " at \($0)" } ?? "") + "\n")
                    return interruptedStatus
                }
                writeError(Session.errorText(error, color: false))
                return 1
            }
        }
        if Interrupt.isRequested {
            writeError("interrupted at \(file)\n")
            return interruptedStatus
        }
        return 0
    }
}
