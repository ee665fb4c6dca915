import Testing
@testable import Engine

// StringLiteralSyntax.swift: one walk over a string's scalars, three syntaxes of quoted literal.
@Suite struct StringLiteralSyntaxTests {
    static let awkward = "a\"b'c\\d\ne\tf\rg\u{1b}[2Jh\u{7f}i\u{9b}jé🙂"

    @Test func theLanguageWritesWhatALearnerWouldType() {
        #expect(StringLiteralSyntax.language.quoted(Self.awkward)
                == #""a\"b'c\\d\ne\tf\rg\u{1b}[2Jh\u{7f}i\u{9b}jé🙂""#)
    }

    @Test func jsonEscapesTheControlsBelowASpace() {
        #expect(StringLiteralSyntax.json.quoted(Self.awkward)
                == "\"a\\\"b'c\\\\d\\ne\\tf\\rg\\u001b[2Jh\u{7f}i\u{9b}jé🙂\"")
    }

    @Test func pythonWritesAsRepr() {
        #expect(StringLiteralSyntax.python.quoted(Self.awkward)
                == #"'a"b\'c\\d\ne\tf\rg\x1b[2Jh\x7fi\x9bjé🙂'"#)
        #expect(StringLiteralSyntax.python.quoted("<f8") == "'<f8'")
    }

    @Test func theWalkReturnsTextWithNothingToEscapeAsItIs() {
        #expect(StringLiteralSyntax.escaping("plain é🙂") { _ in "x" } == String(repeating: "x", count: "plain é🙂".unicodeScalars.count))
        #expect(StringLiteralSyntax.escaping("plain é🙂") { _ in nil } == "plain é🙂")
        #expect(StringLiteralSyntax.escaping("") { _ in "x" } == "")
        #expect(StringLiteralSyntax.escaping("ab\u{1b}") { $0 == "\u{1b}" ? "ESC" : nil } == "abESC")
        #expect(ControlCharacters.escaped("\u{1b}[2J") == #"\u{1b}[2J"#)
    }
}
