/// A lexical token of the rnnlab language, with where it starts in the source.
struct Token: Equatable {
    enum Kind: Equatable {
        case number(Double)
        case string(String)
        case identifier(String)
        case keyword(Keyword)
        /// Operators and punctuation, by their spelling: `+`, `**`, `..<`, `(`, `,` …
        case symbol(String)
        /// A statement separator: a line break outside brackets, or `;`.
        case newline
        case end
    }

    let kind: Kind
    let location: SourceLocation

    /// How the token is quoted in "expected …, found …" messages.
    var display: String {
        switch kind {
        case let .number(n): return "number \(formatNumber(n))"
        case let .string(s): return "string \"\(s)\""
        case let .identifier(name): return "name '\(name)'"
        case let .keyword(k): return "'\(k.rawValue)'"
        case let .symbol(s): return "'\(s)'"
        case .newline: return "end of line"
        case .end: return "end of input"
        }
    }
}

enum Keyword: String, CaseIterable {
    case def, fn, `return`, `if`, `elif`, `else`, `for`, `in`, `while`, `break`, `continue`
    case and, or, not, `true`, `false`, none
}
