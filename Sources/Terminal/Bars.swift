import Figures

/// Horizontal bars with labels and values: gradient norms per parameter, counts per class.
///
/// ```
/// weight_ih_l0 ████████████████████▌ 2.05
/// weight_hh_l0 ███████▎              0.73
/// bias_ih_l0   ▉                     0.09
/// ```
///
/// Horizontal because labels (parameter names) are long and read left to right. Bar lengths use
/// the eighth blocks `▏▎▍▌▋▊▉█`, so a bar is accurate to 1/8 of a column. All-non-negative data
/// grows from the left edge; with negative values a zero axis `│` splits the area in proportion to
/// the largest negative and positive magnitudes, negatives growing left (in whole blocks, since
/// partial blocks only exist left-anchored). NaN and ±∞ get no bar, only their value.
public enum Bars {
    static let eighths: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]
    static let color = 75

    public static func render(_ figure: Figure, options: RenderOptions = RenderOptions()) -> String {
        var lines: [String] = []
        if let title = figure.title { lines.append(ANSI.style(title, ANSI.bold, enabled: options.color)) }
        let values = figure.values
        guard !values.isEmpty else {
            lines.append("(no bars)")
            return lines.joined(separator: "\n")
        }
        let given = figure.labels ?? []
        let labels = values.indices.map { $0 < given.count ? given[$0] : String($0) }
        let labelWidth = labels.map(\.count).max() ?? 0
        let texts = values.map { compactNumber($0) }
        let valueWidth = texts.map(\.count).max() ?? 0
        let area = max(4, options.width - labelWidth - valueWidth - 2)
        let finite = values.filter { $0.isFinite }
        let maxPos = max(0, finite.max() ?? 0)
        let maxNeg = max(0, -(finite.min() ?? 0))
        // −maxNeg…maxPos, whose width may overflow (±1e308): its arithmetic stays finite.
        let range = ValueRange(lo: -maxNeg, hi: maxPos)!
        let total = maxPos + maxNeg

        // Columns left of the zero axis (0 when nothing is negative): the share of the negatives.
        let negColumns = maxNeg > 0 ? max(1, range.index(0, count: area)) : 0
        let posColumns = maxNeg > 0 ? area - 1 - negColumns : area

        for (i, v) in values.enumerated() {
            var left = String(repeating: " ", count: negColumns)
            var right = ""
            if v.isFinite, total > 0 {
                if v >= 0 {
                    right = bar(v / maxPos * Double(posColumns))
                } else {
                    let n = min(negColumns, Int((-v / maxNeg * Double(negColumns)).rounded()))
                    left = String(repeating: " ", count: negColumns - n) + String(repeating: "█", count: n)
                }
            }
            right += String(repeating: " ", count: max(0, posColumns - right.count))
            let label = labels[i] + String(repeating: " ", count: labelWidth - labels[i].count)
            var line = label + " " + ANSI.style(left, ANSI.foreground(color), enabled: options.color)
            if maxNeg > 0 { line += ANSI.style("│", ANSI.dim, enabled: options.color) }
            line += ANSI.style(right, ANSI.foreground(color), enabled: options.color)
            line += " " + String(repeating: " ", count: valueWidth - texts[i].count) + texts[i]
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// A left-anchored bar `columns` long (fractional), to the nearest eighth of a column.
    static func bar(_ columns: Double) -> String {
        guard columns.isFinite, columns > 0 else { return "" }
        let eighthsTotal = Int((columns * 8).rounded())
        var s = String(repeating: "█", count: eighthsTotal / 8)
        if eighthsTotal % 8 > 0 { s.append(eighths[eighthsTotal % 8 - 1]) }
        return s
    }
}
