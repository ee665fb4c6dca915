import Foundation
import Figures
import Testing
@testable import Terminal

@Suite struct LinePlotTests {
    let plain = RenderOptions(width: 40)

    /// A log axis labels every decade it spans, on neighbouring rows if need be; with more
    /// decades than rows, every k-th one, evenly.
    @Test func aLogAxisLabelsEveryDecade() {
        func decades(_ ticks: [Int: String]) -> [Int] {
            ticks.values.compactMap { Double($0) }.map { Int(log10($0).rounded()) }.sorted()
        }
        #expect(decades(LinePlot.yTicks(ValueRange(lo: -9, hi: -1)!, log: true, height: 12)) == Array(-9 ... -1))
        let wide = decades(LinePlot.yTicks(ValueRange(lo: -40, hi: 0)!, log: true, height: 12))
        #expect(wide.count >= 5)
        #expect(Set(zip(wide, wide.dropFirst()).map { $1 - $0 }).count == 1)   // evenly spaced
    }

    @Test func twoSeriesWithAxesAndLegend() {
        let figure = Figure.linePlot([[1, 2, 3, 4, 5, 6, 7, 8], [8, 6, 4, 2, 1, 1, 1, 1]],
                                     labels: ["up", "down"], title: "two", height: 6)
        #expect(render(figure, options: plain) == [
            "two",
            "7.5 ┤××                             ●●●●",
            "    │  ××××                  ●●●●●●●",
            "  5 ┤      ×××        ●●●●●●●",
            "    │         ×××●●●●●",
            "2.5 ┤    ●●●●●●● ×××××",
            "    │●●●●             ××××××××××××××××××",
            "    └┬───────────────────────┬─────────┬",
            "     0                       5         7",
            "     ● up  × down",
        ].joined(separator: "\n"))
    }

    @Test func logScaleLeavesOutNonPositiveValuesWithANote() {
        let figure = Figure.linePlot([[1000, 100, 10, 1, 0.1, 0, -1], [1, 1, 1, 1, 1, 1, 1]],
                                     labels: ["loss", "one"], logScale: true, height: 7)
        #expect(render(figure, options: plain) == [
            "1000 ┤●●",
            " 100 ┤  ●●●●●",
            "     │      ●●●●",
            "  10 ┤          ●●●",
            "   1 ┤××××××××××××××××××××××××××××××××××",
            "     │                 ●●●●",
            " 0.1 ┤                     ●●",
            "     └┬──────────┬──────────┬──────────┬",
            "      0          2          4          6",
            "      ● loss  × one",
            "      y: log scale",
            "      (log scale: 2 values ≤ 0 left out)",
        ].joined(separator: "\n"))
        let nothing = render(.linePlot([[0, -1]], logScale: true), options: plain)
        #expect(nothing == "(nothing to plot: all 2 values are ≤ 0, which a log scale cannot show)")
    }

    @Test func explicitXAndLabels() {
        let figure = Figure.linePlot([[0, 1, 0.5]], x: [0.1, 0.2, 0.3], xLabel: "lr", yLabel: "loss", height: 4)
        let text = render(figure, options: plain)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 4 + 2 + 2)
        #expect(lines[0].hasPrefix("1 ┤" + String(repeating: " ", count: 16) + "●"))  // y = 1 at the middle x
        #expect(lines[4].hasPrefix("  └┬"))
        #expect(lines[5] == "   0.1              0.2              0.3")
        #expect(lines[5].hasSuffix("0.3"))
        #expect(lines[6].trimmingSpaces == "lr")
        #expect(lines[7].trimmingSpaces == "y: loss")
        #expect(lines.allSatisfy { $0.count <= 40 })
    }

    @Test func heightAndWidthFollowOptions() {
        let series = (0..<500).map { Double($0 % 17) }
        let text = render(.linePlot([series]), options: RenderOptions(width: 60, plotHeight: 8))
        let lines = text.split(separator: "\n")
        #expect(lines.count == 8 + 2)
        #expect(lines.allSatisfy { $0.count <= 60 })
    }

    @Test func colourGivesEachSeriesItsOwnColourAndKeepsTheLayout() {
        let figure = Figure.linePlot([[1, 2, 3], [3, 2, 1]], labels: ["a", "b"], height: 5)
        let colored = render(figure, options: RenderOptions(width: 40, color: true))
        #expect(colored.contains(ANSI.foreground(LinePlot.colors[0]) + "●"))
        #expect(colored.contains(ANSI.foreground(LinePlot.colors[1]) + "×"))
        #expect(ANSI.strip(colored) == render(figure, options: plain))
    }

    @Test func niceSteps() {
        #expect(LinePlot.niceStep(0.49) == 0.5)
        #expect(LinePlot.niceStep(24.75) == 25)
        #expect(LinePlot.niceStep(3.5, integral: true) == 5)
        #expect(LinePlot.niceStep(0.3, integral: true) == 1)
        #expect(LinePlot.niceStep(.nan) == 1)
    }

    @Test func degenerateInputNeverCrashes() {
        #expect(render(.linePlot([]), options: plain) == "(empty plot)")
        #expect(render(.linePlot([[]]), options: plain) == "(empty plot)")
        #expect(render(.linePlot([[.nan, .nan]]), options: plain) == "(nothing to plot: all 2 values are nan or ±inf)")
        let single = render(.linePlot([[2.5]], height: 3), options: plain)
        #expect(single.contains("●"))
        #expect(single.contains("2.5"))
        let constant = render(.linePlot([[1, 1, 1]], height: 3), options: plain)
        #expect(constant.split(separator: "\n")[1].contains("●●●"))
        // Rounding noise (spread below 10⁻⁹ of the values) draws like the constant series.
        let noisy = render(.linePlot([[1, 1 + 1e-16, 1 + 2e-16]], height: 3), options: plain)
        #expect(noisy == constant)
        let noisyLog = render(.linePlot([[10, 10 * (1 + 1e-15), 10]], logScale: true, height: 3), options: plain)
        #expect(noisyLog == render(.linePlot([[10, 10, 10]], logScale: true, height: 3), options: plain))
        #expect(!render(.linePlot([[1, .nan, 3, .infinity]], x: [0, 1]), options: RenderOptions(width: 1)).isEmpty)
        #expect(!render(.linePlot([[1, 2]], height: 0), options: plain).isEmpty)
        #expect(render(.linePlot([[1, 2]], height: 100_000), options: plain).split(separator: "\n").count == 200 + 2)
    }
}
