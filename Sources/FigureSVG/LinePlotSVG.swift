import Foundation
import Figures

/// Several series on shared axes: nice ticks, light grid lines, a legend, the axis names.
///
/// - **Points** are placed at their x (the figure's `x`, else 0, 1, 2, …) and joined by straight
///   lines. A NaN (no value there, as a validation loss between evaluations) breaks the line, and
///   so does ±∞ — which no axis can show — with a note under the chart counting them, so a
///   diverged run does not look like a short one. A point with no neighbour is drawn as a dot.
/// - **Ticks** are multiples of 1, 2 or 5 × 10ᵏ (`Ticks`); the y axis is widened to the ticks
///   just outside the data, so no curve touches the frame. x steps are whole numbers when every
///   x is (steps and epochs).
/// - **Log scale** plots log₁₀ y with ticks at powers of ten (and 2×, 5× over fewer than three
///   decades); values ≤ 0 are left out and counted in a note, as in the terminal.
/// - **Several series** get a colour each (Tableau 10) and, from the second on, a dash pattern,
///   so they stay apart in greyscale print; the legend names them.
/// - A flat series is drawn level in the middle of a range around it, not stretched over the
///   whole height (rounding noise is not a trend) — the terminal's rule.
/// - The plotting area is 520 pixels wide and 24 pixels per row of the figure's `height` high
///   (12 rows, 288 pixels, by default; 120…600), so `plot(…, height: 6)` is flatter here too.
enum LinePlotSVG {
    static let dashes: [String?] = [nil, "6 3", "2 3", "8 3 2 3"]

    static func render(_ figure: Figure) -> String {
        var dropped = 0, infinities = 0
        let points: [[(x: Double, y: Double)?]] = figure.series.map { s in
            s.enumerated().map { (j, v) -> (x: Double, y: Double)? in
                let x: Double
                if let xs = figure.x {
                    guard j < xs.count else { return nil }
                    guard xs[j].isFinite else { if xs[j].isInfinite { infinities += 1 }; return nil }
                    x = xs[j]
                } else { x = Double(j) }
                guard v.isFinite else { if v.isInfinite { infinities += 1 }; return nil }
                if figure.logScale {
                    guard v > 0 else { dropped += 1; return nil }
                    return (x, log10(v))
                }
                return (x, v)
            }
        }
        let all = points.joined().compactMap { $0 }
        guard let xData = DataRange(finiteValuesOf: all.map(\.x)), let yData = DataRange(finiteValuesOf: all.map(\.y)) else {
            let total = figure.series.map(\.count).reduce(0, +)
            if figure.logScale && dropped > 0 {
                return FigureFrame.empty(figure.title, "(nothing to plot: all \(dropped) values are ≤ 0, which a log scale cannot show)")
            }
            return FigureFrame.empty(figure.title, total > 0 ? "(nothing to plot: all \(total) values are nan or ±inf)" : "(empty plot)")
        }
        let xRange = xData.hi > xData.lo ? xData
            : DataRange(lo: xData.lo, hi: xData.lo + 1).flatMap { $0.hi > $0.lo ? $0 : nil } ?? .around(xData.lo)
        let flat = figure.logScale ? (yData.span ?? .infinity) <= 1e-9
            : yData.hi - yData.lo <= 1e-9 * max(abs(yData.lo), abs(yData.hi))
        var yRange = yData
        if flat {
            let mid = yData.midpoint
            yRange = figure.logScale ? DataRange(lo: mid - 1, hi: mid + 1)! : (mid == 0 ? DataRange(lo: -1, hi: 1)! : .around(mid))
        }

        // y ticks (and the axis widened to the outer ones), x ticks.
        let yTicks: [(value: Double, label: String)]
        if figure.logScale {
            yTicks = logTicks(yRange)
            if let lo = yTicks.first?.value, let hi = yTicks.last?.value, let r = DataRange(lo: min(lo, yRange.lo), hi: max(hi, yRange.hi)) {
                yRange = r
            }
        } else {
            let (values, step) = Ticks.values(yRange, target: 5)
            let lo = (yRange.lo / step).rounded(.down) * step, hi = (yRange.hi / step).rounded(.up) * step
            if values.count >= 2, let wider = DataRange(lo: lo, hi: hi), wider.span != nil { yRange = wider }
            let final = Ticks.values(yRange, target: 5)
            yTicks = Array(zip(final.values, Ticks.labels(final.values, step: final.step))).map { ($0.0, $0.1) }
        }
        let integral = figure.x?.allSatisfy { !$0.isFinite || $0 == $0.rounded() } ?? true
        let xt = Ticks.values(xRange, target: 6, integral: integral)
        let xTicks = zip(xt.values, Ticks.labels(xt.values, step: xt.step)).map { (value: $0.0, label: $0.1) }

        // Layout.
        let margin = FigureFrame.margin
        let plotHeight = min(600, max(120, Double(figure.height ?? 12) * 24))
        let plotWidth = 520.0
        let yLabelRoom = figure.yLabel == nil && !figure.logScale ? 0 : Typography.body + 8
        let tickWidth = yTicks.map { Typography.width($0.label) }.max() ?? 0
        let left = margin + yLabelRoom + tickWidth + 8
        let top = margin + (figure.title == nil ? 4 : Typography.title + 12)
        let labels = (0..<figure.series.count).map { s in
            s < (figure.seriesLabels?.count ?? 0) ? figure.seriesLabels![s] : "series \(s + 1)"
        }
        let showLegend = figure.series.count > 1 || figure.seriesLabels != nil
        let legendWidth = showLegend ? 34 + (labels.map { Typography.width($0) }.max() ?? 0) : 0
        var notes: [String] = []
        if dropped > 0 { notes.append("(log scale: \(dropped) value\(dropped == 1 ? "" : "s") ≤ 0 left out)") }
        if infinities > 0 { notes.append("(\(infinities == 1 ? "1 value is" : "\(infinities) values are") ±inf: left out)") }
        let axisBottom = top + plotHeight
        let xLabelY = axisBottom + 6 + Typography.body + (figure.xLabel == nil ? 0 : Typography.body + 8)
        let legendHeight = Double(labels.count) * 16
        let height = max(xLabelY, top + legendHeight) + Double(notes.count) * (Typography.small + 5) + margin + 4
        let width = left + plotWidth + (showLegend ? 16 + legendWidth : 0) + margin + 10

        func px(_ x: Double) -> Double { left + xRange.fraction(x) * plotWidth }
        func py(_ y: Double) -> Double { top + (1 - yRange.fraction(y)) * plotHeight }

        var doc = SVGDocument(width: width, height: height)
        FigureFrame.title(figure.title, in: &doc)
        for t in yTicks {
            let y = py(t.value)
            doc.line(x1: left, y1: y, x2: left + plotWidth, y2: y, stroke: Palette.grid)
            doc.line(x1: left - 4, y1: y, x2: left, y2: y, stroke: Palette.axis)
            doc.text(t.label, x: left - 6, y: y + Typography.body * 0.35, anchor: .end)
        }
        for t in xTicks {
            let x = px(t.value)
            doc.line(x1: x, y1: axisBottom, x2: x, y2: axisBottom + 4, stroke: Palette.axis)
            doc.text(t.label, x: x, y: axisBottom + 6 + Typography.body, anchor: .middle)
        }
        doc.line(x1: left, y1: top, x2: left, y2: axisBottom, stroke: Palette.axis)
        doc.line(x1: left, y1: axisBottom, x2: left + plotWidth, y2: axisBottom, stroke: Palette.axis)
        if let xLabel = figure.xLabel {
            doc.text(xLabel, x: left + plotWidth / 2, y: xLabelY, anchor: .middle, fill: Palette.muted)
        }
        if figure.yLabel != nil || figure.logScale {
            let name = (figure.yLabel.map { $0 + " " } ?? "") + (figure.logScale ? "(log scale)" : "")
            doc.text(name.trimmingCharacters(in: .whitespaces), x: margin + Typography.body, y: top + plotHeight / 2,
                     anchor: .middle, fill: Palette.muted, rotate: -90)
        }
        // The series, later ones on top; each run of finite points one line.
        for (s, series) in points.enumerated() {
            let colour = Palette.series[s % Palette.series.count]
            let dash = dashes[s % dashes.count]
            var run: [(x: Double, y: Double)] = []
            func flush() {
                if run.count == 1 { doc.circle(cx: run[0].x, cy: run[0].y, r: 2.5, fill: colour) }
                doc.polyline(run, stroke: colour, width: 1.8, dash: dash)
                run = []
            }
            for p in series {
                guard let p else { flush(); continue }
                run.append((px(p.x), py(p.y)))
            }
            flush()
        }
        if showLegend {
            let x = left + plotWidth + 16
            for (s, label) in labels.enumerated() {
                let y = top + 8 + Double(s) * 16
                doc.polyline([(x, y), (x + 24, y)], stroke: Palette.series[s % Palette.series.count], width: 2, dash: dashes[s % dashes.count])
                doc.text(label, x: x + 30, y: y + Typography.body * 0.35)
            }
        }
        for (k, note) in notes.enumerated() {
            doc.text(note, x: left, y: max(xLabelY, top + legendHeight) + Double(k + 1) * (Typography.small + 5),
                     size: Typography.small, fill: Palette.muted)
        }
        return doc.render()
    }

    /// Ticks of a log₁₀ axis (`range` in decades): every power of ten it spans — every k-th when
    /// there are more than eight — and 2×, 5× between them over fewer than three decades. The
    /// labels name the value, not its logarithm. The axis is widened to the decades just outside.
    static func logTicks(_ range: DataRange) -> [(value: Double, label: String)] {
        // log₁₀ of a finite positive double is within about −324…309: bounded loops.
        let first = Int(floor(range.lo + 1e-12)), last = Int(ceil(range.hi - 1e-12))
        let decades = max(1, last - first)
        var ticks: [(value: Double, label: String)] = []
        if decades < 3 {
            for k in first...last {
                for m in [1.0, 2, 5] where k < last || m == 1 {
                    ticks.append((log10(m) + Double(k), compactNumber(m * pow(10, Double(k)))))
                }
            }
        } else {
            let every = max(1, Int((Double(decades) / 8).rounded(.up)))
            for k in first...last where k % every == 0 {
                ticks.append((Double(k), compactNumber(pow(10, Double(k)))))
            }
        }
        return ticks
    }
}
