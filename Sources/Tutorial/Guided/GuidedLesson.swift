import Foundation
import Script

/// A lesson walked through step by step: the state machine behind guided mode, free of I/O.
///
/// The machine owns the position, the record of answers and which cells have run; the host owns
/// the live session and the screen. Moving *back* only re-shows steps (cells are not run twice
/// unless asked with `runAgain`), so the session always holds the effects of every step up to
/// `executedThrough`, in order — the invariant that makes resuming by replay possible.
public final class GuidedLesson {
    public let lesson: Lesson
    public let steps: [GuidedStep]
    public internal(set) var progress: LessonProgress
    /// 0-based index of the step on screen; -1 before the first.
    public private(set) var current = -1
    /// Steps whose cells and setup cells have run in the session.
    public private(set) var executedThrough = -1
    /// Wrong tries before the answer is shown.
    public var triesBeforeReveal = GuidedLesson.defaultTriesBeforeReveal
    /// Wrong tries before the answer is shown, unless a caller says otherwise (the web book too).
    public static let defaultTriesBeforeReveal = 3
    /// The files the lesson's code may touch. Every cell, setup cell, answer key and binding runs
    /// under it, here and nowhere else — guided mode and `rnnlab check` both walk lessons with this
    /// machine; what the learner types goes to the host directly and keeps full access.
    public let sandbox: LessonSandbox
    unowned let host: any GuidedHost
    /// Each exercise's bench (its private interpreter with the cases and reference), made when first needed.
    var benches: [Int: ExerciseBench] = [:]
    /// Each exercise's last failing case, for `:case`.
    var failingCases: [Int: ExerciseCase] = [:]

    public init(lesson: Lesson, steps: [GuidedStep], progress: LessonProgress? = nil, sandbox: LessonSandbox? = nil,
                host: any GuidedHost) {
        self.lesson = lesson
        self.steps = steps
        self.sandbox = sandbox ?? LessonSandbox(lesson: lesson)
        var p = progress ?? LessonProgress(steps: steps.count)
        p.steps = steps.count
        self.progress = p
        self.host = host
    }

    public var total: Int { steps.count }

    /// Time the learner spent (the host measures it between inputs).
    public func addTime(_ seconds: Double) {
        if seconds > 0 { progress.seconds = ProgressLimits.clampedSeconds(progress.seconds + seconds) }
    }
    /// Graded questions: the score is out of these (a reflection is not graded).
    public var questionCount: Int { lesson.gradedQuestionCount }
    public var currentStep: GuidedStep? { steps.indices.contains(current) ? steps[current] : nil }

    /// The open question: the current step when it is a question not yet settled.
    public var openQuestion: (question: Question, index: Int)? {
        guard let step = currentStep, case let .question(q, index) = step.content else { return nil }
        return record(index).isSettled ? nil : (q, index)
    }

    func record(_ index: Int) -> QuestionRecord { progress.answers[LessonProgress.questionKey(index)] ?? QuestionRecord() }
    func update(_ index: Int, _ body: (inout QuestionRecord) -> Void) {
        var r = record(index)
        body(&r)
        progress.answers[LessonProgress.questionKey(index)] = r
    }

    // MARK: - Moving

    /// Shows the first step, or — resuming at saved step k — re-runs the cells before it silently
    /// and shows step k.
    public func start(resume: Bool) {
        let target = resume ? min(max(progress.step, 1), total) - 1 : 0
        guard total > 0 else { host.present(.notice("This lesson has no steps.")); return }
        if target > 0 {
            let cells = steps[..<target].reduce(0) { n, s in
                n + s.setup.count + (s.cellToRun == nil ? 0 : 1)
            }
            if cells > 0 { host.present(.replaying(cells: cells)) }
            execute(through: target - 1)
        }
        go(to: target)
    }

    /// Enter / `:next`: the next step, unless a question is waiting for its answer.
    public func advance() {
        if current >= 0, openQuestion != nil {
            host.present(.notice("Answer the question first — :hint for a hint, :skip to see the answer."))
            return
        }
        if current >= 0, let open = openExercise {
            host.present(.notice(record(exerciseIndex: open.index).attempts == 0
                ? "Write \(open.exercise.function) first: type its def at the prompt, or :edit to write it in your editor — :hint for a hint."
                : "Fix \(open.exercise.function) and try again — :case loads the failing case, :hint gives a hint, :skip shows the solution."))
            return
        }
        if current + 1 >= total {
            finish()
            return
        }
        go(to: current + 1)
    }

    /// `:back`: shows the previous step again (its cell does not run again).
    public func back() {
        guard current > 0 else {
            host.present(.notice(current == 0 ? "This is the first step." : "The lesson has not started."))
            return
        }
        go(to: current - 1)
    }

    /// `:run`: runs the current cell again (after `:back`, or to see a random cell anew).
    public func runAgain() {
        guard let step = currentStep, let cell = step.cellToRun else {
            host.present(.notice("The current step is not a cell."))
            return
        }
        runCell(cell, visible: true)
    }

    /// True when `:restart` would forget a finished lesson's answers, so the learner is asked first.
    public var restartNeedsConfirmation: Bool { progress.isFinished }

    /// The question `:restart` asks on a finished lesson.
    public static let restartQuestion = "This lesson is finished; start over and forget your answers? [y/N]"

    /// `:restart`: a fresh session and the first step; this lesson's answers are forgotten. On a
    /// finished lesson nothing happens unless `confirmed`: the machine asks the question
    /// (`.confirmRestart`) and the host calls again with the learner's yes.
    public func restart(confirmed: Bool = false) {
        if restartNeedsConfirmation && !confirmed {
            host.present(.confirmRestart(GuidedLesson.restartQuestion))
            return
        }
        host.resetSession()
        executedThrough = -1
        current = -1
        progress.answers = [:]
        progress.step = 0
        go(to: 0)
    }

    private func go(to index: Int) {
        let alreadyRun = index <= executedThrough
        if !alreadyRun { execute(through: index - 1) }
        current = index
        // The furthest step reached: going back to reread does not move where resuming starts.
        progress.step = max(progress.step, index + 1)
        progress.updated = Date()
        let step = steps[index]
        host.present(.step(step, number: index + 1, total: total, alreadyRun: alreadyRun))
        if !alreadyRun {
            for cell in step.setup { runCell(cell, visible: false) }
            if let cell = step.cellToRun { runCell(cell, visible: true) }
            if case let .question(q, i) = step.content, record(i).isSettled { bindAnswer(q) }
            if case let .exercise(e, i) = step.content, record(exerciseIndex: i).isSettled, !record(exerciseIndex: i).correct { defineSolution(e) }
            executedThrough = index
        }
    }

    /// Runs, quietly, the effects of steps up to `index` that have not run yet: setup cells, cells, and the
    /// answers of questions (so a skipped or answered question's `assign:` holds).
    private func execute(through index: Int) {
        guard index > executedThrough else { return }
        for k in (executedThrough + 1)...index {
            let step = steps[k]
            for cell in step.setup { runCell(cell, visible: false) }
            if let cell = step.cellToRun { runCell(cell, visible: false) }
            if case let .question(q, _) = step.content { bindAnswer(q) }
            if case let .exercise(e, _) = step.content { defineSolution(e) }
            executedThrough = k
        }
    }

    func runCell(_ cell: Cell, visible: Bool) {
        let error = host.interpreter.withFileAccess(sandbox.cells) {
            host.run(cell.source, file: lesson.file, firstLine: cell.line + 1, visible: visible)
        }
        switch (cell.kind, error) {
        case (.error, nil):
            if visible { host.present(.cellUnexpectedlySucceeded) }
        case let (.error, e?):
            if visible { host.present(.cellFailed(e, expected: true)) }
        case let (_, e?):
            if !visible {
                host.present(.replayFailed(line: cell.line, message: e.message))
            } else {
                host.present(.cellFailed(e, expected: false))
            }
        case (_, nil):
            break
        }
    }

    private func finish() {
        if progress.completed == nil { progress.completed = Date() }
        progress.step = total
        host.present(.finished(score: progress.score, questions: questionCount, exercisesPassed: progress.exercisesPassed,
                               exercises: lesson.exercises.count, seconds: progress.seconds))
    }

    // MARK: - Questions

    /// What a line typed while a question is open means.
    public enum InputMeaning: Equatable {
        /// A line for `answer(_:)`: an attempt, unless `Grader.judge` says it costs nothing.
        case answer
        /// Code (or a question is not open): run it in the session.
        case code
    }

    /// Letters answer a choice question and numbers a numeric one; anything else there is code the
    /// learner runs to work the answer out. For expression and reflection questions every line goes to
    /// `answer(_:)`, where `Grader.judge` decides whether it is an attempt (a failing line or a look
    /// at a variable is not).
    public func meaning(of input: String) -> InputMeaning {
        if let open = openExercise {
            return Interpreter.definitions(in: input)?.contains(open.exercise.function) == true ? .answer : .code
        }
        guard let (q, _) = openQuestion else { return .code }
        switch q.kind {
        case let .choice(choices, _):
            if Grader.parseChoices(input, count: choices.count) != nil { return .answer }
            // `e` for a four-choice question is a wrong answer, not an unknown variable —
            // unless the learner has a variable of that name.
            let letters = input.lowercased().split { $0 == "," || $0 == " " }
            let looksLikeLetters = !letters.isEmpty && letters.allSatisfy { $0.count == 1 && $0.first?.isLetter == true }
            let names = Set(host.interpreter.variables.map(\.name))
            return looksLikeLetters && !letters.contains { names.contains(String($0)) } ? .answer : .code
        case .numeric:
            return Double(input.trimmingCharacters(in: .whitespaces)) != nil ? .answer : .code
        case .expression, .reflection:
            return .answer
        }
    }

    /// Grades an attempt at the open question. Which lines are attempts is decided by
    /// `Grader.judge` alone: a line that fails, only shows a variable, or is not an answer of the
    /// question's kind is shown (or its error is) and costs nothing — no attempt, no hint. A wrong
    /// attempt brings the next hint; after `triesBeforeReveal` wrong ones the answer is shown.
    /// Grading never changes the session.
    public func answer(_ input: String) {
        if openExercise != nil {
            submit(input, file: "<input>")
            return
        }
        guard let (q, index) = openQuestion else {
            host.present(.notice(currentStep.map { if case .question = $0.content { "You have answered this one — Enter goes on." } else { "There is no question to answer here." } } ?? "There is no question to answer here."))
            return
        }
        let lastTry = record(index).attempts + 1 >= triesBeforeReveal
        let verdict: Verdict
        switch Grader.judge(q, input: input, in: host.interpreter, revealing: lastTry, keyAccess: sandbox.keys) {
        case let .attempt(v): verdict = v
        case let .notAnAnswer(message):
            host.present(.notAnAttempt(message, shown: nil))
            return
        case let .failed(error):
            host.present(.notAnAttempt(error.message, shown: error.caretView.isEmpty ? nil : error.caretView))
            return
        case .looking:
            host.explore(input)
            return
        case .reflected:
            // Not graded: the learner's words beside the model answer. Settled, but not in the score.
            update(index) { $0.attempts += 1; $0.lastAnswer = input; $0.revealed = true }
            host.present(.reflected(yours: input.trimmingCharacters(in: .whitespacesAndNewlines), model: GuidedLesson.answerText(q),
                                    explanation: q.explanation))
            return
        }
        update(index) { $0.attempts += 1; $0.lastAnswer = input }
        let attempts = record(index).attempts
        host.present(.verdict(verdict, attempt: attempts))
        if verdict.isCorrect {
            update(index) { $0.correct = true }
            if !q.explanation.isEmpty { host.present(.explanation(q.explanation)) }
            bindAnswer(q)
            return
        }
        if attempts >= triesBeforeReveal {
            reveal(q, index)
        } else if record(index).hintsShown < q.hints.count {
            hint()
        }
    }

    /// `:hint`: the next hint of the open question.
    public func hint() {
        if openExercise != nil { exerciseHint(); return }
        guard let (q, index) = openQuestion else {
            host.present(.notice("There is no open question."))
            return
        }
        presentHint(q.hints, shown: record(index).hintsShown,
                    none: "This question has no hints — :skip shows the answer.",
                    noMore: "No more hints — :skip shows the answer.") { update(index) { $0.hintsShown += 1 } }
    }

    /// Shows hint number `shown` + 1 of `hints` and records it (`markShown`), or says there is none
    /// left: one rule for questions and exercises, so a learner reads hints the same way in both.
    func presentHint(_ hints: [String], shown: Int, none: String, noMore: String, markShown: () -> Void) {
        guard shown < hints.count else {
            host.present(.notice(hints.isEmpty ? none : noMore))
            return
        }
        markShown()
        host.present(.hint(hints[shown], number: shown + 1, total: hints.count))
    }

    /// `:skip`: on an open question, shows the answer and binds it (so later cells work);
    /// elsewhere the same as `:next`.
    public func skip() {
        if openExercise != nil { giveUp(); return }
        guard let (q, index) = openQuestion else { advance(); return }
        reveal(q, index)
    }

    private func reveal(_ q: Question, _ index: Int) {
        update(index) { $0.revealed = true }
        let created = bindAnswer(q)
        host.present(.revealed(answer: GuidedLesson.answerText(q), explanation: q.explanation, created: created))
    }

    /// Binds an expression question's key value to its `assign:` name. Returns what was created.
    @discardableResult
    private func bindAnswer(_ q: Question) -> [String] {
        guard case let .expression(key, _, _, assign?) = q.kind else { return [] }
        let failure = host.interpreter.withFileAccess(sandbox.keys) {
            host.run("\(assign) = (\(key))", file: "<answer>", firstLine: 1, visible: false)
        }
        if let e = failure {
            host.present(.replayFailed(line: q.line, message: e.message))
            return []
        }
        return [assign]
    }

    /// The answer in words: the right letters with their text, the number, the key expression,
    /// or the model answer.
    public static func answerText(_ q: Question) -> String {
        switch q.kind {
        case let .choice(choices, correct):
            return correct.sorted().map { "\(Question.label($0))) \(choices[$0])" }.joined(separator: "\n")
        case let .numeric(answer, tolerance, _):
            return tolerance > 0 ? "\(formatNumber(answer)) (± \(formatNumber(tolerance)))" : formatNumber(answer)
        case let .expression(key, _, _, _):
            return key
        case let .reflection(answer):
            return answer
        }
    }
}

extension GuidedStep {
    /// The cell this step runs, if it is a cell.
    var cellToRun: Cell? { if case let .cell(c) = content { c } else { nil } }
}
