import Script
import Testing
@testable import Tutorial

@Suite struct CheckerTests {
    func report(_ text: String) throws -> CheckReport {
        LessonChecker.check(try LessonParser.parse(text, file: "tiny.md"))
    }

    @Test func aPassingLesson() throws {
        let r = try report(Fixtures.passing)
        #expect(r.mismatches == [])
        #expect(r.cells == 4)
        #expect(r.questions == 4)
        #expect(r.passed)
    }

    @Test func aChangedOutputIsCaughtWithADiff() throws {
        let changed = Fixtures.passing.replacingOccurrences(of: "\n7\n```", with: "\n8\n```")
        let r = try report(changed)
        #expect(r.mismatches.count == 1)
        let m = try #require(r.mismatches.first)
        #expect(m.kind == .output)
        #expect(m.line == 19)
        #expect(m.diff?.contains("- 8") == true)
        #expect(m.diff?.contains("+ 7") == true)
    }

    @Test func numbersWithinToleranceAndSpacingPass() {
        #expect(OutputComparison.diff(expected: "tensor([0.1, 2.0000001])  \n\n", actual: "tensor([ 0.1,  2.0])") == nil)
        #expect(OutputComparison.diff(expected: "tensor([0.1, 2.01])", actual: "tensor([0.1, 2.0])") != nil)
        #expect(OutputComparison.diff(expected: "loss 3", actual: "gain 3") != nil)
    }

    @Test func anErrorCellThatSucceedsIsCaught() throws {
        let changed = Fixtures.passing.replacingOccurrences(of: "zeros(2) @ zeros(3)", with: "zeros(2) @ zeros(2)")
        let r = try report(changed)
        #expect(r.mismatches.map(\.kind) == [.cell])
        #expect(r.mismatches.first?.message.contains("ran without an error") == true)
    }

    /// Listed wrong answers must each be refused as an attempt: one the key accepts, one that
    /// is not of the question's kind, one that fails to run and a missing list all fail check.
    @Test func listedWrongAnswersAreProvenWrong() throws {
        let accepted = Fixtures.passing.replacingOccurrences(of: "wrong: [0.5, -0.462]", with: "wrong: [0.5, 0.4621]")
        let r1 = try report(accepted)
        #expect(r1.mismatches.map(\.message) == ["the listed wrong answer `0.4621` is graded right"])
        let sameValue = Fixtures.passing.replacingOccurrences(of: "wrong: [tanh(W @ x), 2 * tanh(W @ x)]", with: "wrong: [tanh(W @ x), tanh(W @ (2 * x))]")
        #expect(try report(sameValue).mismatches.map(\.message) == ["the listed wrong answer `tanh(W @ (2 * x))` is graded right"])
        let notALetter = Fixtures.passing.replacingOccurrences(of: "wrong: [a, \"a, b, c\"]", with: "wrong: [a, e]")
        #expect(try report(notALetter).mismatches.first?.message.hasPrefix("the listed wrong answer `e` is not an answer of the question's kind") == true)
        let failing = Fixtures.passing.replacingOccurrences(of: "wrong: [tanh(W @ x), 2 * tanh(W @ x)]", with: "wrong: [tanh(V @ x)]")
        #expect(try report(failing).mismatches.first?.message.hasPrefix("the listed wrong answer `tanh(V @ x)` fails to run") == true)
        let missing = Fixtures.passing.replacingOccurrences(of: "wrong: [0.5, -0.462]\n", with: "")
        #expect(try report(missing).mismatches.first?.message.hasPrefix("the question lists no wrong answer") == true)
    }

    @Test func aWrongAnswerKeyIsCaught() throws {
        let numeric = Fixtures.passing.replacingOccurrences(of: "answer: 0.462", with: "answer: 0.47")
        let r1 = try report(numeric)
        #expect(r1.mismatches.map(\.kind) == [.answerKey])
        #expect(r1.mismatches.first?.message.contains("not within 0.001 of `h[0]`") == true)
        let broken = Fixtures.passing.replacingOccurrences(of: "answer: tanh(2 * W @ x)", with: "answer: tanh(2 * V @ x)")
        #expect(try report(broken).mismatches.first?.kind == .answerKey)
    }

    @Test func aQuestionAnsweredByEarlierCellsIsCaught() throws {
        let spoiled = Fixtures.passing.replacingOccurrences(of: "3 + 4\n```", with: "3 + 4\nspoiler = tanh(2 * W @ x)\n```")
        let r = try report(spoiled)
        #expect(r.mismatches.map(\.kind) == [.alreadyAnswered])
        #expect(r.mismatches.first?.message.contains("`spoiler`") == true)
    }

    @Test func updateRewritesOnlyOutputFences() throws {
        let changed = Fixtures.passing.replacingOccurrences(of: "\n7\n```", with: "\n8\n```")
            .replacingOccurrences(of: "```rnn\nh2.shape\n```\n\n```output\n[2]\n```", with: "```rnn\nh2.shape\n```")
        let lesson = try LessonParser.parse(changed, file: "tiny.md")
        let r = LessonChecker.check(lesson)
        #expect(r.mismatches.count == 2)
        let updated = OutputRecorder.update(changed, with: r.recorded)
        #expect(updated == Fixtures.passing, "\(updated)")
        #expect(try report(updated).passed)
    }

    @Test func cellsRunStatementByStatement() {
        let s = LessonSession()
        let run = s.run("1 + 1\nprint(\"after\")\nif true {\n  print(\"in\")\n}\nelse { print(\"no\") }\n2")
        #expect(run.error == nil)
        #expect(run.output == "2\nafter\nin\n2\n")
    }

    @Test func trainingProgressNeverReachesARecordedOutput() {
        let s = LessonSession()
        s.interpreter.progressInterval = 0
        let run = s.run("""
        x = randn(6, 40, 2, seed: 1)
        y = where(x[-1, :, 0] > 0, 1, 0)
        h = train(classifier(input: 2, hidden: 4, out: 2, seed: 0), x, y, epochs: 2, batch_size: 16)
        h.steps
        """)
        #expect(run.error == nil)
        #expect(run.output == "6\n")
    }
}
