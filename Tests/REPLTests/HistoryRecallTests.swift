@testable import REPL
import Testing

/// Up and Down as IPython does them, without a terminal.
@Suite struct HistoryRecallTests {
    @Test func upWithNothingTypedWalksEveryEntry() {
        var r = HistoryRecall(entries: ["a = 1", "for i in 0..<2 {\nprint(i)\n}", "b = 2"])
        #expect(r.up(line: "") == "b = 2")
        #expect(r.up(line: "b = 2") == "for i in 0..<2 {\nprint(i)\n}")
        #expect(r.up(line: "for i in 0..<2 {\nprint(i)\n}") == "a = 1")
        #expect(r.up(line: "a = 1") == nil)
        #expect(r.down(line: "a = 1") == "for i in 0..<2 {\nprint(i)\n}")
        #expect(r.down(line: "for i in 0..<2 {\nprint(i)\n}") == "b = 2")
        #expect(r.down(line: "b = 2") == "")
        #expect(r.down(line: "") == nil)
    }

    @Test func upWithTextTypedFindsOnlyEntriesStartingWithIt() {
        var r = HistoryRecall(entries: ["train(m, x, y)", "x = 1", "tanh(x)", "train(m, x, y, epochs: 5)", "y = 2"])
        #expect(r.up(line: "tr") == "train(m, x, y, epochs: 5)")
        #expect(r.up(line: "train(m, x, y, epochs: 5)") == "train(m, x, y)")
        #expect(r.up(line: "train(m, x, y)") == nil)
        #expect(r.down(line: "train(m, x, y)") == "train(m, x, y, epochs: 5)")
        #expect(r.down(line: "train(m, x, y, epochs: 5)") == "tr")
        // An edited line starts a new search from what is there now.
        #expect(r.up(line: "x") == "x = 1")
        #expect(r.up(line: "x = 1!") == nil)
    }

    @Test func addingEndsTheWalkAndSkipsARepeat() {
        var r = HistoryRecall(entries: ["a"])
        #expect(r.up(line: "") == "a")
        r.add("b")
        r.add("b")
        #expect(r.entries == ["a", "b"])
        #expect(r.up(line: "") == "b")
    }
}
