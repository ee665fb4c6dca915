import Engine
import Foundation
import Script
import TestSupport
import Testing
@testable import Tutorial

/// The exercise block: parsing, the check of a learner's function, and what `rnnlab check` proves.
@Suite struct ExerciseTests {
    func exercise(_ block: String = ExerciseFixtures.block()) throws -> Exercise {
        let lesson = try LessonParser.parse(ExerciseFixtures.lesson(block), file: "ex.md")
        return try #require(lesson.exercises.first)
    }

    func check(_ source: String, _ block: String = ExerciseFixtures.block(), seconds: Double = 5) throws -> ExerciseResult {
        let bench = try ExerciseBench(exercise(block))
        bench.secondsPerCase = seconds
        return bench.check(source: source, file: "mine.rnn", in: Interpreter())
    }

    // MARK: the format

    @Test func theBlockParses() throws {
        let e = try exercise()
        #expect(e.function == "rnn_step")
        #expect(e.returns == ["h"])
        #expect(e.count == 20)
        #expect(e.gradients)
        #expect(e.wrong.map(\.mistake) == ["no transpose", "no tanh"])
        #expect(e.line == 12)
    }

    @Test func formatMistakesAreErrorsAtTheirLine() throws {
        func error(_ block: String) -> String {
            do { _ = try LessonParser.parse(ExerciseFixtures.lesson(block), file: "ex.md"); return "parsed" } catch {
                return "\(error.line): \(error.message)"
            }
        }
        #expect(error(ExerciseFixtures.block(wrong: [ExerciseFixtures.wrong[0]])).contains("at least two wrong solutions"))
        #expect(error(ExerciseFixtures.block(solution: "def other(x) { return x }")).contains("the solution should be one `def rnn_step(…) { … }`"))
        #expect(error(ExerciseFixtures.block(solution: "def rnn_step(x) { return (x }")).contains("the solution does not parse"))
        #expect(error(ExerciseFixtures.block(extra: "colour: red\n")).contains("unknown key 'colour'"))
        #expect(error(ExerciseFixtures.block(extra: "count: 5\n")).contains("'count' must be from 20 to 1000"))
        let wrongDef = error(ExerciseFixtures.block(wrong: [ExerciseFixtures.wrong[0], ("helper", "def helper(x) { return x }")]))
        #expect(wrongDef.contains("the wrong solution 'helper' should be one `def rnn_step"))
    }

    // MARK: the check

    @Test func aCorrectFunctionPassesEveryCaseWithGradients() throws {
        let r = try check(ExerciseFixtures.solution)
        #expect(r.kind == .passed)
        #expect(r.message == "all 20 cases match, values and gradients")
        #expect(r.casesPassed == 20)
    }

    /// Another formula with the same value passes: values are compared, never text.
    @Test func anyFormulaWithTheRightValuePasses() throws {
        let r = try check("def rnn_step(x, h, W_ih, W_hh, b) {\n  a = (W_ih @ x.T).T + (h @ W_hh.T) + b\n  return 2 * sigmoid(2 * a) - 1\n}")
        #expect(r.kind == .passed)
    }

    @Test func aWrongValueNamesTheCaseAndTheFirstElement() throws {
        let r = try check("def rnn_step(x, h, W_ih, W_hh, b) { return tanh(x @ W_ih.T + h @ W_hh.T) }")
        #expect(r.kind == .wrongValue)
        // Case 1 is batch 1, hidden 1, input 2; the element values come from an independent run below.
        #expect(r.message.hasPrefix("with batch 1, hidden 1, input 2 (case 1 of 20): your h differs at [0, 0]: "))
        let c = try #require(r.failingCase)
        #expect(c.index == 0)
        // The two numbers in the message are the learner's and the reference's, recomputed here.
        let i = Interpreter()
        i.define("args", .list(c.arguments))
        let mine = i.run("x = args[0]; h = args[1]; Wi = args[2]; Wh = args[3]; b = args[4]\nitem(tanh(x @ Wi.T + h @ Wh.T)[0, 0])\nitem(tanh(x @ Wi.T + h @ Wh.T + b)[0, 0])", file: "t")
        let numbers = mine.values.compactMap { if case let .number(x) = $0.value { x } else { nil } }
        #expect(numbers.count == 2)
        #expect(r.message.hasSuffix(String(format: "%.4g vs %.4g", numbers[0], numbers[1])))
    }

    /// A try whose result is a listed mistake's is told that mistake's name.
    @Test func aListedMistakeIsNamedWhenTheTryMatchesIt() throws {
        let r = try check("def rnn_step(x, h, W_ih, W_hh, b) {\n    a = x @ W_ih.T + h @ W_hh.T + b\n    return a\n}")
        #expect(r.kind == .wrongValue)
        #expect(r.message.hasSuffix(". That is what the mistake “no tanh” gives"))
        let other = try check("def rnn_step(x, h, W_ih, W_hh, b) { return tanh(x @ W_ih.T + h @ W_hh.T) }")
        #expect(!other.message.contains("That is what the mistake"))
    }

    /// The untouched template is not a mistake, even when a listed mistake gives the same value:
    /// the learner is told the body is still to be written.
    @Test func theTemplateIsNotNamedAsAMistake() throws {
        let block = ExerciseFixtures.block(wrong: ExerciseFixtures.wrong + [("the state returned unchanged", "def rnn_step(x, h, W_ih, W_hh, b) {\n    return 1 * h\n}")])
        let template = "def rnn_step(x, h, W_ih, W_hh, b) {\n    return h\n}"
        let r = try check(template, block)
        #expect(r.kind == .wrongValue)
        #expect(r.message.hasSuffix(". That is what the template gives: its body is still to be written"))
        #expect(!r.message.contains("unchanged"))
        let mistake = try check("def rnn_step(x, h, W_ih, W_hh, b) {\n    a = x @ W_ih.T + h @ W_hh.T + b\n    return a\n}", block)
        #expect(mistake.message.hasSuffix(". That is what the mistake “no tanh” gives"))
    }

    @Test func anErrorInTheLearnersFunctionIsShownAtItsOwnLineAndColumn() throws {
        let r = try check("def rnn_step(x, h, W_ih, W_hh, b) {\n    a = x @ W_ih\n    return tanh(a)\n}")
        #expect(r.kind == .raised)
        #expect(r.message.contains("(case 1 of 20): your rnn_step failed: matmul: shapes (1, 2) and (1, 2) do not match"))
        let e = try #require(r.error)
        #expect(e.location?.file == "mine.rnn")
        #expect(e.location?.line == 2)
        #expect(e.location?.column == 11)
    }

    @Test func aLearnerFileThatDoesNotParseIsASyntaxErrorInThatFile() throws {
        let r = try check("def rnn_step(x, h, W_ih, W_hh, b) {\n    return tanh(x @ W_ih.T +)\n}")
        #expect(r.kind == .raised)
        #expect(r.error?.kind == .syntax)
        #expect(r.error?.location?.file == "mine.rnn")
        #expect(r.error?.location?.line == 2)
    }

    @Test func aFunctionThatNeverReturnsIsStoppedAtTheTimeLimit() throws {
        let start = Date()
        let r = try check("def rnn_step(x, h, W_ih, W_hh, b) {\n    while true { h = h }\n}", seconds: 0.3)
        #expect(r.kind == .timeLimit)
        #expect(r.message.contains("your rnn_step ran longer than 0.3 s and was stopped"))
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test func theWrongArityIsNamedWithTheSignature() throws {
        let r = try check("def rnn_step(x, h) { return h }")
        #expect(r.kind == .notDefined)
        #expect(r.message == "your rnn_step takes 2 arguments (x, h); it should take 5: rnn_step(x, h, W_ih, W_hh, b)")
        let missing = try check("def step(x, h, W_ih, W_hh, b) { return h }")
        #expect(missing.message.hasPrefix("the code does not define rnn_step"))
    }

    @Test func aWrongReturnShapeOrNothingReturnedIsSaidSo() throws {
        let shape = try check("def rnn_step(x, h, W_ih, W_hh, b) { return tanh(x @ W_ih.T + h @ W_hh.T + b).T }")
        // Case 1 has batch 1 and hidden 1 (the transpose is invisible); case 2 is batch 2, hidden 2.
        #expect(shape.message.hasPrefix("with batch 2, hidden 2, input 3 (case 2 of 20): your h "))
        #expect(shape.casesPassed == 1)
        let none = try check("def rnn_step(x, h, W_ih, W_hh, b) { h = tanh(x @ W_ih.T + h @ W_hh.T + b) }")
        #expect(none.message.hasSuffix("your function returned nothing (none): it should return h — is a `return` missing?"))
    }

    /// Values right, gradient cut: `detach` hides part of the graph from autodiff.
    @Test func aGradientThatDoesNotFlowIsCaught() throws {
        let r = try check("def rnn_step(x, h, W_ih, W_hh, b) { return tanh(x @ W_ih.T + detach(h @ W_hh.T) + b) }")
        #expect(r.kind == .wrongGradient)
        #expect(r.message.contains("your values are right, but"))
        // Both h and W_hh are cut off; the first argument in the signature is named.
        #expect(r.message.contains("no gradient reaches h through your rnn_step"))
    }

    /// The learner's variables never reach the reference: their own `tanh` changes only their function.
    @Test func theReferenceRunsWhereTheLearnersNamesCannotReachIt() throws {
        let bench = try ExerciseBench(exercise())
        let learner = Interpreter()
        _ = learner.run("def zeros(n) { return 5 }", file: "t")
        #expect(bench.check(source: ExerciseFixtures.solution, file: "mine.rnn", in: learner).passed)
    }

    /// A function that changes its argument in place cannot change what the reference is given.
    @Test func argumentsAreFreshCopiesForEachSide() throws {
        let r = try check("def rnn_step(x, h, W_ih, W_hh, b) { W_ih *= 0; return tanh(x @ W_ih.T + h @ W_hh.T + b) }")
        #expect(r.kind == .wrongValue)
    }

    @Test func swappedOutputsAndAMissingAxisAreNamed() throws {
        let h = Value.tensor(Tensor([1, 2])), c = Value.tensor(Tensor([3, 4]))
        #expect(ExerciseComparison.difference(.list([c, h]), .list([h, c]), returns: ["h", "c"], tolerance: Tolerance())
                == "your h is what c should be: are the outputs in the wrong order? It should return [h, c]")
        let flat = try Tensor(shape: [1, 2], storage: [1, 2]), deep = try Tensor(shape: [1, 1, 2], storage: [1, 2])
        #expect(ExerciseComparison.describe(.tensor(flat), .tensor(deep), name: "h_n", tolerance: Tolerance())
                == "your h_n has shape (1, 2); it should have shape (1, 1, 2) — an axis of length 1 is missing")
        #expect(ExerciseComparison.describe(.tensor(deep), .tensor(flat), name: "h_n", tolerance: Tolerance())
                == "your h_n has shape (1, 1, 2); it should have shape (1, 2) — it has an extra axis of length 1")
    }

    // MARK: what check proves

    func proof(_ block: String) throws -> [String] {
        ExerciseProof.problems(try exercise(block), keyAccess: .noFiles)
    }

    @Test func aSoundExerciseHasNoProblems() throws {
        #expect(try proof(ExerciseFixtures.block()) == [])
    }

    @Test func aWrongSolutionThatPassesIsCaught() throws {
        let lenient = ("tanh written out", "def rnn_step(x, h, W_ih, W_hh, b) {\n    a = x @ W_ih.T + h @ W_hh.T + b\n    return (exp(a) - exp(-a)) / (exp(a) + exp(-a))\n}")
        let found = try proof(ExerciseFixtures.block(wrong: [ExerciseFixtures.wrong[0], lenient]))
        #expect(found == ["the wrong solution 'tanh written out' passes every case: it should fail"])
    }

    @Test func aSolutionThatFailsIsCaught() throws {
        let found = try proof(ExerciseFixtures.block(solution: "def rnn_step(x, h, W_ih, W_hh, b) {\n    return tanh(x @ W_ih.T + h @ W_hh.T + 2 * b)\n}"))
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("the worked solution does not pass: with batch 1, hidden 1, input 2 (case 1 of 20): your h differs at [0, 0]") == true)
    }

    @Test func casesMustBeSeededAndVaryTheirSizes() throws {
        let unseeded = ExerciseFixtures.cases.replacingOccurrences(of: "randn(B, I, seed: k)", with: "randn(B, I)")
        #expect(try proof(ExerciseFixtures.block(cases: unseeded)).first?.contains("is not the same when made twice") == true)
        let noBatchOne = ExerciseFixtures.cases.replacingOccurrences(of: "B = 1 + k % 3", with: "B = 2 + k % 3")
        #expect(try proof(ExerciseFixtures.block(cases: noBatchOne)) == ["no case has batch 1: include it (a broadcast or transpose mistake often hides at other sizes)"])
        let fixedInput = ExerciseFixtures.cases.replacingOccurrences(of: "I = 2 + k % 2", with: "I = 2")
        #expect(try proof(ExerciseFixtures.block(cases: fixedInput)) == ["the size 'input' is the same in every case: vary it, so a shape mistake shows"])
    }

    /// The gradient yardstick is the solution's autodiff, itself held to finite differences: a
    /// solution whose values are right but whose graph is cut fails check.
    @Test func theSolutionsGradientsAreHeldToFiniteDifferences() throws {
        let cut = "def rnn_step(x, h, W_ih, W_hh, b) {\n    return tanh(x @ W_ih.T + detach(h) @ W_hh.T + b)\n}"
        let found = try proof(ExerciseFixtures.block(solution: cut))
        #expect(found.count == 1)
        #expect(found.first?.contains("the solution's gradient for h at flat index 0 is 0 by autodiff but") == true)
    }

    @Test func finiteDifferencesAgreeWithAutodiffForTheSolution() throws {
        let bench = try ExerciseBench(exercise())
        for k in [0, 5, 11] {
            let c = try bench.makeCase(k).get()
            #expect(ExerciseProof.finiteDifferenceProblem(bench, c) == nil)
        }
    }

    /// The check walks exercises: a lesson with a sound one passes, with a broken one fails at its line.
    @Test func rnnlabCheckProvesExercises() throws {
        let good = try LessonParser.parse(ExerciseFixtures.lesson(), file: "ex.md")
        let report = LessonChecker.check(good)
        #expect(report.mismatches.map(\.message) == [])
        #expect(report.exercises == 1)
        let lenient = ("no tanh", "def rnn_step(x, h, W_ih, W_hh, b) {\n    return tanh(x @ W_ih.T + h @ W_hh.T + b)\n}")
        let bad = try LessonParser.parse(ExerciseFixtures.lesson(ExerciseFixtures.block(wrong: [ExerciseFixtures.wrong[0], lenient])), file: "ex.md")
        let badReport = LessonChecker.check(bad)
        #expect(badReport.mismatches.map(\.description) == ["line 12: exercise rnn_step: the wrong solution 'no tanh' passes every case: it should fail"])
    }

    /// An exercise counts four minutes in the estimate.
    @Test func anExerciseCountsInTheMinutes() throws {
        let lesson = try LessonParser.parse(ExerciseFixtures.lesson(), file: "ex.md")
        #expect(abs(LessonShape.estimatedMinutes(lesson, runSeconds: 0) - (5.0 / 180 + 4)) < 1e-9)     // "# Exercise" and "Write one step." are 5 words
    }
}

/// Exercises in the guided machine: what a learner's lines do at an open exercise.
@Suite struct GuidedExerciseTests {
    func make() throws -> (GuidedLesson, RecordingHost) {
        let lesson = try LessonParser.parse(ExerciseFixtures.lesson(), file: "ex.md")
        let host = RecordingHost()
        return (GuidedLesson(lesson: lesson, steps: GuidedStep.steps(of: lesson), host: host), host)
    }

    @Test func anOpenExerciseWaitsForTheFunction() throws {
        let (m, host) = try make()
        m.start(resume: false)
        m.advance()
        #expect(host.log.last == "step 2/2 exercise 1 rnn_step")
        #expect(m.openExercise != nil)
        m.advance()
        #expect(host.log.last?.hasPrefix("notice: Write rnn_step first") == true)
        m.skip()
        #expect(host.log.last?.hasPrefix("notice: Try it once first") == true)
        #expect(m.meaning(of: "def rnn_step(x, h, W_ih, W_hh, b) { return h }") == .answer)
        #expect(m.meaning(of: "def helper(x) { return x }") == .code)
        #expect(m.meaning(of: "def rnn_step(x, h,") == .code)     // unfinished: the prompt reads on
        #expect(m.meaning(of: "x = 1") == .code)
    }

    @Test func aWrongTryBringsAHintThenCaseLoadsTheFailingCase() throws {
        let (m, host) = try make()
        m.start(resume: false); m.advance()
        m.answer("def rnn_step(x, h, W_ih, W_hh, b) { return tanh(x @ W_ih.T + h @ W_hh.T + b).T }")
        #expect(host.log.suffix(2).first?.hasPrefix("checked 1: wrongValue with batch 2, hidden 2, input 3 (case 2 of 20)") == true)
        #expect(host.log.last == "hint 1/1: The weights are (out, in): x @ W_ih.T.")
        m.loadCase()
        #expect(host.log.last == "case with batch 2, hidden 2, input 3 (case 2 of 20): x, h, W_ih, W_hh, b, expected")
        // The variables are the case's, and `expected` is the reference's value on them.
        let r = host.interpreter.run("max(abs(tanh(x @ W_ih.T + h @ W_hh.T + b) - expected)) < 1e-12", file: "t")
        #expect(r.values.last?.value.description == "tensor(1)")
        #expect(m.progress.answers["e1"]?.attempts == 1)
    }

    @Test func passingShowsTheSolutionAndRecordsIt() throws {
        let (m, host) = try make()
        m.start(resume: false); m.advance()
        m.answer(ExerciseFixtures.solution)
        #expect(host.log.suffix(2) == ["checked 1: passed all 20 cases match, values and gradients", "solution shown (after a pass)"])
        #expect(m.openExercise == nil)
        #expect(m.progress.answers["e1"]?.correct == true)
        #expect(m.progress.exercisesPassed == 1)
        #expect(m.progress.score == 0)
        m.advance()
        #expect(host.log.last == "finished 0/0 exercises 1/1")
    }

    /// A pass that leans on a helper typed earlier at the prompt is told the code alone would fail.
    @Test func aPassThatNeedsAHelperFromTheSessionIsPointedOut() throws {
        let (m, host) = try make()
        m.start(resume: false); m.advance()
        _ = host.interpreter.run("def squash(a) { return tanh(a) }", file: "t")
        m.answer("def rnn_step(x, h, W_ih, W_hh, b) { return squash(x @ W_ih.T + h @ W_hh.T + b) }")
        #expect(m.progress.answers["e1"]?.correct == true)
        #expect(host.log.contains { $0.hasPrefix("notice: Your code passes here, but on its own it fails (unknown name 'squash'") })
        let (m2, host2) = try make()
        m2.start(resume: false); m2.advance()
        m2.answer(ExerciseFixtures.solution)
        #expect(!host2.log.contains { $0.contains("on its own it fails") })
    }

    @Test func givingUpAfterATryDefinesTheSolution() throws {
        let (m, host) = try make()
        m.start(resume: false); m.advance()
        m.answer("def rnn_step(x, h, W_ih, W_hh, b) { return h }")
        m.skip()
        #expect(host.log.last == "solution shown (given up)")
        #expect(m.progress.answers["e1"]?.revealed == true)
        #expect(m.progress.exercisesPassed == 0)
        // The session's rnn_step is now the solution: later cells can call it.
        let r = host.interpreter.run("rnn_step(ones(1, 2), zeros(1, 1), ones(1, 2), ones(1, 1), zeros(1))", file: "t")
        #expect(r.error == nil)
        #expect(r.values.last?.value.description.contains("0.964") == true)
    }

    /// Ctrl-C (or any interruption) is not a try.
    @Test func anInterruptedCheckIsNotATry() throws {
        let (m, host) = try make()
        m.start(resume: false); m.advance()
        host.interpreter.isCancelled = { true }
        m.answer(ExerciseFixtures.solution)
        host.interpreter.isCancelled = { false }
        #expect(m.progress.answers["e1"]?.attempts ?? 0 == 0)
        #expect(m.openExercise != nil)
    }
}
