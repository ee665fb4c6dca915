import Engine
import Foundation
import Terminal
import Tutorial

/// The progress table of `:progress` and `rnnlab progress`: every lesson, where the learner is,
/// the score and the time.
public enum ProgressSummary {
    public static func text(lessons: [LessonMeta], progress: ProgressFile, options: RenderOptions,
                            current: GuidedLesson? = nil) -> String {
        var file = progress
        if let current { file.lessons[current.lesson.meta.id] = current.progress }
        let titleWidth = min(36, max(6, lessons.map { ControlCharacters.escaped($0.title).count }.max() ?? 6))
        var lines = ["  #  " + "lesson".padding(toLength: titleWidth, withPad: " ", startingAt: 0) + "  progress          score  time"]
        var totalSeconds = 0.0, finished = 0
        for meta in lessons.sorted(by: { $0.order < $1.order }) {
            let full = ControlCharacters.escaped(meta.title)  // a lesson file's text, shown inert
            let title = full.count > titleWidth ? String(full.prefix(titleWidth - 1)) + "…" : full
            var row = String(format: "%3ld  ", meta.order) + title.padding(toLength: titleWidth, withPad: " ", startingAt: 0) + "  "
            if let p = file.lessons[meta.id] {
                let state = p.isFinished ? "✓ finished" : p.step > 0 ? "step \(min(p.step, p.steps)) of \(p.steps)" : "not started"
                let answered = p.answers.values.filter(\.isSettled).count
                let score = answered > 0 || p.isFinished ? "\(p.score + p.exercisesPassed)/\(answered)" : "–"  // exercises count like questions
                row += state.padding(toLength: 16, withPad: " ", startingAt: 0) + "  " + score.padding(toLength: 5, withPad: " ", startingAt: 0) + "  " + minutes(p.seconds)
                if file.last == meta.id, !p.isFinished { row += ANSI.style("   ← where you left off", ANSI.dim, enabled: options.color) }
                totalSeconds += p.seconds
                if p.isFinished { finished += 1 }
            } else {
                row += ANSI.style("not started", ANSI.dim, enabled: options.color)
            }
            lines.append(row)
        }
        lines.append("\(finished) of \(lessons.count) lessons finished, \(minutes(totalSeconds)) in all. Score: questions and exercises done yourself / done.")
        return lines.joined(separator: "\n")
    }

    /// Clamped (see `ProgressLimits`): the seconds come from a file the learner can edit.
    static func minutes(_ seconds: Double) -> String {
        let s = ProgressLimits.clampedSeconds(seconds)
        return s < 60 ? "\(ProgressLimits.wholeSeconds(s)) s" : "\(ProgressLimits.wholeMinutes(s)) min"
    }
}
