import Foundation
import Testing
import TestSupport

/// Which lessons `rnnlab` runs is explicit: the bundled ones, or `--lessons DIR` with a notice —
/// never a `Lessons/` folder that happens to be in the current directory.
@Suite struct LessonSourceTests {
    let root: URL

    init() throws {
        root = try temporaryDirectory("source")
        let lessons = root.appendingPathComponent("Lessons")
        try FileManager.default.createDirectory(at: lessons, withIntermediateDirectories: true)
        let text = lessonText(id: "planted", title: "P", order: 1, body: "```rnn\n1 + 1\n```\n\n```output\n2\n```\n")
        try text.write(to: lessons.appendingPathComponent("01-planted.md"), atomically: true, encoding: .utf8)
    }

    @Test func aLessonsFolderInTheCurrentDirectoryIsNotPickedUp() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let binary = try requireBinary()
        let r = try runProcess(binary, ["check", "planted"], environment: ["RNNLAB_HOME": ""], directory: root)
        #expect(r.status == 1)
        #expect(r.stderr.contains("rnnlab: no lesson planted in \(BuiltBinary.packageRoot.appendingPathComponent("Lessons").path)"), "\(r.stderr)")
        #expect(!r.stdout.contains("Lessons from"))
    }

    @Test func lessonsFromAnotherFolderAreNamedInANotice() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let binary = try requireBinary()
        let dir = root.appendingPathComponent("Lessons").path
        let r = try runProcess(binary, ["check", "--lessons", dir], directory: root)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.hasPrefix("Lessons from \(dir) (not the bundled lessons).\n"))
        #expect(r.stdout.contains("01-planted  1 cells  0 questions"))
    }

    @Test func namingTheBundledLessonsGivesNoNotice() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let binary = try requireBinary()
        let bundled = BuiltBinary.packageRoot.appendingPathComponent("Lessons").path
        let r = try runProcess(binary, ["check", "--lessons", bundled, "no-such-lesson"], directory: root)
        #expect(r.status == 1)
        #expect(!r.stdout.contains("Lessons from"))
        #expect(r.stderr.contains("no lesson no-such-lesson"))
    }

    @Test func aPathWithControlCharactersIsPrintedEscaped() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let binary = try requireBinary()
        let r = try runProcess(binary, ["run", root.appendingPathComponent("\u{1b}[31mnope.rnn").path])
        #expect(r.status == 1)
        #expect(!r.stderr.contains("\u{1b}"))
        #expect(r.stderr.contains("nope.rnn: no such file"))
    }

    @Test func theProgressNoticeAndPathArePrintedEscaped() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let binary = try requireBinary()
        let data = root.appendingPathComponent("data\u{1b}]0;pwned\u{7}")
        try FileManager.default.createDirectory(at: data.appendingPathComponent("rnnlab"), withIntermediateDirectories: true)
        try "not json".write(to: data.appendingPathComponent("rnnlab/progress.json"), atomically: true, encoding: .utf8)
        let r = try runProcess(binary, ["progress"], environment: ["XDG_DATA_HOME": data.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("progress.json"), "\(r.stderr)")     // the notice that the file was moved aside
        #expect(r.stdout.contains("(saved in "))
        #expect(!(r.stdout + r.stderr).contains("\u{1b}"))
        #expect(!(r.stdout + r.stderr).contains("\u{7}"))
    }
}
