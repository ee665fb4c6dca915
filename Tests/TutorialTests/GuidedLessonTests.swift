import Foundation
import Script
import Testing
@testable import Tutorial

/// A host that runs code in a `LessonSession` and writes every event as a line of text.
final class RecordingHost: GuidedHost {
    var session = LessonSession()
    var log: [String] = []
    var interpreter: Interpreter { session.interpreter }

    func run(_ source: String, file: String, firstLine: Int, visible: Bool) -> ScriptError? {
        let r = session.run(source, file: file, firstLine: firstLine)
        if visible, !r.output.isEmpty { log.append("out: " + r.output.trimmingCharacters(in: .newlines)) }
        if !visible { log.append("quiet: " + source.split(separator: "\n").joined(separator: "; ")) }
        return r.error
    }

    func resetSession() { session = LessonSession(); log.append("reset") }

    func present(_ event: GuidedEvent) {
        switch event {
        case let .step(step, n, total, alreadyRun):
            let what: String
            switch step.content {
            case let .prose(t): what = "prose \(t.prefix(12))"
            case let .cell(c): what = "cell line \(c.line)"
            case let .question(_, i): what = "question \(i + 1)"
            }
            log.append("step \(n)/\(total) \(what)\(alreadyRun ? " (already run)" : "")")
        case let .cellFailed(e, expected): log.append("failed\(expected ? " as expected" : ""): \(e.message)")
        case .cellUnexpectedlySucceeded: log.append("error cell succeeded")
        case let .verdict(v, attempt): log.append("verdict \(attempt): \(v.isCorrect ? "right" : "wrong")")
        case let .hint(t, n, total): log.append("hint \(n)/\(total): \(t)")
        case let .revealed(answer, _, created): log.append("revealed \(answer) created \(created)")
        case .explanation: log.append("explanation")
        case let .replaying(cells): log.append("replaying \(cells)")
        case let .replayFailed(line, m): log.append("replay failed \(line): \(m)")
        case let .finished(score, questions, _): log.append("finished \(score)/\(questions)")
        case let .notice(t): log.append("notice: \(t)")
        }
    }
}

@Suite struct GuidedLessonTests {
    func make(progress: LessonProgress? = nil) throws -> (GuidedLesson, RecordingHost) {
        let lesson = try LessonParser.parse(Fixtures.passing, file: "tiny.md")
        let host = RecordingHost()
        let machine = GuidedLesson(lesson: lesson, steps: GuidedStep.steps(of: lesson), progress: progress, host: host)
        return (machine, host)
    }

    /// Steps: 2 prose blocks, the cell, the python-fence prose, the error cell, 3 questions, a
    /// cell, a question, the closing prose. The setup cell is not a step.
    @Test func stepsFlattenTheLessonAndHideSetupCells() throws {
        let (m, _) = try make()
        #expect(m.total == 11)
        #expect(m.steps[2].setup.count == 1)
        if case .prose = m.steps[3].content {} else { Issue.record("the python fence should be prose") }
    }

    @Test func walkingThroughRunsCellsInOrderAndWaitsForAnswers() throws {
        let (m, host) = try make()
        m.start(resume: false)
        m.advance(); m.advance()
        #expect(host.log.contains("quiet: W = [[0.5, 0], [0, 2]]"))   // setup before the cell
        #expect(host.log.contains { $0.hasPrefix("out: tensor([0.4621") })
        m.advance(); m.advance()
        #expect(host.log.last == "failed as expected: matmul: shapes (2,) and (3,) do not match")
        m.advance()                                   // question 1
        #expect(m.openQuestion != nil)
        m.advance()
        #expect(host.log.last?.hasPrefix("notice: Answer the question first") == true)
        #expect(m.current == 5)
    }

    @Test func aWrongAnswerGetsFeedbackThenAHintThenTheAnswer() throws {
        let (m, host) = try make()
        m.start(resume: false)
        for _ in 0..<5 { m.advance() }
        #expect(m.meaning(of: "a") == .answer)
        #expect(m.meaning(of: "x.shape") == .code)     // work it out at the prompt
        #expect(m.meaning(of: "e") == .answer)         // a letter that is no choice: told so
        #expect(m.meaning(of: "x") == .code)           // …unless it names a variable
        m.answer("a")
        #expect(host.log.suffix(2) == ["verdict 1: wrong", "hint 1/1: Which ones carry a state?"])
        m.answer("b")
        #expect(host.log.last == "verdict 2: wrong")   // no hints left: no more
        m.answer("c")
        #expect(host.log.last?.hasPrefix("revealed a) LSTM\nc) GRU") == true)
        #expect(m.openQuestion == nil)
        #expect(m.progress.answers["q1"]?.revealed == true)
        #expect(m.progress.score == 0)
    }

    @Test func rightAnswersScoreAndExpressionAnswersAreBound() throws {
        let (m, host) = try make()
        m.start(resume: false)
        for _ in 0..<5 { m.advance() }
        m.answer("c, a")
        #expect(host.log.suffix(2) == ["verdict 1: right", "explanation"])
        m.advance()                                   // numeric
        #expect(m.meaning(of: "h[0]") == .code)
        m.answer("0.4621")
        m.advance()                                   // expression, assign h2
        #expect(m.meaning(of: "h[0]") == .answer)
        m.answer("tanh(W @ x)")                       // wrong: W not doubled
        #expect(host.interpreter.variables.contains { $0.name == "h2" } == false)
        m.answer("tanh((W + W) @ x)")
        #expect(host.interpreter.variables.contains { $0.name == "h2" })
        m.advance()
        #expect(host.log.last == "out: [2]")
        m.advance()
        m.skip()                                       // text question: revealed
        m.advance(); m.advance()
        #expect(host.log.last == "finished 3/4")
        #expect(m.progress.isFinished)
        #expect(m.progress.answers["q3"]?.attempts == 2)
    }

    @Test func skipBindsTheKeyAndSaysWhatItCreated() throws {
        let (m, host) = try make()
        m.start(resume: false)
        for _ in 0..<5 { m.advance() }
        m.skip(); m.advance(); m.skip(); m.advance()
        m.skip()
        #expect(host.log.last == "revealed tanh(2 * W @ x) created [\"h2\"]")
        m.advance()
        #expect(host.log.last == "out: [2]")           // the cell after it works
    }

    @Test func backReshowsWithoutRunningAgainAndRunAgainRuns() throws {
        let (m, host) = try make()
        m.start(resume: false)
        m.advance(); m.advance()
        let runs = host.log.filter { $0.hasPrefix("out:") }.count
        m.advance(); m.back()
        #expect(host.log.last == "step 3/11 cell line 19 (already run)")
        m.runAgain()
        #expect(host.log.filter { $0.hasPrefix("out:") }.count == runs + 1)
        m.back(); m.back(); m.back()
        #expect(host.log.last == "notice: This is the first step.")
    }

    @Test func resumingReplaysEarlierCellsQuietlyAndShowsTheSavedStep() throws {
        var saved = LessonProgress(steps: 11)
        saved.step = 9                                 // the h2.shape cell, after the skipped expression
        var r = QuestionRecord(); r.revealed = true
        saved.answers["q3"] = r
        let (m, host) = try make(progress: saved)
        m.start(resume: true)
        #expect(host.log.first == "replaying 3")
        #expect(host.log.contains("quiet: h2 = (tanh(2 * W @ x))"))
        #expect(host.log.contains("step 9/11 cell line 75"))
        #expect(host.log.last == "out: [2]")
        #expect(!host.log.contains { $0.hasPrefix("failed") && !$0.contains("as expected") })
    }

    @Test func restartForgetsAnswersAndStartsAFreshSession() throws {
        let (m, host) = try make()
        m.start(resume: false)
        for _ in 0..<5 { m.advance() }
        m.answer("a, c")
        m.restart()
        #expect(host.log.suffix(2).first == "reset")
        #expect(m.current == 0)
        #expect(m.progress.answers.isEmpty)
    }

    @Test func paragraphsNeverCutAFence() {
        let blocks = GuidedStep.paragraphs("one\n\n```text\na\n\nb\n```\n\ntwo\nlines")
        #expect(blocks == ["one", "```text\na\n\nb\n```", "two\nlines"])
    }
}
