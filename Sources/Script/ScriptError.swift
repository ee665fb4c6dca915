import Engine

/// Where something is in a script: file name, 1-based line and column (in characters).
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file; self.line = line; self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// A parse or runtime error of the language, with the place it happened.
///
/// `description` is the one-line `FILE:LINE:COL: message` form for stderr; `caretView()` is the
/// source line with a caret under the column, for the REPL and for parse errors.
public struct ScriptError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public let location: SourceLocation?
    /// The text of the line `location` points into (nil when unknown).
    public let sourceLine: String?
    /// For parse errors: what the parser expected at the caret ("an expression", "')'"…).
    public let expected: String?

    public init(_ message: String, at location: SourceLocation? = nil, sourceLine: String? = nil, expected: String? = nil) {
        self.message = message; self.location = location; self.sourceLine = sourceLine; self.expected = expected
    }

    public var description: String {
        guard let location else { return message }
        return "\(location): \(message)"
    }

    /// The source line, then a caret under the error's column (tabs kept so it lines up), and for
    /// a parse error "expected …" after the caret. Empty when the line is unknown.
    ///
    /// The line is shown with control characters escaped (a stray ESC in a file must not act on
    /// the terminal), and the caret moves right by the width of each escape before it.
    public func caretView() -> String {
        guard let sourceLine, let location else { return "" }
        var pad = ""
        for c in sourceLine.prefix(max(0, location.column - 1)) {
            pad += c == "\t" ? "\t" : String(repeating: " ", count: ControlCharacters.escaped(String(c)).count)
        }
        var note = ""
        if let expected { note = " expected " + expected }
        return ControlCharacters.escaped(sourceLine) + "\n" + pad + "^" + note
    }

    /// The same error with the source line filled in from `source` (when it has a location), which
    /// starts on line `firstLine` of its file.
    func attaching(source: String, firstLine: Int = 1) -> ScriptError {
        guard sourceLine == nil, let location else { return self }
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        let index = location.line - firstLine
        let line = index >= 0 && index < lines.count ? String(lines[index]) : nil
        return ScriptError(message, at: location, sourceLine: line.map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }, expected: expected)
    }

    func located(_ location: SourceLocation) -> ScriptError {
        self.location == nil ? ScriptError(message, at: location, sourceLine: sourceLine, expected: expected) : self
    }
}
