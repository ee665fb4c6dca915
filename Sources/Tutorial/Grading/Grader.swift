import Foundation
import Script

/// The outcome of one attempt at a question.
public enum Verdict: Sendable, Equatable {
    /// Right. `note` says something worth knowing (e.g. "a different expression with the same value").
    case correct(note: String?)
    /// Wrong, with the reason in a sentence the learner can act on.
    case incorrect(reason: String)

    public var isCorrect: Bool { if case .correct = self { true } else { false } }
}

/// Pure grading functions, one per question kind, and `grade(_:input:)` which reads what the learner
/// typed for any kind. Only expression questions need the session (to evaluate), and they leave
/// it as it was (see `ExpressionEvaluation`).
public enum Grader {
    /// Multiple choice: the selected set must be exactly the correct set.
    public static func gradeChoice(selected: Set<Int>, correct: Set<Int>) -> Verdict {
        if selected == correct { return .correct(note: nil) }
        if selected.isSubset(of: correct) && correct.count > 1 {
            return .incorrect(reason: "right so far, but more than \(selected.count == 1 ? "one choice is" : "those choices are") correct")
        }
        return .incorrect(reason: correct.count > 1 ? "not that combination" : "not that one")
    }

    /// A number within the (absolute) tolerance of the answer.
    public static func gradeNumeric(_ value: Double, answer: Double, tolerance: Double) -> Verdict {
        if value.isFinite && Swift.abs(value - answer) <= tolerance { return .correct(note: nil) }
        return .incorrect(reason: "\(formatNumber(value)) is not it")
    }

    /// Text accepted when any pattern matches somewhere in it, ignoring case.
    public static func gradeText(_ text: String, patterns: [String]) -> Verdict {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        for p in patterns {
            guard let re = try? NSRegularExpression(pattern: p, options: [.caseInsensitive]) else { continue }
            if re.firstMatch(in: trimmed, range: NSRange(trimmed.startIndex..., in: trimmed)) != nil { return .correct(note: nil) }
        }
        return .incorrect(reason: "that is not what we are looking for")
    }

    /// Evaluates the learner's expression and the key in the session and compares the values.
    /// The session's variables and `_` are the same afterwards, right or wrong.
    /// A wrong value is described by `ValueComparison.diagnosis`, with the key's numbers only when
    /// `revealing` (the last try).
    public static func gradeExpression(_ input: String, key: String, tolerance: Tolerance, revealing: Bool = false,
                                       in interpreter: Interpreter) -> Verdict {
        let expected: Value
        switch ExpressionEvaluation.evaluate(key, in: interpreter) {
        case let .success(v): expected = v
        case let .failure(e): return .incorrect(reason: "the lesson's answer key fails: \(e.message)")
        }
        switch ExpressionEvaluation.evaluate(input, in: interpreter) {
        case let .failure(e):
            return .incorrect(reason: e.message)
        case let .success(value):
            if let d = ValueComparison.diagnosis(value, expected, tolerance: tolerance, revealing: revealing) {
                return .incorrect(reason: d)
            }
            let same = normalised(input) == normalised(key)
            return .correct(note: same ? nil : "Not the expression the lesson had in mind (\(key)), but the same value.")
        }
    }

    static func normalised(_ s: String) -> String { s.filter { !$0.isWhitespace } }

    /// Grades what the learner typed for `question`: letters for a choice (`b`, `a, c`), a number,
    /// an expression, or text.
    public static func grade(_ question: Question, input: String, in interpreter: Interpreter) -> Verdict {
        switch question.kind {
        case let .choice(choices, correct):
            guard let selected = parseChoices(input, count: choices.count) else {
                return .incorrect(reason: "answer with the letter of each choice you pick, e.g. b or a, c")
            }
            return gradeChoice(selected: selected, correct: correct)
        case let .numeric(answer, tolerance, _):
            guard let x = Double(input.trimmingCharacters(in: .whitespaces)) else {
                return .incorrect(reason: "answer with a number, e.g. 0.25")
            }
            return gradeNumeric(x, answer: answer, tolerance: tolerance)
        case let .expression(key, atol, rtol, _):
            return gradeExpression(input, key: key, tolerance: Tolerance(atol: atol, rtol: rtol), in: interpreter)
        case let .text(patterns, _):
            return gradeText(input, patterns: patterns)
        }
    }

    /// Letters separated by commas or spaces → choice indices; nil when a letter is not a choice.
    public static func parseChoices(_ input: String, count: Int) -> Set<Int>? {
        let parts = input.lowercased().split { $0 == "," || $0 == " " }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !parts.isEmpty else { return nil }
        var out = Set<Int>()
        for p in parts {
            guard let k = (0..<count).first(where: { Question.label($0) == p }) else { return nil }
            out.insert(k)
        }
        return out
    }
}
