import Figures
import Testing
@testable import Terminal

@Suite struct HeatmapTests {
    let plain = RenderOptions(width: 40)
    let signed: [[Double]] = [[-1, -0.5, 0, 0.5], [1, 0.25, -0.25, .nan], [0.1, -0.9, 0.75, 0]]

    @Test func signedDataUsesTheSymmetricRamp() {
        // Levels round((v + 1) / 2 · 8) into "#=-, .+*@": −1 → #, −0.5 → -, 0 → blank, 1 → @; NaN → ?.
        #expect(render(.heatmap(signed), options: plain) == [
            "  0 1 2 3",
            "0 ##--  ++",
            "1 @@..,,??",
            "2   ##**  ",
            "-1 ▕#=-, .+*@▏ 1",
            "(# most negative … blank 0 … @ most",
            "positive · ? not a number)",
        ].joined(separator: "\n"))
    }

    @Test func nonNegativeDataUsesTheSequentialRampAndLabels() {
        #expect(render(.heatmap([[0, 0.25], [0.5, 1]], rowLabels: ["in", "forget"], columnLabels: ["t0", "t1"],
                                title: "gates"), options: plain) == [
            "gates",
            "       t0 t1",
            "    in    :::",
            "forget +++@@@",
            "0 ▕ .:-=+*#%@▏ 1",
            "(blank smallest … @ largest)",
        ].joined(separator: "\n"))
    }

    @Test func legendIsSymmetricForSignedData() {
        let text = render(.heatmap([[-0.2, 0.8], [0.1, 0.3]]), options: plain)
        #expect(text.contains("\n-0.8 ▕#=-, .+*@▏ 0.8\n"))
        let forced = render(.heatmap([[0.2, 0.8]], scale: .diverging), options: plain)
        #expect(forced.contains("\n-0.8 ▕#=-, .+*@▏ 0.8\n"))
        let sequential = render(.heatmap([[-2, 3]], scale: .sequential), options: plain)
        #expect(sequential.contains("\n-2 ▕ .:-=+*#%@▏ 3\n"))
    }

    @Test func wideMatricesAreAveragedToTheWidth() {
        let text = render(.heatmap([(0..<200).map(Double.init)]), options: plain)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "  0        50        100      150")  // round indices of the averaged columns
        #expect(lines[1] == "0    ....::::----====++++****####%%%%@@@")
        #expect(lines.last == "(columns averaged 200 → 38)")
        #expect(lines.allSatisfy { $0.count <= 40 })
        // One column per cell when two do not fit but one does.
        let thirty = render(.heatmap([(0..<30).map(Double.init)]), options: plain)
        #expect(thirty.split(separator: "\n")[1].count == 2 + 30)
    }

    @Test func indexLabelsAreRoundNumbers() {
        #expect(render(.heatmap([(0..<12).map { Double($0) - 6 }], title: "W"), options: plain) == [
            "W",
            "  0   2   4   6   8   10",
            "0 ##====--,,,,  ....++****",
            "-6 ▕#=-, .+*@▏ 6",
            "(# most negative … blank 0 … @ most",
            "positive)",
        ].joined(separator: "\n"))
        #expect(Heatmap.roundIndexLabels(starts: Array(0...30), cellWidth: 1).prefix(6) == ["0", "", "", "", "", "5"])
    }

    @Test func tallMatricesAreAveragedToMaxRows() {
        let text = render(.heatmap((0..<100).map { [Double($0)] }), options: plain)
        #expect(text.contains("(rows averaged 100 → \(Heatmap.maxRows))"))
        #expect(text.split(separator: "\n").count == Heatmap.maxRows + 4)
    }

    @Test func colourAddsEscapesAndKeepsTheLayout() {
        let colored = render(.heatmap(signed, title: "W"), options: RenderOptions(width: 40, color: true))
        #expect(colored.contains("\u{1B}[38;5;124m"))  // the darkest red for +1
        #expect(colored.contains("\u{1B}[38;5;19m"))   // the darkest blue for −1
        #expect(colored.contains("\u{1B}[38;5;231m"))  // white for 0
        // The same picture down to the legend; the key under it names the colours instead of the marks.
        let stripped = ANSI.strip(colored).split(separator: "\n", omittingEmptySubsequences: false).prefix(6)
        let plainLines = render(.heatmap(signed, title: "W"), options: plain).split(separator: "\n", omittingEmptySubsequences: false).prefix(6)
        #expect(stripped.count == plainLines.count)
        for (a, b) in zip(stripped, plainLines) { #expect(a.count == b.count) }
        #expect(stripped[1] == plainLines[1])  // labels are identical text
    }

    @Test func degenerateInputNeverCrashes() {
        #expect(render(.heatmap([]), options: plain) == "(empty heatmap 0×0)")
        #expect(render(.heatmap([[]]), options: plain) == "(empty heatmap 1×0)")
        #expect(render(.heatmap([[.nan, .nan]]), options: plain).contains("0 ????"))
        #expect(render(.heatmap([[3]]), options: plain) == "  0\n0   \n3 ▕ .:-=+*#%@▏ 3\n(blank smallest … @ largest)")
        #expect(render(.heatmap([[0, 0]]), options: plain).contains("0 ▕#=-, .+*@▏ 0") == false)
        let ragged = render(.heatmap([[1, 2, 3], [4]]), options: plain)
        #expect(ragged.contains("1 @@????"))
        #expect(!render(.heatmap([[1, -1]]), options: RenderOptions(width: 1)).isEmpty)
    }

    /// The legend says what the marks mean, in the mode drawn: the characters without colour,
    /// the colours with it; `?` is explained only when a cell is not a number.
    @Test func theKeyNamesTheMarksInBothModes() {
        let wide = RenderOptions(width: 100)
        let plainSigned = render(.heatmap([[-1, 1]]), options: wide)
        #expect(plainSigned.hasSuffix("-1 ▕#=-, .+*@▏ 1\n(# most negative … blank 0 … @ most positive)"))
        let plainGates = render(.heatmap([[0.1, 0.9], [.nan, 0.5]]), options: wide)
        #expect(plainGates.hasSuffix("\n(blank smallest … @ largest · ? not a number)"))
        let colored = ANSI.strip(render(.heatmap([[-1, 1]]), options: RenderOptions(width: 100, color: true)))
        #expect(colored.hasSuffix("\n(dark blue most negative … white 0 … dark red most positive)"))
        let coloredGates = ANSI.strip(render(.heatmap([[0.1, 0.9]]), options: RenderOptions(width: 100, color: true)))
        #expect(coloredGates.hasSuffix("\n(dark purple smallest … yellow largest)"))
        // At 60 columns the key wraps at a space, never past the width.
        let narrow = render(.heatmap([[-1, 1]]), options: RenderOptions(width: 30))
        #expect(narrow.split(separator: "\n").allSatisfy { $0.count <= 30 })
    }
}
