import Figures

/// Horizontal bars, one per value, with the label on the left and the value written at the right.
///
/// Bars grow from a zero line, so their lengths compare honestly: with only non-negative values
/// zero is the left edge; with negative values a zero axis splits the area in proportion to the
/// largest negative and positive magnitudes and negatives grow to the left. NaN and ±∞ get no bar,
/// only their value in words (`nan`, `inf`), and the value column is always there — a bar's length
/// is read against its neighbours, its number exactly.
enum BarsSVG {
    static let area = 300.0
    static let rowHeight = 20.0

    static func render(_ figure: Figure) -> String {
        let values = figure.values
        guard !values.isEmpty else { return FigureFrame.empty(figure.title, "(no bars)") }
        let margin = FigureFrame.margin
        let given = figure.labels ?? []
        let labels = values.indices.map { $0 < given.count ? given[$0] : String($0) }
        let texts = values.map { compactNumber($0) }
        let labelWidth = labels.map { Typography.width($0) }.max() ?? 0
        let valueWidth = texts.map { Typography.width($0) }.max() ?? 0
        let finite = values.filter(\.isFinite)
        let maxPos = max(0, finite.max() ?? 0), maxNeg = max(0, -(finite.min() ?? 0))
        // −maxNeg…maxPos: its span may overflow (±1e308), DataRange's arithmetic does not.
        let range = DataRange(lo: -maxNeg, hi: maxPos)!
        let left = margin + labelWidth + 8
        let zero = left + (range.hi > range.lo ? range.fraction(0) : 0) * area
        let top = margin + (figure.title == nil ? 0 : Typography.title + 10)
        let width = left + area + 10 + valueWidth + margin
        let height = top + Double(values.count) * rowHeight + margin

        var doc = SVGDocument(width: width, height: height)
        FigureFrame.title(figure.title, in: &doc)
        for (i, v) in values.enumerated() {
            let y = top + Double(i) * rowHeight
            let baseline = y + rowHeight / 2 + Typography.body * 0.35
            doc.text(labels[i], x: left - 8, y: baseline, anchor: .end)
            if v.isFinite, range.hi > range.lo {
                let end = left + range.fraction(v) * area
                doc.rect(x: min(zero, end), y: y + 3, width: abs(end - zero), height: rowHeight - 6, fill: Palette.bar)
            }
            doc.text(texts[i], x: left + area + 10 + valueWidth, y: baseline, anchor: .end, fill: v.isFinite ? Palette.ink : Palette.muted)
        }
        doc.line(x1: zero, y1: top, x2: zero, y2: top + Double(values.count) * rowHeight, stroke: Palette.axis)
        return doc.render()
    }
}
