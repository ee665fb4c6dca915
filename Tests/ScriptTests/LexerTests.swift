import Testing
@testable import Script

@Suite struct LexerTests {
    func kinds(_ s: String) throws -> [Token.Kind] {
        var lexer = Lexer(s)
        return try lexer.tokenize().map(\.kind)
    }

    @Test func numbersNamesAndSymbols() throws {
        #expect(try kinds("x = 1.5e-3 ** 2") == [.identifier("x"), .symbol("="), .number(0.0015), .symbol("**"), .number(2), .end])
        #expect(try kinds("0..<5") == [.number(0), .symbol("..<"), .number(5), .end])
        #expect(try kinds("a.T @ b") == [.identifier("a"), .symbol("."), .identifier("T"), .symbol("@"), .identifier("b"), .end])
        #expect(try kinds("1_000") == [.number(1000), .end])
    }

    @Test func keywordsAndPythonSpellings() throws {
        #expect(try kinds("true False None not") == [.keyword(.true), .keyword(.false), .keyword(.none), .keyword(.not), .end])
    }

    @Test func stringsWithEscapes() throws {
        #expect(try kinds(#""a\"b\n" 'c'"#) == [.string("a\"b\n"), .string("c"), .end])
    }

    @Test func newlinesSeparateStatementsOnlyOutsideBrackets() throws {
        #expect(try kinds("f(1,\n2)\nx") == [.identifier("f"), .symbol("("), .number(1), .symbol(","), .number(2), .symbol(")"), .newline, .identifier("x"), .end])
        #expect(try kinds("a; b # comment\n\n c") == [.identifier("a"), .newline, .identifier("b"), .newline, .identifier("c"), .end])
        // Inside braces, line breaks separate the block's statements again.
        #expect(try kinds("{ a\n b }").filter { $0 == .newline }.count == 2)
    }

    @Test func locationsAreLineAndColumn() throws {
        var lexer = Lexer("x = 1\n  yy", file: "f.rnn")
        let tokens = try lexer.tokenize()
        #expect(tokens[4].location == SourceLocation(file: "f.rnn", line: 2, column: 3))
    }

    @Test func unexpectedCharacter() {
        var lexer = Lexer("x = $")
        #expect(throws: ScriptError.self) { try lexer.tokenize() }
    }

    @Test func completeness() {
        #expect(Interpreter.isComplete("x = 1"))
        #expect(!Interpreter.isComplete("f(1,"))
        #expect(!Interpreter.isComplete("for t in 0..<3 {"))
        #expect(!Interpreter.isComplete("x = [[1, 2],"))
        #expect(!Interpreter.isComplete("print(\"abc"))
        #expect(Interpreter.isComplete("for t in 0..<3 {\n print(t)\n}"))
        #expect(Interpreter.isComplete("1 +"))         // an error, not more input: the REPL reports it
        #expect(Interpreter.isComplete("x = )"))
        #expect(Interpreter.isComplete("# just a comment {"))
    }
}

@Suite struct LexerControlCharacterTests {
    /// The character is named as it would be typed, so the message itself is safe to print.
    @Test func anUnexpectedControlCharacterIsShownEscaped() {
        let e = failure("x = 1 \u{1b}")
        #expect(e.message == "unexpected character '\\u{1b}'")
        #expect(failure("\u{9b}").message == "unexpected character '\\u{9b}'")
        #expect(Value.quoted("a\u{85}\u{1b}") == "\"a\\u{85}\\u{1b}\"")
    }

    /// What `Value.quoted` and the escaper print reads back as the same string.
    @Test func unicodeEscapesReadBack() {
        #expect(show(#""\u{1b}[2J\r\u{e9}""#) == Value.quoted("\u{1b}[2J\r\u{e9}"))
        #expect(show(#""\u{1F642}""#) == "\"🙂\"")
        for bad in [#""\u1b""#, #""\u{}""#, #""\u{110000}""#, #""\u{1234567}""#, #""\u{zz}""#] {
            #expect(failure(bad).message.contains("needs a character code in hex between braces"), "\(bad)")
        }
    }
}
