import Foundation
import Script
import Testing
@testable import Tutorial

/// `cell_seconds`: check stops a cell or an answer key that runs too long, and fails the lesson.
@Suite struct TimeLimitTests {
    static func lesson(limit: String?, body: String) -> String {
        """
        ---
        id: loops
        title: Loops forever
        order: 1
        minutes: 1
        \(limit.map { "cell_seconds: \($0)\n" } ?? "")objectives: []
        prerequisites: []
        ---

        # Loops

        \(body)
        """
    }

    static let loopingCell = """
        ```rnn
        a = 1
        while true {}
        ```

        ```rnn
        a + 1
        ```

        ```output
        2
        ```
        """

    @Test func theLimitIsReadFromTheFrontMatterWithADefault() throws {
        #expect(try LessonParser.parse(Self.lesson(limit: "5", body: "Text."), file: "t.md").meta.cellSeconds == 5)
        #expect(try LessonParser.parse(Self.lesson(limit: nil, body: "Text."), file: "t.md").meta.cellSeconds == 60)
        #expect(throws: LessonFormatError.self) { try LessonParser.parse(Self.lesson(limit: "0", body: "Text."), file: "t.md") }
        #expect(throws: LessonFormatError.self) { try LessonParser.parse(Self.lesson(limit: "soon", body: "Text."), file: "t.md") }
    }

    @Test func aCellThatNeverEndsFailsTheLessonAtItsLine() throws {
        let lesson = try LessonParser.parse(Self.lesson(limit: "1", body: Self.loopingCell), file: "t.md")
        let started = Date()
        let report = LessonChecker.check(lesson)
        // A generous bound: only a hang fails it.
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(!report.passed)
        let cell = try #require(lesson.cells.first)
        #expect(report.mismatches == [Mismatch(kind: .cell, line: cell.line, message: "the cell ran longer than 1 s (the lesson's limit)")])
    }

    /// One long engine call (a product that takes far longer than the limit) is stopped at the
    /// limit too, not only a loop of many statements.
    @Test func aSingleLongEngineCallIsStoppedAtTheLimit() throws {
        let body = """
            ```rnn
            a = ones(6000, 6000)
            b = a @ a
            ```
            """
        let lesson = try LessonParser.parse(Self.lesson(limit: "1", body: body), file: "t.md")
        let started = Date()
        let report = LessonChecker.check(lesson)
        // One 6000³ product is about 430 GFLOP, a minute or more on this kind of machine; stopped
        // at the limit, the lesson fails well before.
        #expect(Date().timeIntervalSince(started) < 20)
        let cell = try #require(lesson.cells.first)
        #expect(report.mismatches == [Mismatch(kind: .cell, line: cell.line, message: "the cell ran longer than 1 s (the lesson's limit)")])
    }

    @Test func anAnswerKeyThatNeverEndsFailsTheLessonAtItsQuestion() throws {
        let body = """
            ```rnn setup
            def spin() { while true {} ; return 1 }
            ```

            ```quiz
            kind: expression
            prompt: What does spin give?
            answer: spin()
            ```
            """
        let lesson = try LessonParser.parse(Self.lesson(limit: "1", body: body), file: "t.md")
        let started = Date()
        let report = LessonChecker.check(lesson)
        #expect(Date().timeIntervalSince(started) < 30)
        let question = try #require(lesson.questions.first)
        #expect(report.mismatches == [Mismatch(kind: .answerKey, line: question.line, message: "the answer key ran longer than 1 s (the lesson's limit)")])
    }

    @Test func cellsWithinTheLimitAreNotStopped() throws {
        let body = """
            ```rnn
            i = 0
            while i < 1000 { i = i + 1 }
            i
            ```

            ```output
            1000
            ```
            """
        let report = LessonChecker.check(try LessonParser.parse(Self.lesson(limit: "30", body: body), file: "t.md"))
        #expect(report.mismatches == [])
    }
}
