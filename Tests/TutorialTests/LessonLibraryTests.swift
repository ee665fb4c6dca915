import Foundation
import Testing
@testable import Tutorial
import TestSupport

@Suite struct LessonLibraryTests {
    func tempDir() throws -> URL {
        let dir = try temporaryDirectory("lessons")
        return dir
    }

    @Test func filesSelectionAndNames() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Fixtures.passing.write(to: dir.appendingPathComponent("01-tiny.md"), atomically: true, encoding: .utf8)
        try Fixtures.passing.write(to: dir.appendingPathComponent("02-wrong-name.md"), atomically: true, encoding: .utf8)
        try "notes".write(to: dir.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        let files = try LessonLibrary.files(in: dir)
        #expect(files.map(\.lastPathComponent) == ["01-tiny.md", "02-wrong-name.md"])
        let lesson = try LessonLibrary.load(files[0], displayName: "01-tiny.md")
        #expect(lesson.meta.id == "tiny")
        #expect(throws: LessonFormatError.self) { try LessonLibrary.load(files[1]) }
        do { _ = try LessonLibrary.load(files[1], displayName: "02-wrong-name.md") } catch {
            #expect(error.message.contains("should be 01-tiny.md"))
        }
        let picked = LessonLibrary.select(["1", "tiny", "01-tiny", "wrong-name", "9"], from: files)
        #expect(picked.files.map(\.lastPathComponent) == ["01-tiny.md", "02-wrong-name.md"])
        #expect(picked.unknown == ["9"])
        #expect(LessonLibrary.select([], from: files).files == files)
    }
}
