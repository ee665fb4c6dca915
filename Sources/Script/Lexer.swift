import Engine

/// Turns source text into tokens.
///
/// Line breaks separate statements, except inside `(…)` and `[…]`, where an expression may go on
/// over several lines; inside `{…}` (a block) they separate the block's statements again.
/// `#` starts a comment to the end of the line. Strings use `"…"` or `'…'` with `\n`, `\t`, `\r`,
/// `\u{1b}` (a character by its hex code), `\\`, `\"`, `\'` escapes and may span lines.
struct Lexer {
    private let chars: [Character]
    private let file: String
    private var i = 0
    private var line = 1
    private var column = 1
    /// Open brackets, innermost last: "(", "[" or "{".
    private(set) var open: [Character] = []
    /// Set when the input ends inside a string.
    private(set) var unterminatedString = false

    /// `firstLine` is the line `source` starts on in its file (a statement taken from the middle of
    /// a script), so locations are the file's without padding the text with blank lines.
    init(_ source: String, file: String = "<input>", firstLine: Int = 1) {
        chars = Array(source)
        self.file = file
        self.line = firstLine
    }

    static let symbols = ["..<", "**=", "**", "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=",
                          "+", "-", "*", "/", "%", "@", "<", ">", "=", "(", ")", "[", "]", "{", "}",
                          ",", ":", ".", "?"]

    private var here: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    private mutating func advance() {
        if chars[i] == "\n" { line += 1; column = 1 } else { column += 1 }
        i += 1
    }

    private func peek(_ k: Int = 0) -> Character? { i + k < chars.count ? chars[i + k] : nil }

    mutating func tokenize() throws(ScriptError) -> [Token] {
        var tokens: [Token] = []
        func lastIsNewline() -> Bool { tokens.last.map { $0.kind == .newline } ?? true }
        while let c = peek() {
            let start = here
            if c == "#" {
                while let d = peek(), d != "\n" { advance() }
            } else if c == "\n" || c == ";" {
                advance()
                if c == ";" || open.last == nil || open.last == "{" {
                    if c == ";" && open.last != nil && open.last != "{" {
                        throw ScriptError(.syntax, "';' cannot separate statements inside brackets", at: start, expected: "')' or ']' first")
                    }
                    if !lastIsNewline() { tokens.append(Token(kind: .newline, location: start)) }
                }
            } else if c.isWhitespace {
                advance()
            } else if c.isNumber && c.isASCII {
                tokens.append(Token(kind: .number(try number()), location: start))
            } else if c == "\"" || c == "'" {
                tokens.append(Token(kind: .string(try string(quote: c)), location: start))
            } else if c.isLetter || c == "_" {
                var name = ""
                while let d = peek(), d.isLetter || d.isNumber || d == "_" { name.append(d); advance() }
                let kind: Token.Kind
                switch name {
                case "True": kind = .keyword(.true)
                case "False": kind = .keyword(.false)
                case "None": kind = .keyword(.none)
                default: kind = Keyword(rawValue: name).map { .keyword($0) } ?? .identifier(name)
                }
                tokens.append(Token(kind: kind, location: start))
            } else if let symbol = Lexer.symbols.first(where: { matches($0) }) {
                for _ in symbol { advance() }
                switch symbol {
                case "(", "[", "{": open.append(contentsOf: symbol)
                case ")", "]", "}":
                    if !open.isEmpty { open.removeLast() }
                    // A closing brace ends the block's last statement.
                    if symbol == "}" && !lastIsNewline() { tokens.append(Token(kind: .newline, location: start)) }
                default: break
                }
                tokens.append(Token(kind: .symbol(symbol), location: start))
            } else {
                throw ScriptError(.syntax, "unexpected character '\(ControlCharacters.escaped(String(c)))'", at: start, expected: "an expression or a statement")
            }
        }
        tokens.append(Token(kind: .end, location: here))
        return tokens
    }

    private func matches(_ symbol: String) -> Bool {
        for (k, s) in symbol.enumerated() where peek(k) != s { return false }
        return true
    }

    private mutating func number() throws(ScriptError) -> Double {
        let start = here
        var text = ""
        while let d = peek(), d.isASCII, d.isNumber || d == "_" { if d != "_" { text.append(d) }; advance() }
        // A '.' belongs to the number only when a digit follows: `0..<5` is 0, `..<`, 5.
        if peek() == ".", let d = peek(1), d.isASCII, d.isNumber {
            text.append("."); advance()
            while let d = peek(), d.isASCII, d.isNumber { text.append(d); advance() }
        }
        if let e = peek(), e == "e" || e == "E" {
            let sign = peek(1) == "+" || peek(1) == "-"
            if let d = peek(sign ? 2 : 1), d.isASCII, d.isNumber {
                text.append("e"); advance()
                if sign, let s = peek() { text.append(s); advance() }
                while let d = peek(), d.isASCII, d.isNumber { text.append(d); advance() }
            }
        }
        guard let value = Double(text) else { throw ScriptError(.syntax, "malformed number '\(text)'", at: start, expected: "a number") }
        return value
    }

    private mutating func string(quote: Character) throws(ScriptError) -> String {
        advance()
        var text = ""
        while let d = peek() {
            advance()
            if d == quote { return text }
            if d == "\\", let e = peek() {
                advance()
                switch e {
                case "n": text.append("\n")
                case "t": text.append("\t")
                case "r": text.append("\r")
                case "u": text.unicodeScalars.append(try unicodeEscape())
                default: text.append(e)
                }
            } else {
                text.append(d)
            }
        }
        unterminatedString = true
        throw ScriptError(.syntax, "unterminated string", at: here, expected: "a closing \(quote)")
    }

    /// The `{1b}` of `\u{1b}`: one to six hex digits naming a Unicode scalar. It is the form in
    /// which strings are printed with their control characters escaped, so that output reads back.
    private mutating func unicodeEscape() throws(ScriptError) -> Unicode.Scalar {
        let start = here
        var hex = ""
        if peek() == "{" {
            advance()
            while let h = peek(), h.isHexDigit, hex.count < 7 { hex.append(h); advance() }
            if peek() == "}", !hex.isEmpty, hex.count <= 6, let v = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(v) {
                advance()
                return scalar
            }
        }
        throw ScriptError(.syntax, "\\u in a string needs a character code in hex between braces, e.g. \\u{1b} or \\u{e9}",
                          at: start, expected: "{ hex digits }")
    }

    /// False while a bracket, brace or string is still open at the end of `source`.
    static func isComplete(_ source: String) -> Bool {
        var lexer = Lexer(source)
        do {
            _ = try lexer.tokenize()
            return lexer.open.isEmpty
        } catch {
            return !lexer.unterminatedString
        }
    }
}
