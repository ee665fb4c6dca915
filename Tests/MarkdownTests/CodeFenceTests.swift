import Testing
@testable import Markdown

@Suite struct CodeFenceTests {
    @Test func fencesAreFoundWithTheirInfoContentAndLines() {
        let lines = ["text", "```rnn error", "x = 1", "````", "", "  ```output", "1", "```", "after"]
        let fences = CodeFence.all(in: lines)
        #expect(fences.count == 2)
        #expect(fences[0] == CodeFence(info: ["rnn", "error"], content: ["x = 1"], open: 1, close: 3, ticks: 3))
        #expect(fences[1].info == ["output"] && fences[1].text == "1" && fences[1].open == 5 && fences[1].close == 7)
    }

    /// A closing fence needs at least as many backticks; a fence inside one is content.
    @Test func aLongerFenceHoldsShorterOnes() {
        let fences = CodeFence.all(in: "````md\n```rnn\nx\n```\n````\n")
        #expect(fences.count == 1)
        #expect(fences[0].content == ["```rnn", "x", "```"])
        #expect(fences[0].close == 4)
    }

    @Test func anUnclosedFenceRunsToTheEnd() {
        let fences = CodeFence.all(in: ["```rnn", "x = 1", "y = 2"])
        #expect(fences.count == 1)
        #expect(fences[0].close == nil)
        #expect(fences[0].content == ["x = 1", "y = 2"])
    }

    /// Four spaces make indented code, not a fence; a "\r" before the newline is not part of the line.
    @Test func indentationAndLineEndings() {
        #expect(CodeFence.opening("    ```rnn") == nil)
        #expect(CodeFence.opening("   ```rnn")?.info == ["rnn"])
        #expect(CodeFence.all(in: "```rnn\r\nx\r\n```\r\n").first?.content == ["x"])
        #expect(!CodeFence.closes("``` x", ticks: 3))
    }
}
