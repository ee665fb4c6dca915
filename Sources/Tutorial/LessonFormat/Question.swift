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
        /// Free text accepted when any pattern (a regular expression, case-insensitive) matches;
        /// `answer` is the model answer, which must match one of the patterns.
        case text(patterns: [String], answer: String)
    }

    public var prompt: String
    public var kind: Kind
    public var hints: [String]
    public var explanation: String
    /// 1-based line of the ```` ```quiz ```` fence.
    public var line: Int

    public init(prompt: String, kind: Kind, hints: [String] = [], explanation: String = "", line: Int = 0) {
        self.prompt = prompt; self.kind = kind; self.hints = hints; self.explanation = explanation; self.line = line
    }

    /// The label of choice `index`: a, b, c…
    public static func label(_ index: Int) -> String {
        String(UnicodeScalar(UInt8(97 + index % 26)))
    }
}
