import Engine
import Foundation
import Script
import Terminal
import Tutorial

/// How guided-mode events look on a terminal: prose through the markdown renderer, cells as a
/// framed listing, questions with their choices and how to answer, verdicts in colour (and with
/// ✓/✗ words, so nothing depends on colour alone).
///
/// Everything shown comes from a lesson file or the learner: prose goes through `ProseRenderer`,
/// which escapes control characters itself; the other texts (titles, cell sources, verdicts, an
/// expression answer) go through `plain(_:)` before they are styled.
struct GuidedScreen {
    var options: RenderOptions
    let write: (String) -> Void

    private var color: Bool { options.color }
    private func styled(_ text: String, _ style: String) -> String { ANSI.style(text, style, enabled: color) }
    /// Text from a lesson or the learner with its control characters shown as escapes.
    private func plain(_ text: String) -> String { ControlCharacters.escaped(text) }
    private static let green = ANSI.foreground(71), red = ANSI.foreground(203), yellow = ANSI.foreground(179), cyan = ANSI.foreground(74)

    /// The dim line that opens a step: where the learner is.
    func stepHeader(number: Int, total: Int, title: String) -> String {
        let label = " step \(number) of \(total) "
        let left = "── \(plain(title)) "
        let fill = max(3, options.width - ANSI.visibleWidth(left) - ANSI.visibleWidth(label) - 2)
        return styled(left + String(repeating: "─", count: fill) + label + "──", ANSI.dim)
    }

    func prose(_ markdown: String) -> String {
        ProseRenderer(options: options).render(markdown)
    }

    /// A cell's source with a gutter, so it reads as code the lesson runs, not as output.
    func cellListing(_ cell: Cell) -> String {
        let bar = styled("│", GuidedScreen.cyan)
        let label = cell.kind == .error ? styled("│ this cell fails on purpose:", GuidedScreen.cyan) : nil
        // A line wider than the screen is folded at a space, its continuation kept inside the
        // gutter and marked ↪, instead of the terminal cutting it anywhere and dropping the gutter.
        let body = cell.source.split(separator: "\n", omittingEmptySubsequences: false).flatMap { line in
            CodeFolding.fold(plain(String(line)), room: options.width - 4).enumerated().map { k, piece in
                "\(bar) " + (k == 0 ? "" : "↪ ") + styled(piece, ANSI.bold)
            }
        }
        return ([label].compactMap { $0 } + body).joined(separator: "\n")
    }

    func question(_ q: Question, index: Int, of count: Int) -> String {
        // `index` counts graded questions; a reflection has none and is not "of" anything.
        let heading = q.isGraded ? "Question \(index + 1) of \(count)" : "To think about"
        var lines = [styled(heading, ANSI.bold), prose(q.prompt)]
        switch q.kind {
        case let .choice(choices, correct):
            for (k, text) in choices.enumerated() {
                let wrapped = ProseRenderer(options: RenderOptions(width: max(20, options.width - 5), color: color)).render(text)
                let parts = wrapped.split(separator: "\n", omittingEmptySubsequences: false)
                lines.append("  \(Question.label(k))) " + (parts.first.map(String.init) ?? ""))
                lines += parts.dropFirst().map { "     " + $0 }
            }
            lines.append(dimWrapped(correct.count > 1 ? "Answer with the letters of every right choice, e.g. a, c." : "Answer with a letter."))
        case .numeric:
            lines.append(dimWrapped("Answer with a number (anything else runs as code, to work it out)."))
        case .expression:
            lines.append(dimWrapped("Type an expression: its value is checked, so any correct formula passes."))
        case .reflection:
            lines.append(dimWrapped("Write a few words of your own; then compare them with a model answer (nothing is graded)."))
        }
        return lines.joined(separator: "\n")
    }

    func verdict(_ v: Verdict, attempt: Int) -> String {
        switch v {
        case let .correct(note):
            guard let note else { return styled("✓ Right.", GuidedScreen.green) }
            // Wrapped as plain text at spaces, then styled line by line (a long note — the key the
            // lesson had in mind — would otherwise be cut mid-word by the terminal).
            let lines = WordWrap.wrap("✓ Right. " + plain(note), width: options.width, indent: 2)
                .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let first = styled("✓ Right.", GuidedScreen.green) + styled(String(lines[0].dropFirst("✓ Right.".count)), ANSI.dim)
            return ([first] + lines.dropFirst().map { styled($0, ANSI.dim) }).joined(separator: "\n")
        case let .incorrect(reason):
            // Wrapped as plain text first, then the mark styled: escapes must not count as columns.
            let text = WordWrap.wrap("✗ Not quite: " + plain(reason) + ".", width: options.width, indent: 2)
            return styled("✗ Not quite", GuidedScreen.red) + text.dropFirst("✗ Not quite".count)
        }
    }

    /// A line at a question that is not a try: what was wrong (with the caret view of a failing
    /// line), then that it did not count.
    func notAnAttempt(_ message: String, shown: String?) -> String {
        let text = WordWrap.wrap("✗ " + message, width: options.width, indent: 2)
        var lines = [styled("✗", GuidedScreen.red) + text.dropFirst()]
        if let shown { lines.append(shown.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")) }
        lines.append(notice("(not counted as a try)"))
        return lines.joined(separator: "\n")
    }

    /// The label and the hint wrapped together, so the label's width counts on the first line.
    func hint(_ text: String, number: Int, total: Int) -> String {
        let label = "Hint \(number) of \(total):"
        let rendered = prose(label + " " + text)
        guard rendered.hasPrefix(label) else { return styled(label, GuidedScreen.yellow) + "\n" + prose(text) }
        return styled(label, GuidedScreen.yellow) + rendered.dropFirst(label.count)
    }

    /// A dim line of guidance, broken at spaces to the screen's width (a terminal would cut it
    /// anywhere and start the next line with the space).
    func dimWrapped(_ text: String) -> String {
        WordWrap.wrap(plain(text), width: options.width).split(separator: "\n", omittingEmptySubsequences: false)
            .map { styled(String($0), ANSI.dim) }.joined(separator: "\n")
    }

    func revealed(answer: String, explanation: String, created: [String]) -> String {
        // Each line of the answer (a choice's letter and text) wrapped with a hanging indent.
        var narrow = options
        narrow.width = max(20, options.width - 5)
        let wrapped = answer.split(separator: "\n").map { line -> String in
            // Only a choice's text is prose; an expression key is code and stays as typed.
            let isChoice = line.count > 3 && line.dropFirst().hasPrefix(") ")
            guard isChoice else { return "  " + plain(String(line)) }
            let parts = ProseRenderer(options: narrow).render(String(line)).split(separator: "\n", omittingEmptySubsequences: false)
            return "  " + parts.map(String.init).joined(separator: "\n     ")
        }.joined(separator: "\n")
        var lines = [styled("The answer:", GuidedScreen.yellow) + "\n" + wrapped]
        if !explanation.isEmpty { lines.append(prose(explanation)) }
        if !created.isEmpty {
            lines.append(dimWrapped("Created \(created.map { "`\($0)`" }.joined(separator: ", ")) in your session, so the next cells work."))
        }
        lines.append(styled("Enter goes on.", ANSI.dim))
        return lines.joined(separator: "\n")
    }

    /// A reflection answered: the learner's words, then the model answer, side by side in reading
    /// order, and no mark — the learner judges.
    func reflected(yours: String, model: String, explanation: String) -> String {
        var lines = [styled("Your words:", GuidedScreen.yellow), "  " + prose(plain(yours)).replacingOccurrences(of: "\n", with: "\n  "),
                     styled("A model answer:", GuidedScreen.yellow), "  " + prose(model).replacingOccurrences(of: "\n", with: "\n  ")]
        if !explanation.isEmpty { lines.append(prose(explanation)) }
        lines.append(dimWrapped("Compare the two; nothing is graded. Enter goes on."))
        return lines.joined(separator: "\n")
    }

    func explanation(_ text: String) -> String {
        prose(text) + "\n" + styled("Enter goes on.", ANSI.dim)
    }

    func finished(title: String, score: Int, questions: Int, exercisesPassed: Int = 0, exercises: Int = 0, seconds: Double) -> String {
        let minutes = ProgressLimits.wholeMinutes(seconds)
        let time = minutes < 1 ? "under a minute" : "\(minutes) min"
        let written = exercises > 0 ? " Exercises passed yourself: \(exercisesPassed) of \(exercises)." : ""
        return [
            WordWrap.wrap("✓ You finished “\(plain(title))”.", width: options.width, indent: 2)
                .split(separator: "\n").map { styled(String($0), GuidedScreen.green) }.joined(separator: "\n"),
            WordWrap.wrap("Questions answered yourself: \(score) of \(questions).\(written) Time in the lesson: \(time).", width: options.width),
            dimWrapped("Enter: back to the menu · :back reviews · the prompt still has every variable of the lesson."),
        ].joined(separator: "\n")
    }

    // MARK: exercises

    /// An exercise as it opens: its number, the task, the template to start from and how to hand it in.
    func exercise(_ e: Exercise, index: Int, of count: Int, file: String?) -> String {
        var lines = [styled("Exercise \(index + 1) of \(count): write \(plain(e.function))", ANSI.bold), prose(e.prompt)]
        lines.append(styled("It returns: ", ANSI.dim) + plain(e.returnsText))
        lines.append(styled("Start from:", ANSI.dim))
        lines.append(codeListing(e.template))
        var how = "Type your def at the prompt (several lines are fine), or :edit to write it in your editor"
        if let file { how += " (kept in \(file); :check checks it as saved)" }
        how += ". It is checked on \(e.count) random cases\(e.gradients ? ", values and gradients" : ""). :case loads a failing case as variables, :hint gives a hint, :skip after a try shows the solution."
        lines.append(dimWrapped(how))
        return lines.joined(separator: "\n")
    }

    /// Code with the cell gutter (the template, a worked solution).
    func codeListing(_ source: String) -> String {
        let bar = styled("│", GuidedScreen.cyan)
        return source.trimmingCharacters(in: .newlines).split(separator: "\n", omittingEmptySubsequences: false).flatMap { line in
            CodeFolding.fold(plain(String(line)), room: options.width - 4).enumerated().map { k, piece in
                "\(bar) " + (k == 0 ? "" : "↪ ") + piece
            }
        }.joined(separator: "\n")
    }

    /// The check's verdict on the learner's function.
    func exerciseChecked(_ r: ExerciseResult, attempt: Int, inLesson: Bool = true) -> String {
        switch r.kind {
        case .passed:
            return styled("✓ Passed:", GuidedScreen.green) + " " + plain(r.message) + "."
        case .interrupted:
            return notice("Stopped (Ctrl-C): not counted as a try.")
        case .lessonProblem:
            return notice("This exercise cannot be checked: \(r.message) (the lesson is at fault, not your code; :skip goes on).")
        default:
            let text = WordWrap.wrap("✗ " + plain(r.message), width: options.width, indent: 2)
            var lines = [styled("✗", GuidedScreen.red) + text.dropFirst()]
            if let e = r.error, e.location != nil {
                let caret = e.caretView()
                if !caret.isEmpty {
                    lines.append(styled("  at \(plain(e.location!.description)):", ANSI.dim))
                    lines.append(caret.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + plain(String($0)) }.joined(separator: "\n"))
                }
            }
            if r.failingCase != nil, inLesson {
                let before = r.casesPassed == 0 ? "" : "\(r.casesPassed) case\(r.casesPassed == 1 ? "" : "s") passed before this one. "
                lines.append(dimWrapped(before + ":case loads this case as variables to try by hand."))
            }
            return lines.joined(separator: "\n")
        }
    }

    /// The worked solution and why, after a pass or on giving up.
    func exerciseSolution(code: String, why: String, passed: Bool, inLesson: Bool = true) -> String {
        var lines = [styled(passed ? "A worked solution, to compare with yours:" : "The solution:", GuidedScreen.yellow),
                     codeListing(code), prose(why)]
        if inLesson {
            lines.append(dimWrapped(passed ? "Your function stays defined at the prompt. Enter goes on." : "It is now defined at the prompt, so later cells work. Enter goes on."))
        }
        return lines.joined(separator: "\n")
    }

    func caseLoaded(names: [String], about: String, replaced: [String] = []) -> String {
        var text = "Loaded the case \(about): " + names.map { "`\($0)`" }.joined(separator: ", ") + " are now variables. Try your function on them, e.g. compare its result with expected."
        if !replaced.isEmpty {
            text += " (This replaced your earlier " + replaced.map { "`\($0)`" }.joined(separator: ", ") + "; :run on a cell that made them makes them again.)"
        }
        return dimWrapped(text)
    }

    /// Wrapped to the screen like prose (a notice can quote a long error message).
    func notice(_ text: String) -> String {
        var plain = options
        plain.color = false
        let lines = ProseRenderer(options: plain).render(text).split(separator: "\n", omittingEmptySubsequences: false)
        return lines.map { styled(String($0), ANSI.dim) }.joined(separator: "\n")
    }
}

/// The exercise texts of guided mode, for `rnnlab exercise` on the command line.
public enum ExerciseText {
    public static func verdict(_ result: ExerciseResult, options: RenderOptions) -> String {
        GuidedScreen(options: options, write: { _ in }).exerciseChecked(result, attempt: 0, inLesson: false)
    }

    public static func solution(_ e: Exercise, passed: Bool, options: RenderOptions) -> String {
        GuidedScreen(options: options, write: { _ in }).exerciseSolution(code: e.solution, why: e.why, passed: passed, inLesson: false)
    }
}
