import Foundation
import Figures

/// `unroll(m, x)`: a recurrent layer written out over its steps — the picture BPTT is read from.
///
/// One box per step, all the same cell with the same weights; the horizontal wire out of box t
/// carries hₜ into box t + 1, xₜ comes in from below and yₜ leaves above. Each vector is written
/// as one number (see `UnrolledGraph`): ‖hₜ‖ above its wire, ‖∂L/∂hₜ‖ under it after a backward
/// pass — so a gradient that shrinks from right to left is read off the wires themselves.
///
/// A step takes 14 columns (a 6-wide box and an 8-wide wire, room for a 7-character number). When
/// the steps do not fit the terminal, the first and last few are drawn and the middle ones become
/// one `…`; the caption names the steps left out. Under NO_COLOR the drawing is plain ASCII.
public enum UnrollRenderer {
    static let boxWidth = 6
    static let wireWidth = 8
    static var stepWidth: Int { boxWidth + wireWidth }
    /// The " … " standing for the steps left out.
    static let gapWidth = 3

    public static func render(_ figure: Figure, options: RenderOptions = RenderOptions()) -> String {
        var lines: [String] = []
        if let title = figure.title { lines.append(ANSI.style(text(title, options), ANSI.bold, enabled: options.color)) }
        guard let g = figure.unroll, g.steps > 0, g.validationError == nil else {
            lines.append("(no steps)")
            return lines.joined(separator: "\n")
        }
        let labels = rowLabels(g).mapValues { text($0, options) }
        let legend = labels.values.map(\.count).max() ?? 0
        guard let shown = visibleSteps(g.steps, room: options.width - legend - 1 - wireWidth) else {
            let needed = legend + 1 + wireWidth + 2 * stepWidth + gapWidth + wireWidth
            lines.append("(needs \(needed) columns, has \(options.width))")
            return lines.joined(separator: "\n")
        }
        var grid = Grid()
        var column = legend + 1
        // The wire into the first box carries the initial state.
        grid.wire(at: column, value: g.initial, gradient: nil, arrow: false)
        column += wireWidth
        var previous: Int?
        for t in shown {
            if let p = previous, t != p + 1 {
                grid.put(options.color ? " … " : "...", row: 3, column: column)
                column += gapWidth
                grid.wire(at: column, value: g.states[t - 1], gradient: g.gradients?[t - 1], arrow: false)
                column += wireWidth
            }
            grid.box(at: column, name: g.cell.rawValue, step: t, output: g.outputs[t], input: g.inputs[t])
            column += boxWidth
            grid.wire(at: column, value: g.states[t], gradient: g.gradients?[t], arrow: t == g.steps - 1)
            column += wireWidth
            previous = t
        }
        for r in grid.rows.indices {
            let label = labels[r] ?? ""
            var line = String(repeating: " ", count: legend - label.count) + ANSI.style(label, ANSI.dim, enabled: options.color) + " "
            line += paint(grid, r, from: legend + 1, options)
            while line.last == " " { line.removeLast() }
            lines.append(line)
        }
        for sentence in caption(g, shown: shown) {
            for line in WordWrap.wrap(text(sentence, options), width: options.width).split(separator: "\n", omittingEmptySubsequences: false) {
                lines.append(ANSI.style(String(line), ANSI.dim, enabled: options.color))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The steps drawn: all of them when they fit `room` columns, else the first and last few
    /// around one gap (nil when not even one step each side fits).
    static func visibleSteps(_ steps: Int, room: Int) -> [Int]? {
        if steps * stepWidth <= room { return Array(0..<steps) }
        let n = (room - gapWidth - wireWidth) / stepWidth
        guard n >= 2 else { return nil }
        let first = n / 2, last = n - first
        return Array(0..<first) + Array(steps - last..<steps)
    }

    /// The legend at the left of each row of the drawing.
    static func rowLabels(_ g: UnrolledGraph) -> [Int: String] {
        var out: [Int: String] = [0: "yₜ", 2: "hₜ", 6: "xₜ", 7: "step"]
        if g.gradients != nil { out[4] = "∂L/∂hₜ" }
        return out
    }

    /// A number in at most seven characters: three significant digits from 0.01 to 1000, powers
    /// of ten outside (a vanishing gradient's 3.1e-9 must not print as 0.00).
    static func short(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : x > 0 ? "inf" : "-inf" }
        if x == 0 { return "0" }
        if Swift.abs(x) >= 0.01, Swift.abs(x) < 1000 { return String(format: "%.3g", x) }
        return exponent(String(format: "%.1e", x))
    }

    /// C's exponent written short: `3.1e-09` → `3.1e-9`, `2e+03` → `2e3`.
    static func exponent(_ s: String) -> String {
        s.replacingOccurrences(of: "e-0", with: "e-").replacingOccurrences(of: "e+0", with: "e").replacingOccurrences(of: "e+", with: "e")
    }

    /// A number for a wire: at most six characters, so it keeps a space from the boxes on both
    /// sides of the eight-column wire (`4.9e-21` would touch the box before it; `5e-21` does not).
    static func onWire(_ x: Double) -> String {
        let s = short(x)
        if s.count <= 6 { return s }
        if x.isFinite, Swift.abs(x) >= 0.01, Swift.abs(x) < 1000 {
            let two = String(format: "%.2g", x)
            if two.count <= 6 { return two }
        }
        return exponent(String(format: "%.0e", x))
    }

    /// Eight rows of characters, drawn into by column, each character with its colour (if any).
    struct Grid {
        var rows: [[Character]] = Array(repeating: [], count: 8)
        var colors: [[Int?]] = Array(repeating: [], count: 8)

        mutating func put(_ s: String, row: Int, column: Int, color: Int? = nil) {
            let chars = Array(s)
            if rows[row].count < column + chars.count {
                let pad = column + chars.count - rows[row].count
                rows[row] += Array(repeating: " ", count: pad)
                colors[row] += Array(repeating: nil, count: pad)
            }
            for (k, ch) in chars.enumerated() { rows[row][column + k] = ch; colors[row][column + k] = color }
        }

        /// `s` centred on column `center`.
        mutating func put(_ s: String, row: Int, center: Int) {
            put(s, row: row, column: Swift.max(0, center - (s.count - 1) / 2))
        }

        /// A wire: its value above, the gradient under, an arrow at the end of the last one.
        mutating func wire(at column: Int, value: Double, gradient: Double?, arrow: Bool) {
            put(String(repeating: "─", count: wireWidth - (arrow ? 1 : 0)) + (arrow ? "▶" : ""), row: 3, column: column)
            let v = onWire(value)
            put(v, row: 2, column: column + (wireWidth - v.count) / 2)
            if let gradient {
                let d = onWire(gradient)
                put(d, row: 4, column: column + (wireWidth - d.count) / 2, color: CellDiagramRenderer.gateColors[1])
            }
        }

        /// Box t: yₜ above, xₜ below, the step number at the bottom.
        mutating func box(at column: Int, name: String, step: Int, output: Double, input: Double) {
            let inner = name.count >= 4 ? String(name.prefix(4)) : name + String(repeating: " ", count: 4 - name.count)
            let center = column + 3
            let c = CellDiagramRenderer.gateColors[0]
            put(short(output), row: 0, center: center)
            put("▲", row: 1, column: center)
            put("┌──┴─┐", row: 2, column: column, color: c)
            put("┤" + inner + "├", row: 3, column: column, color: c)
            put("└──┬─┘", row: 4, column: column, color: c)
            put("▲", row: 5, column: center)
            put(short(input), row: 6, center: center)
            put(String(step), row: 7, center: center)
        }
    }

    /// One row, from `start`: each run of one colour styled, or plain ASCII with colour off.
    static func paint(_ grid: Grid, _ r: Int, from start: Int, _ options: RenderOptions) -> String {
        let chars = Array(grid.rows[r].dropFirst(start)), colors = Array(grid.colors[r].dropFirst(start))
        guard options.color else { return String(chars.map(CellDiagramRenderer.ascii)) }
        var out = ""
        var k = 0
        while k < chars.count {
            var end = k + 1
            while end < chars.count, colors[end] == colors[k] { end += 1 }
            let run = String(chars[k..<end])
            out += colors[k].map { ANSI.style(run, ANSI.foreground($0), enabled: true) } ?? run
            k = end
        }
        return out
    }

    static func text(_ s: String, _ options: RenderOptions) -> String {
        guard !options.color else { return s }
        return CellDiagramRenderer.text(s.replacingOccurrences(of: "∂L/∂hₜ", with: "dL/dh_t").replacingOccurrences(of: "‖", with: "|")
            .replacingOccurrences(of: "√", with: "sqrt").replacingOccurrences(of: "Σ", with: "sum").replacingOccurrences(of: "ᵢ", with: "_i")
            .replacingOccurrences(of: "²", with: "^2"), options)
    }

    /// What the numbers mean, which steps are left out, and what the picture leaves out.
    static func caption(_ g: UnrolledGraph, shown: [Int]) -> [String] {
        var head = "\(g.steps) step\(g.steps == 1 ? "" : "s")"
        if shown.count < g.steps, let gap = zip(shown, shown.dropFirst()).first(where: { $1 != $0 + 1 }) {
            head += " (\(gap.0 + 1)…\(gap.1 - 1) left out to fit)"
        }
        if g.batch > 1 { head += " of batch row \(g.row) (rows 0…\(g.batch - 1))" }
        var out = [head + "; every box is the same cell with the same weights."]
        let n = g.statesAreNorms ? "‖" : ""
        let x = g.inputsAreNorms ? "‖" : ""
        var sizes = "Above each wire \(n)hₜ\(n), over each box \(n)yₜ\(n) (the layer's output: hₜ itself), under it \(x)xₜ\(x)"
        if g.statesAreNorms || g.inputsAreNorms { sizes += "; ‖v‖ = √(Σ vᵢ²), and a one-number vector is shown as itself" }
        out.append(sizes + ".")
        if g.gradients != nil {
            out.append("Under each wire \(n)∂L/∂hₜ\(n), the gradient reaching hₜ from the last backward().")
        }
        if g.cell == .lstm { out.append("The cell state cₜ runs beside hₜ and is not drawn.") }
        return out
    }
}
