import Foundation
import Script

/// `rnnlab check`: runs a lesson in a fresh session and proves it —
/// - every code cell prints its recorded output (numbers within 1e-6 relative, token by token);
/// - every `rnn error` cell fails, with the recorded message when there is one; setup cells run;
/// - every answer key passes its own question: an expression key evaluates, gives the same value
///   twice and grades correct against itself; a choice question's marked choices are distinct
///   letters of distinct choices; a numeric key agrees with its `check:` expression;
/// - every graded question lists wrong answers (`wrong:`) and each one is graded wrong;
/// - no expression question is answered by the state before it (no variable already holds the key's value);
/// - no step ends mid-sentence, and the declared minutes are the estimate's (`LessonShape`).
/// After an expression question the key's value is bound to its `assign:` name, as after a right answer.
public enum LessonChecker {
    /// `sandbox`: the files the lesson's code may touch (by default its own, see `LessonSandbox`).
    public static func check(_ lesson: Lesson, render: @escaping (Value) -> String? = { LessonSession.plainRender($0) },
                             relativeTolerance: Double = OutputComparison.defaultRelativeTolerance,
                             sandbox: LessonSandbox? = nil) -> CheckReport {
        let start = Date()
        let processorStart = LessonShape.processorSeconds()
        // The lesson is walked by the same machine guided mode uses, so `check` also proves that
        // a learner pressing Enter (and :skip at every question) gets through it.
        // Each cell and each answer key runs under the lesson's limit (`cell_seconds`): a loop
        // that never ends fails the lesson instead of hanging check.
        let limit = lesson.meta.cellSeconds
        let session = LessonSession(render: render, timeLimit: Double(limit))
        let host = CheckHost(session: session, file: lesson.file)
        let machine = GuidedLesson(lesson: lesson, steps: GuidedStep.steps(of: lesson), sandbox: sandbox, host: host)
        var mismatches: [Mismatch] = []
        machine.start(resume: false)
        var guardSteps = 0
        // After a cell or key is stopped the lesson's state is unknown: the rest is not walked.
        var stopped = host.timedOutLine != nil
        // Proving exercises runs their cases many times over: not time a learner spends.
        var proofSeconds = 0.0
        while !host.finished && !stopped && guardSteps <= machine.total + 1 {
            guardSteps += 1
            if let open = machine.openQuestion {
                var found: [Mismatch] = []
                // The key and the listed wrong answers stand in for the learner's answer here, and
                // they are the lesson's text, so all of it runs as a key: reading, never writing.
                let keys = machine.sandbox.keys
                if session.timed({
                    found = session.interpreter.withFileAccess(keys) {
                        // Wrong answers are judged against the key, so only a key that holds can judge them.
                        let keyProblems = checkQuestion(open.question, in: session, keyAccess: keys, bind: false)
                        return keyProblems.isEmpty ? checkWrongAnswers(open.question, in: session, keyAccess: keys) : keyProblems
                    }
                }) {
                    mismatches.append(Mismatch(kind: .answerKey, line: open.question.line,
                                               message: "the answer key ran longer than \(limit) s (the lesson's limit)"))
                    stopped = true
                    break
                }
                mismatches += found
                machine.skip()
            }
            if let open = machine.openExercise {
                let proofStart = Date()
                var found: [String] = []
                if session.timed({ found = ExerciseProof.problems(open.exercise, keyAccess: machine.sandbox.keys, seconds: Double(limit)) }) {
                    found = ["proving the exercise took longer than \(limit) s (the lesson's limit)"]
                }
                if found.contains(where: { $0.hasPrefix("proving the exercise took longer") }) { stopped = true }
                proofSeconds += Date().timeIntervalSince(proofStart)
                mismatches += found.map { Mismatch(kind: .exercise, line: open.exercise.line, message: "exercise \(open.exercise.function): " + $0) }
                machine.giveUp(force: true)
            }
            machine.advance()
            stopped = host.timedOutLine != nil
        }
        var recorded: [(cell: Cell, output: String)] = []
        var runs: [(cell: Cell, run: LessonSession.CellRun)] = []
        for cell in lesson.cells {
            if cell.kind != .setup, let run = host.runs[cell.line + 1], !run.timedOut { runs.append((cell, run)) }
            if let run = host.runs[cell.line + 1], run.timedOut {
                mismatches.append(Mismatch(kind: .cell, line: cell.line, message: "the cell ran longer than \(limit) s (the lesson's limit)"))
                continue
            }
            guard let run = host.runs[cell.line + 1] else {
                // Cells after one that was stopped are not run; that one is the mismatch.
                if stopped { continue }
                mismatches.append(Mismatch(kind: .cell, line: cell.line, message: "the cell never ran while walking the lesson"))
                continue
            }
            switch cell.kind {
            case .setup:
                if let e = run.error {
                    mismatches.append(Mismatch(kind: .cell, line: cell.line, message: "the setup cell fails: \(e.message)"))
                }
            case .code:
                recorded.append((cell, run.output))
                if let e = run.error {
                    mismatches.append(Mismatch(kind: .cell, line: cell.line, message: "the cell fails at \(e.location.map { "line \($0.line)" } ?? "?"): \(e.message)"))
                    continue
                }
                if let d = OutputComparison.diff(expected: cell.expectedOutput ?? "", actual: run.output, rtol: relativeTolerance) {
                    let what = cell.expectedOutput == nil ? "the cell prints output but has no ```output fence" : "the cell's output differs from the recorded one"
                    mismatches.append(Mismatch(kind: .output, line: cell.line, message: what, diff: d))
                }
            case .error:
                guard let e = run.error else {
                    mismatches.append(Mismatch(kind: .cell, line: cell.line, message: "the cell is marked `rnn error` but ran without an error"))
                    continue
                }
                recorded.append((cell, e.message))
                if let expected = cell.expectedOutput,
                   let d = OutputComparison.diff(expected: expected, actual: e.message, rtol: relativeTolerance) {
                    mismatches.append(Mismatch(kind: .output, line: cell.line, message: "the cell fails with another message than the recorded one", diff: d))
                }
            }
        }
        mismatches += host.bindingFailures
        for step in GuidedStep.steps(of: lesson) {
            if case let .prose(text) = step.content, LessonShape.endsMidSentence(text) {
                mismatches.append(Mismatch(kind: .shape, line: step.line,
                                           message: "a step ends mid-sentence (\"\(LessonShape.ending(text))\"): a learner pressing Enter sees half a sentence"))
            }
        }
        // The cells' run time is bounded above by the wall time and by this process's processor
        // time; the smaller is used, so the estimate (and check's verdict on the minutes) does not
        // move when another program shares the machine, nor when other work shares this process.
        let runSeconds = max(0, min(Date().timeIntervalSince(start), LessonShape.processorSeconds() - processorStart) - proofSeconds)
        let estimate = LessonShape.estimatedMinutes(lesson, runSeconds: runSeconds)
        if !stopped {
            mismatches += LessonShape.timeProblems(lesson, estimate: estimate).map { Mismatch(kind: .shape, line: 1, message: $0) }
        }
        if let line = host.timedOutLine, !mismatches.contains(where: { $0.message.contains("(the lesson's limit)") }) {
            // Stopped outside a cell of the lesson (an `assign:` binding): still the lesson fails.
            mismatches.append(Mismatch(kind: .cell, line: max(1, line - 1), message: "the code ran longer than \(limit) s (the lesson's limit)"))
        }
        mismatches.sort { $0.line < $1.line }
        return CheckReport(lessonID: lesson.meta.id, file: lesson.file, cells: lesson.cells.count,
                           questions: lesson.questions.count, exercises: lesson.exercises.count, seconds: Date().timeIntervalSince(start),
                           estimatedMinutes: estimate, mismatches: mismatches, recorded: recorded, runs: runs)
    }

    /// Keys and `check:` expressions run under `keyAccess`: reading as the lesson may, writing nothing.
    static func checkQuestion(_ q: Question, in session: LessonSession, keyAccess: FileAccessPolicy = .noFiles,
                              bind: Bool = true) -> [Mismatch] {
        let interpreter = session.interpreter
        func bad(_ message: String) -> [Mismatch] { [Mismatch(kind: .answerKey, line: q.line, message: message)] }
        switch q.kind {
        case let .choice(choices, correct):
            if Set(choices).count != choices.count { return bad("two choices have the same text") }
            let key = correct.sorted().map(Question.label).joined(separator: ", ")
            let judged = Grader.judge(q, input: key, in: interpreter, keyAccess: keyAccess)
            return judged == .attempt(.correct(note: nil)) ? [] : bad("the marked choices (\(key)) do not pass the question")
        case let .numeric(answer, tolerance, check):
            guard let check else { return [] }
            switch ExpressionEvaluation.evaluate(check, in: interpreter, access: keyAccess) {
            case let .failure(e): return bad("the check expression `\(check)` fails: \(e.message)")
            case let .success(value):
                let number: Double?
                switch value {
                case let .number(x): number = x
                case let .tensor(t) where t.count == 1: number = t.storage[0]
                default: number = nil
                }
                guard let number else { return bad("the check expression `\(check)` gives a \(value.kindName), not a number") }
                if !Grader.gradeNumeric(number, answer: answer, tolerance: tolerance).isCorrect {
                    return bad("the answer \(formatNumber(answer)) is not within \(formatNumber(tolerance)) of `\(check)` = \(formatNumber(number))")
                }
                return []
            }
        case let .expression(key, atol, rtol, assign):
            let tolerance = Tolerance(atol: atol, rtol: rtol)
            let first: Value
            switch ExpressionEvaluation.evaluate(key, in: interpreter, access: keyAccess) {
            case let .failure(e): return bad("the answer key `\(key)` fails: \(e.message)")
            case let .success(v): first = v
            }
            var found: [Mismatch] = []
            if case let .success(second) = ExpressionEvaluation.evaluate(key, in: interpreter, access: keyAccess),
               let d = ValueComparison.difference(second, first, tolerance: tolerance) {
                found += bad("the answer key `\(key)` changes the session: evaluated twice, the second value is \(d)")
            }
            let verdict = Grader.gradeExpression(key, key: key, tolerance: tolerance, in: interpreter, keyAccess: keyAccess)
            if !verdict.isCorrect { found += bad("the answer key `\(key)` does not pass its own question") }
            for (name, value) in interpreter.variables where isData(value) {
                if ValueComparison.matches(value, first, tolerance: tolerance) {
                    found.append(Mismatch(kind: .alreadyAnswered, line: q.line,
                                          message: "the question is already answered: the variable `\(name)` holds the answer key's value before it is asked"))
                    break
                }
            }
            if bind, let assign {
                let run = session.interpreter.withFileAccess(keyAccess) { session.run("\(assign) = (\(key))", file: "<assign>") }
                if let e = run.error { found += bad("binding the answer to `\(assign)` fails: \(e.message)") }
            }
            return found
        case .reflection:
            return []
        }
    }

    /// Every graded question lists wrong answers, and each is graded wrong — an attempt that is
    /// refused, not a line that fails, is not of the question's kind, or only looks at a variable
    /// (those cost the learner nothing and so prove nothing about the key).
    static func checkWrongAnswers(_ q: Question, in session: LessonSession, keyAccess: FileAccessPolicy = .noFiles) -> [Mismatch] {
        guard q.isGraded else {
            return q.wrong.isEmpty ? [] : [Mismatch(kind: .answerKey, line: q.line, message: "a reflection is not graded, so it has no wrong answers")]
        }
        guard !q.wrong.isEmpty else {
            return [Mismatch(kind: .answerKey, line: q.line,
                             message: "the question lists no wrong answer: add `wrong:` with the mistakes learners make, and check proves each is refused")]
        }
        var found: [Mismatch] = []
        for answer in q.wrong {
            let problem: String?
            switch Grader.judge(q, input: answer, in: session.interpreter, keyAccess: keyAccess) {
            case .attempt(.incorrect): problem = nil
            case .attempt(.correct): problem = "is graded right"
            case let .notAnAnswer(message): problem = "is not an answer of the question's kind (\(message))"
            case let .failed(error): problem = "fails to run (\(error.message))"
            case .looking: problem = "only shows a variable, which is not an attempt"
            case .reflected: problem = "is not graded"
            }
            if let problem { found.append(Mismatch(kind: .answerKey, line: q.line, message: "the listed wrong answer `\(answer)` \(problem)")) }
        }
        return found
    }

    /// Values a learner could type the name of as an answer (not functions, builtins or models).
    static func isData(_ value: Value) -> Bool {
        switch value {
        case .number, .bool, .string, .tensor, .list, .record: true
        default: false
        }
    }
}

/// The checker's side of the guided machine: runs cells in a plain session and keeps what each
/// printed (by the cell's first source line), instead of showing anything.
final class CheckHost: GuidedHost {
    let session: LessonSession
    let file: String
    var interpreter: Interpreter { session.interpreter }
    /// Each lesson cell's first run, by the line its source starts on.
    var runs: [Int: LessonSession.CellRun] = [:]
    var finished = false
    var bindingFailures: [Mismatch] = []
    /// The first line of the first cell stopped at the time limit.
    var timedOutLine: Int?

    init(session: LessonSession, file: String) { self.session = session; self.file = file }

    func run(_ source: String, file: String, firstLine: Int, visible: Bool) -> ScriptError? {
        let r = session.run(source, file: file, firstLine: firstLine)
        if file == self.file, runs[firstLine] == nil { runs[firstLine] = r }
        if r.timedOut, timedOutLine == nil { timedOutLine = firstLine }
        return r.error
    }

    func resetSession() {}

    func present(_ event: GuidedEvent) {
        switch event {
        case .finished: finished = true
        case let .replayFailed(line, message) where !message.isEmpty:
            // Setup-cell failures are reported from `runs`; this catches a failing `assign:`.
            if runs[line + 1] == nil {
                bindingFailures.append(Mismatch(kind: .answerKey, line: line, message: "binding the answer fails: \(message)"))
            }
        default: break
        }
    }
}
