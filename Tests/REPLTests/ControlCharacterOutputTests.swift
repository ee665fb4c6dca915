import Foundation
@testable import REPL
import Script
import Terminal
import Testing
import Tutorial
import TestSupport

/// What reaches the terminal from a script, a file or an error never carries a control character
/// that would act on it: `print`, error messages quoting data, the lexer's complaint and its caret.
@Suite("Control characters on the way out")
struct ControlCharacterOutputTests {
    final class Harness {
        var out = "", err = ""
        lazy var session = Session(options: RenderOptions(width: 80, color: true), numbered: true,
                                   write: { [unowned self] in self.out += $0 },
                                   writeError: { [unowned self] in self.err += $0 })
        func take() -> (out: String, err: String) { defer { out = ""; err = "" }; return (out, err) }
    }

    /// Every ESC left is the session's own colour (`ESC[…m`).
    func onlyColour(_ text: String) -> Bool {
        !ANSI.strip(text).unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" }
    }

    @Test func printShowsAnEscapeInsteadOfSendingIt() {
        let h = Harness()
        h.session.submit("s = \"\\u{1b}[2Jgone\\u{9b}\\r\"")
        h.session.submit("print(s)")
        h.session.submit("print(\"a\", s)")
        let out = h.take().out
        #expect(out.contains("\\u{1b}[2Jgone\\u{9b}\\u{d}\n"))
        #expect(!out.contains("\u{1b}[2J"))
        #expect(!out.contains("\r"))
    }

    @Test func aFigureTitleAndARecordNameAreEscaped() {
        let h = Harness()
        h.session.submit("plot([1, 2, 3], title: \"\\u{1b}[2J\")")
        let out = h.take().out
        #expect(out.contains("\\u{1b}[2J"))
        #expect(onlyColour(out))
    }

    @Test func aLexerErrorOnAControlCharacterNamesItVisibly() {
        let h = Harness()
        #expect(h.session.submit("x = 1 \u{1b}[2J") == .failure)
        let err = h.take().err
        #expect(err.contains("unexpected character '\\u{1b}'"))
        #expect(onlyColour(err))
        // The caret still points at the character, now shown as its escape.
        let lines = ANSI.strip(err).split(separator: "\n").map(String.init)
        #expect(lines.contains("x = 1 \\u{1b}[2J"))
        #expect(lines.contains("      ^ expected an expression or a statement"))
    }

    @Test func anErrorQuotingACSVCellShowsItsEscape() throws {
        let dir = try temporaryDirectory("ctl")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bad.csv")
        try "x\n1\n\u{1b}[2J\u{1b}]0;pwned\u{7}\n".write(to: file, atomically: true, encoding: .utf8)
        let h = Harness()
        #expect(h.session.submit("read_csv(\"\(file.path)\", column: \"x\")") == .failure)
        let err = h.take().err
        #expect(err.contains("\\u{1b}[2J\\u{1b}]0;pwned\\u{7}"))
        #expect(onlyColour(err))
    }

    @Test func recordNamesFromACSVHeaderAreEscaped() throws {
        let dir = try temporaryDirectory("ctl")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("head.csv")
        try "a,\u{1b}[2Jb\n1,2\n".write(to: file, atomically: true, encoding: .utf8)
        let h = Harness()
        h.session.submit("t = read_csv(\"\(file.path)\")")
        h.session.submit("t")
        h.session.submit(":vars")
        let out = h.take().out
        #expect(out.contains("\\u{1b}[2Jb"))
        #expect(onlyColour(out))
    }

    @Test func lessonTitlesInTheProgressTableAreEscaped() {
        let meta = LessonMeta(id: "x", title: "Bad \u{1b}[2J title", order: 1, minutes: 5, objectives: [], prerequisites: [])
        let text = ProgressSummary.text(lessons: [meta], progress: ProgressFile(), options: RenderOptions(width: 80, color: false))
        #expect(text.contains("Bad \\u{1b}[2J title"))
        #expect(!text.contains("\u{1b}"))
    }
}
