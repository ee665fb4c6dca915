import Engine
import Script
import Testing
@testable import Tutorial

/// Errors in an answer point into what the learner typed, never into the wrapper around it.
@Suite struct AnswerErrorLocationTests {
    let i: Interpreter
    init() {
        i = Interpreter()
        _ = i.run("W = [[1, 2], [3, 4]]\nx = [1, 1]")
    }

    func error(_ text: String) -> ExpressionError? {
        if case let .failure(e) = ExpressionEvaluation.evaluate(text, in: i) { return e }
        return nil
    }

    @Test func aParseErrorPointsIntoTheLearnersLine() throws {
        let e = try #require(error("(W @ x))"))
        #expect(e.line == 1)
        #expect(e.column == 8)
        #expect(e.caretView == "(W @ x))\n       ^")
        #expect(!e.message.contains("1:16"))
    }

    @Test func anUnclosedParenIsPlacedInTheLearnersText() throws {
        let e = try #require(error("tanh(W @ x]"))
        #expect(e.line == 1)
        #expect(e.sourceLine == "tanh(W @ x]")
        #expect(!e.message.contains("1:16") && !e.message.contains("2:"))
    }

    @Test func aRuntimeErrorPointsIntoTheLearnersLine() throws {
        let e = try #require(error("W @ [1, 2, 3]"))
        #expect(e.line == 1)
        #expect(e.sourceLine == "W @ [1, 2, 3]")
        let u = try #require(error("W @ nope"))
        #expect(u.line == 1)
        #expect(u.column == 5)
    }
}
