import Foundation
import Figures

/// `diagram(m)`: one recurrent cell as a block diagram in the manner of colah's "Understanding
/// LSTM Networks" — inputs on the left, each gate a box with its nonlinearity, the ⊙ and + nodes,
/// for an LSTM the cell path along the top, outputs on the right.
///
/// The drawings are fixed templates per kind of cell, because the structure of an LSTM does not
/// change with its size; what changes — the shapes on the wires, the weight shapes, the rnn's
/// tanh or relu, layers and direction — comes from the `CellDiagram` the model filled in. Each
/// template is 40 columns or fewer so that, with its labels, it fits a 60-column terminal; when the
/// labels make it wider than the terminal, one line says so instead of a drawing that wraps into
/// nonsense. With colour off the drawing is plain ASCII (`+ - | > v`), which survives any font,
/// pipe or file.
public enum CellDiagramRenderer {
    /// Gate colours, one per box in drawing order (LinePlot's palette, so gates look like series).
    static let gateColors = LinePlot.colors

    /// A template: the body rows, the left and right label of each row, and the boxes to colour.
    struct Template {
        var body: [String]
        var left: [Int: String]
        var right: [Int: String]
        /// The gate boxes, in the order of `gateColors`.
        var boxes: [Box]
        /// Label rows that hold numbers (drawn plain, not dimmed like names and shapes).
        var numberRows: (left: Set<Int>, right: Set<Int>) = ([], [])

        init(body: [String], left: [Int: String], right: [Int: String], boxes: [(Int, Int)]) {
            self.body = body; self.left = left; self.right = right
            self.boxes = boxes.map { Box(row: $0.0, column: $0.1) }
        }
    }

    /// A box's top edge, left edge and size (3 × 6 in the bare drawings).
    struct Box {
        var row: Int
        var column: Int
        var height = 3
        var width = 6
    }

    public static func render(_ figure: Figure, options: RenderOptions = RenderOptions()) -> String {
        var lines: [String] = []
        if let title = figure.title { lines.append(ANSI.style(text(title, options), ANSI.bold, enabled: options.color)) }
        guard let cell = figure.diagram else {
            lines.append("(no cell)")
            return lines.joined(separator: "\n")
        }
        let t = cell.values.map { steppedTemplate(cell, $0) } ?? template(cell)
        let leftWidth = t.left.values.map { text($0, options).count }.max() ?? 0
        let bodyWidth = t.body.map(\.count).max() ?? 0
        let rightWidth = t.right.values.map { text($0, options).count }.max() ?? 0
        let needed = leftWidth + 1 + bodyWidth + 1 + rightWidth
        guard needed <= options.width else {
            lines.append("(needs \(needed) columns, has \(options.width))")
            return lines.joined(separator: "\n")
        }
        for (r, row) in t.body.enumerated() {
            let left = text(t.left[r] ?? "", options)
            let leftStyle = t.numberRows.left.contains(r) ? "" : ANSI.dim
            var line = String(repeating: " ", count: leftWidth - left.count) + ANSI.style(left, leftStyle, enabled: options.color && !leftStyle.isEmpty) + " "
            line += drawRow(row, r, t.boxes, width: bodyWidth, options)
            if let right = t.right[r] {
                let rightStyle = t.numberRows.right.contains(r) ? "" : ANSI.dim
                line += " " + ANSI.style(text(right, options), rightStyle, enabled: options.color && !rightStyle.isEmpty)
            }
            lines.append(trimmed(line))
        }
        for sentence in (cell.values.map { cell.steppedCaption($0) } ?? []) + cell.caption {
            for line in WordWrap.wrap(text(sentence, options), width: options.width).split(separator: "\n", omittingEmptySubsequences: false) {
                lines.append(ANSI.style(String(line), ANSI.dim, enabled: options.color))
            }
        }
        lines += ArchitectureSketchRenderer.stack(under: cell, options: options)
        return lines.joined(separator: "\n")
    }

    /// Trailing blanks off: rows are padded so the right-hand labels line up, not to fill the line.
    private static func trimmed(_ line: String) -> String {
        var s = line
        while s.last == " " { s.removeLast() }
        return s
    }

    /// One body row, padded to `width`, its characters in ASCII when colour is off and each gate box
    /// in its colour when on.
    private static func drawRow(_ row: String, _ r: Int, _ boxes: [Box], width: Int, _ options: RenderOptions) -> String {
        var chars = Array(row) + Array(repeating: " ", count: max(0, width - row.count))
        if !options.color {
            // A box's " σ  " becomes "sigm": four columns either way, so the layout holds.
            let joined = String(chars).replacingOccurrences(of: " σ  ", with: "sigm")
            chars = Array(joined)
            return String(chars.map(ascii))
        }
        var out = ""
        var c = 0
        while c < chars.count {
            if let i = boxes.indices.first(where: { r >= boxes[$0].row && r < boxes[$0].row + boxes[$0].height && c == boxes[$0].column }) {
                let end = min(chars.count, c + boxes[i].width)
                out += ANSI.style(String(chars[c..<end]), ANSI.foreground(gateColors[i % gateColors.count]), enabled: true)
                c = end
            } else {
                let ch = chars[c]
                out += ch == "⊙" || ch == "+" ? ANSI.style(String(ch), ANSI.bold, enabled: true) : String(ch)
                c += 1
            }
        }
        return out
    }

    /// Box drawing and arrows to ASCII, one character for one.
    static func ascii(_ ch: Character) -> Character {
        switch ch {
        case "─": "-"
        case "│": "|"
        case "┌", "┐", "└", "┘", "├", "┤", "┬", "┴", "┼": "+"
        case "▶": ">"
        case "◀": "<"
        case "▲": "^"
        case "▼": "v"
        case "⊙": "*"
        case "−": "-"
        case "·": "."
        default: ch
        }
    }

    /// Labels and captions: subscripts and symbols spelled out in ASCII when colour is off.
    static func text(_ s: String, _ options: RenderOptions) -> String {
        guard !options.color else { return s }
        return s.replacingOccurrences(of: "ₜ₋₁", with: "_t-1").replacingOccurrences(of: "ₜ", with: "_t")
            .replacingOccurrences(of: "σ", with: "sigm").replacingOccurrences(of: "⊙", with: "*")
            .replacingOccurrences(of: "−", with: "-").replacingOccurrences(of: "…", with: "...")
            .replacingOccurrences(of: "·", with: ".")
    }

    static func shape(_ n: Int) -> String { "(B, \(n))" }

    /// The drawing for this cell, with the model's sizes on its wires.
    static func template(_ d: CellDiagram) -> Template {
        let x = shape(d.inputSize), h = shape(d.hiddenSize)
        switch d.cell {
        case .lstm:
            // cₜ = f ⊙ cₜ₋₁ + i ⊙ g along the top; hₜ = o ⊙ tanh(cₜ) on the right.
            return Template(body: [
                "─────⊙─────────────+─────────────┬─────▶",
                "     ▲             ▲             │",
                "     │      ┌─────▶⊙          ┌──┴─┐",
                "     │f     │i     ▲g         │tanh│",
                "     │      │      │          └──┬─┘",
                "  ┌──┴─┐ ┌──┴─┐ ┌──┴─┐ ┌────┐ o  ▼",
                "  │ σ  │ │ σ  │ │tanh│ │ σ  ├───▶⊙─────▶",
                "  └──┬─┘ └──┬─┘ └──┬─┘ └──┬─┘",
                "─┬───┴──────┴──────┴──────┘",
                "─┘",
                "",
            ], left: [0: "cₜ₋₁", 1: h, 7: h, 8: "hₜ₋₁", 9: "xₜ", 10: x],
               right: [0: "cₜ", 1: h, 6: "hₜ", 7: h],
               boxes: [(5, 2), (5, 9), (5, 16), (5, 23), (2, 30)])
        case .gru:
            // hₜ = (1 − z) ⊙ n + z ⊙ hₜ₋₁ along the top; r gates hₜ₋₁'s share of n.
            return Template(body: [
                "─┬────────────────────────⊙───────+────▶",
                " │                        ▲       ▲",
                " │   ┌────────────────────┴─▶1−z─▶⊙",
                " │   │z               n           ▲",
                " │   │               ┌────────────┘",
                " │┌──┴─┐  ┌────┐r ┌──┴─┐",
                " ││ σ  │  │ σ  ├─▶│tanh│",
                " │└──┬─┘  └──┬─┘  └──┬─┘",
                " ├───┴───────┴───────┘",
                "─┘",
                "",
            ], left: [0: "hₜ₋₁", 1: h, 9: "xₜ", 10: x],
               right: [0: "hₜ", 1: h],
               boxes: [(5, 2), (5, 10), (5, 18)])
        case .rnn:
            let f = d.nonlinearity == "relu" ? "relu" : "tanh"
            return Template(body: [
                "───────────┐",
                "           ▼",
                "        ┌──┴─┐",
                "        │\(f)├─────────▶",
                "        └──┬─┘",
                "           ▲",
                "───────────┘",
                "",
            ], left: [0: "hₜ₋₁", 1: h, 6: "xₜ", 7: x],
               right: [3: "hₜ", 4: h],
               boxes: [(2, 8)])
        }
    }

}
