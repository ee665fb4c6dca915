import Foundation
import Terminal
import Testing
import Tutorial
@testable import REPL
import TestSupport

/// Guided mode end to end, as a learner drives it, with lines fed from a list (what
/// `rnnlab lesson N < answers.txt` does) and progress in a temporary directory.
@Suite struct GuidedREPLTests {
    static let lesson = """
        ---
        id: tiny
        title: A tiny lesson
        order: 1
        minutes: 5
        objectives: [run a cell]
        prerequisites: []
        ---

        # Tiny

        A first paragraph about $h_t$.

        ```rnn
        W = [[0.5, 0], [0, 2]]
        x = [1, 2]
        h = tanh(W @ x)
        h
        ```

        ```output
        tensor (2,)
        [0.4621 0.9993]
        ```

        ```quiz
        kind: expression
        prompt: Compute the step with W doubled.
        answer: tanh(2 * W @ x)
        assign: h2
        hints: [Multiply W by 2 first.]
        explanation: The same step, with a larger weight.
        ```

        ```rnn
        round(h2, 2)
        ```

        ```output
        tensor (2,)
        [0.76 1.  ]
        ```

        The end.
        """

    let dir: URL
    let store: ProgressStore

    init() throws {
        dir = try temporaryDirectory("guided")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("Lessons"), withIntermediateDirectories: true)
        try GuidedREPLTests.lesson.write(to: dir.appendingPathComponent("Lessons/01-tiny.md"), atomically: true, encoding: .utf8)
        store = ProgressStore(url: dir.appendingPathComponent("data/rnnlab/progress.json"))
    }

    /// Runs the menu (opening `lesson`) on `lines`; returns what was written (stdout + stderr).
    func session(_ lines: [String], opening lesson: String? = "1", width: Int = 80) -> String {
        var out = ""
        let repl = GuidedREPL(lessonsDirectory: dir.appendingPathComponent("Lessons"), store: store,
                              source: PlainLineSource(lines: lines, echo: { out += $0 }),
                              options: RenderOptions(width: width, color: false), width: { width },
                              write: { out += $0 }, writeError: { out += $0 })
        _ = repl.runMenu(opening: lesson)
        return out
    }

    @Test func aWholeLessonWithAWrongAnswerAHintAndARightOne() throws {
        let out = session(["", "", "tanh(W @ x)", ":hint", "tanh((W + W) @ x)", "", "", "", ""])
        #expect(out.contains("step 1 of 5"))
        #expect(out.contains("A first paragraph about hₜ."))        // prose rendered, maths in Unicode
        #expect(out.contains("│ h = tanh(W @ x)"))                   // the cell shown…
        #expect(out.contains("[0.4621 0.9993]"))                    // …and run
        #expect(out.contains("✗ Not quite: your value: both elements differ, the first at [0]."))
        #expect(!out.contains("0.761594"))                          // the key's numbers are not given away
        #expect(out.contains("Hint 1 of 1: Multiply W by 2 first."))
        #expect(out.contains("✓ Right. Not the expression the lesson had in mind"))
        #expect(out.contains("[0.76 1.  ]"))                        // the assigned h2 used by the next cell
        #expect(out.contains("✓ You finished “A tiny lesson”."))
        #expect(out.contains("Questions answered yourself: 1 of 1."))
        let saved = store.load().progress.lessons["tiny"]
        #expect(saved?.isFinished == true)
        #expect(saved?.answers["q1"]?.attempts == 2)
        #expect(out.contains("rnnlab — learn recurrent neural networks"))   // back at the menu
    }

    @Test func quittingMidwayAndResumingRebuildsTheSession() throws {
        let first = session(["", "", ":skip", ":quit"])
        #expect(first.contains("The answer:\n  tanh(2 * W @ x)"))
        #expect(first.contains("Created `h2` in your session"))
        #expect(store.load().progress.lessons["tiny"]?.step == 3)
        let second = session(["", "h2", ""])
        #expect(second.contains("You were at step 3 of 5"))
        #expect(second.contains("Resuming: running the 1 earlier cell again"))
        #expect(second.contains("step 3 of 5"))
        #expect(second.contains("rnnlab> h2\ntensor (2,)\n[0.7616 1.    ]"))   // the skipped answer's value is back
        #expect(second.contains("[0.76 1.  ]"))
    }

    @Test func startingOverForgetsAnswers() throws {
        _ = session(["", "", ":skip", ":quit"])
        let again = session(["r", ":quit"])
        #expect(again.contains("step 1 of 5"))
        #expect(store.load().progress.lessons["tiny"]?.answers.isEmpty == true)
    }

    @Test func commandsAndCodeBetweenSteps() throws {
        let out = session(["", "W.shape", ":back", ":next", ":run", ":vars", ":progress", ":reset", ":help", ":nosuch", ":menu", "q"])
        #expect(out.contains("rnnlab> W.shape\n[2, 2]"))
        #expect(out.contains("(this cell ran already — :run runs it again)"))
        #expect(out.components(separatedBy: "[0.4621 0.9993]").count == 3)   // ran, then :run
        #expect(out.contains("h  "))                                          // :vars lists the lesson's variables
        #expect(out.contains("step 2 of 5"))
        #expect(out.contains(":restart starts the lesson again"))
        #expect(out.contains("Guided lesson commands:"))
        #expect(out.contains("unknown command"))
    }

    /// `:help` in a lesson breaks each description at spaces under its column on a narrow screen.
    @Test(arguments: [44, 60]) func guidedHelpFitsTheScreen(width: Int) throws {
        let out = session(["", ":help", ":quit"], width: width)
        let help = out.components(separatedBy: "Guided lesson commands:\n")[1].components(separatedBy: "work too.")[0]
        let lines = help.split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { $0.count <= width }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix(String(repeating: " ", count: 17)) }, "continuations sit under the descriptions: \(lines)")
        #expect(help.split(whereSeparator: { $0 == " " || $0 == "\n" }).contains("(Jupyter)"), "no word cut: \(lines)")
    }

    @Test func restartingAFinishedLessonAsksAndKeepsAnswersOnNo() throws {
        _ = session(["", "", "tanh(2 * W @ x)", "", "", "", ""])
        #expect(store.load().progress.lessons["tiny"]?.isFinished == true)
        let no = session([":restart", "n", ":quit"])
        #expect(no.contains("This lesson is finished; start over and forget your answers? [y/N] n"))
        #expect(no.contains("Nothing was forgotten."))
        #expect(store.load().progress.lessons["tiny"]?.answers["q1"]?.correct == true)
        let yes = session([":restart", "y", ":quit"])
        #expect(yes.contains("[y/N] y"))
        #expect(store.load().progress.lessons["tiny"]?.answers.isEmpty == true)
    }

    @Test func failingAndLookingLinesAtTheAnswerPromptAreNotTries() throws {
        let out = session(["", "", "h", "tanh(2 * W @ nope)", "(W @ x))", "tanh(W @ x)", ":quit"])
        #expect(out.contains("answer> h\ntensor (2,)\n[0.4621 0.9993]"))   // shown as at the prompt
        #expect(out.contains("(not counted as a try)"))
        #expect(out.contains("  (W @ x))\n         ^"))                         // the caret under the learner's text
        #expect(!out.contains("1:16"))
        #expect(store.load().progress.lessons["tiny"]?.answers["q1"]?.attempts == 1)
    }

    @Test func theMenuOpensByNumberOrIdAndRejectsOthers() throws {
        let out = session(["7", "tiny", ":menu", "p", "1 + 2", ":menu", "q"], opening: nil)
        #expect(out.contains("   1  A tiny lesson"))
        #expect(out.contains("No lesson “7”"))
        #expect(out.contains("step 1 of 5"))
        #expect(out.contains("3"))
        // Leaving says where progress is kept.
        #expect(out.contains("menu> q\nYour progress is saved in"))
        #expect(out.hasSuffix("progress.json.\n"))
    }

    @Test func aCorruptProgressFileIsMovedAsideAndTheLessonStillRuns() throws {
        try FileManager.default.createDirectory(at: store.url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("{garbage".utf8).write(to: store.url)
        let out = session(["", ":quit"])
        #expect(out.contains("could not be used"))
        #expect(out.contains("step 2 of 5"))
        #expect(store.load().notice == nil)
    }

    /// A long choice in a revealed answer wraps inside the screen with a hanging indent, never
    /// cutting a word (the terminal would otherwise break it anywhere).
    @Test func revealedChoicesWrapWithAHangingIndent() {
        let screen = GuidedScreen(options: RenderOptions(width: 40, color: false), write: { _ in })
        let text = screen.revealed(answer: "a) its forget gates start near one half, so the cell path halves the gradient",
                                   explanation: "", created: [])
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[1] == "  a) its forget gates start near one")
        #expect(lines[2].hasPrefix("     half,"))
        #expect(lines.allSatisfy { $0.count <= 40 })
    }

    /// A verdict or a not-a-try note longer than the screen breaks at spaces with a hanging
    /// indent, in colour too (escapes do not count as columns), never inside a word.
    @Test(arguments: [false, true])
    func verdictsWrapAtWordBoundaries(color: Bool) {
        let screen = GuidedScreen(options: RenderOptions(width: 40, color: color), write: { _ in })
        let reason = "answer with one of the letters a–d (several separated by commas, e.g. a, c)"
        for text in [screen.notAnAttempt(reason, shown: nil), screen.verdict(.incorrect(reason: reason), attempt: 1)] {
            let lines = text.split(separator: "\n").map { ANSI.strip(String($0)) }
            #expect(lines.allSatisfy { $0.count <= 40 }, "\(lines)")
            #expect(lines.count >= 3, "\(lines)")
            // Every word of the message stands whole on some line (the last one carries a period).
            let shown = Set(lines.flatMap { $0.split(separator: " ").map(String.init) })
            #expect(reason.split(separator: " ").dropLast().allSatisfy { shown.contains(String($0)) }, "a word was cut: \(lines)")
            #expect(lines[1].hasPrefix("  "), "hanging indent: \(lines)")
        }
        // A right answer's note (the key the lesson had in mind) wraps the same way.
        let note = "Not the expression the lesson had in mind (softmax(logits / temperature)), but the same value."
        let lines = screen.verdict(.correct(note: note), attempt: 1).split(separator: "\n").map { ANSI.strip(String($0)) }
        #expect(lines.allSatisfy { $0.count <= 40 } && lines.count >= 3, "\(lines)")
        #expect(lines[0].hasPrefix("✓ Right. Not the") && lines.dropFirst().allSatisfy { $0.hasPrefix("  ") }, "\(lines)")
        #expect(lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ") == "✓ Right. " + note)
    }
}

/// The guidance under a question and a hint after its label wrap at spaces inside the screen.
@Suite struct GuidanceWrapTests {
    @Test(arguments: [false, true])
    func questionGuidanceAndHintsFitTheWidth(color: Bool) {
        let screen = GuidedScreen(options: RenderOptions(width: 40, color: color), write: { _ in })
        let numeric = Question(prompt: "What is it?", kind: .numeric(answer: 1, tolerance: 0, check: nil))
        let hint = screen.hint("0.5·1 + (−1)·0.5 + 0.25·0 is the input's part; then add the bias.", number: 1, total: 1)
        for text in [screen.question(numeric, index: 0, of: 5), hint] {
            let lines = text.split(separator: "\n").map { ANSI.strip(String($0)) }
            #expect(lines.allSatisfy { $0.count <= 40 }, "\(lines)")
            #expect(!lines.contains { $0.hasPrefix(" ") }, "a line starts with the space it broke at: \(lines)")
        }
        #expect(ANSI.strip(hint).hasPrefix("Hint 1 of 1: 0.5·1"))
    }

    /// The finish screen (title, score, what Enter does) breaks at spaces on a narrow screen.
    @Test(arguments: [false, true])
    func theFinishScreenFitsTheWidth(color: Bool) {
        let screen = GuidedScreen(options: RenderOptions(width: 40, color: color), write: { _ in })
        let text = screen.finished(title: "Looking back, and where RNNs stand", score: 11, questions: 12,
                                   exercisesPassed: 1, exercises: 2, seconds: 1500)
        let lines = text.split(separator: "\n").map { ANSI.strip(String($0)) }
        #expect(lines.allSatisfy { $0.count <= 40 }, "\(lines)")
        let words = Set(lines.flatMap { $0.split(separator: " ").map(String.init) })
        #expect(["variable", "reviews", "“Looking", "stand”."].allSatisfy(words.contains), "a word was cut: \(lines)")
    }

    /// A code line wider than the screen folds at a space inside the gutter.
    @Test(arguments: [false, true])
    func cellListingsKeepTheirGutter(color: Bool) throws {
        let screen = GuidedScreen(options: RenderOptions(width: 40, color: color), write: { _ in })
        let lesson = try LessonParser.parse("---\nid: t\ntitle: T\norder: 1\nminutes: 1\n---\n\n```rnn\nWi = [[2, 0], [0, 0]]   # input gate: unit 0 opens on a 1\nh\n```\n", file: "t.md")
        let cell = try #require(lesson.cells.first)
        let lines = screen.cellListing(cell).split(separator: "\n").map { ANSI.strip(String($0)) }
        #expect(lines == ["│ Wi = [[2, 0], [0, 0]]   # input", "│ ↪ gate: unit 0 opens on a 1", "│ h"])
    }
}

/// Times from an edited progress file print without trapping.
@Suite struct ProgressTimeTests {
    @Test(arguments: [Double.nan, .infinity, 1e300, -1e19, 30, 600])
    func summaryAndFinishScreenSurviveAnySeconds(_ seconds: Double) {
        let text = ProgressSummary.minutes(seconds)
        #expect(!text.hasPrefix("-"), "\(text)")
        let screen = GuidedScreen(options: RenderOptions(width: 40, color: false), write: { _ in })
        #expect(screen.finished(title: "T", score: 0, questions: 0, seconds: seconds).contains("You finished"))
    }
}

/// The screen and `rnnlab check` cut every real lesson into the same steps: guided mode's
/// "step 1 of M" is the count of `GuidedStep.steps`, which check walks (`LessonChecker` drives the
/// same machine over the same steps).
@Suite struct LessonStepsOnScreenTests {
    @Test func everyLessonShowsAsManyStepsAsCheckWalks() throws {
        let lessons = BuiltBinary.packageRoot.appendingPathComponent("Lessons")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-steps-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = try LessonLibrary.files(in: lessons)
        #expect(files.count >= 13)
        for file in files {
            let lesson = try LessonParser.parse(String(contentsOf: file, encoding: .utf8), file: file.lastPathComponent)
            let steps = GuidedStep.steps(of: lesson).count
            var out = ""
            let repl = GuidedREPL(lessonsDirectory: lessons, store: ProgressStore(url: dir.appendingPathComponent("progress.json")),
                                  source: PlainLineSource(lines: [":quit"], echo: { out += $0 }),
                                  options: RenderOptions(width: 80, color: false), width: { 80 },
                                  write: { out += $0 }, writeError: { out += $0 })
            _ = repl.runMenu(opening: lesson.meta.id)
            #expect(out.contains(" step 1 of \(steps) "), "\(file.lastPathComponent): the screen's count differs from \(steps)")
        }
    }
}
