import Testing
@testable import FigureSVG

/// Nice ticks: multiples of 1, 2, 5 × 10ᵏ, labelled with as many decimals as the step needs.
@Suite struct TicksTests {
    @Test func stepsAreOneTwoOrFiveTimesAPowerOfTen() {
        #expect(Ticks.niceStep(0.23) == 0.2)
        #expect(Ticks.niceStep(0.4) == 0.5)
        #expect(Ticks.niceStep(7) == 5)
        #expect(Ticks.niceStep(8) == 10)
        #expect(Ticks.niceStep(1400) == 1000)
        #expect(Ticks.niceStep(0.3, integral: true) == 1)
        #expect(Ticks.niceStep(.nan) == 1 && Ticks.niceStep(-2) == 1)
    }

    @Test func ticksOverKnownRanges() throws {
        let unit = Ticks.values(try #require(DataRange(lo: 0, hi: 1)), target: 5)
        #expect(unit.step == 0.2)
        #expect(Ticks.labels(unit.values, step: unit.step) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        let epochs = Ticks.values(try #require(DataRange(lo: 0, hi: 99)), target: 6, integral: true)
        #expect(epochs.values == [0, 20, 40, 60, 80])
        #expect(Ticks.labels(epochs.values, step: epochs.step) == ["0", "20", "40", "60", "80"])
        let signed = Ticks.values(try #require(DataRange(lo: -0.81, hi: 0.81)), target: 4)
        #expect(signed.values.contains(0))
        #expect(Ticks.labels(signed.values, step: signed.step) == ["-0.5", "0.0", "0.5"])
        let tiny = Ticks.values(try #require(DataRange(lo: 0, hi: 1e-5)), target: 5)
        #expect(Ticks.labels(tiny.values, step: tiny.step) == ["0", "2e-06", "4e-06", "6e-06", "8e-06", "1e-05"])
        let huge = Ticks.values(try #require(DataRange(lo: 0, hi: 3e8)), target: 3)
        #expect(Ticks.labels(huge.values, step: huge.step) == ["0", "1e+08", "2e+08", "3e+08"])
    }

    /// Ranges no loop could walk by adding a step: bounded, finite, in order.
    @Test func extremeRangesGiveFewFiniteTicks() throws {
        for range in [DataRange(lo: -1e308, hi: 1e308), DataRange(lo: 1e300, hi: 1e300 * (1 + 1e-15)),
                      DataRange(lo: 5e-324, hi: 1e-323), DataRange(lo: 3, hi: 3)] {
            let r = try #require(range)
            let t = Ticks.values(r, target: 5)
            #expect(!t.values.isEmpty && t.values.count < 20)
            #expect(t.values.allSatisfy { $0.isFinite })
            #expect(zip(t.values, t.values.dropFirst()).allSatisfy { $0 < $1 })
        }
    }

    @Test func compactNumbersMatchTheTerminal() {
        #expect(compactNumber(0.012345) == "0.01235")
        #expect(compactNumber(1234567) == "1.235e+06")
        #expect(compactNumber(2.5) == "2.5")
        #expect(compactNumber(-0.0) == "0")
        #expect(compactNumber(.nan) == "nan" && compactNumber(-.infinity) == "-inf")
    }

    @Test func coordinatesHaveTwoDecimalsAndNeverNaN() {
        #expect(SVGNumber.format(1.234) == "1.23" && SVGNumber.format(1.236) == "1.24")
        #expect(SVGNumber.format(12.5) == "12.5")
        #expect(SVGNumber.format(0.04) == "0.04")
        #expect(SVGNumber.format(-0.001) == "0")
        #expect(SVGNumber.format(-3.25) == "-3.25")
        #expect(SVGNumber.format(.nan) == "0" && SVGNumber.format(.infinity) == "0")
    }
}
