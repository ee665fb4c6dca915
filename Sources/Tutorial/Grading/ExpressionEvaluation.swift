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
    /// The value of `expression` in `interpreter`'s session, or the error message. `access`, when
    /// given, is the file access it runs under (an answer key's); else the session's own.
    public static func evaluate(_ expression: String, in interpreter: Interpreter,
                                access: FileAccessPolicy? = nil) -> Result<Value, ExpressionError> {
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
        // The learner's text is parsed on its own first, so that a parse error points into what
        // was typed (line 1, column N) and never into the wrapper around it.
        if let e = Interpreter.parseError(trimmed, file: "<answer>") {
            return .failure(ExpressionError(e, in: trimmed, lineOffset: 0))
        }
        let wrapped = "(fn() { return (\n" + trimmed + "\n) })()"
        // Text that parses alone but not inside `return (…)` is a statement (`for`, `fn`…).
        if Interpreter.parseError(wrapped, file: "<answer>") != nil {
            return .failure(ExpressionError(message: "type an expression whose value is the answer, not an assignment or several statements"))
        }
        let saved = interpreter.lastValue
        defer { interpreter.lastValue = saved }
        let result = interpreter.withFileAccess(access ?? interpreter.fileAccess) {
            interpreter.run(wrapped, file: "<answer>", showingResults: false)
        }
        // The learner's text is lines 2… of the wrapper.
        if let error = result.error { return .failure(ExpressionError(error, in: trimmed, lineOffset: 1)) }
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

/// Why an expression could not be evaluated: its error message and, when known, where in the
/// learner's text (1-based line and column of the text as typed, never of a wrapper around it).
public struct ExpressionError: Error, Sendable, Equatable {
    public var message: String
    public var line: Int?
    public var column: Int?
    /// The line of the learner's text the error points into.
    public var sourceLine: String?

    public init(message: String, line: Int? = nil, column: Int? = nil, sourceLine: String? = nil) {
        self.message = message; self.line = line; self.column = column; self.sourceLine = sourceLine
    }

    /// `error`, raised while running `text` moved down by `lineOffset` lines, mapped back into `text`.
    /// A place outside the text (the wrapper's own lines) is dropped rather than shown.
    init(_ error: ScriptError, in text: String, lineOffset: Int) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var message = error.message
        if let loc = error.location {
            let line = loc.line - lineOffset
            if lines.indices.contains(line - 1) {
                self.init(message: message, line: line, column: loc.column, sourceLine: lines[line - 1])
                return
            }
        }
        // A parse message may name a place in the wrapper ("to close the '(' at 1:16"): drop it.
        if lineOffset > 0, let r = message.range(of: #" at \d+:\d+"#, options: .regularExpression) {
            message.removeSubrange(r)
        }
        self.init(message: message)
    }

    /// The learner's line with a caret under the column; empty when the place is unknown.
    public var caretView: String {
        guard let sourceLine, let column else { return "" }
        return sourceLine + "\n" + String(repeating: " ", count: max(0, column - 1)) + "^"
    }
}
