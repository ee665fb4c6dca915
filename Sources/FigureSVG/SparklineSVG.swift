import Figures

/// One series as a small line with its range beside it — the shape of a loss curve at a glance.
///
/// Like the terminal's sparkline, the line spans its own finite min…max (shape, not scale), so the
/// range is written next to it (`0.12 … 2.3`): the line alone would hide whether it moved by 0.001
/// or by 1000. A flat series is drawn level through the middle; NaN and ±∞ are gaps, and a lone
/// point between gaps is a dot. The lowest and highest points are marked, so the two numbers can
/// be matched to the line.
enum SparklineSVG {
    static let lineWidth = 160.0
    static let lineHeight = 28.0

    static func render(_ figure: Figure) -> String {
        let values = figure.series.first ?? []
        let margin = FigureFrame.margin
        let title = figure.title.map { $0 } ?? ""
        let titleWidth = title.isEmpty ? 0 : Typography.width(title) + 10
        let range = DataRange(finiteValuesOf: values)
        let rangeText = range.map { compactNumber($0.lo) + " … " + compactNumber($0.hi) } ?? (values.isEmpty ? "(no values)" : "(no finite values)")
        let left = margin + titleWidth
        let width = left + lineWidth + 10 + Typography.width(rangeText) + margin
        let height = lineHeight + 2 * margin
        var doc = SVGDocument(width: width, height: height)
        let middle = margin + lineHeight / 2
        if !title.isEmpty { doc.text(title, x: margin, y: middle + Typography.body * 0.35, bold: true) }
        doc.line(x1: left, y1: margin + lineHeight, x2: left + lineWidth, y2: margin + lineHeight, stroke: Palette.grid)
        if let range {
            let flat = range.hi - range.lo <= 1e-9 * max(abs(range.lo), abs(range.hi))
            let n = values.count
            func px(_ j: Int) -> Double { left + (n > 1 ? Double(j) / Double(n - 1) : 0.5) * lineWidth }
            func py(_ v: Double) -> Double { flat ? middle : margin + (1 - range.fraction(v)) * lineHeight }
            var run: [(x: Double, y: Double)] = []
            func flush() {
                if run.count == 1 { doc.circle(cx: run[0].x, cy: run[0].y, r: 1.5, fill: Palette.series[0]) }
                doc.polyline(run, stroke: Palette.series[0], width: 1.5)
                run = []
            }
            for (j, v) in values.enumerated() {
                guard v.isFinite else { flush(); continue }
                run.append((px(j), py(v)))
            }
            flush()
            if !flat, let lowest = values.firstIndex(of: range.lo), let highest = values.firstIndex(of: range.hi) {
                doc.circle(cx: px(lowest), cy: py(range.lo), r: 2, fill: Palette.series[3])
                doc.circle(cx: px(highest), cy: py(range.hi), r: 2, fill: Palette.series[2])
            }
        }
        doc.text(rangeText, x: left + lineWidth + 10, y: middle + Typography.body * 0.35, fill: Palette.muted)
        return doc.render()
    }
}
