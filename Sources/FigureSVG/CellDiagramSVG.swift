import Foundation
import Figures

/// `diagram(m)` as SVG: one recurrent cell as a block diagram after colah's "Understanding LSTM
/// Networks" — the same layout as the terminal's drawing: inputs on the left (hₜ₋₁, xₜ, and cₜ₋₁
/// for an LSTM), each gate a box with its σ or tanh, the ⊙ (elementwise product: a circle with a
/// dot) and + nodes, outputs on the right, the model's shapes on the wires, and under the drawing
/// the weight shapes and the cell's equations.
///
/// A fixed drawing per kind of cell, because the structure of an LSTM does not change with its
/// size; everything that does change comes from the `CellDiagram`.
///
/// `diagram(m, trace, step: t)` is the same drawing with one step's numbers on it, as the
/// terminal writes them: each gate box grows downwards by one line per shown unit and holds its
/// output (the forget gate's 0.98 in the f box; the rnn's box holds aₜ, the sum it squashes), and
/// the states — cₜ₋₁, hₜ₋₁ coming in, cₜ, hₜ going out — are written under their names beside
/// their wires, one unit per line in the same order as the lines in the boxes. The shapes move to
/// the caption, which first says which step, batch row and units the numbers are.
enum CellDiagramSVG {
    static let boxSize = (width: 46.0, height: 30.0)
    /// One line of numbers.
    static let lineHeight = 11.0

    static func render(_ figure: Figure) -> String? {
        guard let cell = figure.diagram else { return nil }
        let margin = FigureFrame.margin
        let values = cell.values
        let n = values.map { max(1, $0.units.count) } ?? 0
        let h = "(B, \(cell.hiddenSize))", x = "(B, \(cell.inputSize))"
        let numbers = values.map { v in v.vectors.flatMap { $0.values.map { number($0) } } } ?? []
        let leftWidth = ([h, x, "hₜ₋₁", "cₜ₋₁"] + numbers).map { Typography.width($0, size: Typography.small) }.max()! + 8
        let left = margin + leftWidth
        let top = margin + (figure.title == nil ? 0 : Typography.title + 10)
        let bodyWidth: Double = cell.cell == .rnn ? 260 : 460
        // With numbers: the gate boxes grow below their names; an LSTM's xₜ also moves down to
        // leave room for the numbers under hₜ₋₁.
        let grown = Double(n) * lineHeight
        var stretches: [(at: Double, by: Double)] = []
        if values != nil {
            switch cell.cell {
            case .lstm: stretches = [(165, grown), (240, grown)]
            case .gru: stretches = [(165, grown)]
            case .rnn: stretches = [(105, grown)]
            }
        }
        let bodyHeight: Double = (cell.cell == .rnn ? 200 : 280) + stretches.map(\.by).reduce(0, +)
        let caption = (values.map { cell.steppedCaption($0) } ?? []) + cell.caption
        let captionTop = top + bodyHeight + 14
        let width = max(left + bodyWidth + leftWidth + margin,
                        margin * 2 + (caption.map { Typography.width($0, size: Typography.small) }.max() ?? 0))
        let height = captionTop + Double(caption.count) * (Typography.small + 5) + margin
        var d = Drawing(doc: SVGDocument(width: width, height: height), x0: left, y0: top, bodyWidth: bodyWidth,
                        values: values, units: n, stretches: stretches)
        FigureFrame.title(figure.title, in: &d.doc)
        switch cell.cell {
        case .lstm: lstm(&d, h: h, x: x)
        case .gru: gru(&d, h: h, x: x)
        case .rnn: rnn(&d, h: h, x: x, nonlinearity: cell.nonlinearity == "relu" ? "relu" : "tanh")
        }
        for (k, line) in caption.enumerated() {
            d.doc.text(line, x: margin, y: captionTop + Double(k + 1) * (Typography.small + 5) - 4, size: Typography.small, fill: Palette.muted)
        }
        return d.doc.render()
    }

    /// cₜ = f ⊙ cₜ₋₁ + i ⊙ g along the top; hₜ = o ⊙ tanh(cₜ) on the right.
    static func lstm(_ d: inout Drawing, h: String, x: String) {
        d.wire(0, 40, 82, 40); d.product(90, 40); d.wire(98, 40, 242, 40); d.sum(250, 40)
        d.wire(258, 40, 460, 40, arrow: true)
        d.wire(400, 40, 400, 88, arrow: true); d.box("tanh", 400, 103, colour: 4)
        d.wire(400, 118, 400, 157, arrow: true); d.product(400, 165); d.wire(408, 165, 460, 165, arrow: true)
        // The bus: hₜ₋₁ and xₜ joined, up into every gate.
        d.wire(0, 226, 30, 226); d.wire(0, 262, 30, 262); d.wire(30, 262, 30, 215); d.wire(30, 215, 330, 215)
        for (k, (name, centre, vector)) in [("σ", 90.0, "f"), ("σ", 170.0, "i"), ("tanh", 250.0, "g"), ("σ", 330.0, "o")].enumerated() {
            d.wire(centre, 215, centre, 180 + 1, arrow: true)
            d.box(name, centre, 165, colour: k, vector: vector)
        }
        d.wire(90, 150, 90, 48, arrow: true); d.label("f", 96, 110)
        d.wire(170, 150, 170, 100); d.wire(170, 100, 242, 100, arrow: true); d.label("i", 176, 125)
        d.wire(250, 150, 250, 108, arrow: true); d.label("g", 256, 135); d.product(250, 100)
        d.wire(250, 92, 250, 48, arrow: true)
        d.wire(353, 165, 392, 165, arrow: true); d.label("o", 362, 158)
        d.side("cₜ₋₁", h, y: 40, right: false, vector: "c_prev"); d.side("cₜ", h, y: 40, right: true, vector: "c")
        d.side("hₜ₋₁", h, y: 226, right: false, vector: "h_prev"); d.side("xₜ", x, y: 262, right: false)
        d.side("hₜ", h, y: 165, right: true, vector: "h")
    }

    /// hₜ = (1 − z) ⊙ n + z ⊙ hₜ₋₁ along the top; r gates hₜ₋₁'s share of n.
    static func gru(_ d: inout Drawing, h: String, x: String) {
        d.wire(0, 40, 292, 40); d.product(300, 40); d.wire(308, 40, 392, 40); d.sum(400, 40)
        d.wire(408, 40, 460, 40, arrow: true)
        d.wire(20, 40, 20, 215); d.wire(0, 252, 20, 252); d.wire(20, 252, 20, 215); d.wire(20, 215, 250, 215)
        for (k, (name, centre, vector)) in [("σ", 90.0, "z"), ("σ", 170.0, "r"), ("tanh", 250.0, "n")].enumerated() {
            d.wire(centre, 215, centre, 181, arrow: true)
            d.box(name, centre, 165, colour: k, vector: vector)
        }
        d.wire(90, 150, 90, 110); d.wire(90, 110, 300, 110); d.wire(300, 110, 300, 48, arrow: true); d.label("z", 96, 130)
        d.wire(300, 110, 331, 110, arrow: true); d.node("1−", 342, 110); d.wire(353, 110, 392, 110, arrow: true)
        d.wire(193, 165, 226, 165, arrow: true); d.label("r", 204, 158)
        d.wire(250, 150, 250, 135); d.wire(250, 135, 400, 135); d.wire(400, 135, 400, 118, arrow: true); d.label("n", 256, 145)
        d.product(400, 110); d.wire(400, 102, 400, 48, arrow: true)
        d.side("hₜ₋₁", h, y: 40, right: false, vector: "h_prev"); d.side("xₜ", x, y: 252, right: false)
        d.side("hₜ", h, y: 40, right: true, vector: "h")
    }

    /// hₜ = tanh(W_ih xₜ + W_hh hₜ₋₁ + b), one box.
    static func rnn(_ d: inout Drawing, h: String, x: String, nonlinearity: String) {
        d.wire(0, 40, 120, 40); d.wire(120, 40, 120, 89, arrow: true)
        d.wire(0, 180, 120, 180); d.wire(120, 180, 120, 121, arrow: true)
        d.box(nonlinearity, 120, 105, colour: 0, vector: "a")
        d.wire(143, 105, 260, 105, arrow: true)
        d.side("hₜ₋₁", h, y: 40, right: false, vector: "h_prev"); d.side("xₜ", x, y: 180, right: false)
        d.side("hₜ", h, y: 105, right: true, vector: "h")
    }

    /// A drawing in body coordinates (origin at the top left of the cell's area).
    struct Drawing {
        var doc: SVGDocument
        let x0: Double, y0: Double
        /// Where the right-hand labels start.
        let bodyWidth: Double
        /// One step's numbers, and how many units (lines) each vector shows; nil for the bare cell.
        var values: CellStepValues? = nil
        var units = 0
        /// Body rows below `at` move down `by`: room for the lines of numbers, made without a
        /// second copy of each drawing (a wire across `at` stretches, one above it stays put).
        var stretches: [(at: Double, by: Double)] = []

        /// A body y in the document, after the stretches above it.
        func y(_ v: Double) -> Double { y0 + v + stretches.filter { v > $0.at }.map(\.by).reduce(0, +) }

        mutating func wire(_ xa: Double, _ ya: Double, _ xb: Double, _ yb: Double, arrow: Bool = false) {
            let (ax, ay, bx, by) = (x0 + xa, y(ya), x0 + xb, y(yb))
            let length = max(1e-9, ((bx - ax) * (bx - ax) + (by - ay) * (by - ay)).squareRoot())
            let (ux, uy) = ((bx - ax) / length, (by - ay) / length)
            let end = arrow ? (bx - ux * 6, by - uy * 6) : (bx, by)
            doc.line(x1: ax, y1: ay, x2: end.0, y2: end.1, stroke: Palette.axis, width: 1.3)
            if arrow {
                doc.polygon([(bx, by), (bx - ux * 7 - uy * 3.5, by - uy * 7 + ux * 3.5), (bx - ux * 7 + uy * 3.5, by - uy * 7 - ux * 3.5)],
                            fill: Palette.axis)
            }
        }

        /// A gate box centred on (cx, cy); with numbers, one line of `vector` per unit under the name.
        mutating func box(_ name: String, _ cx: Double, _ cy: Double, colour: Int, vector: String? = nil) {
            let c = Palette.series[colour % Palette.series.count]
            let (topY, bottomY) = (y(cy - boxSize.height / 2), y(cy + boxSize.height / 2))
            doc.rect(x: x0 + cx - boxSize.width / 2, y: topY, width: boxSize.width, height: bottomY - topY,
                     fill: "#ffffff", stroke: c, strokeWidth: 1.5, rx: 4)
            doc.text(name, x: x0 + cx, y: y(cy) + 4, anchor: .middle, fill: c, bold: true)
            if let vector, values != nil {
                for (u, text) in numbers(vector).enumerated() {
                    doc.text(text, x: x0 + cx, y: y(cy) + 4 + Double(u + 1) * lineHeight, size: Typography.small, anchor: .middle)
                }
            }
        }

        /// `vector`'s number for each shown unit, "·" where the trace has none (the initial state).
        func numbers(_ vector: String) -> [String] {
            let v = values?.vector(vector)
            return (0..<units).map { u in v.flatMap { u < $0.count ? number($0[u]) : nil } ?? "·" }
        }

        /// ⊙: elementwise product, a circle with a dot in it.
        mutating func product(_ cx: Double, _ cy: Double) {
            doc.circle(cx: x0 + cx, cy: y(cy), r: 8, fill: "#ffffff", stroke: Palette.ink)
            doc.circle(cx: x0 + cx, cy: y(cy), r: 2.2, fill: Palette.ink)
        }

        /// +: a circle with a cross.
        mutating func sum(_ cx: Double, _ cy: Double) {
            doc.circle(cx: x0 + cx, cy: y(cy), r: 8, fill: "#ffffff", stroke: Palette.ink)
            doc.line(x1: x0 + cx - 5, y1: y(cy), x2: x0 + cx + 5, y2: y(cy), stroke: Palette.ink, width: 1.3)
            doc.line(x1: x0 + cx, y1: y(cy) - 5, x2: x0 + cx, y2: y(cy) + 5, stroke: Palette.ink, width: 1.3)
        }

        mutating func node(_ text: String, _ cx: Double, _ cy: Double) {
            doc.circle(cx: x0 + cx, cy: y(cy), r: 11, fill: "#ffffff", stroke: Palette.ink)
            doc.text(text, x: x0 + cx, y: y(cy) + 3.5, size: Typography.small, anchor: .middle)
        }

        mutating func label(_ text: String, _ x: Double, _ yy: Double) {
            doc.text(text, x: x0 + x, y: y(yy), size: Typography.body, fill: Palette.ink)
        }

        /// A wire's name at the left or right edge of the body, and under it the shape — or, with
        /// numbers, `vector` one unit per line (a wire without a vector, xₜ, has only its name).
        mutating func side(_ name: String, _ shape: String, y yy: Double, right: Bool, vector: String? = nil) {
            let x = right ? x0 + bodyWidth + 6 : x0 - 6
            doc.text(name, x: x, y: y(yy) - 4, anchor: right ? .start : .end)
            guard values != nil else {
                doc.text(shape, x: x, y: y(yy) + 11, size: Typography.small, anchor: right ? .start : .end, fill: Palette.muted)
                return
            }
            guard let vector else { return }
            for (u, text) in numbers(vector).enumerated() {
                doc.text(text, x: x, y: y(yy) + Double(u + 1) * lineHeight, size: Typography.small, anchor: right ? .start : .end)
            }
        }
    }

    /// `x` in at most five characters, as the terminal writes it in a box: two decimals when they
    /// fit, fewer for larger numbers, a power of ten beyond that; never "-0.00".
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : x > 0 ? "inf" : "-inf" }
        for decimals in [2, 1, 0] {
            var s = String(format: "%.\(decimals)f", x)
            if s.hasPrefix("-"), Double(s) == 0 { s.removeFirst() }
            if s.count <= 5 { return s }
        }
        return String(format: "%.0e", x).replacingOccurrences(of: "e+0", with: "e").replacingOccurrences(of: "e+", with: "e")
    }

}
