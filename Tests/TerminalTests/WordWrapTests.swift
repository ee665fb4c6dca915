import Testing
@testable import Terminal

// WordWrap.swift: plain text broken at spaces to the screen's width.
@Suite struct WordWrapTests {
    @Test func breaksAtSpacesWithinTheWidth() {
        let text = "rnnlab 0.1.0 — :help lists the commands, Tab completes, Ctrl-D leaves."
        let lines = WordWrap.wrap(text, width: 30).split(separator: "\n").map(String.init)
        #expect(lines == ["rnnlab 0.1.0 — :help lists the", "commands, Tab completes,", "Ctrl-D leaves."])
        #expect(lines.joined(separator: " ") == text)
    }

    @Test func hangingIndentAndKeptNewlines() {
        #expect(WordWrap.wrap("✗ aaa bbb ccc\nddd", width: 10, indent: 2) == "✗ aaa bbb\n  ccc\nddd")
    }

    @Test func aWordWiderThanTheLineStandsAlone() {
        #expect(WordWrap.wrap("a abcdefghijklmnop b", width: 10) == "a\nabcdefghijklmnop\nb")
    }

    @Test func widthCountsDisplayColumns() {
        // Each ideograph takes two columns: four of them fill eight of the ten.
        #expect(WordWrap.wrap("漢字漢字 x yz", width: 10) == "漢字漢字 x\nyz")
    }

    @Test func shortTextIsUnchanged() {
        #expect(WordWrap.wrap("fits", width: 80) == "fits")
        #expect(WordWrap.wrap("", width: 80) == "")
    }
}
