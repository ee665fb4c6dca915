import Foundation
import Figures

/// `diagram(m, trace, step: t)`: the cell with one step's numbers written on it.
///
/// The same structure as the bare drawing, with gate boxes one column wider (five characters
/// inside, room for `-0.50`) and one line per shown unit inside each box: a gate box shows its
/// output (the forget gate's 0.98 sits in the f box), the rnn's box shows aₜ, the sum it squashes.
/// The states at the edges — cₜ₋₁, hₜ₋₁ coming in, cₜ, hₜ going out — are written in the label
/// columns beside their wires, one unit per line, in the same order as the lines inside the boxes.
/// Shapes move to the caption, since the label columns now hold numbers. The widest drawing (the
/// LSTM) is 45 columns, 57 with its number columns, so it fits a 60-column terminal.
extension CellDiagramRenderer {
    /// A drawing with one row to repeat per unit, and where the numbers go.
    struct SteppedTemplate {
        var body: [String]
        /// The row repeated once per unit; `slots` are filled on each copy.
        var valueRow: Int
        /// (column of a box's inside, vector) — five characters, right-aligned.
        var slots: [(column: Int, name: String)]
        var left: [Int: String]
        var right: [Int: String]
        /// (first row, vector): one number per unit on consecutive rows of the label column.
        var leftValues: [(row: Int, name: String)]
        var rightValues: [(row: Int, name: String)]
        /// (top row, left column) of each box, 7 wide; a box spanning `valueRow` grows with it.
        var boxes: [(row: Int, column: Int)]
    }

    /// Characters inside a box, and the widest number a label column holds.
    static let numberWidth = 5

    /// The bare template with the numbers of `v` written in, one line per unit.
    static func steppedTemplate(_ d: CellDiagram, _ v: CellStepValues) -> Template {
        let s = stepped(d)
        let n = max(1, v.units.count)
        func shift(_ r: Int) -> Int { r <= s.valueRow ? r : r + n - 1 }
        func number(_ name: String, _ u: Int) -> String {
            guard let values = v.vector(name), u < values.count else { return "·" }
            return fit(values[u], width: numberWidth)
        }
        var body: [String] = []
        for (r, row) in s.body.enumerated() {
            guard r == s.valueRow else { body.append(row); continue }
            for u in 0..<n {
                var chars = Array(row)
                for slot in s.slots {
                    let text = Array(number(slot.name, u))
                    let pad = numberWidth - text.count
                    for (k, ch) in text.enumerated() where slot.column + pad + k < chars.count { chars[slot.column + pad + k] = ch }
                }
                body.append(String(chars))
            }
        }
        var t = Template(body: body, left: [:], right: [:], boxes: [])
        for (r, label) in s.left { t.left[shift(r)] = label }
        for (r, label) in s.right { t.right[shift(r)] = label }
        for (r0, name) in s.leftValues {
            for u in 0..<n { t.left[shift(r0) + u] = number(name, u); t.numberRows.left.insert(shift(r0) + u) }
        }
        for (r0, name) in s.rightValues {
            for u in 0..<n {
                let text = number(name, u)
                t.right[shift(r0) + u] = String(repeating: " ", count: max(0, numberWidth - text.count)) + text
                t.numberRows.right.insert(shift(r0) + u)
            }
        }
        t.boxes = s.boxes.map { b in
            let spans = b.row <= s.valueRow && s.valueRow < b.row + 4
            return Box(row: shift(b.row), column: b.column, height: spans ? 3 + n : 3, width: 7)
        }
        return t
    }

    /// `x` in at most `width` characters: two decimals when they fit, fewer for larger numbers,
    /// powers of ten beyond that. Never "-0.00": a value that rounds to zero is written "0.00".
    static func fit(_ x: Double, width: Int) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : x > 0 ? "inf" : "-inf" }
        for decimals in [2, 1, 0] {
            var s = String(format: "%.\(decimals)f", x)
            if s.hasPrefix("-"), Double(s) == 0 { s.removeFirst() }
            if s.count <= width { return s }
        }
        let e = String(format: "%.0e", x).replacingOccurrences(of: "e+0", with: "e").replacingOccurrences(of: "e+", with: "e")
        return e
    }

    /// The drawings with numbers. Box insides are five wide; `v` marks where a unit's numbers go.
    static func stepped(_ d: CellDiagram) -> SteppedTemplate {
        switch d.cell {
        case .lstm:
            return SteppedTemplate(body: [
                "─────⊙───────────────+───────────────┬──────▶",
                "     ▲               ▲               │",
                "     │       ┌──────▶⊙            ┌──┴──┐",
                "     │f      │i      ▲g           │ tanh│",
                "     │       │       │            └──┬──┘",
                "  ┌──┴──┐ ┌──┴──┐ ┌──┴──┐ ┌─────┐ o  ▼",
                "  │  σ  │ │  σ  │ │ tanh│ │  σ  ├───▶⊙──────▶",
                "  │     │ │     │ │     │ │     │",
                "  └──┬──┘ └──┬──┘ └──┬──┘ └──┬──┘",
                "─┬───┴───────┴───────┴───────┘",
                "─┘",
            ], valueRow: 7, slots: [(3, "f"), (11, "i"), (19, "g"), (27, "o")],
               left: [0: "cₜ₋₁", 9: "hₜ₋₁", 10: "xₜ"], right: [0: "cₜ", 6: "hₜ"],
               leftValues: [(1, "c_prev"), (7, "h_prev")], rightValues: [(1, "c"), (7, "h")],
               boxes: [(5, 2), (5, 10), (5, 18), (5, 26), (2, 34)])
        case .gru:
            return SteppedTemplate(body: [
                "─┬───────────────────────────⊙────────+─────▶",
                " │                           ▲        ▲",
                " │   ┌───────────────────────┴─▶1−z──▶⊙",
                " │   │z                 n             ▲",
                " │   │                ┌───────────────┘",
                " │┌──┴──┐ ┌─────┐r ┌──┴──┐",
                " ││  σ  │ │  σ  ├─▶│ tanh│",
                " ││     │ │     │  │     │",
                " │└──┬──┘ └──┬──┘  └──┬──┘",
                " ├───┴───────┴────────┘",
                "─┘",
            ], valueRow: 7, slots: [(3, "z"), (11, "r"), (20, "n")],
               left: [0: "hₜ₋₁", 10: "xₜ"], right: [0: "hₜ"],
               leftValues: [(1, "h_prev")], rightValues: [(1, "h")],
               boxes: [(5, 2), (5, 10), (5, 19)])
        case .rnn:
            let f = d.nonlinearity == "relu" ? "relu" : "tanh"
            return SteppedTemplate(body: [
                "─────────────┐",
                "             ▼",
                "          ┌──┴──┐",
                "          │ \(f)├──────────▶",
                "          │     │",
                "          └──┬──┘",
                "             ▲",
                "─────────────┘",
            ], valueRow: 4, slots: [(11, "a")],
               left: [0: "hₜ₋₁", 7: "xₜ"], right: [3: "hₜ"],
               leftValues: [(1, "h_prev")], rightValues: [(4, "h")],
               boxes: [(2, 10)])
        }
    }

}
