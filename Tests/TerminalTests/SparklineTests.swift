import Figures
import Testing
@testable import Terminal

@Suite struct SparklineTests {
    @Test func eightLevelsExactly() {
        #expect(Sparkline.render((0..<8).map(Double.init)) == "▁▂▃▄▅▆▇█")
        // round((v − 1) / 7 · 7): 1 → ▁, 8 → █, 4.5 → level 3.5 rounded up → ▅
        #expect(Sparkline.render([1, 8, 4.5, 2]) == "▁█▅▂")
        #expect(Sparkline.render([0, 0.5, 1]) == "▁▅█")
    }

    @Test func constantNaNAndEmpty() {
        #expect(Sparkline.render([3, 3, 3]) == "▄▄▄")
        #expect(Sparkline.render([1, .nan, 2]) == "▁ █")
        #expect(Sparkline.render([.nan, .nan]) == "  ")
        #expect(Sparkline.render([0, .infinity, 1]) == "▁ █")
        #expect(Sparkline.render([]) == "")
        #expect(Sparkline.render([5]) == "▄")
    }

    /// Rounding noise is no spread: ones(10) + arange(10)·1e-16 draws like ones(10), not a staircase.
    @Test func spreadBelowRoundingIsFlat() {
        let noisy = (0..<10).map { 1 + Double($0) * 1e-16 }
        #expect(Sparkline.render(noisy) == Sparkline.render(Array(repeating: 1, count: 10)))
        #expect(Sparkline.render(noisy) == "▄▄▄▄▄▄▄▄▄▄")
        #expect(Sparkline.render([1e6, 1e6 + 1e-5, 1e6]) == "▄▄▄")
        #expect(Sparkline.render([-2, -2 - 1e-12]) == "▄▄")
        // A real spread, however small in absolute terms, still shows.
        #expect(Sparkline.render([1e-20, 3e-20]) == "▁█")
        #expect(Sparkline.render([0, 2e-20, 1e-20]) == "▁█▅")
        #expect(Sparkline.render([1, 1 + 1e-6]) == "▁█")
        #expect(Sparkline.isFlat(lo: 0, hi: 0))
        #expect(!Sparkline.isFlat(lo: 0, hi: 1e-300))
    }

    @Test func longSeriesAreAveragedToTheWidth() {
        // 16 values into 8 columns: the mean of each pair, 0.5, 2.5, …, 14.5 — evenly spread.
        #expect(Sparkline.resample((0..<16).map(Double.init), to: 8) == [0.5, 2.5, 4.5, 6.5, 8.5, 10.5, 12.5, 14.5])
        #expect(Sparkline.render((0..<16).map(Double.init), width: 8) == "▁▂▃▄▅▆▇█")
        #expect(Sparkline.render((0..<1000).map(Double.init), width: 10).count == 10)
        #expect(Sparkline.resample([.nan, .nan, 1, 3], to: 2).map { $0.isNaN ? -1 : $0 } == [-1, 2])
        #expect(Sparkline.render([1, 2], width: 10) == "▁█")
    }

    @Test func figureShowsTitleAndRange() {
        let o = RenderOptions(width: 40)
        #expect(render(.sparkline([1, 5, 2, 8, .nan, 3], title: "s"), options: o) == "s ▁▅▂█ ▃  1 … 8")
        #expect(render(.sparkline([]), options: o) == "")
        #expect(render(.sparkline([.nan]), options: o) == " ")
        let colored = render(.sparkline([1, 2], title: "s"), options: RenderOptions(width: 40, color: true))
        #expect(colored.contains("\u{1B}["))
        #expect(ANSI.strip(colored) == "s ▁█  1 … 2")
    }
}
