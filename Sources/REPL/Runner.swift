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
        let session = Session(options: options, numbered: false, format: format, write: write, writeError: writeError)
        session.forgetsInterrupts = false
        let outcome = session.runScript(source, file: file)
        // A press during the last statement that it finished anyway (train keeps its history)
        // still ends the run as interrupted.
        if Interrupt.isRequested {
            if outcome == .success { writeError("\ninterrupted at \(file)\n") }
            return interruptedStatus
        }
        return outcome == .success ? 0 : 1
    }
}
