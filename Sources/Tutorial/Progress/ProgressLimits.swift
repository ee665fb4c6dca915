import Foundation

/// The ranges a progress file's numbers must lie in, and how out-of-range ones are brought back.
///
/// The file is the learner's to edit (or to damage): `"seconds": 1e300` once trapped converting to
/// an `Int` on every start, and `"step": -5` showed "step -5 of -5". Values outside these ranges
/// are clamped when the file is loaded — the rest of the entry is still good — and the learner is
/// told which ones changed. Every conversion of time to whole minutes or seconds goes through
/// ``wholeSeconds(_:)``, so no value can trap however it got there.
public enum ProgressLimits {
    /// A century: more than anyone spends on a lesson, far below where `Double` → `Int` fails.
    public static let maxSeconds: Double = 100 * 365 * 24 * 3600
    /// More steps than any lesson has.
    public static let maxSteps = 100_000
    /// More tries or hints than anyone takes on one question.
    public static let maxCount = 1_000_000

    /// `seconds` as a whole number of seconds in `0...maxSeconds` (NaN counts as 0).
    public static func wholeSeconds(_ seconds: Double) -> Int { Int(clampedSeconds(seconds)) }

    /// `seconds` in `0...maxSeconds`; NaN and negative values are 0.
    public static func clampedSeconds(_ seconds: Double) -> Double {
        guard seconds > 0 else { return 0 }  // also NaN
        return Swift.min(seconds, maxSeconds)
    }

    /// `seconds` rounded to whole minutes, safely.
    public static func wholeMinutes(_ seconds: Double) -> Int { Int((clampedSeconds(seconds) / 60).rounded()) }
}

extension LessonProgress {
    /// Brings every number into range; returns what was changed ("seconds 1e+300 → 3153600000"),
    /// empty when the entry was already valid.
    mutating func clampToLimits() -> [String] {
        var changes: [String] = []
        func clamp(_ value: inout Int, _ range: ClosedRange<Int>, _ name: String) {
            let fixed = Swift.min(Swift.max(value, range.lowerBound), range.upperBound)
            if fixed != value { changes.append("\(name) \(value) → \(fixed)"); value = fixed }
        }
        clamp(&steps, 0...ProgressLimits.maxSteps, "steps")
        clamp(&step, 0...ProgressLimits.maxSteps, "step")
        let fixedSeconds = ProgressLimits.clampedSeconds(seconds)
        if fixedSeconds != seconds {
            changes.append("seconds \(seconds) → \(ProgressLimits.wholeSeconds(fixedSeconds))")
            seconds = fixedSeconds
        }
        for key in answers.keys.sorted() {
            guard var record = answers[key] else { continue }
            clamp(&record.attempts, 0...ProgressLimits.maxCount, "\(key) attempts")
            clamp(&record.hintsShown, 0...ProgressLimits.maxCount, "\(key) hints")
            answers[key] = record
        }
        return changes
    }
}

extension ProgressFile {
    /// Clamps every lesson's numbers (see ``ProgressLimits``); returns "lesson: change" lines.
    mutating func clampToLimits() -> [String] {
        var changes: [String] = []
        for id in lessons.keys.sorted() {
            guard var lesson = lessons[id] else { continue }
            changes += lesson.clampToLimits().map { "\(id): \($0)" }
            lessons[id] = lesson
        }
        return changes
    }
}
