import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
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

    /// `kill -9` mid-save leaves `.progress.json.<pid>.tmp`; the next start removes it when that
    /// process is gone, and leaves a live process's alone.
    @Test func staleTemporaryFilesAreRemovedOnLoad() throws {
        let (store, dir) = temporaryStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        try store.save(ProgressFile())
        let folder = store.url.deletingLastPathComponent()
        let dead = ".progress.json.99999999.tmp", live = ".progress.json.\(getppid()).tmp"
        for name in [dead, live] { try Data("{".utf8).write(to: folder.appendingPathComponent(name)) }
        #expect(store.load().notice == nil)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names == [live, "progress.json"].sorted())
    }

    /// A progress path that is a link is saved through to its file; one that is a FIFO is neither
    /// read (it would block) nor replaced by a save.
    @Test func linksAreFollowedAndFIFOsRefused() throws {
        let (store, dir) = temporaryStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        let folder = store.url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: store.url.path, withDestinationPath: "real.json")
        var file = ProgressFile()
        file.last = "x"
        try store.save(file)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: store.url.path) == "real.json")
        #expect(store.load().progress.last == "x")
        try FileManager.default.removeItem(at: store.url)
        #expect(mkfifo(store.url.path, 0o600) == 0)
        #expect(throws: ProgressError("cannot save progress to \(store.url.path): it is a FIFO (named pipe), not a file; nothing was written")) {
            try store.save(file)
        }
        let (loaded, notice) = store.load()
        #expect(loaded == ProgressFile())
        #expect(notice?.contains("it is a FIFO (named pipe), not a file. It was moved to") == true, "\(notice ?? "")")
    }
}
