import Foundation
import Script

/// Evaluates a learner's expression (or an answer key) in a lesson's session without changing
/// the session's variables.
///
/// The design: the text is evaluated as the body of an anonymous function called on the spot,
/// `(fn() { return (EXPR) })()`. Inside a function every assignment is local (docs/language.md,
/// Functions), and `return (…)` only parses when the text is a single expression, so no global can
/// be created or rebound; `_` is saved and put back. Rebinding is therefore impossible, by
/// construction, for right and wrong answers alike — there is nothing to restore.
///
/// What this cannot undo: builtins that change an object in place (`loss.backward()` accumulating
/// gradients, `opt.step()`, a `randn` without `seed:` advancing the session's generator). Answer
/// keys of expression questions should be pure expressions; `rnnlab check` runs every key twice
/// and reports one whose value changes.
public enum ExpressionEvaluation {
    /// The value of `expression` in `interpreter`'s session, or the error message.
    public static func evaluate(_ expression: String, in interpreter: Interpreter) -> Result<Value, ExpressionError> {
        let trimmed = expression.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return .failure(ExpressionError(message: "type an expression")) }
        guard Interpreter.isComplete(trimmed) else {
            return .failure(ExpressionError(message: "the expression is not finished: a bracket or a string is still open"))
        }
        // Plain parse first, so that an assignment or two statements get a clear message
        // rather than a parse error inside the wrapper.
        if looksLikeStatement(trimmed) {
            return .failure(ExpressionError(message: "type an expression whose value is the answer, not an assignment or several statements"))
        }
        let saved = interpreter.lastValue
        defer { interpreter.lastValue = saved }
        let wrapped = "(fn() { return (\n" + trimmed + "\n) })()"
        let result = interpreter.run(wrapped, file: "<answer>", showingResults: false)
        if let error = result.error { return .failure(ExpressionError(message: error.message)) }
        guard let value = result.values.last?.value else {
            return .failure(ExpressionError(message: "the expression has no value"))
        }
        return .success(value)
    }

    /// A top-level `=` (not `==`, `<=`, `>=`, `!=`) or `;` outside brackets and strings.
    static func looksLikeStatement(_ text: String) -> Bool {
        var depth = 0
        var quote: Character?
        var previous: Character = " "
        let chars = Array(text)
        for (k, c) in chars.enumerated() {
            defer { previous = c }
            if let q = quote {
                if c == q && previous != "\\" { quote = nil }
                continue
            }
            switch c {
            case "\"", "'": quote = c
            case "#": return false
            case "(", "[", "{": depth += 1
            case ")", "]", "}": depth -= 1
            case ";" where depth == 0: return true
            case "=" where depth == 0:
                let next = k + 1 < chars.count ? chars[k + 1] : " "
                if next != "=" && !"=<>!+-*/".contains(previous) { return true }
                // `+=`, `-=`… are statements too.
                if next != "=" && "+-*/".contains(previous) { return true }
            default: break
            }
        }
        return false
    }
}

/// Why an expression could not be evaluated: its error message.
public struct ExpressionError: Error, Sendable, Equatable {
    public var message: String
}
