import Foundation

/// What rnnlab remembers about one lesson between runs: where the learner is, how each question
/// went, and the time spent. Questions are keyed by their position among the lesson's questions
/// (`q1`, `q2`, …) — stable while a lesson's prose is edited, which is the common change.
public struct LessonProgress: Codable, Equatable, Sendable {
    /// The furthest step the learner reached (1-based, as shown: "step 7 of 23"); 0 before the
    /// first. Resuming starts there; going back to reread does not lower it.
    public var step: Int
    /// How many steps the lesson had when this was saved (the menu shows "step 7 of 23").
    public var steps: Int
    public var answers: [String: QuestionRecord]
    /// Seconds spent in the lesson (idle gaps count at most a few minutes each).
    public var seconds: Double
    public var started: Date
    public var updated: Date
    /// Set when the learner reached the last step; reviewing later keeps it.
    public var completed: Date?

    public init(steps: Int, now: Date = Date()) {
        self.step = 0; self.steps = steps; self.answers = [:]; self.seconds = 0
        self.started = now; self.updated = now; self.completed = nil
    }

    public var isFinished: Bool { completed != nil }

    /// Questions answered right by the learner (not revealed by `:skip` or after too many tries).
    public var score: Int { answers.filter { $0.key.hasPrefix("q") && $0.value.correct && !$0.value.revealed }.count }
    /// Exercises whose function the learner wrote and passed (not given up with `:skip`).
    public var exercisesPassed: Int { answers.filter { $0.key.hasPrefix("e") && $0.value.correct && !$0.value.revealed }.count }

    public static func questionKey(_ index: Int) -> String { "q\(index + 1)" }
    /// Exercises are recorded beside the questions, as `e1`, `e2`…: attempts, passed, given up,
    /// and the learner's last code.
    public static func exerciseKey(_ index: Int) -> String { "e\(index + 1)" }
}

/// One question's history.
public struct QuestionRecord: Codable, Equatable, Sendable {
    public var attempts: Int = 0
    public var hintsShown: Int = 0
    /// Answered right (possibly after wrong tries).
    public var correct: Bool = false
    /// The answer was shown (`:skip`, or too many wrong tries): it does not count in the score.
    public var revealed: Bool = false
    /// What the learner typed last.
    public var lastAnswer: String?
    /// Exercises: whether the last check passed (nil before any, and in files saved before it was kept).
    public var lastPassed: Bool?

    public init() {}

    /// Done with: answered right or revealed; the lesson may move on.
    public var isSettled: Bool { correct || revealed }
}

/// The whole progress file.
public struct ProgressFile: Codable, Equatable, Sendable {
    public static let currentVersion = 1
    public var version: Int = ProgressFile.currentVersion
    /// By lesson id.
    public var lessons: [String: LessonProgress] = [:]
    /// The lesson opened last: the menu offers to continue it.
    public var last: String?

    public init() {}
}
