import Figures

/// A matrix as a grid of coloured cells with labelled axes and a colour scale bar.
///
/// - **Colours** follow the figure's `scale` by the terminal's rule (`HeatmapColouring`): viridis
///   over `[min, max]` for non-negative data, RdBu over `[-m, m]` for signed data so that 0 is
///   the neutral middle.
/// - **Axes.** Rows down the left, columns along the bottom, as the matrix is written (row 0 at
///   the top). Given labels are written where they fit (every k-th when cells are small, columns
///   turned upright when a label is wider than its cell); otherwise indices at round steps
///   (1, 2, 5, 10, …) far enough apart to read.
/// - **Scale bar** to the right: the map as a stack of bands from the bottom (low) to the top
///   (high), with nice ticks (a diverging bar always has one at 0).
/// - **Not a number.** A NaN or ±∞ cell is grey with a cross, and a key under the bar says so.
/// - **Large matrices** are averaged in equal bins down to `maxCells` a side (finite values only;
///   a bin of none stays missing), and a note under the picture says so: a 1000×1000 matrix would
///   otherwise be a million elements that no screen can show.
enum HeatmapSVG {
    static let maxCells = 200
    static let margin = 10.0

    static func render(_ figure: Figure) -> String {
        let (rows, columns) = figure.matrixShape
        guard rows > 0, columns > 0 else { return FigureFrame.empty(figure.title, "(empty heatmap \(rows)×\(columns))") }
        var matrix = figure.matrix.map { $0 + Array(repeating: Double.nan, count: columns - $0.count) }
        var notes: [String] = []
        var rowStarts = Array(0...rows), columnStarts = Array(0...columns)
        if rows > maxCells {
            rowStarts = binStarts(rows, maxCells)
            matrix = (0..<maxCells).map { b in (0..<columns).map { c in finiteMean(matrix[rowStarts[b]..<rowStarts[b + 1]].map { $0[c] }) } }
            notes.append("rows averaged \(rows) → \(maxCells)")
        }
        if columns > maxCells {
            columnStarts = binStarts(columns, maxCells)
            matrix = matrix.map { row in (0..<maxCells).map { b in finiteMean(row[columnStarts[b]..<columnStarts[b + 1]]) } }
            notes.append("columns averaged \(columns) → \(maxCells)")
        }
        let drawnRows = matrix.count, drawnColumns = matrix[0].count
        let colouring = HeatmapColouring(values: Array(matrix.joined()), scale: figure.scale)
        // Square cells where the matrix is about square; a tall or wide one gets cells up to six
        // times longer than high (or the reverse), so a (200, 8) trace is not 16 pixels wide.
        var cellWidth = min(28, max(2, (480 / Double(drawnColumns)).rounded(.down)))
        var cellHeight = min(28, max(2, (480 / Double(drawnRows)).rounded(.down)))
        cellWidth = min(cellWidth, 6 * cellHeight)
        cellHeight = min(cellHeight, 6 * cellWidth)
        let gridWidth = cellWidth * Double(drawnColumns), gridHeight = cellHeight * Double(drawnRows)

        // Which rows and columns get a label, and its text.
        let rowMarks = marks(given: figure.rowLabels, starts: rowStarts, cell: cellHeight, upright: false, vertical: true)
        let columnUpright = (figure.columnLabels ?? []).contains { Typography.width($0) > cellWidth - 2 }
        let columnMarks = marks(given: figure.columnLabels, starts: columnStarts, cell: cellWidth, upright: columnUpright, vertical: false)
        let rowLabelWidth = rowMarks.map { Typography.width($0.text) }.max() ?? 0
        let columnLabelHeight = columnUpright ? (columnMarks.map { Typography.width($0.text) }.max() ?? 0) : Typography.body

        // Colour bar ticks (their labels set the right margin).
        let bar = ScaleBar(colouring: colouring)
        let yLabelRoom = figure.yLabel == nil ? 0 : Typography.body + 6
        let left = margin + yLabelRoom + rowLabelWidth + 6
        let top = margin + (figure.title == nil ? 0 : Typography.title + 8)
        let barHeight = max(120, gridHeight)
        let barX = left + gridWidth + 18
        let hasMissing = matrix.joined().contains { !$0.isFinite }
        let bottomOfGrid = top + gridHeight + 4 + columnLabelHeight + (figure.xLabel == nil ? 0 : Typography.body + 8)
        let keyHeight = hasMissing ? 18.0 : 0
        let notesHeight = Double(notes.count) * (Typography.small + 4)
        let keyWidth = hasMissing ? 14 + Typography.width("not a number", size: Typography.small) : 0
        let width = max(barX + ScaleBar.width + 6 + bar.labelWidth, barX + keyWidth,
                        margin + (notes.map { Typography.width("(" + $0 + ")", size: Typography.small) }.max() ?? 0)) + margin
        let height = max(bottomOfGrid, top + barHeight + keyHeight) + notesHeight + margin + 2

        var doc = SVGDocument(width: width, height: height)
        FigureFrame.title(figure.title, in: &doc)
        // Cells, row by row; non-finite ones grey and crossed out.
        doc.group([("shape-rendering", "crispEdges")]) { doc in
            for (r, row) in matrix.enumerated() {
                for (c, v) in row.enumerated() {
                    let x = left + Double(c) * cellWidth, y = top + Double(r) * cellHeight
                    if let colour = colouring.colour(v) {
                        doc.rect(x: x, y: y, width: cellWidth, height: cellHeight, fill: colour.hex)
                    } else {
                        missingCell(&doc, x: x, y: y, width: cellWidth, height: cellHeight)
                    }
                }
            }
        }
        doc.rect(x: left, y: top, width: gridWidth, height: gridHeight, fill: "none", stroke: Palette.axis, strokeWidth: 0.5)
        // Row labels (right-aligned, left of their row) and column labels (below their column).
        for m in rowMarks {
            let y = top + (Double(m.index) + 0.5) * cellHeight
            doc.line(x1: left - 3, y1: y, x2: left, y2: y, stroke: Palette.axis)
            doc.text(m.text, x: left - 5, y: y + Typography.body * 0.35, anchor: .end, fill: Palette.ink)
        }
        for m in columnMarks {
            let x = left + (Double(m.index) + 0.5) * cellWidth
            doc.line(x1: x, y1: top + gridHeight, x2: x, y2: top + gridHeight + 3, stroke: Palette.axis)
            if columnUpright {
                doc.text(m.text, x: x + Typography.body * 0.35, y: top + gridHeight + 5, anchor: .end, rotate: -90)
            } else {
                doc.text(m.text, x: x, y: top + gridHeight + 4 + Typography.body, anchor: .middle)
            }
        }
        if let xLabel = figure.xLabel {
            doc.text(xLabel, x: left + gridWidth / 2, y: top + gridHeight + 4 + columnLabelHeight + Typography.body + 6, anchor: .middle, fill: Palette.muted)
        }
        if let yLabel = figure.yLabel {
            let x = margin + Typography.body, y = top + gridHeight / 2
            doc.text(yLabel, x: x, y: y, anchor: .middle, fill: Palette.muted, rotate: -90)
        }
        bar.draw(in: &doc, x: barX, y: top, height: barHeight)
        if hasMissing {
            let y = top + barHeight + 6
            missingCell(&doc, x: barX, y: y, width: 10, height: 10)
            doc.text("not a number", x: barX + 14, y: y + 9, size: Typography.small, fill: Palette.muted)
        }
        for (k, note) in notes.enumerated() {
            doc.text("(" + note + ")", x: margin, y: height - margin - Double(notes.count - 1 - k) * (Typography.small + 4),
                     size: Typography.small, fill: Palette.muted)
        }
        return doc.render()
    }

    /// A grey cell with a cross: a value that has no colour (NaN, ±∞). Too small a cell for a
    /// cross to show stays plain grey, which no colour map here uses.
    static func missingCell(_ doc: inout SVGDocument, x: Double, y: Double, width: Double, height: Double) {
        doc.rect(x: x, y: y, width: width, height: height, fill: Palette.missing)
        guard min(width, height) >= 6 else { return }
        let dx = width * 0.2, dy = height * 0.2
        doc.line(x1: x + dx, y1: y + dy, x2: x + width - dx, y2: y + height - dy, stroke: Palette.muted, width: 1)
        doc.line(x1: x + width - dx, y1: y + dy, x2: x + dx, y2: y + height - dy, stroke: Palette.muted, width: 1)
    }

    /// The drawn rows (or columns) that get a label. `starts` maps drawn positions to original
    /// indices (binned matrices). Given labels: every k-th, k the smallest that leaves room.
    /// Indices: multiples of the smallest round step (1, 2, 5, 10, …) that leaves room, each on the
    /// drawn position holding it.
    static func marks(given: [String]?, starts: [Int], cell: Double, upright: Bool, vertical: Bool) -> [(index: Int, text: String)] {
        let drawn = starts.count - 1
        guard drawn > 0, let original = starts.last else { return [] }
        // Room one label needs along the axis: a line of text for rows and upright columns,
        // the widest text for columns written across, with a gap — wider between indices, which
        // would otherwise read as one long number.
        func room(_ texts: [String], gap: Double) -> Double {
            if vertical || upright { return Typography.body + 2 }
            return (texts.map { Typography.width($0) }.max() ?? 0) + gap
        }
        let perIndex = Double(drawn) * cell / Double(original)
        if let given, drawn == original {
            let needed = room(given, gap: 4)
            let every = max(1, Int((needed / cell).rounded(.up)))
            return stride(from: 0, to: drawn, by: every).map { ($0, $0 < given.count ? given[$0] : String($0)) }
        }
        var step = 1
        for candidate in [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000] {
            step = candidate
            let texts = [String(0), String(original - 1)]
            if Double(candidate) * perIndex >= room(texts, gap: 10) { break }
        }
        var out: [(index: Int, text: String)] = []
        var position = 0
        for index in stride(from: 0, to: original, by: step) {
            while position + 1 < drawn && starts[position + 1] <= index { position += 1 }
            if out.last?.index != position {
                let label = given.flatMap { index < $0.count ? $0[index] : nil } ?? String(index)
                out.append((position, label))
            }
        }
        return out
    }

    /// Start indices of `bins` equal bins over `n` items, plus `n` at the end.
    static func binStarts(_ n: Int, _ bins: Int) -> [Int] { (0...bins).map { $0 * n / bins } }
}

/// The colour scale beside a heatmap: the map in bands, low at the bottom, with labelled ticks.
struct ScaleBar {
    static let width = 14.0
    static let bands = 64
    let colouring: HeatmapColouring
    let ticks: [Double]
    let labels: [String]

    init(colouring: HeatmapColouring) {
        self.colouring = colouring
        let range = colouring.range
        if range.hi > range.lo {
            let (values, step) = Ticks.values(range, target: 4)
            ticks = values
            labels = Ticks.labels(values, step: step)
        } else {
            ticks = [range.lo]
            labels = [compactNumber(range.lo)]
        }
    }

    var labelWidth: Double { labels.map { Typography.width($0) }.max() ?? 0 }

    func draw(in doc: inout SVGDocument, x: Double, y: Double, height: Double) {
        let band = height / Double(ScaleBar.bands)
        doc.group([("shape-rendering", "crispEdges")]) { doc in drawBands(in: &doc, x: x, y: y, band: band) }
        doc.rect(x: x, y: y, width: ScaleBar.width, height: height, fill: "none", stroke: Palette.axis, strokeWidth: 0.5)
        for (v, text) in zip(ticks, labels) {
            let ty = colouring.range.hi > colouring.range.lo ? y + (1 - colouring.range.fraction(v)) * height : y + height / 2
            doc.line(x1: x + ScaleBar.width, y1: ty, x2: x + ScaleBar.width + 3, y2: ty, stroke: Palette.axis)
            doc.text(text, x: x + ScaleBar.width + 5, y: ty + Typography.body * 0.35, fill: Palette.ink)
        }
    }

    /// The map in `bands` from the top (high) down.
    func drawBands(in doc: inout SVGDocument, x: Double, y: Double, band: Double) {
        for k in 0..<ScaleBar.bands {
            // Band k (from the top) shows the colour at the middle of its share of the range.
            let t = 1 - (Double(k) + 0.5) / Double(ScaleBar.bands)
            let colour = colouring.range.hi > colouring.range.lo ? colouring.map.colour(at: t)
                : (colouring.colour(colouring.range.lo) ?? RGB(0.5, 0.5, 0.5))
            // Each band overlaps the next by a hair so no background shows between them.
            doc.rect(x: x, y: y + Double(k) * band, width: ScaleBar.width, height: band + 0.3, fill: colour.hex)
        }
    }
}

/// The mean of the finite values, NaN when there are none; divides before adding when the sum
/// would overflow (two values of 1e308).
func finiteMean(_ values: some Collection<Double>) -> Double {
    let finite = values.filter(\.isFinite)
    guard !finite.isEmpty else { return .nan }
    let n = Double(finite.count)
    let sum = finite.reduce(0, +)
    if sum.isFinite { return sum / n }
    return finite.reduce(0) { $0 + $1 / n }
}
