import Figures

/// A matrix as a grid of coloured cells: weights, or hidden state over (time × unit).
///
/// ```
///    0 1 2 3 4 5
/// 0 ██████████████        (each cell two columns wide: terminal cells are about twice as tall
/// 1 ██████████████         as wide, so two make a square)
/// -0.81 ▕█████████████▏ 0.81
/// ```
///
/// - **Scale.** Signed data is drawn on a diverging blue–white–red scale symmetric around 0
///   (`[-m, m]`, m = largest |v|): equal magnitudes get equal intensity on either side, and white
///   is exactly zero — what one wants to see in weights and pre-activations. Non-negative data
///   (σ gates, probabilities, norms) gets a sequential dark-purple → yellow scale over `[min, max]`.
///   `HeatmapScale.auto` picks by the sign of the data.
/// - **Without colour** the same levels are characters, so the picture still reads in a log file:
///   sequential ` .:-=+*#%@` (dense = large), diverging `#=-, .+*@` (left of the blank for
///   negatives, right for positives). NaN cells are `?`.
/// - **Width follows the terminal:** two columns per cell when they fit (wider, up to 6, when
///   given column labels need it), then one, then columns are
///   averaged in equal bins down to the width (rows likewise beyond `maxRows`), and a note says so.
/// - **Axes:** row labels on the left and column labels on top, either the figure's labels or the
///   indices; a column label is shown where it fits without touching its neighbour.
public enum Heatmap {
    /// Rows beyond this are averaged into bins (a long sequence would scroll the picture away).
    public static let maxRows = 48

    static let divergingPalette = [19, 69, 111, 189, 231, 224, 217, 203, 124]
    static let sequentialPalette = [54, 61, 68, 31, 38, 43, 78, 119, 190, 226]
    // The palettes have as many levels as the ramps, so a cell has the same level with colour on
    // or off and the legend is equally long.
    static let sequentialRamp: [Character] = Array(" .:-=+*#%@")
    static let divergingRamp: [Character] = Array("#=-, .+*@")

    public static func render(_ figure: Figure, options: RenderOptions = RenderOptions()) -> String {
        var lines: [String] = []
        if let title = figure.title { lines.append(ANSI.style(title, ANSI.bold, enabled: options.color)) }
        let (rows, columns) = figure.matrixShape
        guard rows > 0, columns > 0 else {
            lines.append("(empty heatmap \(rows)×\(columns))")
            return lines.joined(separator: "\n")
        }
        // Pad ragged rows with NaN: never trap on a malformed figure.
        var matrix = figure.matrix.map { $0 + Array(repeating: Double.nan, count: columns - $0.count) }
        var rowLabels = labels(figure.rowLabels, count: rows)
        var columnLabels = labels(figure.columnLabels, count: columns)
        var columnStarts = Array(0...columns)  // original column where each drawn column starts
        var notes: [String] = []

        if rows > maxRows {
            let bins = binStarts(rows, maxRows)
            matrix = (0..<maxRows).map { b in
                (0..<columns).map { c in mean(matrix[bins[b]..<bins[b + 1]].map { $0[c] }) }
            }
            rowLabels = (0..<maxRows).map { rowLabels[bins[$0]] }
            notes.append("rows averaged \(rows) → \(maxRows)")
        }
        let labelWidth = rowLabels.map(\.count).max() ?? 1
        let available = max(1, options.width - labelWidth - 1)
        // Two columns make a square cell; given column labels may ask for up to 6 so they fit.
        let labelled = figure.columnLabels.map { $0.map(\.count).max() ?? 0 } ?? 0
        var cellWidth = max(2, min(6, labelled + 1))
        if columns * cellWidth > available { cellWidth = 2 }
        if columns * 2 > available {
            cellWidth = 1
            if columns > available {
                let bins = binStarts(columns, available)
                matrix = matrix.map { row in (0..<available).map { b in mean(Array(row[bins[b]..<bins[b + 1]])) } }
                columnLabels = (0..<available).map { columnLabels[bins[$0]] }
                columnStarts = bins
                notes.append("columns averaged \(columns) → \(available)")
            }
        }

        let finite = matrix.joined().filter { $0.isFinite }
        let diverging: Bool
        switch figure.scale {
        case .diverging: diverging = true
        case .sequential: diverging = false
        case .auto: diverging = finite.contains { $0 < 0 }
        }
        let range: ValueRange
        if diverging {
            let m = finite.map(abs).max() ?? 0
            range = ValueRange(lo: -m, hi: m)!
        } else {
            range = ValueRange(finiteValuesOf: finite) ?? ValueRange(lo: 0, hi: 0)!
        }
        let (lo, hi) = (range.lo, range.hi)
        let levelCount = diverging ? divergingRamp.count : sequentialRamp.count
        func level(_ v: Double) -> Int {
            if hi == lo { return diverging ? levelCount / 2 : 0 }
            return range.index(v, count: levelCount)
        }
        func cell(_ v: Double) -> String {
            guard v.isFinite else {
                return ANSI.style(String(repeating: "?", count: cellWidth), ANSI.dim, enabled: options.color)
            }
            let l = level(v)
            if options.color {
                let palette = diverging ? divergingPalette : sequentialPalette
                return ANSI.foreground(palette[l]) + String(repeating: "█", count: cellWidth) + ANSI.reset
            }
            return String(repeating: (diverging ? divergingRamp : sequentialRamp)[l], count: cellWidth)
        }

        if figure.xLabel != nil || figure.yLabel != nil {
            let parts = [figure.yLabel.map { "rows: \($0)" }, figure.xLabel.map { "columns: \($0)" }]
            lines.append(ANSI.style(parts.compactMap { $0 }.joined(separator: ", "), ANSI.dim, enabled: options.color))
        }
        if figure.columnLabels == nil {
            columnLabels = roundIndexLabels(starts: columnStarts, cellWidth: cellWidth)
        }
        lines.append(ANSI.style(columnHeader(columnLabels, indent: labelWidth + 1, cellWidth: cellWidth,
                                             width: max(options.width, labelWidth + 1 + matrix[0].count * cellWidth)),
                                ANSI.dim, enabled: options.color))
        for (r, row) in matrix.enumerated() {
            let label = String(repeating: " ", count: labelWidth - rowLabels[r].count) + rowLabels[r]
            lines.append(ANSI.style(label, ANSI.dim, enabled: options.color) + " " + row.map(cell).joined())
        }
        lines.append(legend(lo: lo, hi: hi, diverging: diverging, levelCount: levelCount, color: options.color))
        let hasNaN = matrix.joined().contains { !$0.isFinite }
        lines.append(ANSI.style(WordWrap.wrap(key(diverging: diverging, color: options.color, notANumber: hasNaN), width: options.width),
                                ANSI.dim, enabled: options.color))
        if !notes.isEmpty { lines.append(ANSI.style("(" + notes.joined(separator: ", ") + ")", ANSI.dim, enabled: options.color)) }
        return lines.joined(separator: "\n")
    }

    /// `min ▕ramp▏ max`: the scale's ends and every level in order, so a cell can be read back.
    static func legend(lo: Double, hi: Double, diverging: Bool, levelCount: Int, color: Bool) -> String {
        let ramp: String
        if color {
            let palette = diverging ? divergingPalette : sequentialPalette
            ramp = palette.map { ANSI.foreground($0) + "█" }.joined() + ANSI.reset
        } else {
            ramp = String(diverging ? divergingRamp : sequentialRamp)
        }
        return "\(compactNumber(lo)) ▕" + ramp + "▏ \(compactNumber(hi))"
    }

    /// What the marks mean, under the legend: which end is which and where zero is, in words, for
    /// the colours or (without colour) the characters actually drawn — "(# most negative … blank 0
    /// … @ most positive)".
    static func key(diverging: Bool, color: Bool, notANumber: Bool) -> String {
        let ends: String
        switch (diverging, color) {
        case (true, true): ends = "dark blue most negative … white 0 … dark red most positive"
        case (true, false): ends = "\(divergingRamp.first!) most negative … blank 0 … \(divergingRamp.last!) most positive"
        case (false, true): ends = "dark purple smallest … yellow largest"
        case (false, false): ends = "blank smallest … \(sequentialRamp.last!) largest"
        }
        return "(" + ends + (notANumber ? " · ? not a number" : "") + ")"
    }

    /// Labels placed left to right at their cells, skipped where they would touch the previous one.
    static func columnHeader(_ labels: [String], indent: Int, cellWidth: Int, width: Int) -> String {
        var line = String(repeating: " ", count: indent)
        for (c, label) in labels.enumerated() where !label.isEmpty {
            let position = indent + c * cellWidth
            let needed = c == 0 ? position : position - 1  // keep one blank before a label
            if line.count <= needed && position + label.count <= width {
                line += String(repeating: " ", count: position - line.count) + label
            }
        }
        return line
    }

    /// Index labels at round positions: multiples of the smallest step among 1, 2, 5, 10, 20, 50…
    /// whose labels have room, each on the drawn column that contains it (`starts` maps drawn
    /// columns to original ones, since wide matrices are averaged). Other columns get "".
    static func roundIndexLabels(starts: [Int], cellWidth: Int) -> [String] {
        let drawn = starts.count - 1
        guard drawn > 0, let original = starts.last else { return [] }
        let widest = String(original - 1).count + 1
        let columnsPerIndex = Double(drawn * cellWidth) / Double(original)
        var step = 1
        for candidate in [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000] {
            step = candidate
            if Double(candidate) * columnsPerIndex >= Double(widest) { break }
        }
        var labels = Array(repeating: "", count: drawn)
        var column = 0
        for index in stride(from: 0, to: original, by: step) {
            while column + 1 < drawn && starts[column + 1] <= index { column += 1 }
            if labels[column].isEmpty { labels[column] = String(index) }
        }
        return labels
    }

    static func labels(_ given: [String]?, count: Int) -> [String] {
        let given = given ?? []
        return (0..<count).map { $0 < given.count ? given[$0] : String($0) }
    }

    /// Start indices of `bins` equal bins over `n` items, plus `n` at the end.
    static func binStarts(_ n: Int, _ bins: Int) -> [Int] { (0...bins).map { $0 * n / bins } }

    static func mean(_ values: [Double]) -> Double { finiteMean(values) }
}
