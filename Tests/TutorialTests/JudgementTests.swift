import Engine
import Script
import Testing
@testable import Tutorial

/// Which lines typed at a question are attempts: `Grader.judge`, the one place the rule lives.
@Suite struct JudgementTests {
    let i: Interpreter
    init() {
        i = Interpreter()
        _ = i.run("W = [[1, 2], [3, 4]]\nx = [1, 1]")
    }
    let expression = Question(prompt: "?", kind: .expression(key: "W @ x", atol: 1e-6, rtol: 1e-6, assign: nil))

    @Test func failingLinesAreNotAttempts() {
        for line in ["W @ nope", "W @ [1, 2, 3]", "(W @ x))", "W @"] {
            let j = Grader.judge(expression, input: line, in: i)
            #expect(!j.countsAsAttempt, "\(line)")
            if case .failed = j {} else { Issue.record("\(line): \(j)") }
        }
    }

    @Test func lookingAtAVariableIsNotAnAttempt() {
        #expect(Grader.judge(expression, input: "W", in: i) == .looking)
        #expect(Grader.judge(expression, input: "W.shape", in: i) == .looking)
        #expect(Grader.judge(expression, input: "W . T", in: i) == .looking)
    }

    @Test func aLookThatIsTheAnswerIsRight() {
        _ = i.run("y = W @ x")
        #expect(Grader.judge(expression, input: "y", in: i) == .attempt(.correct(note: "Not the expression the lesson had in mind (W @ x), but the same value.")))
    }

    @Test func answersOfTheWrongKindAreNotAttempts() {
        let choice = Question(prompt: "?", kind: .choice(choices: ["x", "y", "z", "w"], correct: [1]))
        #expect(Grader.judge(choice, input: "e", in: i) == .notAnAnswer("answer with one of the letters a–d (several separated by commas, e.g. a, c)"))
        let numeric = Question(prompt: "?", kind: .numeric(answer: 2, tolerance: 0, check: nil))
        #expect(Grader.judge(numeric, input: "two", in: i) == .notAnAnswer("answer with a number, e.g. 0.25"))
        #expect(!Grader.judge(expression, input: "z = W @ x", in: i).countsAsAttempt)
    }

    @Test func realAnswersAreAttempts() {
        let choice = Question(prompt: "?", kind: .choice(choices: ["x", "y", "z", "w"], correct: [1]))
        #expect(Grader.judge(choice, input: "a", in: i) == .attempt(.incorrect(reason: "not that one")))
        #expect(Grader.judge(expression, input: "W.T @ x", in: i).countsAsAttempt)
        #expect(Grader.judge(expression, input: "W @ x", in: i) == .attempt(.correct(note: nil)))
        let reflection = Question(prompt: "?", kind: .reflection(answer: "tanh"))
        #expect(Grader.judge(reflection, input: "W", in: i) == .reflected)
        #expect(!Grader.judge(reflection, input: "sigmoid", in: i).countsAsAttempt)
    }
}
