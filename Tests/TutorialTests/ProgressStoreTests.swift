import Foundation
import Testing
@testable import Tutorial

@Suite struct ProgressStoreTests {
    func temporaryStore() -> (ProgressStore, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-progress-\(UUID())")
        return (ProgressStore(url: dir.appendingPathComponent("rnnlab/progress.json")), dir)
    }

    @Test func defaultLocationFollowsXDGDataHome() {
        #expect(ProgressStore.defaultURL(environment: ["XDG_DATA_HOME": "/data", "HOME": "/home/a"]).path == "/data/rnnlab/progress.json")
        #expect(ProgressStore.defaultURL(environment: ["HOME": "/home/a"]).path == "/home/a/.local/share/rnnlab/progress.json")
        // A relative XDG path is ignored, as the XDG spec says.
        #expect(ProgressStore.defaultURL(environment: ["XDG_DATA_HOME": "rel", "HOME": "/home/a"]).path == "/home/a/.local/share/rnnlab/progress.json")
    }

    @Test func aMissingFileIsEmptyProgress() {
        let (store, _) = temporaryStore()
        let (p, notice) = store.load()
        #expect(p == ProgressFile())
        #expect(notice == nil)
    }

    @Test func saveThenLoadRoundTripsAndLeavesNoTemporaryFile() throws {
        let (store, dir) = temporaryStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        var file = ProgressFile()
        var lesson = LessonProgress(steps: 23, now: Date(timeIntervalSince1970: 1_700_000_000))
        lesson.step = 7
        lesson.seconds = 95.5
        var q = QuestionRecord(); q.attempts = 2; q.correct = true; q.lastAnswer = "a, c"
        lesson.answers["q1"] = q
        file.lessons["rnn-equations"] = lesson
        file.last = "rnn-equations"
        try store.save(file)
        let (loaded, notice) = store.load()
        #expect(notice == nil)
        #expect(loaded == file)
        #expect(loaded.lessons["rnn-equations"]?.score == 1)
        let names = try FileManager.default.contentsOfDirectory(atPath: store.url.deletingLastPathComponent().path)
        #expect(names == ["progress.json"])
    }

    @Test(arguments: ["{not json", "{\"version\": 1, \"lessons\": {\"x\": {\"step\": \"seven\"}}}", "", "{\"version\": 99, \"lessons\": {}}"])
    func aCorruptFileIsMovedAsideWithAMessage(_ content: String) throws {
        let (store, dir) = temporaryStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: store.url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(content.utf8).write(to: store.url)
        let (p, notice) = store.load()
        #expect(p == ProgressFile())
        let message = try #require(notice)
        #expect(message.contains("could not be used"))
        #expect(message.contains("moved to"))
        #expect(!FileManager.default.fileExists(atPath: store.url.path))
        let names = try FileManager.default.contentsOfDirectory(atPath: store.url.deletingLastPathComponent().path)
        #expect(names.count == 1 && names[0].hasPrefix("progress.json.corrupt-"))
        // …and the next save starts a good file.
        try store.save(ProgressFile())
        #expect(store.load().notice == nil)
    }

    @Test func anUnwritableLocationThrowsAReadableError() {
        let store = ProgressStore(url: URL(fileURLWithPath: "/proc/rnnlab-cannot/progress.json"))
        #expect(throws: ProgressError.self) { try store.save(ProgressFile()) }
    }
}
