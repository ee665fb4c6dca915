import Markdown
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `rnnlab check` proves about a lesson's shape, beside its cells and questions: that no
/// step stops in the middle of a sentence, and that the minutes it declares are the minutes it
/// takes.
///
/// **Time.** The teaching standard's estimate, in minutes:
///
///     words of prose / 180  +  0.5 × shown cells  +  1.5 × questions  +  seconds the cells run / 60
///
/// Reading runs at about 180 words a minute for technical prose; a cell (its code and output)
/// takes about half a minute to read; a question about a minute and a half to work out; and live
/// training is time the learner waits (the smaller of wall and processor time, so a busy machine
/// does not change the verdict). The declared `minutes` must be within 20% (and at least 2
/// minutes) of the estimate, so the menu's figure can be trusted, and a lesson estimated at more
/// than 25 minutes is two lessons: past that, learners stop in the middle.
public enum LessonShape {
    public static let wordsPerMinute = 180.0
    public static let minutesPerCell = 0.5
    public static let minutesPerQuestion = 1.5
    /// Writing a function of a few lines from a template, running the check, fixing one mistake.
    public static let minutesPerExercise = 4.0
    /// The longest a lesson may take.
    public static let longestMinutes = 25.0

    /// The estimate above, for a lesson whose cells ran for `runSeconds` in all.
    public static func estimatedMinutes(_ lesson: Lesson, runSeconds: Double) -> Double {
        let words = lesson.steps.reduce(0) { n, step in
            if case let .prose(p) = step { return n + p.text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).count }
            return n
        }
        let shownCells = lesson.cells.filter { $0.kind != .setup }.count
        return Double(words) / wordsPerMinute + minutesPerCell * Double(shownCells)
            + minutesPerQuestion * Double(lesson.questions.count) + minutesPerExercise * Double(lesson.exercises.count)
            + max(0, runSeconds) / 60
    }

    /// Problems with the declared minutes, given the estimate.
    public static func timeProblems(_ lesson: Lesson, estimate: Double) -> [String] {
        var found: [String] = []
        let shown = (estimate * 10).rounded() / 10
        if estimate > longestMinutes {
            found.append("the lesson takes about \(shown) min (\(formula)), more than \(Int(longestMinutes)): make it two lessons")
        }
        let declared = Double(lesson.meta.minutes)
        if abs(declared - estimate) > max(2, 0.2 * estimate) {
            found.append("the front matter says \(lesson.meta.minutes) min but the lesson takes about \(shown) min (\(formula)); declare \(Int(estimate.rounded()))")
        }
        return found
    }

    /// Processor seconds this process has used (all its threads): what the lesson's cells cost,
    /// whatever else runs on the machine.
    public static func processorSeconds() -> Double {
        var t = timespec()
        guard clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t) == 0 else { return 0 }
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    static let formula = "words/180 + 0.5 a cell + 1.5 a question + 4 an exercise + run time"

    /// Whether a prose step ends in the middle of a sentence: its last block is a paragraph whose
    /// text, after closing marks (`)`, quotes, `*`, `_`, a backtick), does not end in . ! ? : ; or …
    /// A heading, list, table, quote or code block may end a step as it is.
    public static func endsMidSentence(_ step: String) -> Bool {
        let lines = MarkdownBlocks.lines(step).map(MarkdownBlocks.expandTabs)
        guard let last = MarkdownBlocks.parse(lines, depth: 0).last, case let .paragraph(text) = last.block else { return false }
        var end = Substring(text.proseTrimmed())
        while let c = end.last, ")]\"'”’*_`$".contains(c) { end.removeLast() }
        guard let c = end.last else { return false }
        return !".!?:;…".contains(c)
    }

    /// The first words of a step's last line, to name it in a message.
    static func ending(_ step: String) -> String {
        let last = step.split(separator: "\n").last.map { String($0).proseTrimmed() } ?? ""
        return last.count > 60 ? "…" + last.suffix(60) : last
    }
}
