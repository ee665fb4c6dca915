import Foundation
import Script

/// What the guided lesson asks its host to show. The machine decides *what* happens; the host
/// (the terminal's guided REPL, or a test) decides how it looks.
public enum GuidedEvent: Sendable {
    /// Show step `number` of `total` (1-based). For a cell the host shows the source; the cell then
    /// runs through `GuidedHost.run` (visibly) unless `alreadyRun`, when the learner came back to it.
    case step(GuidedStep, number: Int, total: Int, alreadyRun: Bool)
    /// A cell failed. `expected` when it is an `rnn error` cell, which fails on purpose.
    case cellFailed(ScriptError, expected: Bool)
    /// An `rnn error` cell ran without an error (the lesson is out of date with the engine).
    case cellUnexpectedlySucceeded
    /// The learner's answer was graded; `attempt` counts from 1.
    case verdict(Verdict, attempt: Int)
    /// A line typed at a question that is not an attempt (see `Grader.judge`): why, and for a line
    /// that failed, the learner's text with a caret under the place. The attempt count is unchanged.
    case notAnAttempt(String, shown: String?)
    /// `:restart` on a finished lesson: the host asks `question` and restarts only on a yes
    /// (`GuidedLesson.restart(confirmed: true)`).
    case confirmRestart(String)
    /// Hint `number` of `total` for the open question.
    case hint(String, number: Int, total: Int)
    /// The answer is shown (after `:skip` or too many wrong tries): the answer in words, the
    /// explanation, and what was bound in the session so later cells work.
    case revealed(answer: String, explanation: String, created: [String])
    /// After a right answer.
    case explanation(String)
    /// At a reflection question: the learner's words beside the model answer, and the explanation.
    /// No verdict.
    case reflected(yours: String, model: String, explanation: String)
    /// Resuming: `cells` earlier cells are being re-run to rebuild the session.
    case replaying(cells: Int)
    /// A replayed cell failed: the session may lack some variables.
    case replayFailed(line: Int, message: String)
    /// The learner's function was checked: passed, or the first failing case and how (`attempt`
    /// counts from 1). A failure that is the learner's own error carries it, at its line.
    case exerciseChecked(ExerciseResult, attempt: Int)
    /// The worked solution and why it is written so, after a pass (`passed`) or on giving up.
    case exerciseSolution(code: String, why: String, passed: Bool)
    /// `:case`: the arguments of a case are now variables at the prompt (`names`), with
    /// `expected` the reference's result; `replaced` are those that held a value before.
    case caseLoaded(names: [String], about: String, replaced: [String])
    /// The last step was passed. `exercises` of the lesson, `exercisesPassed` written by the learner.
    case finished(score: Int, questions: Int, exercisesPassed: Int, exercises: Int, seconds: Double)
    /// A sentence for the learner (nothing to go back to, answer first, …).
    case notice(String)
}

/// What the guided lesson needs from the live session.
public protocol GuidedHost: AnyObject {
    /// The session's interpreter: answers are graded against the lesson's live variables.
    var interpreter: Interpreter { get }
    /// Runs lesson code in the session. `visible`: print its results as the prompt would;
    /// otherwise silently (resuming, answer keys). Returns the error if it failed.
    func run(_ source: String, file: String, firstLine: Int, visible: Bool) -> ScriptError?
    /// Replaces the session with a fresh one (`:restart`).
    func resetSession()
    func present(_ event: GuidedEvent)
    /// Runs a line the learner typed at a question as if at the prompt (a line that only shows a
    /// variable): its value is shown, nothing is graded.
    func explore(_ line: String)
}

extension GuidedHost {
    public func explore(_ line: String) { _ = run(line, file: "<input>", firstLine: 1, visible: true) }
}
