import Foundation
import Testing
import Tutorial
@testable import REPL
import TestSupport

/// `rnnlab progress --reset` says it forgot only when the save that forgets succeeded.
@Suite struct ProgressCommandTests {
    @Test func resetThatCannotSaveReportsOnlyTheFailure() throws {
        let binary = try requireBinary()
        let data = try temporaryDirectory("reset")
        defer { try? FileManager.default.removeItem(at: data) }
        // `rnnlab` is a file where the progress folder should be: no save can succeed, even as root.
        try Data().write(to: data.appendingPathComponent("rnnlab"))
        let result = try runProcess(binary, ["progress", "--reset", "--yes"], environment: ["XDG_DATA_HOME": data.path])
        #expect(result.status == 1)
        #expect(!result.stdout.contains("Forgot"), "\(result.stdout)")
        #expect(result.stderr.contains("cannot save progress to \(data.path)/rnnlab/progress.json"), "\(result.stderr)")
        #expect(result.stderr.hasSuffix("nothing was forgotten\n"), "\(result.stderr)")
    }

    /// Off a terminal without --yes nothing is forgotten, and the message says how to confirm.
    @Test func resetOffATerminalWithoutYesRefuses() throws {
        let binary = try requireBinary()
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-reset-\(UUID())")
        defer { try? FileManager.default.removeItem(at: data) }
        try FileManager.default.createDirectory(at: data.appendingPathComponent("rnnlab"), withIntermediateDirectories: true)
        let file = data.appendingPathComponent("rnnlab/progress.json")
        let store = ProgressStore(url: file)
        var progress = ProgressFile()
        progress.lessons["tiny"] = LessonProgress(steps: 3)
        try store.save(progress)
        let result = try runProcess(binary, ["progress", "--reset"], environment: ["XDG_DATA_HOME": data.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("pass --yes to confirm"), "\(result.stderr)")
        #expect(!result.stdout.contains("Forgot"))
        #expect(store.load().progress.lessons["tiny"] != nil)
    }

    @Test func yesWithoutResetIsRefused() throws {
        let binary = try requireBinary()
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-reset-\(UUID())")
        defer { try? FileManager.default.removeItem(at: data) }
        let result = try runProcess(binary, ["progress", "--yes"], environment: ["XDG_DATA_HOME": data.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--yes only confirms --reset"), "\(result.stderr)")
    }

    @Test func resetThatSavesSaysSo() throws {
        let binary = try requireBinary()
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-reset-\(UUID())")
        defer { try? FileManager.default.removeItem(at: data) }
        let result = try runProcess(binary, ["progress", "--reset", "--yes"], environment: ["XDG_DATA_HOME": data.path])
        #expect(result.status == 0)
        #expect(result.stdout == "Forgot your progress in 0 lessons.\n")
    }

    @Test func theConfirmationAsksOnATerminalAndNeedsYesElsewhere() {
        var asked: [String] = []
        let what = "your progress in 2 lessons"
        #expect(ResetConfirmation.decide(what: what, yes: false, isTerminal: true) { asked.append($0); return "y" } == .proceed)
        #expect(asked == ["Forget your progress in 2 lessons? [y/N] "])
        #expect(ResetConfirmation.decide(what: what, yes: false, isTerminal: true) { _ in "" } == .declined)
        #expect(ResetConfirmation.decide(what: what, yes: false, isTerminal: true) { _ in "no" } == .declined)
        #expect(ResetConfirmation.decide(what: what, yes: false, isTerminal: true) { _ in nil } == .declined)
        asked = []
        #expect(ResetConfirmation.decide(what: what, yes: true, isTerminal: false) { asked.append($0); return nil } == .proceed)
        #expect(ResetConfirmation.decide(what: what, yes: true, isTerminal: true) { asked.append($0); return nil } == .proceed)
        #expect(asked.isEmpty)                                  // --yes never asks
        guard case let .refused(message) = ResetConfirmation.decide(what: what, yes: false, isTerminal: false, ask: { _ in "y" }) else {
            Issue.record("off a terminal without --yes it must refuse"); return
        }
        #expect(message.contains("pass --yes"))
    }
}
