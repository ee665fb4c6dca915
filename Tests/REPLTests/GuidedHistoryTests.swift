import Foundation
import Terminal
import Testing
import Tutorial
@testable import REPL

/// What a guided lesson keeps in the prompt's history, and what it says on leaving.
@Suite struct GuidedHistoryTests {
    /// Lines from a list, like `PlainLineSource`, remembering what the lesson asks it to keep.
    final class RecordingSource: LineSource {
        var lines: [String]
        var remembered: [String] = []
        init(_ lines: [String]) { self.lines = lines }
        func read(prompt: String) -> LineEditor.Read { lines.isEmpty ? .endOfInput : .line(lines.removeFirst()) }
        func remember(_ line: String) { remembered.append(line) }
        func save() {}
        var historyPath: String? { "/home/learner/.local/state/rnnlab/history" }
    }

    /// Answers (`tanh(W @ x)` to the open question), `:hint` and `:skip` stay out of the history;
    /// code typed between steps goes in, a block as one entry. Leaving says where progress and
    /// history are kept.
    @Test func answersAndLessonCommandsAreNotHistory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-guided-history-\(UUID())")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("Lessons"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try GuidedREPLTests.lesson.write(to: dir.appendingPathComponent("Lessons/01-tiny.md"), atomically: true, encoding: .utf8)
        let store = ProgressStore(url: dir.appendingPathComponent("data/rnnlab/progress.json"))
        let source = RecordingSource(["", "", "tanh(W @ x)", ":hint", ":skip", "1 + 1", "for i in 0..<2 {", "print(i)", "}", ":vars", ":quit"])
        var out = ""
        let repl = GuidedREPL(lessonsDirectory: dir.appendingPathComponent("Lessons"), store: store, source: source,
                              options: RenderOptions(width: 60, color: false), width: { 60 },
                              write: { out += $0 }, writeError: { out += $0 })
        #expect(repl.runMenu(opening: "1") == 0)
        #expect(source.remembered == ["1 + 1", "for i in 0..<2 {\nprint(i)\n}", ":vars"])
        #expect(out.contains("Your progress is saved in"))
        #expect(out.contains(store.url.path + ";"))
        #expect(out.contains("your prompt history in\n/home/learner/.local/state/rnnlab/history.")
                || out.contains("your prompt history in /home/learner/.local/state/rnnlab/history."))
    }

    @Test func theFarewellNamesOnlyWhatIsKept() {
        #expect(GuidedREPL.farewell(progress: "/p/progress.json", history: nil) == "Your progress is saved in /p/progress.json.")
        #expect(GuidedREPL.farewell(progress: nil, history: "/s/history") == "Your prompt history is saved in /s/history.")
        #expect(GuidedREPL.farewell(progress: nil, history: nil) == nil)
    }
}
