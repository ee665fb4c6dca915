import Foundation
import Figures
import Testing
@testable import Terminal

/// `diagram(m)` drawings against goldens in `DiagramGoldens/`, written by the renderer and read
/// by a person before they were committed. `RNNLAB_UPDATE_GOLDENS=1 swift test --filter Diagram`
/// rewrites them after a deliberate change to the drawing; `git diff` then shows what changed.
@Suite struct DiagramTests {
    static let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("DiagramGoldens")

    static func cell(_ kind: CellDiagram.Cell, input: Int = 3, hidden: Int = 4) -> Figure {
        .diagram(CellDiagram(cell: kind, inputSize: input, hiddenSize: hidden))
    }

    @Test(arguments: CellDiagram.Cell.allCases, [60, 100])
    func drawingsMatchTheirGoldens(_ kind: CellDiagram.Cell, _ width: Int) throws {
        for color in [false, true] {
            let text = render(Self.cell(kind), options: RenderOptions(width: width, color: color))
            let file = Self.goldens.appendingPathComponent("\(kind.rawValue)-\(width)-\(color ? "color" : "ascii").txt")
            if ProcessInfo.processInfo.environment["RNNLAB_UPDATE_GOLDENS"] == "1" {
                try (text + "\n").write(to: file, atomically: true, encoding: .utf8)
            }
            let golden = try String(contentsOf: file, encoding: .utf8)
            #expect(text + "\n" == golden, "\(file.lastPathComponent)")
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                #expect(ANSI.visibleWidth(String(line)) <= width, "\(file.lastPathComponent): \(line)")
            }
            if color {
                #expect(text.contains(ANSI.foreground(CellDiagramRenderer.gateColors[0])))
            } else {
                // Colour off is plain ASCII: it survives any font, pipe or file.
                #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
            }
        }
    }

    @Test func shapesOnTheWiresFollowTheModel() {
        let plain = RenderOptions(width: 100)
        let small = render(Self.cell(.lstm, input: 3, hidden: 4), options: plain)
        #expect(small.contains("x_t") && small.contains("(B, 3)") && small.contains("(B, 4)"))
        #expect(small.contains("W_ih (16, 3), W_hh (16, 4), b_ih, b_hh (16)"))
        let other = render(Self.cell(.lstm, input: 5, hidden: 2), options: plain)
        #expect(other.contains("(B, 5)") && other.contains("(B, 2)") && !other.contains("(B, 3)") && !other.contains("(B, 4)"))
        #expect(other.contains("W_ih (8, 5), W_hh (8, 2), b_ih, b_hh (8)"))
        #expect(render(Self.cell(.gru, input: 5, hidden: 2), options: plain).contains("W_ih (6, 5)"))
    }

    @Test func reluLayersAndDirectionComeFromTheCell() {
        let d = CellDiagram(cell: .rnn, nonlinearity: "relu", inputSize: 3, hiddenSize: 4, layers: 2, bidirectional: true, bias: false)
        let text = render(.diagram(d), options: RenderOptions(width: 60))
        #expect(text.contains("|relu+") && !text.contains("tanh"))
        #expect(text.contains("2 layers") && text.contains("bidirectional") && text.contains("no bias"))
    }

    @Test func aDrawingTooWideForTheTerminalSaysSoInOneLine() {
        let text = render(Self.cell(.lstm, input: 3, hidden: 4), options: RenderOptions(width: 40))
        #expect(text == "lstm cell\n(needs 54 columns, has 40)")
    }

    @Test func aDiagramWithoutItsCellIsNamedNotDrawn() {
        #expect(render(Figure(kind: .diagram, title: "t"), options: RenderOptions()) == "t\n(no cell)")
    }
}
