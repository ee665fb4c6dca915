import Engine
import Script
import Testing
@testable import Tutorial

@Suite struct GradingTests {
    /// A scalar answer is compared as a number, not as "element []".
    @Test func scalarDifferencesReadAsNumbers() {
        let d = ValueComparison.difference(.tensor(Tensor(25.902)), .tensor(Tensor(23.602)))
        #expect(d == "25.902 where 23.602 was expected")
    }

    @Test func choiceSetsMustBeExact() {
        #expect(Grader.gradeChoice(selected: [1], correct: [1]).isCorrect)
        #expect(!Grader.gradeChoice(selected: [0], correct: [1]).isCorrect)
        #expect(Grader.gradeChoice(selected: [0, 2], correct: [2, 0]).isCorrect)
        #expect(Grader.gradeChoice(selected: [0], correct: [0, 2]) == .incorrect(reason: "right so far, but more than one choice is correct"))
        #expect(!Grader.gradeChoice(selected: [0, 1, 2], correct: [0, 2]).isCorrect)
        #expect(Grader.parseChoices("a, C", count: 3) == [0, 2])
        #expect(Grader.parseChoices("d", count: 3) == nil)
    }

    @Test func numericWithinTolerance() {
        #expect(Grader.gradeNumeric(0.76, answer: 0.7616, tolerance: 0.01).isCorrect)
        #expect(!Grader.gradeNumeric(0.74, answer: 0.7616, tolerance: 0.01).isCorrect)
        #expect(!Grader.gradeNumeric(.nan, answer: 0, tolerance: 1).isCorrect)
        let q = Question(prompt: "?", kind: .numeric(answer: 2, tolerance: 0, check: nil))
        #expect(Grader.judge(q, input: " 2 ", in: Interpreter()) == .attempt(.correct(note: nil)))
        #expect(Grader.judge(q, input: "two", in: Interpreter()) == .notAnAnswer("answer with a number, e.g. 0.25"))
    }

    /// A wrong number says which way it is off, and names a flipped sign or a power of ten.
    @Test func aWrongNumberSaysWhichWay() {
        #expect(Grader.gradeNumeric(0.5, answer: 0.25, tolerance: 0.001) == .incorrect(reason: "0.5 is too high"))
        #expect(Grader.gradeNumeric(0.1, answer: 0.25, tolerance: 0.001) == .incorrect(reason: "0.1 is too low"))
        #expect(Grader.gradeNumeric(-0.25, answer: 0.25, tolerance: 0.001) == .incorrect(reason: "-0.25 has the right size but the wrong sign"))
        #expect(Grader.gradeNumeric(25, answer: 0.25, tolerance: 0.001)
                == .incorrect(reason: "25 is 100 times too large — check for a percentage or a slipped decimal point"))
        #expect(Grader.gradeNumeric(64, answer: 640, tolerance: 0)
                == .incorrect(reason: "64 is 10 times too small — check for a percentage or a slipped decimal point"))
        #expect(Grader.gradeNumeric(.infinity, answer: 1, tolerance: 0.1) == .incorrect(reason: "inf is not a finite number"))
        #expect(Grader.gradeNumeric(0, answer: 0.5, tolerance: 0.1) == .incorrect(reason: "0 is too low"))
    }

    /// A reflection takes any words and grades none; an empty line is not an answer.
    @Test func reflectionsAreNotGraded() {
        let q = Question(prompt: "?", kind: .reflection(answer: "model"))
        #expect(Grader.judge(q, input: "the opposite of the model answer", in: Interpreter()) == .reflected)
        #expect(!Grader.judge(q, input: "   ", in: Interpreter()).countsAsAttempt)
    }

    @Test func expressionsCompareByValue() {
        let i = Interpreter()
        _ = i.run("W = [[1, 2], [3, 4]]\nx = [1, 1]")
        let tol = Tolerance()
        let right = Grader.gradeExpression("W @ x", key: "W @ x", tolerance: tol, in: i)
        #expect(right == .correct(note: nil))
        let other = Grader.gradeExpression("[W[0].sum(), W[1].sum()]", key: "W @ x", tolerance: tol, in: i)
        #expect(other.isCorrect)
        if case let .correct(note) = other { #expect(note?.contains("same value") == true) }
        let wrong = Grader.gradeExpression("W.T @ x", key: "W @ x", tolerance: tol, in: i)
        #expect(wrong == .incorrect(reason: "your value: both elements differ, the first at [0]"))
        let shape = Grader.gradeExpression("W", key: "W @ x", tolerance: tol, in: i)
        #expect(shape == .incorrect(reason: "your value has shape (2, 2); the answer has shape (2,)"))
        #expect(!Grader.gradeExpression("nope + 1", key: "W @ x", tolerance: tol, in: i).isCorrect)
        #expect(Grader.gradeExpression("x = 3", key: "W @ x", tolerance: tol, in: i)
                == .incorrect(reason: "type an expression whose value is the answer, not an assignment or several statements"))
    }

    @Test func tolerancesOnTensors() {
        let a = Value.tensor(Tensor([1.0, 2.0]))
        let b = Value.tensor(Tensor([1.0 + 1e-7, 2.0 - 1e-7]))
        let c = Value.tensor(Tensor([1.01, 2.0]))
        #expect(ValueComparison.matches(b, a))
        #expect(!ValueComparison.matches(c, a))
        #expect(ValueComparison.matches(c, a, tolerance: Tolerance(atol: 0, rtol: 0.02)))
        #expect(ValueComparison.matches(.list([.number(1), .number(2)]), a))
        #expect(ValueComparison.matches(.list([a, .string("s")]), .list([b, .string("s")])))
        #expect(ValueComparison.difference(.list([a, .string("s")]), .list([a, .string("t")])) == "\"s\" at [1] where \"t\" was expected")
        #expect(ValueComparison.difference(.number(1), a) == "a number where a tensor was expected")
    }

    @Test func aWrongAnswerLeavesTheSessionAsItWas() {
        let i = Interpreter()
        _ = i.run("h = [1, 2]\nn = 5\nn")
        let before = i.variables.map(\.name)
        let hBefore = i.variables.first { $0.name == "h" }!.value
        // Wrong answers, one of which assigns inside the expression's own scope and one that fails halfway.
        for attempt in ["h * 3", "(fn() { h = 0; return h })()", "[h, undefined_name]", "h2 = h"] {
            #expect(!Grader.gradeExpression(attempt, key: "h * 2", tolerance: Tolerance(), in: i).isCorrect)
        }
        #expect(i.variables.map(\.name) == before)
        #expect(ValueComparison.matches(i.variables.first { $0.name == "h" }!.value, hBefore))
        if case let .number(last)? = i.lastValue { #expect(last == 5) } else { Issue.record("_ changed") }
        #expect(i.run("h").values.first.map { ValueComparison.matches($0.value, .tensor(Tensor([1.0, 2.0]))) } == true)
    }
}
