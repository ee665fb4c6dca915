/// A grid of characters that wires are drawn into as connections, not as characters.
///
/// Each cell remembers which of its four sides a wire leaves by; the character is chosen only when
/// the grid is written out, so a wire that meets a box edge or another wire becomes the right
/// junction (`┬`, `├`, `┼`, …) whatever order they were drawn in. Text (labels, arrowheads, `…`)
/// is laid over the wires. Colour off writes every junction as `+`, `─` as `-` and `│` as `|`.
struct SketchCanvas {
    /// How a cell is painted.
    enum Paint: Equatable {
        case plain, dim, bold
        case color(Int)
    }

    static let up: UInt8 = 1, down: UInt8 = 2, left: UInt8 = 4, right: UInt8 = 8

    private(set) var rows: Int
    private(set) var columns: Int
    private var links: [[UInt8]]
    private var text: [[Character?]]
    private var paint: [[Paint]]

    init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        links = Array(repeating: Array(repeating: 0, count: columns), count: rows)
        text = Array(repeating: Array(repeating: nil, count: columns), count: rows)
        paint = Array(repeating: Array(repeating: .plain, count: columns), count: rows)
    }

    /// Grows the grid so that (row, column) exists: callers lay out first and size after.
    private mutating func ensure(_ row: Int, _ column: Int) {
        while rows <= row {
            links.append(Array(repeating: 0, count: columns))
            text.append(Array(repeating: nil, count: columns))
            paint.append(Array(repeating: .plain, count: columns))
            rows += 1
        }
        if columns <= column {
            let extra = column + 1 - columns
            for r in 0..<rows {
                links[r] += Array(repeating: 0, count: extra)
                text[r] += Array(repeating: nil, count: extra)
                paint[r] += Array(repeating: .plain, count: extra)
            }
            columns = column + 1
        }
    }

    private mutating func link(_ r: Int, _ c: Int, _ bits: UInt8, _ p: Paint?) {
        guard r >= 0, c >= 0 else { return }
        ensure(r, c)
        links[r][c] |= bits
        if let p, text[r][c] == nil { paint[r][c] = p }
    }

    /// A wire along `row` from column `a` to column `b` (either order).
    mutating func horizontal(_ row: Int, _ a: Int, _ b: Int, _ p: Paint? = nil) {
        let (lo, hi) = (min(a, b), max(a, b))
        guard lo < hi else { return }
        for c in lo...hi {
            link(row, c, (c > lo ? Self.left : 0) | (c < hi ? Self.right : 0), p)
        }
    }

    /// A wire down `column` from row `a` to row `b` (either order).
    mutating func vertical(_ column: Int, _ a: Int, _ b: Int, _ p: Paint? = nil) {
        let (lo, hi) = (min(a, b), max(a, b))
        guard lo < hi else { return }
        for r in lo...hi {
            link(r, column, (r > lo ? Self.up : 0) | (r < hi ? Self.down : 0), p)
        }
    }

    /// A rectangle `width` × `height` with its top-left corner at (row, column).
    mutating func box(_ row: Int, _ column: Int, width: Int, height: Int, _ p: Paint) {
        horizontal(row, column, column + width - 1, p)
        horizontal(row + height - 1, column, column + width - 1, p)
        vertical(column, row, row + height - 1, p)
        vertical(column + width - 1, row, row + height - 1, p)
    }

    /// Text over whatever is there, one character per column (callers pass display-width-1 text).
    mutating func put(_ s: String, _ row: Int, _ column: Int, _ p: Paint = .plain) {
        guard row >= 0 else { return }
        for (i, ch) in s.enumerated() where column + i >= 0 {
            ensure(row, column + i)
            text[row][column + i] = ch
            paint[row][column + i] = p
        }
    }

    /// Text centred on `column`.
    mutating func center(_ s: String, _ row: Int, _ column: Int, _ p: Paint = .plain) {
        put(s, row, column - (s.count - 1) / 2, p)
    }

    /// The rightmost column in use on `row`, or -1.
    func lastUsed(_ row: Int) -> Int {
        guard row < rows else { return -1 }
        return (0..<columns).last { text[row][$0] != nil || links[row][$0] != 0 } ?? -1
    }

    /// The widest row's width.
    var usedWidth: Int { (0..<rows).map { lastUsed($0) + 1 }.max() ?? 0 }

    static func character(_ bits: UInt8) -> Character {
        let (u, d, l, r) = (bits & up != 0, bits & down != 0, bits & left != 0, bits & right != 0)
        switch (u, d, l, r) {
        case (true, true, true, true): return "┼"
        case (true, true, true, false): return "┤"
        case (true, true, false, true): return "├"
        case (false, true, true, true): return "┬"
        case (true, false, true, true): return "┴"
        case (false, true, false, true): return "┌"
        case (false, true, true, false): return "┐"
        case (true, false, false, true): return "└"
        case (true, false, true, false): return "┘"
        case (_, _, false, false): return "│"
        default: return "─"
        }
    }

    /// The grid as lines: box drawing and styles with colour on, plain ASCII with it off; trailing
    /// blanks removed.
    func lines(color: Bool) -> [String] {
        (0..<rows).map { r in
            var out = ""
            var run = ""
            var runPaint = Paint.plain
            func flush() {
                guard !run.isEmpty else { return }
                switch runPaint {
                case .plain: out += run
                case .dim: out += ANSI.style(run, ANSI.dim, enabled: color)
                case .bold: out += ANSI.style(run, ANSI.bold, enabled: color)
                case let .color(i): out += ANSI.style(run, ANSI.foreground(i), enabled: color)
                }
                run = ""
            }
            let end = lastUsed(r)
            guard end >= 0 else { return "" }
            for c in 0...end {
                var ch: Character = text[r][c] ?? (links[r][c] == 0 ? " " : Self.character(links[r][c]))
                if !color { ch = CellDiagramRenderer.ascii(ch) }
                let p = text[r][c] == nil && links[r][c] == 0 ? Paint.plain : paint[r][c]
                if p != runPaint { flush(); runPaint = p }
                run.append(ch)
            }
            flush()
            return out
        }
    }
}
