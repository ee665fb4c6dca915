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
/// Every error a learner sees is one of these. Its ``kind`` says what sort of mistake it is, so
/// callers decide by kind (the REPL treats ``Kind/interrupted`` differently) and never by reading
/// the words; ``message`` is the text, written once, by ``render(_:text:callee:)`` — the one place
/// that turns a typed error into words.
///
/// `description` is the one-line `FILE:LINE:COL: message` form for stderr; `caretView()` is the
/// source line with a caret under the column, for the REPL and for parse errors.
public struct ScriptError: Error, CustomStringConvertible, Sendable {
    /// What sort of mistake an error is.
    public enum Kind: Equatable, Sendable {
        /// The source does not parse (an unclosed bracket, a missing expression…).
        case syntax
        /// A name or member that does not exist.
        case unknownName
        /// A call with a missing, extra, repeated or unusable argument.
        case argument
        /// A value of the wrong kind for what was asked (calling a string, adding a list to a model).
        case wrongType
        /// A value whose shape does not fit where it goes, worded by the language (`y` for `train`,
        /// a gradient set by hand, the parts of a nested list); the engine's own are ``engine(_:)``.
        case shape
        /// An index outside what a list holds (a tensor's is an ``engine(_:)`` error).
        case index
        /// A file the running code may not read or write (a lesson's cells stay in their folders).
        case access
        /// A limit that keeps a run safe: nesting, recursion, sizes of lists and strings.
        case limit
        /// Ctrl-C (or a time limit) stopped the run; nothing of the stopped statement was kept.
        case interrupted
        /// The engine refused a tensor operation (shapes, axes, indices, sizes, memory…).
        case engine(TensorError)
        /// A `.npy`/`.npz` file that cannot be read or written.
        case file(NPYError)
        /// A data file or data-preparation argument that does not work (CSV cells, series lengths…).
        case data(DataError)
        /// Any other run-time mistake, described by its text.
        case runtime
    }

    public let kind: Kind
    /// The words: rendered once from `kind` (see ``render(_:text:callee:)``).
    public let message: String
    public let location: SourceLocation?
    /// The text of the line `location` points into (nil when unknown).
    public let sourceLine: String?
    /// For parse errors: what the parser expected at the caret ("an expression", "')'"…).
    public let expected: String?
    /// The language's name for what raised an engine error (`lstm` for the layer `lstm(…)` built):
    /// the engine's own operation names are the Swift API's, which a learner never typed.
    public let callee: String?
    /// The words of a kind that carries no typed error (kept to re-render under another callee).
    private let text: String

    /// A run-time error described by its text.
    public init(_ message: String, at location: SourceLocation? = nil, sourceLine: String? = nil, expected: String? = nil) {
        self.init(.runtime, message, at: location, sourceLine: sourceLine, expected: expected)
    }

    /// An error of `kind`; `text` is its words for kinds without a typed error (ignored for
    /// `.engine`, `.file`, `.data`, whose words come from the error they carry).
    public init(_ kind: Kind, _ text: String = "", at location: SourceLocation? = nil, sourceLine: String? = nil,
                expected: String? = nil, callee: String? = nil) {
        self.kind = kind
        self.text = text
        self.callee = callee
        self.message = ScriptError.render(kind, text: text, callee: callee)
        self.location = location; self.sourceLine = sourceLine; self.expected = expected
        MessageAudit.record(message)
    }

    /// The Ctrl-C stop at `location`.
    public static func interrupted(at location: SourceLocation? = nil) -> ScriptError {
        ScriptError(.interrupted, at: location)
    }

    /// An error raised by the engine, the `.npy` reader or the data readers, typed by what it is;
    /// an engine error raised inside the builtin `callee` is told as that builtin's.
    public static func from(_ error: any Error, at location: SourceLocation? = nil, callee: String? = nil) -> ScriptError {
        switch error {
        case let e as ScriptError:
            let placed = location.map { e.located($0) } ?? e
            return callee.map { placed.calledAs($0) } ?? placed
        case TensorError.interrupted, NPYError.interrupted: return .interrupted(at: location)
        case let e as TensorError: return ScriptError(.engine(e), at: location, callee: callee)
        case let e as NPYError: return ScriptError(.file(e), at: location, callee: callee)
        case let e as DataError: return ScriptError(.data(e), at: location, callee: callee)
        default: return ScriptError("\(error)", at: location)
        }
    }

    /// The one place that words a typed error for the learner.
    ///
    /// An engine error is written with `callee` — the builtin or model the learner called — in
    /// front instead of the engine's operation name, which belongs to the Swift API.
    public static func render(_ kind: Kind, text: String, callee: String?) -> String {
        switch kind {
        case .interrupted:
            return text.isEmpty ? "interrupted" : text
        case let .engine(error):
            guard let op = callee ?? error.operation else { return error.detail }
            return "\(op): \(error.detail)"
        case let .file(error):
            // The file's own words start with its path; the builtin that read it goes in front.
            return named(error.description, by: callee)
        case let .data(error):
            return named(error.message, by: callee)
        case .syntax, .unknownName, .argument, .wrongType, .shape, .index, .access, .limit, .runtime:
            return text
        }
    }

    /// `callee: words`, unless the words already start with that name (a data tool that names itself).
    private static func named(_ words: String, by callee: String?) -> String {
        guard let callee, !words.hasPrefix(callee + ":") else { return words }
        return "\(callee): \(words)"
    }

    /// The same error told as raised by `name` (when it came from the engine or a file reader and
    /// has no callee yet).
    func calledAs(_ name: String) -> ScriptError {
        switch kind {
        case .engine, .file, .data: break
        default: return self
        }
        guard callee == nil else { return self }
        return ScriptError(kind, text, at: location, sourceLine: sourceLine, expected: expected, callee: name)
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
        return ScriptError(kind, text, at: location, sourceLine: line.map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 },
                           expected: expected, callee: callee)
    }

    func located(_ location: SourceLocation) -> ScriptError {
        self.location == nil ? ScriptError(kind, text, at: location, sourceLine: sourceLine, expected: expected, callee: callee) : self
    }
}
