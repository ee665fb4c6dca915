import Foundation
import Figures

/// `unroll(m, x)` as SVG: a recurrent layer written out over its steps, one box per step.
///
/// The same picture as the terminal's: every box is the same cell with the same weights; the wire
/// out of box t carries hₜ into box t + 1 (its size written above the wire, ‖∂L/∂hₜ‖ under it in
/// red after a backward pass, so a gradient that shrinks from right to left is read off the wires);
/// xₜ comes in from below and yₜ leaves above. Each vector is one number (`UnrolledGraph`): its
/// norm, or the element itself for a one-number vector. Past `maxShown` steps the first and last
/// few are drawn around a `…`, and the caption names the steps left out.
enum UnrollSVG {
    static let maxShown = 10
    static let box = (width: 48.0, height: 34.0)
    static let wire = 62.0
    static let gradientColour = "#d62728"
    static let cellColour = "#1f77b4"

    static func render(_ figure: Figure) -> String {
        guard let g = figure.unroll, g.steps > 0, g.validationError == nil else {
            return FigureFrame.empty(figure.title, "(no steps)")
        }
        let shown = visibleSteps(g.steps)
        let margin = FigureFrame.margin
        let legend = ["yₜ", "hₜ", "xₜ", "step"] + (g.gradients == nil ? [] : ["∂L/∂hₜ"])
        let left = margin + (legend.map { Typography.width($0, size: Typography.small) }.max() ?? 0) + 8
        let top = margin + (figure.title == nil ? 0 : Typography.title + 10)
        // Rows: y value, arrow up, box (with the h wire through its middle), arrow up, x value, step.
        let yRow = top + Typography.body
        let boxTop = yRow + 22
        let wireY = boxTop + box.height / 2
        let xRow = boxTop + box.height + 22 + Typography.body
        let stepRow = xRow + Typography.small + 6
        let gap = shown.count < g.steps ? 30.0 + wire : 0
        let width0 = left + wire + Double(shown.count) * (box.width + wire) + gap + margin
        let caption = UnrollSVG.caption(g, shown: shown)
        let lines = caption.flatMap { wrap($0, width: max(60, Int((width0 - 2 * margin) / (Typography.small * 0.6)))) }
        let height = stepRow + 10 + Double(lines.count) * (Typography.small + 4) + margin
        let width = max(width0, margin * 2 + (lines.map { Typography.width($0, size: Typography.small) }.max() ?? 0))

        var doc = SVGDocument(width: width, height: height)
        FigureFrame.title(figure.title, in: &doc)
        doc.text("yₜ", x: margin, y: yRow, size: Typography.small, fill: Palette.muted)
        doc.text("hₜ", x: margin, y: wireY - 6, size: Typography.small, fill: Palette.muted)
        if g.gradients != nil { doc.text("∂L/∂hₜ", x: margin, y: wireY + 14, size: Typography.small, fill: gradientColour) }
        doc.text("xₜ", x: margin, y: xRow, size: Typography.small, fill: Palette.muted)
        doc.text("step", x: margin, y: stepRow, size: Typography.small, fill: Palette.muted)

        var x = left
        wireSegment(&doc, from: x, length: wire, y: wireY, value: g.initial, gradient: nil, arrow: true)
        x += wire
        var previous: Int?
        for t in shown {
            if let p = previous, t != p + 1 {
                doc.text("…", x: x + 15, y: wireY + 4, anchor: .middle, fill: Palette.muted)
                x += gap - wire
                wireSegment(&doc, from: x, length: wire, y: wireY, value: g.states[t - 1], gradient: g.gradients?[t - 1], arrow: true)
                x += wire
            }
            let centre = x + box.width / 2
            doc.rect(x: x, y: boxTop, width: box.width, height: box.height, fill: "#eaf2fb", stroke: cellColour, strokeWidth: 1.2, rx: 4)
            doc.text(g.cell.rawValue, x: centre, y: wireY + 4, anchor: .middle, fill: cellColour, bold: true)
            arrow(&doc, x: centre, from: boxTop, to: yRow + 4)
            doc.text(number(g.outputs[t]), x: centre, y: yRow, anchor: .middle)
            arrow(&doc, x: centre, from: xRow - Typography.body, to: boxTop + box.height)
            doc.text(number(g.inputs[t]), x: centre, y: xRow, anchor: .middle)
            doc.text(String(t), x: centre, y: stepRow, size: Typography.small, anchor: .middle, fill: Palette.muted)
            x += box.width
            wireSegment(&doc, from: x, length: wire, y: wireY, value: g.states[t], gradient: g.gradients?[t], arrow: true)
            x += wire
            previous = t
        }
        for (k, line) in lines.enumerated() {
            doc.text(line, x: margin, y: stepRow + 10 + Double(k + 1) * (Typography.small + 4) - 4, size: Typography.small, fill: Palette.muted)
        }
        return doc.render()
    }

    /// The steps drawn: all up to `maxShown`, else the first and last half of that around a gap.
    static func visibleSteps(_ steps: Int) -> [Int] {
        if steps <= maxShown { return Array(0..<steps) }
        return Array(0..<maxShown / 2) + Array(steps - maxShown / 2..<steps)
    }

    /// A wire with its value above and the gradient (if any) under, ending in an arrow head.
    static func wireSegment(_ doc: inout SVGDocument, from x: Double, length: Double, y: Double, value: Double, gradient: Double?, arrow: Bool) {
        doc.line(x1: x, y1: y, x2: x + length - (arrow ? 6 : 0), y2: y, stroke: Palette.axis, width: 1.2)
        if arrow { doc.polygon([(x + length, y), (x + length - 7, y - 3.5), (x + length - 7, y + 3.5)], fill: Palette.axis) }
        doc.text(number(value), x: x + length / 2, y: y - 5, size: Typography.small, anchor: .middle)
        if let gradient {
            doc.text(number(gradient), x: x + length / 2, y: y + 13, size: Typography.small, anchor: .middle, fill: gradientColour)
        }
    }

    /// An arrow pointing up at `x`, from `from` (bottom) to `to` (top).
    static func arrow(_ doc: inout SVGDocument, x: Double, from: Double, to: Double) {
        doc.line(x1: x, y1: from, x2: x, y2: to + 6, stroke: Palette.axis, width: 1)
        doc.polygon([(x, to), (x - 3, to + 6), (x + 3, to + 6)], fill: Palette.axis)
    }

    /// Three significant digits from 0.01 to 1000, powers of ten outside (a vanishing gradient's
    /// 3.1e-09 must not read as 0.00), as on the terminal's wires.
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : x > 0 ? "inf" : "-inf" }
        if x == 0 { return "0" }
        if abs(x) >= 0.01, abs(x) < 1000 { return String(format: "%.3g", x) }
        return String(format: "%.2g", x)
    }

    /// What the numbers mean and what is left out — the terminal's caption, in words.
    static func caption(_ g: UnrolledGraph, shown: [Int]) -> [String] {
        var head = "\(g.steps) step\(g.steps == 1 ? "" : "s")"
        if shown.count < g.steps, let gap = zip(shown, shown.dropFirst()).first(where: { $1 != $0 + 1 }) {
            head += " (\(gap.0 + 1)…\(gap.1 - 1) left out)"
        }
        if g.batch > 1 { head += " of batch row \(g.row) (rows 0…\(g.batch - 1))" }
        var out = [head + "; every box is the same cell with the same weights."]
        let n = g.statesAreNorms ? "‖" : "", x = g.inputsAreNorms ? "‖" : ""
        var sizes = "Above each wire \(n)hₜ\(n), over each box \(n)yₜ\(n) (the layer's output: hₜ itself), under it \(x)xₜ\(x)"
        if g.statesAreNorms || g.inputsAreNorms { sizes += "; ‖v‖ = √(Σ vᵢ²), and a one-number vector is shown as itself" }
        out.append(sizes + ".")
        if g.gradients != nil { out.append("Under each wire \(n)∂L/∂hₜ\(n) (red), the gradient reaching hₜ from the last backward().") }
        if g.cell == .lstm { out.append("The cell state cₜ runs beside hₜ and is not drawn.") }
        return out
    }

    /// Words of `text` in lines of at most `width` characters.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width { lines.append(line); line = "" }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
