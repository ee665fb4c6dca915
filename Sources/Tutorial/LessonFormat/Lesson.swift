import Foundation
// Lessons: the markdown lesson format, questions and grading, `check` (issue 5).
// The format is described in docs/lesson-format.md.

/// One lesson file, parsed: its front matter and its steps in reading order.
public struct Lesson: Sendable {
    public var meta: LessonMeta
    public var steps: [Step]
    /// Where the lesson came from (a path, or a name given by a test), used in messages.
    public var file: String
    /// The folder the lesson file is in, when it was read from one (`LessonLibrary.load`): its
    /// code may read files there (`LessonSandbox`).
    public var folder: URL?

    public init(meta: LessonMeta, steps: [Step], file: String) {
        self.meta = meta; self.steps = steps; self.file = file
    }

    public var cells: [Cell] { steps.compactMap { if case let .cell(c) = $0 { c } else { nil } } }
    public var questions: [Question] { steps.compactMap { if case let .question(q) = $0 { q } else { nil } } }
    /// The exercises, in order: functions the learner writes, checked against the lesson's reference.
    public var exercises: [Exercise] { steps.compactMap { if case let .exercise(e) = $0 { e } else { nil } } }
    /// Questions with a right answer (all but reflections): what a score is out of.
    public var gradedQuestionCount: Int { questions.filter(\.isGraded).count }
    /// Question `index` (0-based, among all questions) as the learner counts graded ones: its
    /// 0-based place among them, nil for a reflection.
    public func gradedIndex(ofQuestion index: Int) -> Int? {
        let qs = questions
        guard qs.indices.contains(index), qs[index].isGraded else { return nil }
        return qs[..<index].filter(\.isGraded).count
    }
}

/// The YAML front matter.
public struct LessonMeta: Sendable, Equatable {
    public var id: String
    public var title: String
    public var order: Int
    public var minutes: Int
    public var objectives: [String]
    public var prerequisites: [String]
    /// `cell_seconds`: how long `rnnlab check` lets one cell or one answer key run.
    public var cellSeconds: Int

    /// The time limit of a cell or answer key when the front matter sets none.
    public static let defaultCellSeconds = 60

    public init(id: String, title: String, order: Int, minutes: Int, objectives: [String], prerequisites: [String],
                cellSeconds: Int = LessonMeta.defaultCellSeconds) {
        self.id = id; self.title = title; self.order = order; self.minutes = minutes
        self.objectives = objectives; self.prerequisites = prerequisites; self.cellSeconds = cellSeconds
    }
}

/// A step of a lesson: something to read, a cell to run, a question to answer, or a function to write.
public enum Step: Sendable {
    case prose(Prose)
    case cell(Cell)
    case question(Question)
    case exercise(Exercise)
}

/// Markdown text between cells and questions, as written (rendering is the caller's business).
public struct Prose: Sendable, Equatable {
    public var text: String
    /// 1-based line of the first line of `text` in the lesson file.
    public var line: Int
}

/// A code cell (```` ```rnn ````, ```` ```rnn error ````, ```` ```rnn setup ````).
public struct Cell: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// Runs, and its output is recorded in the following `output` fence.
        case code
        /// Must fail; the following `output` fence (optional) holds the expected message.
        case error
        /// Runs before what follows but is not shown to the learner; it has no output fence.
        case setup
    }

    public var kind: Kind
    public var source: String
    /// The recorded output (the text of the `output` fence), nil when the cell has none.
    public var expectedOutput: String?
    /// 1-based line of the opening fence of the cell.
    public var line: Int
    /// 1-based line of the closing fence of the cell.
    public var endLine: Int
    /// 1-based lines of the `output` fence's opening and closing fences, when there is one.
    public var outputFence: ClosedRange<Int>?
}
