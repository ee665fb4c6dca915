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

/// What a line typed at an open question is: an attempt with its verdict, or one of the lines
/// that cost nothing (see `Grader.judge`, where the rule lives).
public enum Judgement: Sendable, Equatable {
    /// An attempt: counted, and a wrong one brings the next hint.
    case attempt(Verdict)
    /// Not an answer of the question's kind; `message` says what is.
    case notAnAnswer(String)
    /// The line failed to run (or the lesson's key did): the error, pointing into what was typed.
    case failed(ExpressionError)
    /// The line only shows an existing variable: run it at the prompt, nothing graded.
    case looking
    /// The learner's words at a reflection question: shown beside the model answer, not graded.
    case reflected

    public var countsAsAttempt: Bool { if case .attempt = self { true } else { false } }
}

/// Pure grading functions, one per graded question kind, and `judge(_:input:)` which reads what the
/// learner typed for any kind — the one rule the guided lesson and `rnnlab check` both apply. Only expression questions need the session (to evaluate), and they leave
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

    /// A number within the (absolute) tolerance of the answer. A wrong one is told what kind of
    /// wrong it is when that is a mistake with a name — the sign flipped, a power of ten off (a
    /// percentage for a fraction, a slipped decimal point) — and otherwise only too high or too
    /// low, never by how much.
    public static func gradeNumeric(_ value: Double, answer: Double, tolerance: Double) -> Verdict {
        func near(_ x: Double) -> Bool { x.isFinite && Swift.abs(x - answer) <= tolerance }
        if near(value) { return .correct(note: nil) }
        let shown = formatNumber(value)
        guard value.isFinite else { return .incorrect(reason: "\(shown) is not a finite number") }
        if value != 0, near(-value) { return .incorrect(reason: "\(shown) has the right size but the wrong sign") }
        for k in [1, 2, 3, -1, -2, -3] where value != 0 && near(value / pow(10, Double(k))) {
            let factor = formatNumber(pow(10, Double(Swift.abs(k))))
            return .incorrect(reason: "\(shown) is \(factor) times too \(k > 0 ? "large" : "small") — check for a percentage or a slipped decimal point")
        }
        return .incorrect(reason: "\(shown) is too \(value > answer ? "high" : "low")")
    }

    /// Evaluates the learner's expression and the key in the session and compares the values.
    /// The session's variables and `_` are the same afterwards, right or wrong.
    /// A wrong value is described by `ValueComparison.diagnosis`, with the key's numbers only when
    /// `revealing` (the last try).
    /// The key runs under `keyAccess` (a lesson's key touches no file of the learner's); the
    /// learner's expression under the session's own access.
    public static func gradeExpression(_ input: String, key: String, tolerance: Tolerance, revealing: Bool = false,
                                       in interpreter: Interpreter, keyAccess: FileAccessPolicy = .noFiles) -> Verdict {
        let expected: Value
        switch ExpressionEvaluation.evaluate(key, in: interpreter, access: keyAccess) {
        case let .success(v): expected = v
        case let .failure(e): return .incorrect(reason: "the lesson's answer key fails: \(e.message)")
        }
        switch ExpressionEvaluation.evaluate(input, in: interpreter) {
        case let .failure(e): return .incorrect(reason: e.message)
        case let .success(value): return compare(value, typed: input, to: expected, key: key, tolerance: tolerance, revealing: revealing)
        }
    }

    /// The verdict on an expression's value against the key's: right (noting when the learner
    /// reached it another way), or how it differs (`ValueComparison.diagnosis`).
    static func compare(_ value: Value, typed input: String, to expected: Value, key: String, tolerance: Tolerance,
                        revealing: Bool) -> Verdict {
        guard ValueComparison.matches(value, expected, tolerance: tolerance) else {
            return .incorrect(reason: ValueComparison.diagnosis(value, expected, tolerance: tolerance, revealing: revealing) ?? "the value differs")
        }
        let same = normalised(input) == normalised(key)
        return .correct(note: same ? nil : "Not the expression the lesson had in mind (\(key)), but the same value.")
    }

    static func normalised(_ s: String) -> String { s.filter { !$0.isWhitespace } }

    /// Judges a line typed at an open question: whether it is an attempt, and if so its verdict.
    /// This is the one place the rule lives — looking costs nothing:
    /// - a line that is not an answer of the question's kind (a letter that is no choice, text at a
    ///   numeric question, an assignment at an expression question) is not an attempt;
    /// - a line that fails to run (parse error, shape error, unknown name) is not an attempt;
    /// - a line that only shows an existing variable (`h`, `out.h`) is not an attempt — unless its
    ///   value is the answer, which counts as right;
    /// - anything else is an attempt, right or wrong.
    /// `revealing`: this would be the last try, so a wrong expression may be told the key's numbers.
    /// The key runs under `keyAccess`, the learner's line under the session's own access.
    public static func judge(_ question: Question, input: String, in interpreter: Interpreter, revealing: Bool = false,
                             keyAccess: FileAccessPolicy = .noFiles) -> Judgement {
        let trimmed = input.trimmingCharacters(in: .whitespacesAndNewlines)
        switch question.kind {
        case let .choice(choices, correct):
            guard let selected = parseChoices(trimmed, count: choices.count) else {
                let last = Question.label(max(0, choices.count - 1))
                return .notAnAnswer("answer with one of the letters a–\(last) (several separated by commas, e.g. a, c)")
            }
            return .attempt(gradeChoice(selected: selected, correct: correct))
        case let .numeric(answer, tolerance, _):
            guard let x = Double(trimmed) else { return .notAnAnswer("answer with a number, e.g. 0.25") }
            return .attempt(gradeNumeric(x, answer: answer, tolerance: tolerance))
        case let .expression(key, atol, rtol, _):
            if ExpressionEvaluation.looksLikeStatement(trimmed) {
                return .notAnAnswer("type an expression whose value is the answer, not an assignment or several statements")
            }
            let keyValue: Value
            switch ExpressionEvaluation.evaluate(key, in: interpreter, access: keyAccess) {
            case let .success(v): keyValue = v
            case let .failure(e): return .failed(ExpressionError(message: "the lesson's answer key fails: \(e.message)"))
            }
            let value: Value
            switch ExpressionEvaluation.evaluate(trimmed, in: interpreter) {
            case let .success(v): value = v
            case let .failure(e): return .failed(e)
            }
            let verdict = compare(value, typed: trimmed, to: keyValue, key: key, tolerance: Tolerance(atol: atol, rtol: rtol), revealing: revealing)
            if !verdict.isCorrect && isLooking(trimmed, in: interpreter) { return .looking }
            return .attempt(verdict)
        case .reflection:
            return trimmed.isEmpty ? .notAnAnswer("write a few words of your own, or :skip to read the model answer") : .reflected
        }
    }

    /// A line that only names an existing variable, or a member of one: `h`, `out.h`, `out . h`.
    public static func isLooking(_ input: String, in interpreter: Interpreter) -> Bool {
        let parts = input.split(separator: ".", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let isName: (String) -> Bool = { p in
            guard let first = p.first, first.isLetter || first == "_" else { return false }
            return p.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
        }
        guard let root = parts.first, parts.allSatisfy(isName) else { return false }
        return interpreter.variables.contains { $0.name == root }
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
