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
            try expectGolden(text, file, width: width)
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

/// `diagram(m, trace, step:)` and `unroll(m, x)` drawings against goldens in `DiagramGoldens/`,
/// made and checked like the bare cells' (`RNNLAB_UPDATE_GOLDENS=1` rewrites them).
@Suite struct SteppedDiagramAndUnrollTests {
    /// Numbers of every width the boxes meet: a gate at 0.98, a negative, a large cell state.
    static func stepped(_ kind: CellDiagram.Cell, hidden: Int = 4, step: Int = 2) -> Figure {
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

    static func unrolled(steps: Int, grad: Bool) -> Figure {
        let states = (0..<steps).map { 0.5 + 0.1 * Double($0) }
        let gradients = (0..<steps).map { 0.8 * pow(0.3, Double(steps - 1 - $0)) }
        return .unroll(UnrolledGraph(cell: .lstm, inputSize: 3, hiddenSize: 4, row: 0, batch: 1, initial: 0,
                                     states: states, outputs: states, inputs: (0..<steps).map { 1 + 0.25 * Double($0) },
                                     gradients: grad ? gradients : nil))
    }

    /// The widest numbers a wire can hold (a negative state, a vanished gradient) keep a space
    /// from the boxes on both sides.
    @Test func numbersOnWiresDoNotTouchTheBoxes() {
        let graph = Figure.unroll(UnrolledGraph(cell: .rnn, inputSize: 1, hiddenSize: 1, row: 0, batch: 1, initial: 0,
                                                states: [-0.0705, 123.456, -4.9e-21], outputs: [-0.0705, 123.456, -4.9e-21],
                                                inputs: [1, 2, 3], gradients: [4.9e-21, -1.25e-5, 0.5]))
        let text = ANSI.strip(render(graph, options: RenderOptions(width: 100, color: true)))
        for line in text.split(separator: "\n") {
            let chars = Array(line)
            for (k, ch) in chars.enumerated() where "┐┘".contains(ch) && k + 1 < chars.count {
                #expect(chars[k + 1] == " ", "a number touches a box: \(line)")
            }
            for (k, ch) in chars.enumerated() where "┌└".contains(ch) && k > 0 {
                #expect(chars[k - 1] == " ", "a number touches a box: \(line)")
            }
        }
        #expect(text.contains("5e-21") && text.contains("-0.07") && text.contains("-1e-5"), "\(text)")
    }

    static func check(_ figure: Figure, _ name: String, width: Int) throws {
        for color in [false, true] {
            let text = render(figure, options: RenderOptions(width: width, color: color))
            let file = DiagramTests.goldens.appendingPathComponent("\(name)-\(width)-\(color ? "color" : "ascii").txt")
            try expectGolden(text, file, width: width)
            if !color { #expect(text.unicodeScalars.allSatisfy { $0.isASCII }, "\(file.lastPathComponent)") }
            #expect(!text.contains("(needs"), "\(file.lastPathComponent)")
        }
    }

    @Test(arguments: CellDiagram.Cell.allCases, [60, 100])
    func steppedDrawingsMatchTheirGoldens(_ kind: CellDiagram.Cell, _ width: Int) throws {
        try Self.check(Self.stepped(kind), "\(kind.rawValue)-step", width: width)
    }

    @Test(arguments: [60, 100])
    func unrolledDrawingsMatchTheirGoldens(_ width: Int) throws {
        try Self.check(Self.unrolled(steps: 3, grad: true), "unroll-3-grad", width: width)
        try Self.check(Self.unrolled(steps: 12, grad: true), "unroll-12-grad", width: width)
        try Self.check(Self.unrolled(steps: 4, grad: false), "unroll-4", width: width)
    }

    @Test func theForgetGateSitsInsideItsBox() throws {
        let text = render(Self.stepped(.lstm), options: RenderOptions(width: 60))
        let rows = text.split(separator: "\n").map(String.init)
        // The f box is the first gate box; its first number line holds f of unit 0.
        let boxRow = try #require(rows.firstIndex { $0.contains("|sigm | |sigm |") || $0.contains("| sigm| | sigm|") })
        #expect(rows[boxRow + 1].contains("| 0.98|"), "\(rows[boxRow + 1])")
        #expect(rows[boxRow + 2].contains("| 0.87|") && rows[boxRow + 3].contains("| 0.76|"))
        // Three units, three number lines, and the caption says which.
        #expect(text.contains("units 0, 1, 2, the first 3 of 4"))
        let two = render(Self.stepped(.gru, hidden: 2, step: 0), options: RenderOptions(width: 60))
        #expect(two.contains("(units 0, 1)") && two.contains("At step 0 h_t-1 is the initial state") && two.contains("   ."))
    }

    @Test func unrollLeavesOutTheMiddleStepsAndSaysWhich() {
        let text = render(Self.unrolled(steps: 12, grad: true), options: RenderOptions(width: 60))
        #expect(text.contains("--...--") && text.contains("12 steps (1...10 left out to fit)"))
        let wide = render(Self.unrolled(steps: 12, grad: true), options: RenderOptions(width: 100))
        #expect(wide.contains("12 steps (2...8 left out to fit)"))
        // A vanishing gradient keeps its digits: 0.8·0.3¹¹ is written in powers of ten, not 0.00.
        #expect(text.contains("1.4e-6"))
        #expect(render(Self.unrolled(steps: 3, grad: true), options: RenderOptions(width: 30)).hasSuffix("(needs 55 columns, has 30)"))
    }

    @Test func aCellWithoutBiasHasNoBInItsEquations() {
        for kind in CellDiagram.Cell.allCases {
            let text = render(.diagram(CellDiagram(cell: kind, inputSize: 2, hiddenSize: 3, bias: false)), options: RenderOptions(width: 100))
            let equations = text.split(separator: "\n").filter { $0.contains(" = ") }
            #expect(!equations.isEmpty)
            for line in equations { #expect(!line.contains("b_"), "\(kind): \(line)") }
        }
        let biased = render(.diagram(CellDiagram(cell: .rnn, inputSize: 2, hiddenSize: 3)), options: RenderOptions(width: 100))
        #expect(biased.contains("h_t = tanh(W_ih x_t + b_ih + W_hh h_t-1 + b_hh)"))
    }
}
