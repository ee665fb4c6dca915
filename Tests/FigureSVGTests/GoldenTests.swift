import Foundation
import Testing
import Figures
@testable import FigureSVG

/// One golden document per kind (and per case a reader would look at: signed and non-negative
/// heatmaps, several series with a gap, a log axis, negative bars). Each is also parsed as XML and
/// drawn twice to show that it is well-formed and deterministic.
@Suite struct GoldenTests {
    static let names = ["heatmap-signed.svg", "heatmap-gates-nan.svg", "plot-two-series.svg", "plot-log.svg", "sparkline.svg", "bars.svg", "unroll-gradients.svg", "unroll-long.svg",
                         "cell-lstm.svg", "cell-gru-stacked.svg", "cell-rnn-relu.svg", "cell-lstm-step.svg", "cell-gru-step0.svg",
                         "sketch-classifier.svg", "sketch-classifier-mean.svg", "sketch-classifier-bidirectional.svg", "sketch-tagger.svg",
                         "sketch-generator.svg", "sketch-seq2seq.svg", "sketch-seq2seq-stacked.svg", "sketch-layer-stacked-bidirectional.svg"]

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
        case "cell-lstm-step.svg":
            return stepped(.lstm, hidden: 4, step: 2)
        case "cell-gru-step0.svg":
            return stepped(.gru, hidden: 2, step: 0)
        default:
            return sketches[name].map { Figure.architecture($0) }
        }
    }

    /// A cell with one step's numbers, built as the terminal's stepped-diagram tests build theirs:
    /// numbers of every width the boxes meet (a gate at 0.98, a negative, a large cell state).
    static func stepped(_ kind: CellDiagram.Cell, hidden: Int, step: Int) -> Figure {
        let units = Array(0..<min(hidden, 3))
        func v(_ base: Double) -> [Double] { units.map { base + (base > 0.8 ? -0.11 : 0.11) * Double($0) } }
        let names: [String: [Double]] = [
            "i": v(0.52), "f": v(0.98), "g": v(-0.5), "o": v(0.31), "c": v(-12.345), "h": v(-0.07),
            "r": v(0.4), "z": v(0.87), "n": v(-0.66), "a": v(1.234), "h_prev": v(0.2), "c_prev": v(3.5),
        ]
        let wanted: [String] = switch kind {
        case .lstm: ["i", "f", "g", "o", "c", "h"] + (step > 0 ? ["c_prev", "h_prev"] : [])
        case .gru: ["r", "z", "n", "h"] + (step > 0 ? ["h_prev"] : [])
        case .rnn: ["a", "h"] + (step > 0 ? ["h_prev"] : [])
        }
        let values = CellStepValues(step: step, steps: 5, row: 0, batch: 2, units: units,
                                    vectors: wanted.map { .init(name: $0, values: names[$0]!) })
        return .diagram(CellDiagram(cell: kind, inputSize: 3, hiddenSize: hidden, values: values))
    }

    typealias R = ArchitectureSketch.Recurrence

    /// The sketches of the terminal's architecture tests, one golden each.
    static let sketches: [String: ArchitectureSketch] = [
        "sketch-classifier.svg": .init(architecture: .manyToOne, model: "classifier", rnn: R(cell: .rnn, inputSize: 3, hiddenSize: 4), outputSize: 2),
        "sketch-classifier-mean.svg": .init(architecture: .manyToOne, model: "classifier", rnn: R(cell: .rnn, inputSize: 3, hiddenSize: 4), outputSize: 2, meanReadout: true),
        "sketch-classifier-bidirectional.svg": .init(architecture: .manyToOne, model: "classifier", rnn: R(cell: .lstm, inputSize: 8, hiddenSize: 16, bidirectional: true),
                                                     vocabulary: 20, outputSize: 3),
        "sketch-tagger.svg": .init(architecture: .manyToMany, model: "tagger", rnn: R(cell: .rnn, inputSize: 3, hiddenSize: 4), outputSize: 3),
        "sketch-generator.svg": .init(architecture: .nextStep, model: "generator", rnn: R(cell: .gru, inputSize: 3, hiddenSize: 4), vocabulary: 5, outputSize: 5),
        "sketch-seq2seq.svg": .init(architecture: .encoderDecoder, model: "seq2seq", rnn: R(cell: .gru, inputSize: 16, hiddenSize: 64, bidirectional: true),
                                    decoder: R(cell: .gru, inputSize: 16, hiddenSize: 128), vocabulary: 13, outputSize: 14),
        "sketch-seq2seq-stacked.svg": .init(architecture: .encoderDecoder, model: "seq2seq", rnn: R(cell: .lstm, inputSize: 4, hiddenSize: 8, layers: 2),
                                            decoder: R(cell: .lstm, inputSize: 4, hiddenSize: 8, layers: 2), vocabulary: 12, outputSize: 9),
        "sketch-layer-stacked-bidirectional.svg": .init(architecture: .layer, model: "rnn", rnn: R(cell: .rnn, inputSize: 2, hiddenSize: 2, layers: 2, bidirectional: true)),
    ]

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

    /// The figure's document, read back as XML.
    func parsed(_ figure: Figure, sourceLocation: SourceLocation = #_sourceLocation) throws -> ParsedSVG {
        let document = try #require(SVGFigure.document(figure), sourceLocation: sourceLocation)
        return try #require(ParsedSVG(document, sourceLocation: sourceLocation), sourceLocation: sourceLocation)
    }

    @Test func architecturesAndSteppedDiagramsAreDrawn() throws {
        let sketch = Figure.architecture(ArchitectureSketch(architecture: .manyToOne, model: "classifier",
                                                            rnn: .init(cell: .gru, inputSize: 2, hiddenSize: 3)))
        #expect(SVGFigure.draws(sketch))
        _ = try parsed(sketch)
        let values = CellStepValues(step: 0, steps: 2, row: 0, batch: 1, units: [0], vectors: [.init(name: "h", values: [0.5])])
        let stepped = Figure.diagram(CellDiagram(cell: .rnn, inputSize: 1, hiddenSize: 1, values: values))
        #expect(SVGFigure.draws(stepped))
        _ = try parsed(stepped)
        // A figure without its model says so, as the terminal does, and is still a document.
        let empty = Figure(kind: .architecture, title: "m")
        #expect(try parsed(empty).texts == ["m", "(no model)"])
    }

    /// Every number the stepped drawing writes is one of the figure's values (five characters at
    /// most, as in the terminal's boxes), each vector in its place: a gate's numbers inside its
    /// box, the states under their names, and a "·" for the initial state the trace does not keep.
    @Test func theNumbersOnASteppedCellAreTheFiguresValues() throws {
        for (kind, step) in [(CellDiagram.Cell.lstm, 2), (.gru, 0), (.rnn, 1)] {
            let figure = GoldenTests.stepped(kind, hidden: 4, step: step)
            let values = try #require(figure.diagram?.values)
            let parsed = try self.parsed(figure)
            let written = parsed.all("text").filter { Double($0.text) != nil }
            var expected: [String] = []
            for vector in values.vectors { expected += vector.values.map { CellDiagramSVG.number($0) } }
            #expect(written.map(\.text).sorted() == expected.sorted(), "\(kind)")
            for vector in values.vectors {
                for (u, x) in vector.values.enumerated() {
                    // Rounded to its last written digit: half a unit of it off at most.
                    let text = CellDiagramSVG.number(x)
                    let decimals = text.split(separator: ".").dropFirst().first?.count ?? 0
                    #expect(abs((Double(text) ?? .nan) - x) <= 0.5 * pow(10, -Double(decimals)) + 1e-12, "\(vector.name)[\(u)]")
                }
            }
            #expect(parsed.texts.contains { $0.hasPrefix("Step \(step) of 0…4, batch row 0 of 0…1: one line per unit (units 0, 1, 2, the first 3 of 4).") })
            #expect(parsed.texts.contains("xₜ (B, 3), hₜ\(kind == .lstm ? " and cₜ" : "") (B, 4).") && !parsed.texts.contains("(B, 4)"))
            // At step 0 the state coming in is a dot per unit.
            #expect(parsed.texts.filter { $0 == "·" }.count == (step == 0 ? 3 : 0))
        }
        // A gate's numbers sit inside its box, under its name.
        let lstm = try parsed(GoldenTests.stepped(.lstm, hidden: 4, step: 2))
        let rects = lstm.all("rect").compactMap { r -> (x: Double, y: Double, w: Double, h: Double)? in
            guard let x = Double(r.attributes["x"] ?? ""), let y = Double(r.attributes["y"] ?? ""),
                  let w = Double(r.attributes["width"] ?? ""), let h = Double(r.attributes["height"] ?? "") else { return nil }
            return (x, y, w, h)
        }
        for text in ["0.98", "0.87", "0.76", "0.52", "0.63", "0.74", "-0.50", "-0.39", "-0.28", "0.31", "0.42", "0.53"] {
            let e = try #require(lstm.all("text").first { $0.text == text }, "\(text)")
            let (x, y) = (Double(e.attributes["x"] ?? "") ?? 0, Double(e.attributes["y"] ?? "") ?? 0)
            #expect(rects.contains { $0.w < 100 && x > $0.x && x < $0.x + $0.w && y > $0.y && y < $0.y + $0.h }, "\(text) is in a box")
        }
        // The numbers are the same as the terminal's: two decimals, fewer for larger numbers, never "-0.00".
        #expect(CellDiagramSVG.number(-12.345) == "-12.3" && CellDiagramSVG.number(-0.001) == "0.00" && CellDiagramSVG.number(123456) == "1e5")
    }

    /// A step whose numbers are not finite writes them as words, never into a coordinate.
    @Test func nonFiniteStepNumbersAreWords() throws {
        let values = CellStepValues(step: 1, steps: 2, row: 0, batch: 1, units: [0, 1],
                                    vectors: [.init(name: "a", values: [.nan, .infinity]), .init(name: "h", values: [-.infinity, 1e300]),
                                              .init(name: "h_prev", values: [0.5])])
        let p = try parsed(.diagram(CellDiagram(cell: .rnn, inputSize: 1, hiddenSize: 2, values: values)))
        #expect(p.nonFiniteAttributes.isEmpty)
        // A vector shorter than the units shown leaves a dot for the missing one.
        for t in ["nan", "inf", "-inf", "1e300", "0.50", "·"] { #expect(p.texts.contains(t), "\(t)") }
    }

    /// A long title widens the sketch rather than running off it.
    @Test func aSketchIsAtLeastAsWideAsItsTitle() throws {
        let sketch = try #require(GoldenTests.sketches["sketch-classifier.svg"])
        let title = String(repeating: "a long title ", count: 12)
        let svg = try parsed(.architecture(sketch, title: title)).all("svg").first
        #expect((Double(svg?.attributes["width"] ?? "") ?? 0) >= Typography.width(title, size: Typography.title))
    }

    @Test func sizesOnTheSketchFollowTheModel() throws {
        func texts(_ sketch: ArchitectureSketch) throws -> [String] { try parsed(.architecture(sketch)).texts }
        var sketch = try #require(GoldenTests.sketches["sketch-classifier-bidirectional.svg"])
        let a = try texts(sketch)
        #expect(a.contains("(B, 3)") && a.contains("(B, 16)") && a.contains("(B, 8)") && a.contains("vocab 20") && a.contains("classifier: many-to-one"))
        #expect(a.contains { $0.contains("linear 32 → 3") })
        sketch.rnn.hiddenSize = 7
        sketch.outputSize = 5
        let b = try texts(sketch)
        #expect(b.contains("(B, 7)") && b.contains("(B, 5)") && b.contains { $0.contains("linear 14 → 5") } && !b.contains("(B, 16)"))
        let layerSketch = try #require(GoldenTests.sketches["sketch-layer-stacked-bidirectional.svg"])
        let layer = try texts(layerSketch)
        for row in ["h[0]", "h[1]", "h[2]", "h[3]", "layer 0 fwd", "layer 1 bwd", "x₁", "x_T", "y₃"] { #expect(layer.contains(row), "\(row)") }
        let seqSketch = try #require(GoldenTests.sketches["sketch-seq2seq.svg"])
        let seq = try texts(seqSketch)
        #expect(seq.contains("(B, 128)") && seq.contains("vocab 14") && seq.contains("start") && seq.contains("x_S") && seq.contains("ŷ_T"))
        // Four steps drawn, the last after a gap: x₁ x₂ x₃ x_T, and a linear head over each.
        let taggerSketch = try #require(GoldenTests.sketches["sketch-tagger.svg"])
        let tagger = try texts(taggerSketch)
        #expect(tagger.filter { $0 == "linear" }.count == 4 && tagger.contains("…") && !tagger.contains("x₄"))
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
