import Figures
import Testing
@testable import Terminal

@Suite struct BarsTests {
    let plain = RenderOptions(width: 40)

    @Test func labelsBarsAndAlignedValues() {
        // 40 − label 3 − value 4 − 2 spaces = 31 columns for the largest value; 1.5 is 15.5 columns
        // (▌ is 4/8), 0.25 is 2.58 → 21 eighths = 2 blocks and ▋ (5/8).
        #expect(render(.bars([3, 1.5, 0.25], labels: ["a", "bb", "ccc"], title: "counts"), options: plain) == [
            "counts",
            "a   ███████████████████████████████    3",
            "bb  ███████████████▌                 1.5",
            "ccc ██▋                             0.25",
        ].joined(separator: "\n"))
    }

    @Test func negativeValuesGrowLeftOfAZeroAxis() {
        #expect(render(.bars([2, -1, 0.5], labels: ["x", "y", "z"]), options: plain) == [
            "x            │██████████████████████   2",
            "y ███████████│                        -1",
            "z            │█████▌                 0.5",
        ].joined(separator: "\n"))
    }

    @Test func missingLabelsAreIndicesAndColourKeepsTheLayout() {
        let figure = Figure.bars([1, 2])
        let text = render(figure, options: plain)
        #expect(text.hasPrefix("0 "))
        #expect(text.split(separator: "\n")[1].hasPrefix("1 "))
        let colored = render(figure, options: RenderOptions(width: 40, color: true))
        #expect(colored.contains(ANSI.foreground(Bars.color)))
        #expect(ANSI.strip(colored) == text)
    }

    @Test func degenerateInputNeverCrashes() {
        #expect(render(.bars([]), options: plain) == "(no bars)")
        let blank = String(repeating: " ", count: 38)
        #expect(render(.bars([0, 0]), options: plain) == "0\(blank)0\n1\(blank)0")
        let nan = render(.bars([.nan, 1], labels: ["n", "one"]), options: plain).split(separator: "\n")
        #expect(nan[0] == "n" + String(repeating: " ", count: 36) + "nan")
        #expect(nan[1].hasSuffix("█   1"))
        #expect(!render(.bars([1, -1, .infinity]), options: RenderOptions(width: 1)).isEmpty)
        #expect(render(.bars([.nan, .nan]), options: plain) == "0\(String(repeating: " ", count: 36))nan\n1\(String(repeating: " ", count: 36))nan")
        #expect(render(.bars([4.2], labels: ["only"]), options: plain) == "only " + String(repeating: "█", count: 31) + " 4.2")
        #expect(Bars.bar(0) == "" && Bars.bar(1.5) == "█▌" && Bars.bar(.nan) == "")
    }
}
