/// An exercise block (```` ```exercise ````): the learner writes a function in the rnnlab
/// language, and rnnlab proves it against the lesson's hidden reference on seeded random cases.
///
/// The parts, as the lesson author writes them (docs/lesson-format.md, "Exercises"):
/// - `function`: the name the learner defines; `template`, `solution` and every wrong solution
///   are one `def` of it;
/// - `cases`: an expression whose value is a function of k = 0, 1, …, count − 1 returning
///   `record(sizes: record(…), args: list(…))` — the sizes name the case in messages;
/// - `reference`: an expression whose value is a function of the same arguments, never shown —
///   the engine's own layers where it can be, so the check is against an independent computation;
/// - `solution` and `why`: shown after a pass or after giving up;
/// - `gradients`: also compare ∂(Σ outputs ⊙ R)/∂(each tensor argument), autodiff through the
///   learner's function against autodiff through the solution.
public struct Exercise: Sendable, Equatable {
    public var function: String
    public var prompt: String
    /// Names of what the function returns: one → the value itself; several → a list in this order.
    public var returns: [String]
    public var template: String
    public var cases: String
    public var count: Int
    public var reference: String
    public var solution: String
    public var why: String
    public var gradients: Bool
    public var tolerance: (atol: Double, rtol: Double)
    public var hints: [String]
    public var wrong: [WrongSolution]
    /// 1-based line of the ```` ```exercise ```` fence.
    public var line: Int

    /// A mistake learners make, written out: `rnnlab check` proves it fails.
    public struct WrongSolution: Sendable, Equatable {
        public var mistake: String
        public var code: String
        public init(mistake: String, code: String) { self.mistake = mistake; self.code = code }
    }

    /// Cases when the lesson says nothing, and the fewest it may ask for.
    public static let defaultCount = 20

    public init(function: String, prompt: String, returns: [String], template: String, cases: String,
                count: Int = Exercise.defaultCount, reference: String, solution: String, why: String,
                gradients: Bool = false, tolerance: (atol: Double, rtol: Double) = (1e-8, 1e-6),
                hints: [String] = [], wrong: [WrongSolution] = [], line: Int = 0) {
        self.function = function; self.prompt = prompt; self.returns = returns; self.template = template
        self.cases = cases; self.count = count; self.reference = reference; self.solution = solution
        self.why = why; self.gradients = gradients; self.tolerance = tolerance; self.hints = hints
        self.wrong = wrong; self.line = line
    }

    public static func == (a: Exercise, b: Exercise) -> Bool {
        a.function == b.function && a.prompt == b.prompt && a.returns == b.returns && a.template == b.template
            && a.cases == b.cases && a.count == b.count && a.reference == b.reference && a.solution == b.solution
            && a.why == b.why && a.gradients == b.gradients && a.tolerance == b.tolerance && a.hints == b.hints
            && a.wrong == b.wrong && a.line == b.line
    }

    /// What the learner's function returns, in words: `[h, c]` or `h`.
    public var returnsText: String {
        returns.count == 1 ? returns[0] : "[" + returns.joined(separator: ", ") + "]"
    }
}
