import Foundation
import Testing
import TestSupport

/// `rnnlab book OUT_DIR` end to end: lessons run as `check` runs them, the book written only when
/// every one passes, refusals in words.
@Suite struct BookCommandTests {
    let root: URL
    let lessons: URL

    init() throws {
        root = try temporaryDirectory("book-command")
        lessons = root.appendingPathComponent("Lessons")
        try FileManager.default.createDirectory(at: lessons, withIntermediateDirectories: true)
        let text = lessonText(id: "planted", title: "P & <q>", order: 1, body: "```rnn\n1 + 1\n```\n\n```output\n2\n```\n")
        try text.write(to: lessons.appendingPathComponent("01-planted.md"), atomically: true, encoding: .utf8)
    }

    @Test func writesTheBookOfPassingLessons() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let binary = try requireBinary()
        let out = root.appendingPathComponent("site")
        let r = try runProcess(binary, ["book", out.path, "--lessons", lessons.path], directory: root)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("01-planted  1 cells  0 questions"))
        #expect(r.stdout.contains("wrote 4 files"), "\(r.stdout)")
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(names == ["01-planted.html", "book.css", "book.js", "index.html"])
        let page = try String(contentsOf: out.appendingPathComponent("01-planted.html"), encoding: .utf8)
        #expect(page.contains("<pre class=\"output\">2</pre>"))
        #expect(page.contains("<h1>P &amp; &lt;q&gt;</h1>"))
    }

    @Test func aLessonThatFailsItsCheckWritesNothing() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let binary = try requireBinary()
        let broken = lessonText(id: "broken", title: "B", order: 2, body: "```rnn\n1 + 1\n```\n\n```output\n3\n```\n")
        try broken.write(to: lessons.appendingPathComponent("02-broken.md"), atomically: true, encoding: .utf8)
        let out = root.appendingPathComponent("site/inner")
        let r = try runProcess(binary, ["book", out.path, "--lessons", lessons.path], directory: root)
        #expect(r.status == 1)
        #expect(r.stdout.contains("02-broken  1 cells  0 questions"))
        #expect(r.stdout.contains("the cell's output differs from the recorded one"), "\(r.stdout)")
        #expect(r.stderr == "rnnlab: the book was not written: lesson 02-broken fails its check (above); nothing was written to \(out.path)\n")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("site").path), "the folders made for it are gone")
    }

    @Test func anOutputThatIsAFileIsRefusedBeforeAnyLessonRuns() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let binary = try requireBinary()
        let file = root.appendingPathComponent("taken")
        try Data("x".utf8).write(to: file)
        let r = try runProcess(binary, ["book", file.path, "--lessons", lessons.path], directory: root)
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty, "\(r.stdout)")
        #expect(r.stderr == "rnnlab: cannot write the book into \(file.path): \(file.path) is a file, not a folder\n")
    }
}
