import Foundation
import Script

/// What guided lessons need from the prompt's session: its interpreter (answers are graded
/// against the learner's live variables) and a way to run lesson code exactly as if it were typed.
extension Session {
    public var interpreter: Interpreter? { evaluator as? Interpreter }

    /// Runs a lesson cell statement by statement as the prompt would; `quiet` shows nothing
    /// (resuming replays earlier cells). Returns the error that stopped it, if any.
    public func runLessonCode(_ source: String, file: String, firstLine: Int, quiet: Bool) -> ScriptError? {
        lastError = nil
        let recording = !quiet && transcript.beginCode(source.trimmingCharacters(in: .newlines))
        defer { if recording { transcript.endCode() } }
        let wasMuted = muted
        muted = quiet
        defer { muted = wasMuted }
        if runScript(source, file: file, firstLine: max(1, firstLine)) == .failure {
            return lastError ?? ScriptError.interrupted()
        }
        return nil
    }

    /// Forgets every variable and result (`:restart` of a lesson).
    public func reset() {
        evaluator.reset()
        results.removeAll()
        lastError = nil
    }
}
