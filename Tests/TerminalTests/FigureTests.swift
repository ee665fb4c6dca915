import Figures
import Foundation
import Testing
@testable import Terminal

@Suite struct FigureTests {
    @Test func constructorsFillTheirFields() {
        let s = Figure.sparkline([1, 2], title: "t")
        #expect(s.kind == .sparkline && s.series == [[1, 2]] && s.title == "t")
        let h = Figure.heatmap([[1, 2], [3, 4]], rowLabels: ["a", "b"])
        #expect(h.kind == .heatmap && h.matrixShape == (2, 2) && h.scale == .auto)
        let p = Figure.linePlot([[1], [2]], labels: ["a", "b"], logScale: true)
        #expect(p.kind == .linePlot && p.logScale && p.seriesLabels == ["a", "b"])
        let b = Figure.bars([1], labels: ["x"])
        #expect(b.kind == .bars && b.values == [1] && b.labels == ["x"])
        let u = Figure.unroll(UnrolledGraph(cell: .gru, inputSize: 1, hiddenSize: 2, initial: 0, states: [1], outputs: [1], inputs: [-2]))
        #expect(u.kind == .unroll && u.title == "gru unrolled" && u.unroll?.steps == 1 && u.validationError == nil)
        #expect(FigureKind.allCases.map(\.rawValue) == ["sparkline", "heatmap", "linePlot", "bars", "diagram", "unroll", "architecture"])
    }

    @Test func steppedDiagramsAndUnrolledGraphsSurviveJSON() throws {
        let values = CellStepValues(step: 1, steps: 3, row: 0, batch: 2, units: [0, 1], part: "layer 1, reverse direction",
                                    vectors: [.init(name: "f", values: [0.98, 0.5]), .init(name: "h_prev", values: [0.1, -0.2])])
        let diagram = Figure.diagram(CellDiagram(cell: .lstm, inputSize: 3, hiddenSize: 2, values: values))
        let graph = Figure.unroll(UnrolledGraph(cell: .rnn, inputSize: 3, hiddenSize: 2, row: 1, batch: 2, initial: 0,
                                                states: [0.5, 0.25], outputs: [0.5, 0.25], inputs: [1, 2], gradients: [1e-9, 1]))
        for figure in [diagram, graph] {
            #expect(try JSONDecoder().decode(Figure.self, from: JSONEncoder().encode(figure)) == figure)
        }
        var ragged = graph
        ragged.unroll?.gradients = [1]
        #expect(ragged.validationError == "unroll: 2 states but 1 gradients")
    }

    @Test func jsonRoundTrip() throws {
        let figure = Figure.linePlot([[1, .nan, 3], [0.5]], labels: ["a", "b"], title: "loss", logScale: true)
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let data = try encoder.encode(figure)
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains("\"kind\":\"linePlot\""))
        #expect(json.contains("\"nan\""))
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let back = try decoder.decode(Figure.self, from: data)
        #expect(back.series[0][1].isNaN)
        var a = back, b = figure
        a.series[0][1] = 0; b.series[0][1] = 0  // NaN ≠ NaN; everything else must survive exactly
        #expect(a == b)
        let plain = Figure.heatmap([[1, -1]], columnLabels: ["x", "y"], scale: .diverging)
        #expect(try JSONDecoder().decode(Figure.self, from: JSONEncoder().encode(plain)) == plain)
    }

    @Test func validationNamesTheProblem() {
        #expect(Figure.heatmap([[1, 2], [3]]).validationError == "heatmap: rows have different lengths [1, 2]")
        #expect(Figure.heatmap([[1]], rowLabels: ["a", "b"]).validationError == "heatmap: 1 rows but 2 row labels")
        #expect(Figure.linePlot([[1, 2]], labels: ["a", "b"]).validationError == "plot: 1 series but 2 labels")
        #expect(Figure.linePlot([[1, 2]], x: [1]).validationError == "plot: x has 1 values but series 1 has 2")
        #expect(Figure.bars([1], labels: []).validationError == "bars: 1 values but 0 labels")
        #expect(Figure(kind: .sparkline).validationError == "a sparkline has exactly one series, got 0")
        #expect(Figure.heatmap([[1, 2]]).validationError == nil)
    }

    @Test func rendererDispatchesOnKind() {
        let o = RenderOptions(width: 40)
        #expect(render(.sparkline([0, 1]), options: o) == Sparkline.render([0, 1]) + "  0 … 1")
        #expect(render(.heatmap([[1]]), options: o) == Heatmap.render(.heatmap([[1]]), options: o))
        #expect(render(.bars([1]), options: o) == Bars.render(.bars([1]), options: o))
        #expect(render(.linePlot([[1, 2]]), options: o) == LinePlot.render(.linePlot([[1, 2]]), options: o))
        #expect(FigureRenderer.render(.bars([1]), options: o) == render(.bars([1]), options: o))
        // A figure of one kind with another kind's data still draws (empty), never traps.
        for kind in FigureKind.allCases { #expect(!render(Figure(kind: kind), options: o).contains("\u{1B}")) }
    }

    @Test func compactNumbers() {
        #expect(compactNumber(0.12345) == "0.1235")
        #expect(compactNumber(0.0012345) == "0.001234" || compactNumber(0.0012345) == "0.001235")
        #expect(compactNumber(2.5) == "2.5")
        #expect(compactNumber(1234.5678) == "1235")
        #expect(compactNumber(1234567) == "1.235e+06")
        #expect(compactNumber(0.00001234) == "1.234e-05")
        #expect(compactNumber(-0.0) == "0")
        #expect(compactNumber(-3) == "-3")
        #expect(compactNumber(.nan) == "nan" && compactNumber(-.infinity) == "-inf")
    }
}
