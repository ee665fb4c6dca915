import Script

/// The verdict on one try at an exercise: passed, or the first case that fails and how.
/// Unchecked: the failing case holds language values (tensors), handed from the machine to its
/// host on one thread, never shared between threads at once.
public struct ExerciseResult: @unchecked Sendable {
    public enum Kind: Equatable, Sendable {
        /// Every case's values (and gradients, when asked) match the reference's.
        case passed
        /// The code did not define the exercise's function, or it takes the wrong arguments.
        case notDefined
        /// A value (its kind, shape or an element) differs from the reference's.
        case wrongValue
        /// The values match but a gradient does not.
        case wrongGradient
        /// The learner's function raised an error (`error` holds it, at its own line and column).
        case raised
        /// The function ran past the time a case may take.
        case timeLimit
        /// Ctrl-C.
        case interrupted
        /// The lesson's own cases or reference failed: not the learner's fault.
        case lessonProblem
    }

    public var kind: Kind
    /// One sentence for the learner, the failing case first: "with batch 1, hidden 2 (case 3 of 20): …".
    public var message: String
    /// The failing case (for `:case`), when a case failed.
    public var failingCase: ExerciseCase?
    /// The learner's own error, when their code raised one (its location is in their text).
    public var error: ScriptError?
    /// Cases that passed before the verdict.
    public var casesPassed: Int

    public var passed: Bool { kind == .passed }

    public init(kind: Kind, message: String, failingCase: ExerciseCase? = nil, error: ScriptError? = nil, casesPassed: Int = 0) {
        self.kind = kind; self.message = message; self.failingCase = failingCase; self.error = error; self.casesPassed = casesPassed
    }
}
