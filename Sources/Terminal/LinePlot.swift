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
///   so a short series still reads as a line; a NaN (no value there) breaks the line, and so does
///   ±∞, with a note under the chart saying how many infinite values were left out. Where series
///   overlap, the later one is on top.
/// - **Any finite data draws in bounded time**: axis arithmetic goes through `ValueRange`, so data
///   spanning ±1e308 (a width that overflows) or subnormals gets ticks like any other range.
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
        let height = min(200, max(2, figure.height ?? options.plotHeight))

        // Points per series in data space (x, transformed y); nil breaks the line. NaN is "no value
        // here" (a validation loss between evaluations): a gap. ±∞ is a value no axis can show: it
        // is left out too, and counted for a note, so a diverged run does not look like a short one.
        var dropped = 0, nans = 0, infinities = 0
        func skip(_ v: Double) { if v.isNaN { nans += 1 } else { infinities += 1 } }
        let points: [[(x: Double, y: Double)?]] = figure.series.map { s in
            s.enumerated().map { (j, v) -> (x: Double, y: Double)? in
                let x: Double
                if let xs = figure.x {
                    guard j < xs.count else { return nil }
                    guard xs[j].isFinite else { skip(xs[j]); return nil }
                    x = xs[j]
                } else { x = Double(j) }
                guard v.isFinite else { skip(v); return nil }
                if figure.logScale {
                    guard v > 0 else { dropped += 1; return nil }
                    return (x, log10(v))
                }
                return (x, v)
            }
        }
        let all = points.joined().compactMap { $0 }
        guard let xData = ValueRange(finiteValuesOf: all.map(\.x)),
              let yData = ValueRange(finiteValuesOf: all.map(\.y)) else {
            if figure.logScale && dropped > 0 {
                lines.append("(nothing to plot: all \(dropped) values are ≤ 0, which a log scale cannot show)")
            } else if nans + infinities > 0 {
                lines.append("(nothing to plot: all \(nans + infinities) values are nan or ±inf)")
            } else {
                lines.append("(empty plot)")
            }
            return lines.joined(separator: "\n")
        }
        // One x value: a unit-wide axis from it (or room around it, where +1 is lost in rounding).
        let xRange = xData.hi > xData.lo ? xData
            : ValueRange(lo: xData.lo, hi: xData.lo + 1).flatMap { $0.hi > $0.lo ? $0 : nil } ?? .around(xData.lo)
        // A flat series (or one whose spread is rounding noise, below 10⁻⁹ of its size) is drawn as
        // a level line in the middle of a range around it, not stretched over the whole height. On a
        // log axis y is log₁₀ v, so a difference there is already relative.
        let flat = figure.logScale ? (yData.span ?? .infinity) <= Sparkline.relativeFlatness
            : Sparkline.isFlat(lo: yData.lo, hi: yData.hi)
        var yRange = yData
        if flat {
            let mid = yData.midpoint
            yRange = figure.logScale ? ValueRange(lo: mid - 1, hi: mid + 1)! : (mid == 0 ? ValueRange(lo: -1, hi: 1)! : .around(mid))
        }

        let tickLabels = yTicks(yRange, log: figure.logScale, height: height)
        let axisWidth = tickLabels.values.map(\.count).max() ?? 1
        let width = max(10, options.width - axisWidth - 2)

        func column(_ x: Double) -> Double { xRange.fraction(x) * Double(width - 1) }
        func row(_ y: Double) -> Int { yRange.index(y, count: height) }
        var grid = Array(repeating: Array(repeating: -1, count: width), count: height)
        for (s, series) in points.enumerated() {
            var previous: (c: Double, y: Double)?
            for p in series {
                guard let p else { previous = nil; continue }
                let c = column(p.x)
                if let prev = previous, abs(c - prev.c) >= 1 {
                    let (from, to) = (Int(prev.c.rounded()), Int(c.rounded()))
                    for col in stride(from: from, through: to, by: from < to ? 1 : -1) {
                        let t = min(1, max(0, (Double(col) - prev.c) / (c - prev.c)))
                        // Weighted, not prev + t·(y − prev): the difference of ±1e308 overflows.
                        grid[row(prev.y * (1 - t) + p.y * t)][col] = s
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
        let integral = figure.x?.allSatisfy { !$0.isFinite || $0 == $0.rounded() } ?? true
        lines.append(contentsOf: xAxis(xRange, integral: integral, width: width,
                                       indent: axisWidth + 1, color: color))
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
        if infinities > 0 {
            let noun = infinities == 1 ? "1 value is" : "\(infinities) values are"
            footer.append(ANSI.style("(\(noun) ±inf: left out)", ANSI.dim, enabled: color))
        }
        lines.append(contentsOf: footer.map { String(repeating: " ", count: axisWidth + 2) + $0 })
        return lines.joined(separator: "\n")
    }

    /// Row (0 = bottom) → label for the y axis: round values (multiples of a 1-2-2.5-5 step, about one
    /// per two rows; on a log axis the powers of ten, with 2× and 5× when fewer than three decades
    /// are shown) on the row nearest to them. When the range is too narrow for two round values,
    /// the bottom, middle and top rows are labelled with their exact values instead.
    static func yTicks(_ range: ValueRange, log: Bool, height: Int) -> [Int: String] {
        let (lo, hi) = (range.lo, range.hi)
        func row(_ t: Double) -> Int { range.index(t, count: height) }
        var candidates: [(t: Double, value: Double)] = []
        // Round values sit at least two rows apart; the powers of ten of a log axis may sit on
        // neighbouring rows, so every decade the axis spans is labelled (1e-3, 1e-4, 1e-5, not
        // 1e-3 then 1e-5) — or every k-th one, evenly, when there are more decades than rows.
        var gap = 2
        if log {
            // log₁₀ of a finite positive double lies in about −324…309: a bounded loop.
            if hi - lo < 3 {
                for k in Int(floor(lo))...Int(ceil(hi)) {
                    for m in [1.0, 2, 5] { candidates.append((log10(m) + Double(k), m * pow(10, Double(k)))) }
                }
            } else {
                let first = Int(ceil(lo - 1e-12)), last = Int(floor(hi + 1e-12))
                let rowsPerDecade = Double(max(1, height - 1)) / (hi - lo)
                let every = max(1, Int((1 / rowsPerDecade).rounded(.up)))
                // Multiples of `every`, so the labelled decades do not depend on where the data starts.
                for k in first...last where k % every == 0 { candidates.append((Double(k), pow(10, Double(k)))) }
                gap = 1
            }
        } else {
            let step = niceStep(range.step(dividedInto: max(1, (height - 1) / 2)))
            candidates = range.multiples(of: step).map { ($0, $0) }
        }
        candidates = candidates.filter { $0.t >= lo - 1e-12 && $0.t <= hi + 1e-12 }
        var ticks: [Int: String] = [:]
        var lastRow = -2
        for c in candidates {
            let r = row(c.t)
            if r - lastRow >= gap || ticks.isEmpty { ticks[r] = compactNumber(c.value); lastRow = r }
        }
        if ticks.count < 2 {
            ticks = [:]
            for r in Set([0, (height - 1) / 2, height - 1]) {
                let t = range.value(at: Double(r) / Double(max(1, height - 1)))
                ticks[r] = compactNumber(log ? pow(10, t) : t)
            }
        }
        return ticks
    }

    /// The step among 1, 2, 2.5, 5 × 10ᵏ nearest to `raw` (by ratio): round numbers for ticks.
    /// With `integral` (x is a step or epoch index) the step is a whole number: at least 1, and
    /// 2.5 is not offered below 10.
    static func niceStep(_ raw: Double, integral: Bool = false) -> Double {
        guard raw.isFinite, raw > 0 else { return 1 }
        if integral && raw < 1 { return 1 }
        let magnitude = pow(10, floor(log10(raw)))
        let mantissas: [Double] = integral && magnitude < 10 ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10]
        return mantissas.map { $0 * magnitude }.min { abs(log($0 / raw)) < abs(log($1 / raw)) }!
    }

    static func marker(_ s: Int, color: Bool) -> String {
        ANSI.style(String(markers[s % markers.count]), ANSI.foreground(colors[s % colors.count]), enabled: color)
    }

    /// `└┬────┬────┬` and the tick values under it: round numbers (multiples of 1, 2, 2.5 or 5 × 10ᵏ,
    /// about one per 16 columns) as a reader would mark an axis by hand, plus the last x when its
    /// label fits — the final epoch is usually the number one wants.
    static func xAxis(_ range: ValueRange, integral: Bool, width: Int, indent: Int, color: Bool) -> [String] {
        let (xMin, xMax) = (range.lo, range.hi)
        let step = niceStep(range.step(dividedInto: max(2, width / 16)), integral: integral)
        var values = range.multiples(of: step)
        if values.first.map({ $0 - xMin > step * 1e-9 }) ?? true { values.insert(xMin, at: 0) }
        if let last = values.last, xMax - last > step * 1e-9 { values.append(xMax) }
        let ticks = values.map { (col: range.index($0, count: width), text: compactNumber($0)) }
        var axis = Array(repeating: Character("─"), count: width)
        var labels = ""
        for t in ticks {
            // Centre the label under its tick, kept inside the axis; a label that would touch the
            // previous one is left out together with its tick.
            let start = min(max(0, t.col - t.text.count / 2), max(0, width - t.text.count))
            if !labels.isEmpty && start < labels.count + 1 { continue }
            axis[t.col] = "┬"
            labels += String(repeating: " ", count: start - labels.count) + t.text
        }
        let pad = String(repeating: " ", count: indent)
        return [ANSI.style(pad + "└" + String(axis), ANSI.dim, enabled: color),
                ANSI.style(pad + " " + labels, ANSI.dim, enabled: color)]
    }
}
