import Testing
@testable import Tutorial

/// A step that ends mid-sentence, and minutes that are not what the lesson takes, fail check.
@Suite struct LessonShapeTests {
    @Test func aParagraphMustEndASentence() {
        #expect(LessonShape.endsMidSentence("PyTorch stores a batch as rows, and write"))
        #expect(LessonShape.endsMidSentence("# Heading\n\nWith x the input, one step is"))
        #expect(LessonShape.endsMidSentence("Run it with `rnnlab check`"))
        #expect(!LessonShape.endsMidSentence("PyTorch stores a batch as rows, and write:"))
        #expect(!LessonShape.endsMidSentence("It vanishes (as the plot shows.)"))
        #expect(!LessonShape.endsMidSentence("**This is the point.**"))
        #expect(!LessonShape.endsMidSentence("Is that all?\n"))
        #expect(!LessonShape.endsMidSentence("See:\n\n- one\n- two"))            // a list may end a step
        #expect(!LessonShape.endsMidSentence("The step:\n\n    h = tanh(a)"))  // so may code
        #expect(!LessonShape.endsMidSentence("## A heading"))
        #expect(!LessonShape.endsMidSentence(""))
    }

    /// 360 words of prose (2 min), two shown cells and a setup cell (1 min), two questions
    /// (3 min) and a minute of running: 7 minutes.
    @Test func theEstimateFollowsTheStatedFormula() throws {
        let words = Array(repeating: "word", count: 360).joined(separator: " ")
        let lesson = try LessonParser.parse("""
            ---
            id: t
            title: T
            order: 1
            minutes: 7
            ---

            \(words)

            ```rnn setup
            x = 1
            ```

            ```rnn
            x
            ```

            ```rnn
            x + 1
            ```

            ```quiz
            kind: numeric
            prompt: x?
            answer: 1
            wrong: [2]
            ```

            ```quiz
            kind: reflection
            prompt: Why?
            answer: Because.
            ```
            """, file: "t.md")
        let estimate = LessonShape.estimatedMinutes(lesson, runSeconds: 60)
        #expect(abs(estimate - 7) < 1e-9)
        #expect(LessonShape.timeProblems(lesson, estimate: estimate).isEmpty)
        var declaredLow = lesson
        declaredLow.meta.minutes = 4
        #expect(LessonShape.timeProblems(declaredLow, estimate: estimate) == [
            "the front matter says 4 min but the lesson takes about 7.0 min (words/180 + 0.5 a cell + 1.5 a question + 4 an exercise + run time); declare 7",
        ])
        var long = lesson
        long.meta.minutes = 26
        #expect(LessonShape.timeProblems(long, estimate: 26).first?.hasSuffix("more than 25: make it two lessons") == true)
    }

    @Test func checkReportsAStepThatStopsMidSentence() throws {
        let broken = Fixtures.passing.replacingOccurrences(of: "That's all.", with: "And then")
        let report = LessonChecker.check(try LessonParser.parse(broken, file: "tiny.md"))
        #expect(report.mismatches.map(\.kind) == [.shape])
        #expect(report.mismatches.first?.message.hasPrefix("a step ends mid-sentence (\"And then\")") == true)
    }
}
