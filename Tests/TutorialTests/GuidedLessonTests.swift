import Foundation
import Script
import Testing
@testable import Tutorial

/// A host that runs code in a `LessonSession` and writes every event as a line of text.
final class RecordingHost: GuidedHost {
    var session = LessonSession()
    var log: [String] = []
    var verdicts: [Verdict] = []
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
            case let .exercise(e, i): what = "exercise \(i + 1) \(e.function)"
            }
            log.append("step \(n)/\(total) \(what)\(alreadyRun ? " (already run)" : "")")
        case let .cellFailed(e, expected): log.append("failed\(expected ? " as expected" : ""): \(e.message)")
        case .cellUnexpectedlySucceeded: log.append("error cell succeeded")
        case let .verdict(v, attempt): verdicts.append(v); log.append("verdict \(attempt): \(v.isCorrect ? "right" : "wrong")")
        case let .hint(t, n, total): log.append("hint \(n)/\(total): \(t)")
        case let .revealed(answer, _, created): log.append("revealed \(answer) created \(created)")
        case .explanation: log.append("explanation")
        case let .reflected(yours, model, _): log.append("reflected \(yours) | \(model)")
        case let .replaying(cells): log.append("replaying \(cells)")
        case let .replayFailed(line, m): log.append("replay failed \(line): \(m)")
        case let .finished(score, questions, passed, exercises, _):
            log.append("finished \(score)/\(questions)" + (exercises > 0 ? " exercises \(passed)/\(exercises)" : ""))
        case let .exerciseChecked(r, attempt): log.append("checked \(attempt): \(r.kind) \(r.message)")
        case let .exerciseSolution(_, _, passed): log.append("solution shown (\(passed ? "after a pass" : "given up"))")
        case let .caseLoaded(names, about, _): log.append("case \(about): \(names.joined(separator: ", "))")
        case let .notice(t): log.append("notice: \(t)")
        case let .notAnAttempt(m, shown): log.append("not an attempt: \(m)" + (shown.map { "\n" + $0 } ?? ""))
        case let .confirmRestart(q): log.append("asks: \(q)")
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

    /// Steps: the heading with its paragraph, the cell, the python-fence prose, the error cell,
    /// 3 questions, a cell, a question, the closing prose. The setup cell is not a step.
    @Test func stepsFlattenTheLessonAndHideSetupCells() throws {
        let (m, _) = try make()
        #expect(m.total == 10)
        #expect(m.steps[1].setup.count == 1)
        if case .prose = m.steps[2].content {} else { Issue.record("the python fence should be prose") }
    }

    @Test func walkingThroughRunsCellsInOrderAndWaitsForAnswers() throws {
        let (m, host) = try make()
        m.start(resume: false)
        m.advance(); m.advance()
        #expect(host.log.contains("quiet: W = [[0.5, 0], [0, 2]]"))   // setup before the cell
        #expect(host.log.contains { $0.hasPrefix("out: tensor([0.4621") })
        m.advance()
        #expect(host.log.last == "failed as expected: matmul: shapes (2,) and (3,) do not match")
        m.advance()                                   // question 1
        #expect(m.openQuestion != nil)
        m.advance()
        #expect(host.log.last?.hasPrefix("notice: Answer the question first") == true)
        #expect(m.current == 4)
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
        m.advance()                                    // reflection: any words, shown beside the model
        m.answer("  ")
        #expect(host.log.last?.hasPrefix("not an attempt") == true)
        m.answer("to keep it small")
        #expect(host.log.last == "reflected to keep it small | So the state stays bounded however long the sequence.")
        #expect(m.openQuestion == nil)
        m.advance(); m.advance()
        #expect(host.log.last == "finished 3/3")         // out of the graded questions
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
        m.advance()
        let runs = host.log.filter { $0.hasPrefix("out:") }.count
        m.advance(); m.back()
        #expect(host.log.last == "step 2/10 cell line 19 (already run)")
        m.runAgain()
        #expect(host.log.filter { $0.hasPrefix("out:") }.count == runs + 1)
        m.back(); m.back()
        #expect(host.log.last == "notice: This is the first step.")
    }

    @Test func resumingReplaysEarlierCellsQuietlyAndShowsTheSavedStep() throws {
        var saved = LessonProgress(steps: 10)
        saved.step = 8                                 // the h2.shape cell, after the skipped expression
        var r = QuestionRecord(); r.revealed = true
        saved.answers["q3"] = r
        let (m, host) = try make(progress: saved)
        m.start(resume: true)
        #expect(host.log.first == "replaying 3")
        #expect(host.log.contains("quiet: h2 = (tanh(2 * W @ x))"))
        #expect(host.log.contains("step 8/10 cell line 78"))
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

    // MARK: Looking costs nothing

    /// The machine at question `n` (1: choice, 2: numeric, 3: expression, 4: text), earlier ones skipped.
    func atQuestion(_ n: Int) throws -> (GuidedLesson, RecordingHost) {
        let (m, host) = try make()
        m.start(resume: false)
        for _ in 0..<5 { m.advance() }
        for _ in 1..<n {
            m.skip(); m.advance()
            if m.openQuestion == nil { m.advance() }        // the cell between questions 3 and 4
        }
        return (m, host)
    }

    func attempts(_ m: GuidedLesson, _ q: Int) -> Int { m.progress.answers["q\(q)"]?.attempts ?? 0 }
    func hints(_ m: GuidedLesson, _ q: Int) -> Int { m.progress.answers["q\(q)"]?.hintsShown ?? 0 }

    @Test func aLetterThatIsNoChoiceIsNotAnAttempt() throws {
        let (m, host) = try atQuestion(1)
        #expect(m.meaning(of: "e") == .answer)
        m.answer("e")
        #expect(host.log.last == "not an attempt: answer with one of the letters a–c (several separated by commas, e.g. a, c)")
        #expect(attempts(m, 1) == 0 && hints(m, 1) == 0)
        m.answer("b")                                   // a real wrong answer counts
        #expect(host.log.suffix(2) == ["verdict 1: wrong", "hint 1/1: Which ones carry a state?"])
        #expect(attempts(m, 1) == 1)
    }

    @Test func textAtANumericQuestionIsNotAnAttempt() throws {
        let (m, host) = try atQuestion(2)
        #expect(m.openQuestion?.index == 1)
        m.answer("about a half")
        #expect(host.log.last == "not an attempt: answer with a number, e.g. 0.25")
        #expect(attempts(m, 2) == 0)
        m.answer("0.9")
        #expect(host.log.last == "verdict 1: wrong")
        #expect(attempts(m, 2) == 1)
    }

    @Test func failingLinesAtAnExpressionQuestionAreNotAttempts() throws {
        let (m, host) = try atQuestion(3)
        #expect(m.openQuestion?.index == 2)
        m.answer("tanh(2 * W @ nope)")                 // unknown name
        #expect(host.log.last?.hasPrefix("not an attempt: ") == true)
        #expect(host.log.last?.contains("tanh(2 * W @ nope)\n") == true)   // the caret view of the learner's line
        m.answer("W @ zeros(3)")                        // shape error
        #expect(host.log.last?.hasPrefix("not an attempt: matmul") == true)
        m.answer("tanh(2 * W @ x))")                    // parse error
        #expect(host.log.last?.hasPrefix("not an attempt: ") == true)
        m.answer("h2 = tanh(W @ x)")                    // not an expression
        #expect(host.log.last?.hasPrefix("not an attempt: type an expression") == true)
        #expect(attempts(m, 3) == 0 && hints(m, 3) == 0)
        #expect(host.verdicts.isEmpty)
        m.answer("tanh(W @ x)")                         // a real wrong answer counts, and brings the hint
        #expect(host.log.suffix(2) == ["verdict 1: wrong", "hint 1/1: Multiply W by 2 first."])
        #expect(attempts(m, 3) == 1)
    }

    @Test func lookingAtAVariableShowsItAndIsNotAnAttempt() throws {
        let (m, host) = try atQuestion(3)
        m.answer("h")
        #expect(host.log.last?.hasPrefix("out: tensor([0.4621") == true)
        m.answer("W.shape")
        #expect(host.log.last == "out: [2, 2]")
        #expect(attempts(m, 3) == 0 && hints(m, 3) == 0)
        #expect(m.openQuestion != nil)
    }

    /// A reflection takes the learner's words as they are (even a variable's name), grades
    /// nothing, scores nothing, and settles the question; :skip shows the model answer.
    @Test func aReflectionShowsTheWordsBesideTheModelAndScoresNothing() throws {
        let (m, host) = try atQuestion(4)
        #expect(m.openQuestion?.index == 3)
        m.answer("x")
        #expect(host.log.last == "reflected x | So the state stays bounded however long the sequence.")
        #expect(!host.log.contains { $0.hasPrefix("verdict") })
        #expect(m.openQuestion == nil && m.progress.score == 0)
        let (m2, host2) = try atQuestion(4)
        m2.skip()
        #expect(host2.log.last?.hasPrefix("revealed So the state stays bounded") == true)
    }

    @Test func aWrongExpressionIsDiagnosedAndTheKeyShownOnlyOnTheLastTry() throws {
        let (m2, host2) = try atQuestion(3)
        for _ in 0..<3 { m2.answer("-tanh(2 * W @ x)") }
        #expect(host2.verdicts.count == 3)
        #expect(host2.verdicts[0] == .incorrect(reason: "your value is the answer with every sign flipped"))
        #expect(host2.verdicts[1] == host2.verdicts[0])
        // The last try: now the numbers may show, and the answer is revealed.
        if case let .incorrect(reason) = host2.verdicts[2] { #expect(reason.contains("the answer's is 0.761594")) }
        #expect(host2.log.last?.hasPrefix("revealed tanh(2 * W @ x)") == true)
    }

    // MARK: :restart on a finished lesson

    @Test func restartOnAFinishedLessonAsksFirst() throws {
        let (m, host) = try make()
        m.start(resume: false)
        for _ in 0..<5 { m.advance() }
        m.answer("a, c")
        while !m.progress.isFinished { if m.openQuestion != nil { m.skip() } else { m.advance() } }
        #expect(m.restartNeedsConfirmation)
        m.restart()
        #expect(host.log.last == "asks: This lesson is finished; start over and forget your answers? [y/N]")
        #expect(m.progress.answers["q1"]?.correct == true)     // nothing forgotten yet
        #expect(!host.log.contains("reset"))
        m.restart(confirmed: true)
        #expect(host.log.contains("reset"))
        #expect(m.progress.answers.isEmpty)
        #expect(m.current == 0)
    }

    @Test func restartMidwayDoesNotAsk() throws {
        let (m, host) = try make()
        m.start(resume: false)
        m.advance()
        #expect(!m.restartNeedsConfirmation)
        m.restart()
        #expect(host.log.contains("reset"))
        #expect(!host.log.contains { $0.hasPrefix("asks:") })
    }

    @Test func proseStepsNeverCutAFenceAndKeepAColonWithWhatItIntroduces() {
        let blocks = GuidedStep.proseSteps("one\n\n```text\na\n\nb\n```\n\ntwo\nlines\n\n## Head\n\nAs follows:\n\n    x = 1\n\nEnd.")
        #expect(blocks == ["one", "```text\na\n\nb\n```", "two\nlines", "## Head\n\nAs follows:\n\n    x = 1", "End."])
    }
}
