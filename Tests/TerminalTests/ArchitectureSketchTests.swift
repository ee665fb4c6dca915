import Foundation
import Figures
import Testing
@testable import Terminal

/// `diagram(m)` of whole sequence models against goldens in `ArchitectureGoldens/`, written by the
/// renderer and read by a person before they were committed. `RNNLAB_UPDATE_GOLDENS=1 swift test
/// --filter ArchitectureSketch` rewrites them after a deliberate change; `git diff` shows what changed.
@Suite struct ArchitectureSketchTests {
    static let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("ArchitectureGoldens")
    typealias R = ArchitectureSketch.Recurrence

    /// One sketch per architecture the lessons build, and the stacked and bidirectional variants.
    static let sketches: [String: ArchitectureSketch] = [
        "classifier": .init(architecture: .manyToOne, model: "classifier", rnn: R(cell: .rnn, inputSize: 3, hiddenSize: 4), outputSize: 2),
        "classifier-mean": .init(architecture: .manyToOne, model: "classifier", rnn: R(cell: .rnn, inputSize: 3, hiddenSize: 4), outputSize: 2, meanReadout: true),
        "classifier-bidirectional": .init(architecture: .manyToOne, model: "classifier", rnn: R(cell: .lstm, inputSize: 8, hiddenSize: 16, bidirectional: true),
                                          vocabulary: 20, outputSize: 3),
        "tagger": .init(architecture: .manyToMany, model: "tagger", rnn: R(cell: .rnn, inputSize: 3, hiddenSize: 4), outputSize: 3),
        "tagger-bidirectional": .init(architecture: .manyToMany, model: "tagger", rnn: R(cell: .lstm, inputSize: 4, hiddenSize: 8, bidirectional: true),
                                      vocabulary: 4, outputSize: 4),
        "generator": .init(architecture: .nextStep, model: "generator", rnn: R(cell: .gru, inputSize: 3, hiddenSize: 4), vocabulary: 5, outputSize: 5),
        "seq2seq": .init(architecture: .encoderDecoder, model: "seq2seq", rnn: R(cell: .gru, inputSize: 16, hiddenSize: 64, bidirectional: true),
                         decoder: R(cell: .gru, inputSize: 16, hiddenSize: 128), vocabulary: 13, outputSize: 14),
        "seq2seq-stacked": .init(architecture: .encoderDecoder, model: "seq2seq", rnn: R(cell: .lstm, inputSize: 4, hiddenSize: 8, layers: 2),
                                 decoder: R(cell: .lstm, inputSize: 4, hiddenSize: 8, layers: 2), vocabulary: 12, outputSize: 9),
        "layer-stacked-bidirectional": .init(architecture: .layer, model: "rnn", rnn: R(cell: .rnn, inputSize: 2, hiddenSize: 2, layers: 2, bidirectional: true)),
        "layer-stacked": .init(architecture: .layer, model: "lstm", rnn: R(cell: .lstm, inputSize: 3, hiddenSize: 5, layers: 3)),
    ]

    @Test(arguments: sketches.keys.sorted(), [60, 100])
    func drawingsMatchTheirGoldens(_ name: String, _ width: Int) throws {
        let sketch = try #require(Self.sketches[name])
        for color in [false, true] {
            let text = render(.architecture(sketch), options: RenderOptions(width: width, color: color))
            let file = Self.goldens.appendingPathComponent("\(name)-\(width)-\(color ? "color" : "ascii").txt")
            try expectGolden(text, file, width: width)
            #expect(!text.contains("(needs"), "\(file.lastPathComponent) should fit")
            if color {
                #expect(text.contains(ANSI.foreground(LinePlot.colors[0])))
            } else {
                #expect(text.unicodeScalars.allSatisfy { $0.isASCII }, "\(file.lastPathComponent)")
            }
        }
    }

    @Test func sizesOnTheSketchFollowTheModel() {
        let plain = RenderOptions(width: 100)
        let a = render(.architecture(Self.sketches["classifier-bidirectional"]!), options: plain)
        #expect(a.contains("(B, 3)") && a.contains("(B, 16)") && a.contains("(B, 8)") && a.contains("vocab 20"))
        #expect(a.contains("linear 32 -> 3"))
        var other = Self.sketches["classifier-bidirectional"]!
        other.rnn.hiddenSize = 7
        other.outputSize = 5
        let b = render(.architecture(other), options: plain)
        #expect(b.contains("(B, 7)") && b.contains("(B, 5)") && b.contains("linear 14 -> 5") && !b.contains("(B, 16)"))
        let s = render(.architecture(Self.sketches["seq2seq"]!), options: plain)
        #expect(s.contains("(B, 128)") && s.contains("vocab 14") && s.contains("ids below 13"))
    }

    @Test func theStateLayoutIsNamedOnTheDrawing() {
        let text = render(.architecture(Self.sketches["layer-stacked-bidirectional"]!), options: RenderOptions(width: 100))
        for row in ["h[0]", "h[1]", "h[2]", "h[3]"] { #expect(text.contains(row), "\(row)") }
        #expect(text.contains("h (L*D, B, H) = (4, B, 2)"))
    }

    @Test func moreStepsWhereThereIsRoom() {
        let sketch = Self.sketches["tagger"]!
        #expect(render(.architecture(sketch), options: RenderOptions(width: 100)).contains("x3"))
        #expect(!render(.architecture(sketch), options: RenderOptions(width: 40)).contains("x3"))
    }

    @Test func aSketchTooWideForTheTerminalSaysSoInOneLine() {
        let text = render(.architecture(Self.sketches["seq2seq"]!), options: RenderOptions(width: 30))
        #expect(text.hasPrefix("seq2seq: encoder-decoder\n(needs ") && text.hasSuffix("columns, has 30)"))
        #expect(text.split(separator: "\n").count == 2)
    }

    @Test func aStackedOrBidirectionalCellDiagramIsDrawnUnrolled() {
        let stacked = render(.diagram(CellDiagram(cell: .gru, inputSize: 2, hiddenSize: 3, layers: 2, bidirectional: true)), options: RenderOptions(width: 100))
        #expect(stacked.contains("gru unrolled:") && stacked.contains("h[3]") && stacked.contains("layer 1 bwd"))
        let single = render(.diagram(CellDiagram(cell: .gru, inputSize: 2, hiddenSize: 3)), options: RenderOptions(width: 100))
        #expect(!single.contains("unrolled"))
    }

    @Test func anArchitectureFigureWithoutItsModelIsNamedNotDrawn() {
        #expect(render(Figure(kind: .architecture, title: "t"), options: RenderOptions()) == "t\n(no model)")
    }
}
