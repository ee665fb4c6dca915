import Foundation
import Testing
@testable import Tutorial
import TestSupport

/// A progress file is the learner's to edit: numbers out of range are clamped on load with a
/// message, and no value can make a time or step conversion trap.
@Suite struct ProgressLimitsTests {
    func store(with json: String) throws -> (ProgressStore, URL) {
        let dir = try temporaryDirectory("limits")
        let url = dir.appendingPathComponent("progress.json")
        try Data(json.utf8).write(to: url)
        return (ProgressStore(url: url), dir)
    }

    static func lesson(step: String = "3", steps: String = "10", seconds: String = "95", attempts: String = "1") -> String {
        """
        {"version": 1, "last": "a", "lessons": {"a": {"step": \(step), "steps": \(steps), "seconds": \(seconds),
         "started": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z",
         "answers": {"q1": {"attempts": \(attempts), "hintsShown": 0, "correct": true, "revealed": false}}}}}
        """
    }

    @Test(arguments: [("1e300", ProgressLimits.maxSeconds), ("-1e19", 0), ("-1", 0), ("1e19", ProgressLimits.maxSeconds)])
    func outOfRangeSecondsAreClampedWithAMessage(_ text: String, _ expected: Double) throws {
        let (store, dir) = try store(with: Self.lesson(seconds: text))
        defer { try? FileManager.default.removeItem(at: dir) }
        let (file, notice) = store.load()
        #expect(file.lessons["a"]?.seconds == expected)
        #expect(file.lessons["a"]?.step == 3)  // the rest of the entry is kept
        let message = try #require(notice)
        #expect(message.contains("out of range") && message.contains("a: seconds"), "\(message)")
        #expect(FileManager.default.fileExists(atPath: store.url.path))  // corrected, not moved aside
    }

    @Test func negativeAndHugeStepsAndCountsAreClamped() throws {
        let (store, dir) = try store(with: Self.lesson(step: "-5", steps: "-5", attempts: "-3"))
        defer { try? FileManager.default.removeItem(at: dir) }
        let (file, notice) = store.load()
        let lesson = try #require(file.lessons["a"])
        #expect(lesson.step == 0 && lesson.steps == 0 && lesson.answers["q1"]?.attempts == 0)
        #expect(notice?.contains("a: steps -5 → 0; a: step -5 → 0; a: q1 attempts -3 → 0") == true, "\(notice ?? "")")
        let (huge, _) = try self.store(with: Self.lesson(step: "9223372036854775807", steps: "9223372036854775807"))
        defer { try? FileManager.default.removeItem(at: huge.url.deletingLastPathComponent()) }
        let big = try #require(huge.load().progress.lessons["a"])
        #expect(big.step == ProgressLimits.maxSteps && big.steps == ProgressLimits.maxSteps)
    }

    @Test func validFileHasNoNotice() throws {
        let (store, dir) = try store(with: Self.lesson())
        defer { try? FileManager.default.removeItem(at: dir) }
        let (file, notice) = store.load()
        #expect(notice == nil)
        #expect(file.lessons["a"]?.seconds == 95)
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity, 1e300, -1e19, -0.5, 59.9, 90])
    func conversionsNeverTrap(_ seconds: Double) {
        let whole = ProgressLimits.wholeSeconds(seconds), minutes = ProgressLimits.wholeMinutes(seconds)
        #expect(whole >= 0 && Double(whole) <= ProgressLimits.maxSeconds)
        #expect(minutes >= 0 && minutes <= Int(ProgressLimits.maxSeconds / 60) + 1)
    }

    /// Lesson front matter: a huge order or minutes is refused where it was typed ("-1 min" before).
    @Test func frontMatterNumbersMustBeSane() {
        for (key, value) in [("minutes", "9223372036854775807"), ("order", "-1"), ("minutes", "-3")] {
            let text = "---\nid: a\ntitle: T\norder: \(key == "order" ? value : "1")\nminutes: \(key == "minutes" ? value : "3")\n---\n"
            do {
                _ = try LessonParser.parse(text, file: "bad.md")
                Issue.record("\(key): \(value) was accepted")
            } catch {
                #expect(error.description.contains("\(key) \(value) should be between 0 and 9999"), "\(error)")
            }
        }
    }
}
