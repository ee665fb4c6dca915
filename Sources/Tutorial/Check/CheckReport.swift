/// What `check` found in one lesson.
public struct CheckReport: Sendable {
    public var lessonID: String
    public var file: String
    public var cells: Int
    public var questions: Int
    public var exercises: Int = 0
    public var seconds: Double
    /// How long the lesson takes a learner, by `LessonShape`'s estimate.
    public var estimatedMinutes: Double = 0
    public var mismatches: [Mismatch]
    /// Every code and error cell with what it printed now (for `--update`).
    public var recorded: [(cell: Cell, output: String)]
    /// Every shown cell (code and error cells) that ran, in the lesson's order, with what it
    /// printed as pieces (text and figures) and its error: what the web book shows under a cell.
    public var runs: [(cell: Cell, run: LessonSession.CellRun)] = []

    public var passed: Bool { mismatches.isEmpty }
}

/// One thing in a lesson that does not hold.
public struct Mismatch: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// A cell printed something else than its recorded output (fixed by `--update`).
        case output
        /// A cell failed that should run, or an `rnn error` cell ran.
        case cell
        /// An answer key does not pass its own question.
        case answerKey
        /// An expression question is answered by a variable the learner already has.
        case alreadyAnswered
        /// The lesson's shape: a step ends mid-sentence, or its minutes are not what it takes.
        case shape
        /// An exercise's cases, reference, solution, template or wrong solutions do not hold.
        case exercise
    }

    public var kind: Kind
    /// 1-based line in the lesson file of the cell or quiz.
    public var line: Int
    public var message: String
    /// A readable diff (recorded vs now) for output mismatches.
    public var diff: String?

    public var description: String {
        "line \(line): \(message)" + (diff.map { "\n" + $0 } ?? "")
    }
}
