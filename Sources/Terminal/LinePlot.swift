import Foundation
import Figures

/// Several series on one chart: y axis with ticks, x axis with ticks, a legend.
///
/// ```
/// 2.3 ┤●
///     │ ●●
/// 1.2 ┤   ●●●        ×××
///     │      ●●●××××
/// 0.1 ┤×××××××●●●●●●●●●
///     └┬───────┬──────┬
///      0       50     99
///     ● train  × valid
/// ```
///
/// **Why markers, not braille.** Braille cells (2×4 dots) give four times the resolution, but every
/// series is then drawn with the same dots and only colour tells them apart — nothing when colour
/// is off (`NO_COLOR`, a pipe, a notebook export). Here each series has its own marker (`● × + ○ ◆
/// ▲ ■ *`) and, with colour, its own colour; one point per column and one of `height` rows is
/// enough to read a loss curve's shape, its plateau and where two curves cross.
///
/// - Points are placed at their x and joined by linear interpolation at every column in between,
///   so a short series still reads as a line; a NaN breaks the line. Where series overlap, the
///   later one is on top.
/// - **Log scale** plots log10(y). Zero and negative values have no place on it: they are left out
///   and a note under the chart says how many, rather than failing the whole plot.
/// - Height `figure.height ?? options.plotHeight` rows (12 by default); width follows the terminal.
public enum LinePlot {
    public static let markers: [Character] = ["●", "×", "+", "○", "◆", "▲", "■", "*"]
    static let colors = [39, 208, 70, 170, 178, 37, 160, 250]

    public static func render(_ figure: Figure, options: RenderOptions = RenderOptions()) -> String {
        var lines: [String] = []
        let color = options.color
        if let title = figure.title { lines.append(ANSI.style(title, ANSI.bold, enabled: color)) }
        let height = max(2, figure.height ?? options.plotHeight)

        // Points per series in data space (x, transformed y); nil breaks the line.
        var dropped = 0
        let points: [[(x: Double, y: Double)?]] = figure.series.map { s in
            s.enumerated().map { (j, v) -> (x: Double, y: Double)? in
                let x: Double
                if let xs = figure.x { guard j < xs.count, xs[j].isFinite else { return nil }; x = xs[j] } else { x = Double(j) }
                guard v.isFinite else { return nil }
                if figure.logScale {
                    guard v > 0 else { dropped += 1; return nil }
                    return (x, log10(v))
                }
                return (x, v)
            }
        }
        let all = points.joined().compactMap { $0 }
        guard let xMin = all.map(\.x).min(), let xMax0 = all.map(\.x).max(),
              var yLo = all.map(\.y).min(), var yHi = all.map(\.y).max() else {
            lines.append(figure.logScale && dropped > 0
                         ? "(nothing to plot: all \(dropped) values are ≤ 0, which a log scale cannot show)"
                         : "(empty plot)")
            return lines.joined(separator: "\n")
        }
        let xMax = xMax0 > xMin ? xMax0 : xMin + 1
        if yHi == yLo {
            let delta = figure.logScale ? 1 : (yLo == 0 ? 1 : abs(yLo) * 0.5)
            (yLo, yHi) = (yLo - delta, yHi + delta)
        }

        // Y tick labels: every few rows from the bottom, and the top row.
        let step = max(1, (height - 1 + 3) / 4)
        var tickRows = Array(stride(from: 0, to: height - 1, by: step))
        if height - 1 - (tickRows.last ?? 0) < step / 2 + 1, tickRows.count > 1 { tickRows.removeLast() }
        tickRows.append(height - 1)
        func rowValue(_ r: Int) -> Double {
            let t = yLo + Double(r) / Double(height - 1) * (yHi - yLo)
            return figure.logScale ? pow(10, t) : t
        }
        let tickLabels = Dictionary(uniqueKeysWithValues: tickRows.map { ($0, compactNumber(rowValue($0), significant: 3)) })
        let axisWidth = tickLabels.values.map(\.count).max() ?? 1
        let width = max(10, options.width - axisWidth - 2)

        func column(_ x: Double) -> Double { (x - xMin) / (xMax - xMin) * Double(width - 1) }
        func row(_ y: Double) -> Int {
            min(height - 1, max(0, Int(((y - yLo) / (yHi - yLo) * Double(height - 1)).rounded())))
        }
        var grid = Array(repeating: Array(repeating: -1, count: width), count: height)
        for (s, series) in points.enumerated() {
            var previous: (c: Double, y: Double)?
            for p in series {
                guard let p else { previous = nil; continue }
                let c = column(p.x)
                if let prev = previous, abs(c - prev.c) >= 1 {
                    let (from, to) = (Int(prev.c.rounded()), Int(c.rounded()))
                    for col in stride(from: from, through: to, by: from < to ? 1 : -1) {
                        let t = (Double(col) - prev.c) / (c - prev.c)
                        grid[row(prev.y + min(1, max(0, t)) * (p.y - prev.y))][col] = s
                    }
                }
                grid[row(p.y)][min(width - 1, max(0, Int(c.rounded())))] = s
                previous = (c, p.y)
            }
        }

        for r in stride(from: height - 1, through: 0, by: -1) {
            let label = tickLabels[r].map { String(repeating: " ", count: axisWidth - $0.count) + $0 }
                ?? String(repeating: " ", count: axisWidth)
            var line = ANSI.style(label + (tickLabels[r] == nil ? " │" : " ┤"), ANSI.dim, enabled: color)
            var text = ""
            for c in 0..<width {
                let s = grid[r][c]
                text += s < 0 ? " " : marker(s, color: color)
            }
            line += String(text.reversed().drop { $0 == " " }.reversed())
            lines.append(line)
        }
        lines.append(contentsOf: xAxis(xMin: xMin, xMax: xMax, integral: figure.x == nil || figure.x!.allSatisfy { $0 == $0.rounded() },
                                       width: width, indent: axisWidth + 1, color: color))
        if let xLabel = figure.xLabel {
            lines.append(String(repeating: " ", count: axisWidth + 2 + max(0, (width - xLabel.count) / 2)) + xLabel)
        }
        var footer: [String] = []
        if figure.series.count > 1 || figure.seriesLabels != nil {
            footer.append((0..<figure.series.count).map { s in
                let name = s < (figure.seriesLabels?.count ?? 0) ? figure.seriesLabels![s] : "series \(s + 1)"
                return marker(s, color: color) + " " + name
            }.joined(separator: "  "))
        }
        if let yLabel = figure.yLabel { footer.append("y: " + yLabel + (figure.logScale ? " (log scale)" : "")) }
        else if figure.logScale { footer.append("y: log scale") }
        if dropped > 0 {
            footer.append(ANSI.style("(log scale: \(dropped) value\(dropped == 1 ? "" : "s") ≤ 0 left out)", ANSI.dim, enabled: color))
        }
        lines.append(contentsOf: footer.map { String(repeating: " ", count: axisWidth + 2) + $0 })
        return lines.joined(separator: "\n")
    }

    static func marker(_ s: Int, color: Bool) -> String {
        ANSI.style(String(markers[s % markers.count]), ANSI.foreground(colors[s % colors.count]), enabled: color)
    }

    /// `└┬───┬───┬` and the tick values under it: first, middle and last column (more when wide),
    /// rounded to integers when x is an index.
    static func xAxis(xMin: Double, xMax: Double, integral: Bool, width: Int, indent: Int, color: Bool) -> [String] {
        let count = width >= 60 ? 5 : 3
        var ticks: [(col: Int, text: String)] = []
        for k in 0..<count {
            var v = xMin + Double(k) / Double(count - 1) * (xMax - xMin)
            if integral { v = v.rounded() }
            let col = Int(((v - xMin) / (xMax - xMin) * Double(width - 1)).rounded())
            ticks.append((min(width - 1, max(0, col)), compactNumber(v)))
        }
        var axis = Array(repeating: Character("─"), count: width)
        var labels = ""
        for t in ticks {
            axis[t.col] = "┬"
            // Centre the label under its tick, inside the axis, one blank after the previous label.
            var start = min(max(0, t.col - t.text.count / 2), max(0, width - t.text.count))
            if !labels.isEmpty { start = max(start, labels.count + 1) }
            if start + t.text.count <= width + 1 {
                labels += String(repeating: " ", count: start - labels.count) + t.text
            }
        }
        let pad = String(repeating: " ", count: indent)
        return [ANSI.style(pad + "└" + String(axis), ANSI.dim, enabled: color),
                ANSI.style(pad + " " + labels, ANSI.dim, enabled: color)]
    }
}
