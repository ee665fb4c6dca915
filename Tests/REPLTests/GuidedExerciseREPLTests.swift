import Foundation
import Terminal
import Testing
import Tutorial
@testable import REPL
import TestSupport

/// An exercise in guided mode end to end: typed defs, the file kept in the data folder, `:check`,
/// `:case`, `:skip`, and the editor found for `:edit`.
@Suite struct GuidedExerciseREPLTests {
    static let lesson = """
        ---
        id: ex
        title: Exercise lesson
        order: 1
        minutes: 4
        objectives: [write a step]
        prerequisites: []
        ---

        # Exercise lesson

        ```exercise
        function: double
        prompt: Return twice x, for x of shape (B, H).
        returns: [y]
        template: |
          def double(x) {
              return x
          }
        cases: |
          fn(k) { return record(sizes: record(batch: 1 + k % 3, hidden: 1 + k % 2), args: [randn(1 + k % 3, 1 + k % 2, seed: k)]) }
        reference: |
          fn(x) { return x * 2 }
        solution: |
          def double(x) {
              return x + x
          }
        why: Adding x to itself doubles every element.
        gradients: true
        hints: [Multiply by 2.]
        wrong:
          - mistake: squared
            code: |
              def double(x) { return x * x }
          - mistake: halved
            code: |
              def double(x) { return x / 2 }
        ```

        The end.
        """

    let dir: URL
    let store: ProgressStore

    init() throws {
        dir = try temporaryDirectory("guided-exercise")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("Lessons"), withIntermediateDirectories: true)
        try GuidedExerciseREPLTests.lesson.write(to: dir.appendingPathComponent("Lessons/01-ex.md"), atomically: true, encoding: .utf8)
        store = ProgressStore(url: dir.appendingPathComponent("data/rnnlab/progress.json"))
    }

    var file: URL { dir.appendingPathComponent("data/rnnlab/exercises/01-ex/double.rnn") }

    func session(_ lines: [String], width: Int = 80) -> String {
        var out = ""
        let repl = GuidedREPL(lessonsDirectory: dir.appendingPathComponent("Lessons"), store: store,
                              source: PlainLineSource(lines: lines, echo: { out += $0 }),
                              options: RenderOptions(width: width, color: false), width: { width },
                              write: { out += $0 }, writeError: { out += $0 })
        _ = repl.runMenu(opening: "1")
        return out
    }

    @Test func aTypedDefIsCheckedSavedAndCanBeFixed() throws {
        let out = session(["", "def double(x) {", "  return x * x", "}", ":case", "expected - x * x", "def double(x) { return 2 * x }", "", "", ":quit"])
        #expect(out.contains("Exercise 1 of 1: write double"))
        let flat = out.replacingOccurrences(of: "\n", with: " ")
        #expect(flat.contains("checked on 20 random cases, values and gradients"))
        #expect(out.contains("✗ with batch 1, hidden 1 (case 1 of 20): your y differs at [0, 0]: "))
        #expect(out.contains("(This replaced") == false)
        #expect(out.contains("Hint 1 of 1: Multiply by 2."))
        #expect(flat.contains("Loaded the case with batch 1, hidden 1 (case 1 of 20): `x`, `expected` are now variables."))
        #expect(out.contains("✓ Passed: all 20 cases match, values and gradients."))
        #expect(out.contains("A worked solution, to compare with yours:\n│ def double(x) {\n│     return x + x\n│ }"))
        #expect(out.contains("Exercises passed yourself: 1 of 1."))
        // The last def typed is kept in the exercise's file, and the progress records the tries.
        #expect(try String(contentsOf: file, encoding: .utf8) == "def double(x) { return 2 * x }\n")
        let record = store.load().progress.lessons["ex"]?.answers["e1"]
        #expect(record?.attempts == 2)
        #expect(record?.correct == true)
    }

    /// A def typed at the prompt replaces the file, and what the file held is kept beside it.
    @Test func aTypedDefKeepsTheFilesEarlierContent() throws {
        _ = session(["", ":quit"])
        try "def double(x) {\n    # worked on in an editor\n    return x + x\n}\n".write(to: file, atomically: true, encoding: .utf8)
        _ = session(["", "def double(x) { return 2 * x }", ":quit"])
        #expect(try String(contentsOf: file, encoding: .utf8) == "def double(x) { return 2 * x }\n")
        let previous = file.deletingLastPathComponent().appendingPathComponent("double.previous.rnn")
        #expect(try String(contentsOf: previous, encoding: .utf8).contains("# worked on in an editor"))
    }

    @Test func checkReadsTheFileAsSaved() throws {
        _ = session(["", ":quit"])     // the file is made from the template when the exercise opens
        let template = try String(contentsOf: file, encoding: .utf8)
        #expect(template.hasPrefix("# Exercise: write double. It returns y.\n# Return twice x, for x of shape (B, H).\n"))
        #expect(template.hasSuffix("def double(x) {\n    return x\n}\n"))
        let unchanged = session(["", ":check", ":quit"])
        #expect(unchanged.replacingOccurrences(of: "\n", with: " ").contains("is still the template: write your function there and save it, then :check."))
        try "def double(x) {\n    y = x[5]\n    return y\n}\n".write(to: file, atomically: true, encoding: .utf8)
        let failing = session(["", ":check", ":quit"])
        // An error in the file is shown at its line and column in that file.
        #expect(failing.contains("your double failed: index 5 is out of"))
        #expect(failing.contains("double.rnn:2:"))
        #expect(failing.contains("      y = x[5]\n"))
        try "def double(x) { return x + x }\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(session(["", ":check", ":quit"]).contains("✓ Passed"))
    }

    @Test func skipNeedsATryThenShowsAndDefinesTheSolution() throws {
        let out = session(["", ":skip", "def double(x) { return x }", ":skip", "double(3)", "", "", ":quit"])
        #expect(out.contains("Try it once first"))
        #expect(out.contains("The solution:\n│ def double(x) {"))
        #expect(out.contains("It is now defined at the prompt, so later cells work."))
        #expect(out.contains("rnnlab> double(3)\n6"))
        #expect(out.contains("Exercises passed yourself: 0 of 1."))
        #expect(store.load().progress.lessons["ex"]?.answers["e1"]?.revealed == true)
    }

    @Test func editWithoutATerminalSaysWhatToDoInstead() throws {
        let out = session(["", ":edit", ":quit"])
        #expect(out.contains(":edit needs a terminal. Edit"))
        #expect(out.contains("then type :check"))
    }

    @Test func narrowScreensWrapTheExercise() throws {
        let out = session(["", ":quit"], width: 40)
        // A path cannot be broken; every other line fits.
        for line in out.split(separator: "\n") where !line.hasPrefix("│") && !line.contains("rnnlab —") && !line.contains("/tmp/") {
            #expect(line.count <= 40, "too wide: \(line)")
        }
    }
}

/// The editor `:edit` runs: `$VISUAL`, then `$EDITOR` (with arguments), then one on the PATH.
@Suite struct ExternalEditorTests {
    @Test func visualThenEditorThenThePath() throws {
        #expect(ExternalEditor.find(environment: ["VISUAL": "code --wait", "EDITOR": "nano"])?.command == "code --wait")
        #expect(ExternalEditor.find(environment: ["EDITOR": "nano -w"])?.command == "nano -w")
        let bin = try temporaryDirectory("editors")
        #expect(ExternalEditor.find(environment: ["PATH": bin.path]) == nil)
        let vi = bin.appendingPathComponent("vi")
        try "#!/bin/sh\n".write(to: vi, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: vi.path)
        #expect(ExternalEditor.find(environment: ["PATH": bin.path])?.command == "vi")
    }

    /// The editor gets the file as an argument, never spliced into the command: a path with
    /// spaces and quotes reaches it whole.
    @Test func theEditorEditsTheFileItIsGiven() throws {
        let dir = try temporaryDirectory("editor run")
        let file = dir.appendingPathComponent("it's a \"file\".rnn")
        try "old".write(to: file, atomically: true, encoding: .utf8)
        let editor = ExternalEditor(command: "printf 'def f(x) { return x }\\n' >")
        #expect(editor.edit(file) == nil)
        #expect(try String(contentsOf: file, encoding: .utf8) == "def f(x) { return x }\n")
        #expect(ExternalEditor(command: "no-such-editor-anywhere").edit(file)?.contains("was not found") == true)
    }
}
