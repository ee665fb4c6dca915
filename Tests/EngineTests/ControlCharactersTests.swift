import Testing
@testable import Engine

@Suite struct ControlCharactersTests {
    @Test func actingCharactersBecomeTheLanguagesEscapes() {
        #expect(ControlCharacters.escaped("\u{1b}[2J") == "\\u{1b}[2J")
        #expect(ControlCharacters.escaped("a\rb\u{8}c\u{7f}d\u{9b}e\u{85}") == "a\\u{d}b\\u{8}c\\u{7f}d\\u{9b}e\\u{85}")
        #expect(ControlCharacters.escaped("\u{0}") == "\\u{0}")
    }

    @Test func layoutAndOrdinaryTextStayAsTheyAre() {
        let text = "line one\n\tindented — é, 漢字, σ(x) ▁▂█ 🙂 \u{a0}"
        #expect(ControlCharacters.escaped(text) == text)
        #expect(ControlCharacters.escaped("\\u{1b}") == "\\u{1b}")
        let once = ControlCharacters.escaped("\u{1b}]0;title\u{7}")
        #expect(ControlCharacters.escaped(once) == once)
    }
}
