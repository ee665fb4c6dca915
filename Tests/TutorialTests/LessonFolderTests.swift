import Foundation
import Testing
@testable import Tutorial
import TestSupport

/// A lesson that moves in the course (a new lesson is put before it) keeps its learner's files:
/// the folder named with its old order is renamed to the new one, and nothing else is touched.
@Suite struct LessonFolderTests {
    func meta(_ id: String, order: Int) -> LessonMeta {
        LessonMeta(id: id, title: "T", order: order, minutes: 5, objectives: [], prerequisites: [])
    }

    @Test func aFolderOfAnEarlierOrderMovesWithTheLesson() throws {
        let base = try temporaryDirectory("lesson-folder")
        let old = base.appendingPathComponent("05-vanishing", isDirectory: true)
        try FileManager.default.createDirectory(at: old, withIntermediateDirectories: true)
        try Data("def f(x) { x }\n".utf8).write(to: old.appendingPathComponent("f.rnn"))
        // Another lesson whose id ends the same way, and one with a longer id, stay where they are.
        for other in ["07-not-vanishing", "03-vanishing-exploding"] {
            try FileManager.default.createDirectory(at: base.appendingPathComponent(other), withIntermediateDirectories: true)
        }
        let url = LessonFolder.url(for: meta("vanishing", order: 6), under: base)
        #expect(url.lastPathComponent == "06-vanishing")
        #expect(try String(contentsOf: url.appendingPathComponent("f.rnn"), encoding: .utf8) == "def f(x) { x }\n")
        #expect(!FileManager.default.fileExists(atPath: old.path))
        let left = try FileManager.default.contentsOfDirectory(atPath: base.path).sorted()
        #expect(left == ["03-vanishing-exploding", "06-vanishing", "07-not-vanishing"])
    }

    @Test func theCurrentFolderWinsAndNoFolderIsMade() throws {
        let base = try temporaryDirectory("lesson-folder")
        for name in ["04-bptt", "05-bptt"] {
            try FileManager.default.createDirectory(at: base.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        #expect(LessonFolder.url(for: meta("bptt", order: 5), under: base).lastPathComponent == "05-bptt")
        #expect(FileManager.default.fileExists(atPath: base.appendingPathComponent("04-bptt").path))
        // A lesson seen for the first time gets its name; nothing is created until it writes.
        let fresh = LessonFolder.url(for: meta("gru", order: 10), under: base)
        #expect(fresh.lastPathComponent == "10-gru" && !FileManager.default.fileExists(atPath: fresh.path))
        // No base folder yet: still a name, no error.
        #expect(LessonFolder.url(for: meta("gru", order: 10), under: base.appendingPathComponent("none")).lastPathComponent == "10-gru")
    }

    @Test func exerciseFilesFollowTheLesson() throws {
        let data = try temporaryDirectory("lesson-folder")
        let old = data.appendingPathComponent("exercises/12-bidirectional", isDirectory: true)
        try FileManager.default.createDirectory(at: old, withIntermediateDirectories: true)
        try Data("mine\n".utf8).write(to: old.appendingPathComponent("bidirectional.rnn"))
        let folder = ExerciseFiles.folder(for: meta("bidirectional", order: 13), in: data)
        #expect(try String(contentsOf: folder.appendingPathComponent("bidirectional.rnn"), encoding: .utf8) == "mine\n")
    }
}
