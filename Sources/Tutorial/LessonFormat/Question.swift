/// A quiz block (```` ```quiz ````): a prompt, how it is answered, hints and an explanation.
public struct Question: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Multiple choice; `correct` holds the indices (0-based) of every correct choice — one or several.
        case choice(choices: [String], correct: Set<Int>)
        /// A number within `tolerance` (absolute) of `answer`. `check`, when given, is an expression
        /// the lesson derives the answer from; `rnnlab check` evaluates it and holds `answer` to it.
        case numeric(answer: Double, tolerance: Double, check: String?)
        /// The learner types an expression; its value is compared with the value of `key`
        /// (tensors elementwise, |a − b| ≤ atol + rtol·|b|). After a right answer (or a skip) the
        /// key's value is bound to `assign`, when given, so later cells can use it.
        case expression(key: String, atol: Double, rtol: Double, assign: String?)
        /// A question for reflection: the learner writes a few words and sees them beside
        /// `answer`, a model answer, and judges for themselves. Nothing is graded — a keyword
        /// cannot tell a right sentence from its contradiction — and it is not in the score.
        case reflection(answer: String)
    }

    /// Whether answers are graded (every kind but reflection).
    public var isGraded: Bool { if case .reflection = kind { false } else { true } }

    public var prompt: String
    public var kind: Kind
    public var hints: [String]
    public var explanation: String
    /// Plausible wrong answers, written as a learner would type them (`b`, `a, c`, `0.25`,
    /// `Wx @ h`): `rnnlab check` proves each one is graded wrong, so a key that accepts too much
    /// fails. Every graded question lists at least one.
    public var wrong: [String]
    /// 1-based line of the ```` ```quiz ```` fence.
    public var line: Int

    public init(prompt: String, kind: Kind, hints: [String] = [], explanation: String = "", wrong: [String] = [], line: Int = 0) {
        self.prompt = prompt; self.kind = kind; self.hints = hints; self.explanation = explanation
        self.wrong = wrong; self.line = line
    }

    /// The label of choice `index`: a, b, c…
    public static func label(_ index: Int) -> String {
        String(UnicodeScalar(UInt8(97 + index % 26)))
    }
}
