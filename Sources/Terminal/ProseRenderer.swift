import Engine
import Markdown

/// Lesson prose (markdown) as terminal text.
///
/// The learner reads lessons in a terminal, often a narrow one, so the markdown is laid out rather
/// than shown raw: paragraphs are re-wrapped to the width, lists keep their hanging indent, tables
/// are aligned by the columns characters really occupy (`DisplayWidth`), so subscript-heavy maths
/// such as hₜ₋₁ or a CJK word never pushes a line past the edge. With colour off the result is
/// still unambiguous plain text: headings are underlined, code keeps its backticks, quotes get a
/// bar. Only the constructs lessons use are understood; anything else is shown as text, never an
/// error, because a typo in a lesson must not stop a lesson.
public struct ProseRenderer: Sendable {
    let options: RenderOptions

    public init(options: RenderOptions) {
        self.options = options
    }

    /// Renders markdown prose (one or more blocks) to terminal lines joined by "\n", no trailing newline.
    public func render(_ markdown: String) -> String {
        let lines = MarkdownBlocks.lines(markdown).map(MarkdownBlocks.expandTabs)
        let blocks = MarkdownBlocks.parse(lines, depth: 0).map(\.block)
        return render(blocks, width: max(1, options.width), tight: false, level: 0).joined(separator: "\n")
    }

    // MARK: Blocks

    private var color: Bool { options.color }

    private func render(_ blocks: [ProseBlock], width: Int, tight: Bool, level: Int) -> [String] {
        var out: [String] = []
        for (k, block) in blocks.enumerated() {
            if k > 0 && !tight { out.append("") }
            out += render(block, width: width, level: level)
        }
        return out
    }

    private func render(_ block: ProseBlock, width: Int, level: Int) -> [String] {
        switch block {
        case .heading(let depth, let text):
            let base: ProseStyle = depth == 1 ? .heading1 : depth == 2 ? .heading2 : .bold
            let lines = ProseInline.wrap(ProseInline.tokens(text, base: base, color: color), width: width)
            var out = lines.map { ProseInline.render($0, color: color) }
            let underline = min(width, lines.map(ProseInline.width).max() ?? 0)
            if !color && depth <= 2 && underline > 0 {
                out.append(String(repeating: depth == 1 ? "═" : "─", count: underline))
            }
            return out
        case .paragraph(let text):
            var lines = ProseInline.wrap(ProseInline.tokens(text, color: color), width: width)
            while lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
            return lines.map { ProseInline.render($0, color: color) }
        case .code(let lines):
            return codeLines(lines, width: width)
        case .rule:
            return [ANSI.style(String(repeating: "─", count: min(width, 40)), ANSI.dim, enabled: color)]
        case .quote(let inner):
            let bar = ANSI.style("│", ANSI.dim, enabled: color)
            let lines = render(inner, width: max(1, width - 2), tight: false, level: level)
            return (lines.isEmpty ? [""] : lines).map { $0.isEmpty ? bar : bar + " " + $0 }
        case .list(let ordered, let start, let loose, let items):
            return listLines(ordered: ordered, start: start, loose: loose, items: items, width: width, level: level)
        case .table(let header, let aligns, let rows):
            return tableLines(header: header, aligns: aligns, rows: rows, width: width)
        }
    }

    /// Code is never re-wrapped; a line too long for the terminal is folded (at a space when one
    /// is in the second half of the line), the continuation marked with ↪ in the indent so it
    /// cannot be mistaken for a line of its own.
    private func codeLines(_ lines: [String], width: Int) -> [String] {
        lines.flatMap { line in
            CodeFolding.fold(line, room: width - 4).enumerated().map { k, piece in
                piece.isEmpty ? "" : (k == 0 ? "    " : "   ↪") + ANSI.style(piece, ANSI.dim, enabled: color)
            }
        }
    }

    private func listLines(ordered: Bool, start: Int, loose: Bool, items: [[ProseBlock]], width: Int, level: Int) -> [String] {
        // A different bullet per level tells nesting apart even where indentation is lost (a
        // copied line, a narrow terminal).
        let bullets = ["•", "◦", "‣"]
        let last = start.addingReportingOverflow(items.count).overflow ? start : start + items.count - 1
        let digits = max(String(start).count, String(last).count)
        let markerWidth = ordered ? digits + 2 : 2
        var out: [String] = []
        for (k, item) in items.enumerated() {
            if k > 0 && loose { out.append("") }
            let marker: String
            if ordered {
                let number = String(start &+ k)
                marker = String(repeating: " ", count: max(0, digits - number.count)) + number + ". "
            } else {
                marker = bullets[level % bullets.count] + " "
            }
            var lines = render(item, width: max(1, width - markerWidth), tight: !loose, level: level + 1)
            if lines.isEmpty { lines = [""] }
            for (n, line) in lines.enumerated() {
                if n == 0 {
                    out.append(line.isEmpty ? String(marker.dropLast()) : marker + line)
                } else {
                    out.append(line.isEmpty ? "" : String(repeating: " ", count: markerWidth) + line)
                }
            }
        }
        return out
    }

    // MARK: Tables

    /// Columns get their natural width when the table fits; otherwise each keeps at least its
    /// longest word and the rest is shared out in proportion to what it lacks, and only when even
    /// the words do not fit are cells cut inside words. Rows that wrap are separated by a rule so
    /// each row's lines read as one.
    private func tableLines(header: [String], aligns: [ProseTableAlign], rows: [[String]], width: Int) -> [String] {
        let n = header.count
        let separatorWidth = 3
        let available = width - separatorWidth * (n - 1)
        guard n > 0 else { return [] }
        guard available >= n * 3 else { return recordLines(header: header, rows: rows, width: width) }
        let cells: [[[ProseToken]]] = [header.map { ProseInline.tokens($0, base: .bold, color: color) }]
            + rows.map { $0.map { ProseInline.tokens($0, color: color) } }
        var natural = [Int](repeating: 1, count: n)
        var longestWord = [Int](repeating: 1, count: n)
        for row in cells {
            for (c, tokens) in row.enumerated() where c < n {
                for line in ProseInline.wrap(tokens, width: Int.max / 4) { natural[c] = max(natural[c], ProseInline.width(line)) }
                for case .word(_, let w) in tokens { longestWord[c] = max(longestWord[c], w) }
            }
        }
        let widths = Self.columnWidths(natural: natural, minimum: longestWord, available: available)
        let bar = ANSI.style("│", ANSI.dim, enabled: color)
        let rule = ANSI.style(widths.map { String(repeating: "─", count: $0) }.joined(separator: "─┼─"), ANSI.dim, enabled: color)
        var rendered: [[String]] = []
        for row in cells {
            let wrapped = (0..<n).map { c in ProseInline.wrap(c < row.count ? row[c] : [], width: widths[c]) }
            let height = wrapped.map(\.count).max() ?? 1
            var lines: [String] = []
            for r in 0..<height {
                var parts: [String] = []
                for c in 0..<n {
                    let line = r < wrapped[c].count ? wrapped[c][r] : []
                    let text = ProseInline.render(line, color: color)
                    let pad = max(0, widths[c] - ProseInline.width(line))
                    let align = c < aligns.count ? aligns[c] : .left
                    let lastColumn = c == n - 1
                    switch align {
                    case .left: parts.append(text + String(repeating: " ", count: lastColumn ? 0 : pad))
                    case .right: parts.append(String(repeating: " ", count: pad) + text)
                    case .center:
                        parts.append(String(repeating: " ", count: pad / 2) + text
                                     + String(repeating: " ", count: lastColumn ? 0 : pad - pad / 2))
                    }
                }
                var line = parts.joined(separator: " " + bar + " ")
                while line.last == " " { line.removeLast() }
                lines.append(line)
            }
            rendered.append(lines)
        }
        let multiLine = rendered.dropFirst().contains { $0.count > 1 }
        var out = rendered.first ?? []
        out.append(rule)
        for (k, lines) in rendered.dropFirst().enumerated() {
            if k > 0 && multiLine { out.append(rule) }
            out += lines
        }
        return out
    }

    static func columnWidths(natural: [Int], minimum: [Int], available: Int) -> [Int] {
        if natural.reduce(0, +) <= available { return natural }
        let minimum = zip(minimum, natural).map { min($0, $1) }
        if minimum.reduce(0, +) <= available {
            var widths = minimum
            let extra = available - minimum.reduce(0, +)
            let lacking = zip(natural, minimum).map { $0 - $1 }
            let totalLacking = max(1, lacking.reduce(0, +))
            for c in widths.indices { widths[c] += extra * lacking[c] / totalLacking }
            var left = available - widths.reduce(0, +)
            for c in widths.indices where left > 0 && widths[c] < natural[c] { widths[c] += 1; left -= 1 }
            return widths
        }
        // Water-filling: narrow columns keep their natural width, the others share what is left.
        var widths = [Int](repeating: 0, count: natural.count)
        var open = Array(natural.indices)
        var left = available
        while !open.isEmpty {
            let share = left / open.count
            let fitting = open.filter { natural[$0] <= share }
            if fitting.isEmpty {
                for (k, c) in open.enumerated() { widths[c] = max(1, share + (k < left % open.count ? 1 : 0)) }
                break
            }
            for c in fitting { widths[c] = natural[c]; left -= natural[c] }
            open.removeAll { fitting.contains($0) }
        }
        return widths
    }

    /// A table too wide for even a few columns each: every row as "header: value" lines.
    private func recordLines(header: [String], rows: [[String]], width: Int) -> [String] {
        var out: [String] = []
        for (k, row) in rows.enumerated() {
            if k > 0 { out.append("") }
            for (c, name) in header.enumerated() {
                let value = c < row.count ? row[c] : ""
                var tokens = ProseInline.tokens(name + ":", base: .bold, color: color)
                tokens += ProseInline.tokens(value, color: color)
                out += ProseInline.wrap(tokens, width: width).map { ProseInline.render($0, color: color) }
            }
        }
        return out
    }
}
