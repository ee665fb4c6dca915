import Script
import Tutorial

/// What a guided lesson adds to the session's transcript, so an exported run reads like a
/// notebook of the lesson: its prose as shown, each question with the learner's answers and
/// their verdicts, hints, revealed answers and explanations, as markdown between the cells
/// (which the session records itself when they run).
extension LessonHost {
    func record(_ event: GuidedEvent) {
        switch event {
        case let .step(step, _, _, _):
            switch step.content {
            case let .prose(text): session.transcript.markdown(text)
            case .cell: break
            case let .question(q, index):
                session.transcript.markdown(LessonHost.markdown(q, index: machine?.lesson.gradedIndex(ofQuestion: index) ?? index,
                                                                of: machine?.questionCount ?? index + 1))
            case let .exercise(e, index):
                session.transcript.markdown("**Exercise \(index + 1) of \(machine?.lesson.exercises.count ?? index + 1): write `\(e.function)`.** "
                                            + e.prompt + "\n\n```\n" + e.template.trimmingCharacters(in: .newlines) + "\n```")
            }
        case let .verdict(v, _):
            let given = answer.map { "**Your answer:** " + LessonHost.codeSpan($0) + " — " } ?? ""
            switch v {
            case let .correct(note): session.transcript.markdown(given + "✓ Right." + (note.map { " " + $0 } ?? ""))
            case let .incorrect(reason): session.transcript.markdown(given + "✗ Not quite: " + reason + ".")
            }
            answer = nil
        case let .hint(text, number, total): session.transcript.markdown("*Hint \(number) of \(total):* " + text)
        case let .revealed(answerText, explanation, _):
            let shown = answerText.contains("\n") ? "\n\n```\n" + answerText + "\n```" : " " + answerText
            session.transcript.markdown("**The answer:**" + shown)
            session.transcript.markdown(explanation)
        case let .explanation(text): session.transcript.markdown(text)
        case let .reflected(yours, model, explanation):
            session.transcript.markdown("**Your words:** " + yours + "\n\n**A model answer:** " + model)
            session.transcript.markdown(explanation)
        case let .exerciseChecked(result, _):
            switch result.kind {
            case .passed: session.transcript.markdown("✓ Passed: " + result.message + ".")
            case .interrupted, .lessonProblem: break
            default: session.transcript.markdown("✗ " + result.message)
            }
        case let .exerciseSolution(code, why, passed):
            session.transcript.markdown((passed ? "**A worked solution:**" : "**The solution:**") + "\n\n```\n" + code.trimmingCharacters(in: .newlines) + "\n```\n\n" + why)
        case let .finished(score, questions, passed, exercises, _):
            session.transcript.markdown("**Finished** — questions answered yourself: \(score) of \(questions)."
                                        + (exercises > 0 ? " Exercises passed yourself: \(passed) of \(exercises)." : ""))
        case .caseLoaded, .cellFailed, .cellUnexpectedlySucceeded, .replaying, .replayFailed, .notice, .notAnAttempt, .confirmRestart: break
        }
    }

    /// A question as the lesson asks it: its number, its prompt, and the choices as a list.
    static func markdown(_ q: Question, index: Int, of count: Int) -> String {
        var text = (q.isGraded ? "**Question \(index + 1) of \(count).** " : "**To think about.** ") + q.prompt
        if case let .choice(choices, _) = q.kind {
            text += "\n\n" + choices.enumerated().map { "- \(Question.label($0.offset))) \($0.element)" }.joined(separator: "\n")
        }
        return text
    }

    /// `text` as inline code, delimited by more backticks than it contains in a row.
    static func codeSpan(_ text: String) -> String {
        var longest = 0, run = 0
        for c in text {
            run = c == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let ticks = String(repeating: "`", count: longest + 1)
        return longest > 0 ? ticks + " " + text + " " + ticks : ticks + text + ticks
    }
}
