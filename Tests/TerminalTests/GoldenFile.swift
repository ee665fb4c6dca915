import Foundation
import Terminal
import Testing

/// A drawing held to its golden file: the same text, and no line wider than the screen it was
/// drawn for. `RNNLAB_UPDATE_GOLDENS=1 swift test …` rewrites the files (read the diff before
/// committing them).
func expectGolden(_ text: String, _ file: URL, width: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
    if ProcessInfo.processInfo.environment["RNNLAB_UPDATE_GOLDENS"] == "1" {
        try (text + "\n").write(to: file, atomically: true, encoding: .utf8)
    }
    let golden = try String(contentsOf: file, encoding: .utf8)
    #expect(text + "\n" == golden, "\(file.lastPathComponent)", sourceLocation: sourceLocation)
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        #expect(ANSI.visibleWidth(String(line)) <= width, "\(file.lastPathComponent): \(line)", sourceLocation: sourceLocation)
    }
}
