import Foundation
import Testing
import Figures
@testable import FigureSVG

/// One golden document per kind (and per case a reader would look at: signed and non-negative
/// heatmaps, several series with a gap, a log axis, negative bars). Each is also parsed as XML and
/// drawn twice to show that it is well-formed and deterministic.
@Suite struct GoldenTests {
    static let names = ["heatmap-signed.svg", "heatmap-gates-nan.svg", "plot-two-series.svg", "plot-log.svg", "sparkline.svg", "bars.svg", "unroll-gradients.svg", "unroll-long.svg",
                         "cell-lstm.svg", "cell-gru-stacked.svg", "cell-rnn-relu.svg"]

    /// The figure of each golden (one function per case: a single literal of them all is more than
    /// the type checker takes in reasonable time).
    static func figure(_ name: String) -> Figure? {
        switch name {
        case "heatmap-signed.svg":
            let m: [[Double]] = [[-1, -0.5, 0, 0.5], [1, 0.25, -0.25, 0], [0.1, -0.9, 0.6, -0.3]]
            return Figure.heatmap(m, rowLabels: ["h1", "h2", "h3"], columnLabels: ["t=0", "t=1", "t=2", "t=3"],
                                  title: "hidden state", xLabel: "time", yLabel: "unit")
        case "heatmap-gates-nan.svg":
            var m: [[Double]] = []
            for r in 0..<6 {
                var row: [Double] = []
                for c in 0..<10 { row.append(r == 2 && c == 3 ? .nan : sigmoid(Double(r * c - 12) / 6)) }
                m.append(row)
            }
            return Figure.heatmap(m, title: "σ gate")
        case "plot-two-series.svg":
            let train: [Double] = [2.3, 1.6, 1.1, 0.8, 0.62, 0.5, 0.44, 0.4]
            let valid: [Double] = [.nan, 1.8, .nan, 1.0, 0.9, 0.85, 0.83, 0.84]
            return Figure.linePlot([train, valid], labels: ["train", "valid"], title: "loss", xLabel: "epoch", yLabel: "cross-entropy")
        case "plot-log.svg":
            let norms: [Double] = [1, 0.3, 0.05, 0.01, 0.002, 0.0004, 0]
            return Figure.linePlot([norms], title: "gradient norm", logScale: true)
        case "sparkline.svg":
            return Figure.sparkline((0..<30).map { (k: Int) -> Double in sin(Double(k) / 4) }, title: "sin")
        case "bars.svg":
            let values: [Double] = [2.05, 0.73, -0.4, .nan, 0.09]
            return Figure.bars(values, labels: ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "head"], title: "gradient norms")
        case "unroll-gradients.svg":
            let states: [Double] = [0.5, 0.71, 0.8, 0.83, 0.9]
            let inputs: [Double] = [1.2, 0.3, 1.7, 1, 0.2]
            let gradients: [Double] = [3.1e-9, 0.0004, 0.02, 0.3, 1]
            return Figure.unroll(UnrolledGraph(cell: .lstm, inputSize: 3, hiddenSize: 4, row: 0, batch: 2, initial: 0,
                                               states: states, outputs: states, inputs: inputs, gradients: gradients))
        case "unroll-long.svg":
            let states = (0..<30).map { (k: Int) -> Double in Double(k) / 30 }
            return Figure.unroll(UnrolledGraph(cell: .rnn, inputSize: 1, hiddenSize: 1, initial: 0, states: states, outputs: states,
                                               inputs: Array(repeating: 1, count: 30)))
        case "cell-lstm.svg":
            return Figure.diagram(CellDiagram(cell: .lstm, inputSize: 3, hiddenSize: 4))
        case "cell-gru-stacked.svg":
            return Figure.diagram(CellDiagram(cell: .gru, inputSize: 5, hiddenSize: 2, layers: 2, bidirectional: true))
        case "cell-rnn-relu.svg":
            return Figure.diagram(CellDiagram(cell: .rnn, nonlinearity: "relu", inputSize: 1, hiddenSize: 8))
        default:
            return nil
        }
    }

    static func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }

    @Test(arguments: names)
    func everyKindMatchesItsGolden(_ name: String) throws {
        let figure = try #require(GoldenTests.figure(name))
        let document = try #require(SVGFigure.document(figure))
        #expect(ParsedSVG(document) != nil)
        #expect(SVGFigure.document(figure) == document, "the same figure must give the same bytes")
        try expectGolden(document, name)
    }

    @Test func theDocumentIsStandaloneAndScales() throws {
        let document = try #require(SVGFigure.document(.bars([1, 2])))
        #expect(document.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(document.hasSuffix("</svg>\n"))
        let svg = try #require(ParsedSVG(document)?.all("svg").first)
        let box = try #require(svg.attributes["viewBox"]).split(separator: " ").compactMap { Double($0) }
        #expect(box.count == 4 && box[0] == 0 && box[1] == 0)
        #expect(Double(svg.attributes["width"] ?? "") == box[2] && Double(svg.attributes["height"] ?? "") == box[3])
        // No external resources and nothing referred to by id (several SVGs share a notebook page).
        #expect(!document.contains("href") && !document.contains("url(") && !document.contains(" id=") && !document.contains("@import"))
    }

    @Test func architecturesAndSteppedDiagramsAreNotDrawnAsSVGYet() {
        let sketch = Figure.architecture(ArchitectureSketch(architecture: .manyToOne, model: "classifier",
                                                            rnn: .init(cell: .gru, inputSize: 2, hiddenSize: 3)))
        #expect(SVGFigure.document(sketch) == nil && !SVGFigure.draws(sketch))
        let values = CellStepValues(step: 0, steps: 2, row: 0, batch: 1, units: [0], vectors: [.init(name: "h", values: [0.5])])
        let stepped = Figure.diagram(CellDiagram(cell: .rnn, inputSize: 1, hiddenSize: 1, values: values))
        #expect(SVGFigure.document(stepped) == nil && !SVGFigure.draws(stepped))
        let bare = Figure.diagram(CellDiagram(cell: .rnn, inputSize: 1, hiddenSize: 1))
        #expect(SVGFigure.document(bare) != nil && SVGFigure.draws(bare))
    }

    @Test func aCellDiagramCarriesTheModelsShapesAndEquations() throws {
        let figure = Figure.diagram(CellDiagram(cell: .lstm, inputSize: 3, hiddenSize: 4))
        let document = try #require(SVGFigure.document(figure))
        let texts = try #require(ParsedSVG(document)).texts
        for t in ["lstm cell", "cₜ₋₁", "hₜ₋₁", "xₜ", "(B, 3)", "(B, 4)", "f", "i", "g", "o", "tanh", "σ",
                  "W_ih (16, 3), W_hh (16, 4), b_ih, b_hh (16)", "cₜ = f ⊙ cₜ₋₁ + i ⊙ g,  hₜ = o ⊙ tanh(cₜ)"] {
            #expect(texts.contains(t), "\(t)")
        }
        let gruDocument = try #require(SVGFigure.document(.diagram(CellDiagram(cell: .gru, inputSize: 5, hiddenSize: 2, bias: false))))
        let gru = try #require(ParsedSVG(gruDocument)).texts
        #expect(gru.contains("n = tanh(W_in xₜ + r ⊙ (W_hn hₜ₋₁))") && gru.contains("1−") && gru.contains("W_ih (6, 5), W_hh (6, 2), no bias"))
    }

    @Test func aLongUnrollDrawsTheEndsAroundAGap() throws {
        let figure = try #require(GoldenTests.figure("unroll-long.svg"))
        let document = try #require(SVGFigure.document(figure))
        let texts = try #require(ParsedSVG(document)).texts
        #expect(texts.contains("…") && texts.contains("4") && texts.contains("25") && !texts.contains("5") && !texts.contains("24"))
        #expect(texts.contains { $0.hasPrefix("30 steps (5…24 left out)") })
        // The wire into step 25 carries h₂₄.
        #expect(texts.contains("0.8"))
    }
}
