import Foundation
import Testing

/// `rnnlab progress --reset` says it forgot only when the save that forgets succeeded.
@Suite struct ProgressCommandTests {
    @Test func resetThatCannotSaveReportsOnlyTheFailure() throws {
        let binary = try requireBinary()
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-reset-\(UUID())")
        defer { try? FileManager.default.removeItem(at: data) }
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        // `rnnlab` is a file where the progress folder should be: no save can succeed, even as root.
        try Data().write(to: data.appendingPathComponent("rnnlab"))
        let result = try runProcess(binary, ["progress", "--reset"], environment: ["XDG_DATA_HOME": data.path])
        #expect(result.status == 1)
        #expect(!result.stdout.contains("Forgot"), "\(result.stdout)")
        #expect(result.stderr.contains("cannot save progress to \(data.path)/rnnlab/progress.json"), "\(result.stderr)")
        #expect(result.stderr.hasSuffix("nothing was forgotten\n"), "\(result.stderr)")
    }

    @Test func resetThatSavesSaysSo() throws {
        let binary = try requireBinary()
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-reset-\(UUID())")
        defer { try? FileManager.default.removeItem(at: data) }
        let result = try runProcess(binary, ["progress", "--reset"], environment: ["XDG_DATA_HOME": data.path])
        #expect(result.status == 0)
        #expect(result.stdout == "Forgot your progress in 0 lessons.\n")
    }
}
