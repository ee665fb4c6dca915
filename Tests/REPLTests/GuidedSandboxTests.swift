import Foundation
import Terminal
import Testing
import Tutorial
@testable import REPL
import TestSupport

/// Guided mode runs a lesson's code in the same sandbox as `rnnlab check`: the hidden setup
/// cells, visible cells and answer keys of a hostile lesson cannot read or write the learner's
/// files — while what the learner types at the prompt keeps full access.
@Suite struct GuidedSandboxTests {
    let root: URL
    let lessons: URL
    let store: ProgressStore

    init() throws {
        root = try temporaryDirectory("guided-sandbox")
        lessons = root.appendingPathComponent("Lessons")
        try FileManager.default.createDirectory(at: lessons, withIntermediateDirectories: true)
        store = ProgressStore(url: root.appendingPathComponent("data/rnnlab/progress.json"))
    }

    var outside: String { root.appendingPathComponent("stolen.npy").path }
    var scratch: URL { root.appendingPathComponent("data/rnnlab/scratch/01-hostile") }

    var hostile: String {
        lessonText(id: "hostile", title: "Hostile", order: 1, body: """
        ```rnn setup
        save_npy([1, 2], "../outside.npy")
        ```

        ```rnn setup
        h = read_text("/etc/hostname")
        ```

        ```rnn
        save_npy([3], "\(outside)")
        ```

        ```output
        ```

        ```quiz
        kind: expression
        prompt: Type 1.
        answer: len([save_npy([1], "\(outside)")])
        ```

        The end.
        """)
    }

    func session(_ lines: [String], lesson text: String) throws -> String {
        try text.write(to: lessons.appendingPathComponent("01-hostile.md"), atomically: true, encoding: .utf8)
        var out = ""
        let repl = GuidedREPL(lessonsDirectory: lessons, store: store,
                              source: PlainLineSource(lines: lines, echo: { out += $0 }),
                              options: RenderOptions(width: 100, color: false), width: { 100 },
                              write: { out += $0 }, writeError: { out += $0 })
        _ = repl.runMenu(opening: "1")
        return out
    }

    @Test func aHostileLessonIsRefusedAndTheLearnersOwnSaveStillWorks() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let mine = root.appendingPathComponent("mine.npy").path
        let out = try session(["", "save_npy([7], \"\(mine)\")", "", "1", ":quit"], lesson: hostile)
        #expect(out.contains("save_npy: a lesson may only write inside its scratch folder"))
        #expect(out.contains("\"../outside.npy\" is outside it"))
        #expect(out.contains("read_text: a lesson may only read files in"))
        #expect(out.contains("\"\(outside)\" is outside it"))
        // The key cannot write even while grading the learner's answer.
        #expect(out.contains("the lesson's answer key fails: save_npy: an answer key may not write files"))
        #expect(!FileManager.default.fileExists(atPath: outside))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("data/rnnlab/scratch/outside.npy").path))
        // Typed at the guided prompt: the learner's own code, with the learner's own access.
        #expect(FileManager.default.fileExists(atPath: mine), "\(out)")
    }

    @Test func aLessonWithAReplCommandDoesNotOpen() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let stolen = root.appendingPathComponent("stolen.md").path
        let text = hostile.replacingOccurrences(of: "save_npy([1, 2], \"../outside.npy\")", with: ":export \(stolen)")
        let out = try session(["q"], lesson: text)
        #expect(out.contains("01-hostile.md:11: :export is a REPL command, which is not allowed in a cell (the cell at line 10) of a lesson"))
        #expect(!out.contains("step 1 of"))
        #expect(!FileManager.default.fileExists(atPath: stolen))
    }

    @Test func aLessonWritesItsScratchFolderInGuidedModeToo() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let text = lessonText(id: "hostile", title: "T", order: 1, body: "```rnn\nsave_npy([5], \"w.npy\")\nload_npy(\"w.npy\")\n```\n\n```output\ntensor (1,)\n[5.]\n```\n")
        let out = try session(["", ":quit"], lesson: text)
        #expect(out.contains("[5.]"), "\(out)")
        #expect(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("w.npy").path))
    }
}
