import Testing
@testable import Tutorial

@Suite struct LessonParserTests {
    @Test func frontMatterAndEveryBlockKind() throws {
        let lesson = try LessonParser.parse(Fixtures.passing, file: "tiny.md")
        #expect(lesson.meta == LessonMeta(id: "tiny", title: "A tiny lesson", order: 1, minutes: 8,
                                          objectives: ["run a cell", "answer a question"], prerequisites: []))
        let cells = lesson.cells
        #expect(cells.map(\.kind) == [.setup, .code, .error, .code])
        #expect(cells[0].expectedOutput == nil)
        #expect(cells[1].source.hasPrefix("x = [1, 2]"))
        #expect(cells[1].expectedOutput?.hasSuffix("two steps\n7") == true)
        #expect(cells[2].expectedOutput == "matmul: shapes (2,) and (3,) do not match")
        #expect(cells[1].line == 19)
        let qs = lesson.questions
        #expect(qs.count == 4)
        #expect(qs[0].kind == .choice(choices: ["LSTM", "a linear layer", "GRU"], correct: [0, 2]))
        #expect(qs[0].hints == ["Which ones carry a state?"])
        #expect(qs[0].explanation == "LSTM and GRU carry a hidden state.")
        #expect(qs[1].kind == .numeric(answer: 0.462, tolerance: 0.001, check: "h[0]"))
        #expect(qs[2].kind == .expression(key: "tanh(2 * W @ x)", atol: 1e-6, rtol: 1e-6, assign: "h2"))
        #expect(qs[3].kind == .reflection(answer: "So the state stays bounded however long the sequence."))
        #expect(qs[0].wrong == ["a", "a, b, c"])
        #expect(qs[2].wrong == ["tanh(W @ x)", "2 * tanh(W @ x)"])
        #expect(qs[3].wrong.isEmpty && !qs[3].isGraded)
        #expect(lesson.gradedQuestionCount == 3)
        #expect(lesson.gradedIndex(ofQuestion: 2) == 2 && lesson.gradedIndex(ofQuestion: 3) == nil)
        // Prose keeps foreign fences; the first prose starts at the heading.
        guard case let .prose(first) = lesson.steps[0] else { Issue.record("expected prose first"); return }
        #expect(first.text.hasPrefix("# Tiny"))
        #expect(first.line == 11)
        let proseTexts = lesson.steps.compactMap { if case let .prose(p) = $0 { p.text } else { nil } }
        #expect(proseTexts.contains { $0.contains("```python") })
        #expect(proseTexts.last == "That's all.")
    }

    func error(_ text: String) -> LessonFormatError? {
        do { _ = try LessonParser.parse(text, file: "bad.md"); return nil } catch { return error }
    }

    @Test func missingFrontMatter() {
        let e = error("# Hello\n")
        #expect(e?.line == 1)
        #expect(e?.description.hasPrefix("bad.md:1: expected front matter") == true)
    }

    @Test func frontMatterErrorsNameTheLine() {
        let missingTitle = "---\nid: a\norder: 1\nminutes: 3\n---\n"
        #expect(error(missingTitle)?.message.contains("missing 'title'") == true)
        let badOrder = "---\nid: a\ntitle: T\norder: first\nminutes: 3\n---\n"
        let e = error(badOrder)
        #expect(e?.line == 4)
        #expect(e?.message.contains("'order' should be a whole number") == true)
        let unknown = "---\nid: a\ntitle: T\norder: 1\nminutes: 3\nauthor: me\n---\n"
        #expect(error(unknown)?.line == 6)
        #expect(error(unknown)?.message.contains("unknown key 'author'") == true)
        let notYAML = "---\nid: a\ntitle: [unclosed\norder: 1\n---\n"
        #expect(error(notYAML)?.message.contains("not valid YAML") == true)
        #expect((error(notYAML)?.line ?? 0) >= 3)
        let unclosed = "---\nid: a\n"
        #expect(error(unclosed)?.message.contains("never closed") == true)
    }

    @Test func blockErrorsNameTheLine() {
        let head = "---\nid: a\ntitle: T\norder: 1\nminutes: 3\n---\n"
        #expect(error(head + "text\n```rnn\nx = 1\n")?.line == 8)
        #expect(error(head + "```rnn later\nx\n```\n")?.message.contains("unknown cell kind 'later'") == true)
        #expect(error(head + "\n```output\n1\n```\n")?.line == 8)
        #expect(error(head + "```rnn setup\nx = 1\n```\n```output\n1\n```\n")?.line == 10)
        let badQuiz = head + "```quiz\nkind: choice\nprompt: P\nchoices: [x, y]\nanswer: d\n```\n"
        let e = error(badQuiz)
        #expect(e?.line == 11)
        #expect(e?.message.contains("answer 'd' is not one of the choices' letters a…b") == true)
        #expect(error(head + "```quiz\nkind: essay\nprompt: P\n```\n")?.message.contains("unknown kind 'essay'") == true)
        #expect(error(head + "```quiz\nkind: text\nprompt: P\nanswer: x\n```\n")?.message.contains("kind: reflection") == true)
        #expect(error(head + "```quiz\nkind: reflection\nprompt: P\nanswer: x\npatterns: [x]\n```\n")?.message.contains("patterns") == true)
        #expect(error(head + "```quiz\nkind: numeric\nprompt: P\nanswer: x\n```\n")?.line == 10)
    }

    /// `.nan` is no negative number: the message says what a tolerance must be.
    @Test func tolerancesMustBeFiniteAndNotNegative() {
        let head = "---\nid: a\ntitle: T\norder: 1\nminutes: 3\n---\n"
        for (key, kind, answer) in [("tolerance", "numeric", "1"), ("atol", "expression", "x"), ("rtol", "expression", "x")] {
            for bad in [".nan", ".inf", "-1"] {
                let e = error(head + "```quiz\nkind: \(kind)\nprompt: P\nanswer: \(answer)\n\(key): \(bad)\n```\n")
                #expect(e?.message.contains("'\(key)' must be a finite number ≥ 0") == true, "\(key): \(bad) → \(e?.message ?? "accepted")")
                #expect(e?.line == 11)
            }
        }
    }
}
