import Foundation
import Script

/// Exercises in a guided lesson: the learner writes the function (at the prompt or in an editor),
/// the lesson's bench checks it, `:case` loads the failing case, `:skip` after a try gives up.
extension GuidedLesson {
    /// The open exercise: the current step when it is an exercise not yet passed or given up.
    public var openExercise: (exercise: Exercise, index: Int)? {
        guard let step = currentStep, case let .exercise(e, index) = step.content else { return nil }
        return record(exerciseIndex: index).isSettled ? nil : (e, index)
    }

    func record(exerciseIndex index: Int) -> QuestionRecord { progress.answers[LessonProgress.exerciseKey(index)] ?? QuestionRecord() }
    func update(exerciseIndex index: Int, _ body: (inout QuestionRecord) -> Void) {
        var r = record(exerciseIndex: index)
        body(&r)
        progress.answers[LessonProgress.exerciseKey(index)] = r
    }

    /// The bench of exercise `index`, made on first use under the lesson's key access.
    public func bench(_ exercise: Exercise, index: Int) -> Result<ExerciseBench, ExerciseSetupError> {
        if let b = benches[index] { return .success(b) }
        do {
            let b = try ExerciseBench(exercise, access: sandbox.keys)
            benches[index] = b
            return .success(b)
        } catch {
            return .failure(error)
        }
    }

    /// The learner's code for the open exercise (typed at the prompt, or a file saved from the
    /// editor; `file` names it in error locations): it runs in the session, so the function is
    /// theirs to call afterwards, then is checked case by case.
    public func submit(_ source: String, file: String) {
        guard let (e, index) = openExercise else {
            host.present(.notice("There is no exercise open here."))
            return
        }
        let bench: ExerciseBench
        switch self.bench(e, index: index) {
        case let .failure(problem):
            host.present(.notice("This exercise cannot be checked: \(problem.message) (the lesson is at fault, not your code)."))
            return
        case let .success(b): bench = b
        }
        let result = bench.check(source: source, file: file, in: host.interpreter)
        if result.kind == .interrupted {
            host.present(.exerciseChecked(result, attempt: record(exerciseIndex: index).attempts))
            return
        }
        update(exerciseIndex: index) { $0.attempts += 1; $0.lastAnswer = source; $0.lastPassed = result.passed }
        let attempts = record(exerciseIndex: index).attempts
        if let c = result.failingCase { failingCases[index] = c }
        host.present(.exerciseChecked(result, attempt: attempts))
        if result.passed {
            update(exerciseIndex: index) { $0.correct = true }
            // Passing may lean on helpers defined earlier at the prompt; the code alone is what
            // the exercise's file keeps, so say when it would not pass by itself.
            let alone = bench.check(source: source, file: file, in: Interpreter())
            if !alone.passed, let e = alone.error, e.kind == .unknownName {
                host.present(.notice("Your code passes here, but on its own it fails (\(e.message)): it uses something you defined earlier at the prompt. Put that in your def too, so your exercise file works by itself."))
            }
            host.present(.exerciseSolution(code: e.solution, why: e.why, passed: true))
        } else if result.kind != .lessonProblem, record(exerciseIndex: index).hintsShown < e.hints.count {
            exerciseHint()
        }
    }

    /// `:hint` at an exercise.
    func exerciseHint() {
        guard let (e, index) = openExercise else { return }
        presentHint(e.hints, shown: record(exerciseIndex: index).hintsShown,
                    none: "This exercise has no hints — :case loads a failing case to try by hand.",
                    noMore: "No more hints — :case loads the failing case; :skip shows the solution.") {
            update(exerciseIndex: index) { $0.hintsShown += 1 }
        }
    }

    /// `:skip` at an exercise: after at least one try, shows the solution and defines it in the
    /// session (so later cells can call the function). `force` gives up without a try (`rnnlab check`).
    public func giveUp(force: Bool = false) {
        guard let (e, index) = openExercise else { advance(); return }
        guard force || record(exerciseIndex: index).attempts > 0 else {
            host.present(.notice("Try it once first: type your def at the prompt, or :edit to write it in your editor (:hint for a hint). Then :skip shows the solution."))
            return
        }
        update(exerciseIndex: index) { $0.revealed = true }
        defineSolution(e)
        host.present(.exerciseSolution(code: e.solution, why: e.why, passed: false))
    }

    /// `:case`: the open (or last) exercise's failing case — case 1 before any failure — as
    /// variables at the prompt, named as the function's parameters, with `expected` holding the
    /// reference's result. The reference's code is never shown; its value on one input is.
    public func loadCase() {
        guard let step = currentStep, case let .exercise(e, index) = step.content else {
            host.present(.notice(":case works at an exercise: it loads a case your function failed as variables."))
            return
        }
        let bench: ExerciseBench
        switch self.bench(e, index: index) {
        case let .failure(problem): host.present(.notice("This exercise cannot be checked: \(problem.message)")); return
        case let .success(b): bench = b
        }
        let c: ExerciseCase
        if let failing = failingCases[index] { c = failing } else {
            switch bench.makeCase(0) {
            case let .failure(problem): host.present(.notice(problem.message)); return
            case let .success(first): c = first
            }
        }
        let arguments = c.freshArguments()
        var names: [String] = []
        let existing = Set(host.interpreter.variables.map(\.name))
        let replaced = (bench.parameters + ["expected"]).filter { existing.contains($0) }
        for (name, value) in zip(bench.parameters, arguments) {
            host.interpreter.define(name, value)
            names.append(name)
        }
        if case let .success(expected) = bench.expected(for: c) {
            // A value to compare with, not part of any graph.
            host.interpreter.define("expected", ExerciseCase.copy(expected, requiringGrad: false))
            names.append("expected")
        }
        host.present(.caseLoaded(names: names, about: c.about, replaced: replaced))
    }

    /// Defines the worked solution in the session, as the lesson's code (confined like a cell).
    func defineSolution(_ e: Exercise) {
        let failure = host.interpreter.withFileAccess(sandbox.cells) {
            host.run(e.solution, file: "<solution>", firstLine: 1, visible: false)
        }
        if let failure { host.present(.replayFailed(line: e.line, message: failure.message)) }
    }
}
