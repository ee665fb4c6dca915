import Engine
import Figures
import Testing
@testable import Terminal

/// Every renderer against values at the edges of the doubles: huge (ranges whose width overflows
/// to ∞), subnormal, infinite, NaN, constant, single and empty series. Each must return — a loop
/// that never ends makes this suite hang rather than pass — with output bounded by the picture's
/// size, and without the C library's "-nan".
@Suite struct HostileValuesTests {
    static let big = Double.greatestFiniteMagnitude
    static let tiny = Double.leastNonzeroMagnitude
    static let series: [[Double]] = [
        [], [.nan], [.nan, .nan, .nan], [.infinity], [-.infinity, .infinity], [.nan, .infinity, -.infinity],
        [1e308, -1e308], [big, -big], [big, big], [-big], [big, 0, -big, 1], [1e308, 1e308, 1e308],
        [1e-320, 2e-320], [tiny], [tiny, 0], [0, tiny, -tiny], [1e-320, 1e308], [-1e308, 1e-320, .nan],
        [5, 5, 5], [7], [0], [1, .nan, 3, .infinity, -1e308], [1e300, -1e300, 1e-300],
    ]
    static let options = RenderOptions(width: 60, color: false)

    /// Lines and characters a picture of the given height may use, whatever its data.
    func expectBounded(_ text: String, maxLines: Int = 40, _ comment: Comment) {
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).count <= maxLines, comment)
        #expect(text.count <= 10_000, comment)
        #expect(!text.contains("-nan"), comment)
    }

    @Test(arguments: series) func linePlot(_ values: [Double]) {
        for log in [false, true] {
            let figure = Figure.linePlot([values, values.reversed()], logScale: log, height: 8)
            expectBounded(render(figure, options: Self.options), "plot \(values) log \(log)")
            // The same values as x, against the index as y.
            var withX = Figure.linePlot([values.indices.map(Double.init)], logScale: log, height: 8)
            withX.x = values
            expectBounded(render(withX, options: Self.options), "plot with x \(values) log \(log)")
        }
    }

    @Test(arguments: series) func sparkline(_ values: [Double]) {
        expectBounded(render(.sparkline(values, title: "s"), options: Self.options), "spark \(values)")
        #expect(Sparkline.render(values, width: 10).count <= 10)
    }

    @Test(arguments: series) func heatmap(_ values: [Double]) {
        for scale in HeatmapScale.allCases {
            let figure = Figure(kind: .heatmap, matrix: [values, values.reversed(), values], scale: scale)
            expectBounded(render(figure, options: Self.options), "heatmap \(values) \(scale)")
        }
    }

    @Test(arguments: series) func bars(_ values: [Double]) {
        let text = render(.bars(values), options: Self.options)
        expectBounded(text, "bars \(values)")
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 60 })
    }

    @Test(arguments: series) func numbersAndTensors(_ values: [Double]) {
        for x in values { #expect(compactNumber(x).count <= 12) }
        expectBounded(TensorFormatter.formatBody(shape: [values.count], values: values, options: Self.options),
                      "tensor \(values)")
        for x in values {
            let scalar = TensorFormatter.formatBody(shape: [], values: [x], options: Self.options)
            #expect(scalar.count <= 24, "scalar \(x): \(scalar)")
        }
    }

    /// The report: this looped for ever, growing memory by the gigabyte.
    @Test func aRangeWiderThanTheDoublesIsDrawnWithRoundTicks() {
        let text = render(.linePlot([[1e308, -1e308]], height: 5), options: Self.options)
        #expect(text.contains("1e+308"))
        #expect(text.contains("-1e+308"))
        #expect(text.contains("●"))
    }

    @Test func infiniteValuesAreLeftOutWithANote() {
        let text = render(.linePlot([[1, .nan, 3, .infinity]], height: 4), options: Self.options)
        #expect(text.contains("(1 value is ±inf: left out)"))
        // NaN is a gap ("no value here", as a validation loss between evaluations): no note.
        #expect(!render(.linePlot([[1, .nan, 3]], height: 4), options: Self.options).contains("left out"))
        #expect(render(.linePlot([[.nan, -.infinity]]), options: Self.options)
                == "(nothing to plot: all 2 values are nan or ±inf)")
    }

    @Test func valueRangeArithmeticStaysFinite() {
        let r = ValueRange(lo: -Self.big, hi: Self.big)!
        #expect(r.span == nil)
        #expect(r.fraction(0) == 0.5)
        #expect(r.fraction(Self.big) == 1)
        #expect(r.value(at: 0.5) == 0)
        #expect(r.step(dividedInto: 4).isFinite)
        #expect(r.multiples(of: 1).isEmpty)  // 10³⁰⁸ ticks would be needed: none, not a hang
        #expect(ValueRange(lo: 1e308, hi: 1e308 * 1.0000001)!.multiples(of: 1).isEmpty)
        #expect(ValueRange(lo: 0, hi: 1)!.multiples(of: 0.25) == [0, 0.25, 0.5, 0.75, 1])
        #expect(ValueRange.around(Self.big).hi.isFinite)
        #expect(ValueRange.around(Self.tiny).hi > ValueRange.around(Self.tiny).lo)
        #expect(finiteMean([1e308, 1e308]) == 1e308)
    }
}
