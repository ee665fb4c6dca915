import Engine

/// Markdown's block structure, read once for both of its uses: the terminal lays the blocks out
/// (Terminal's `ProseRenderer`), and a lesson is split into the steps a learner advances through
/// (Tutorial's `GuidedStep`). One parser, so what the screen shows as a step and what
/// `rnnlab check` proves about it are the same text.
public enum MarkdownSteps {
    /// Splits prose into the blocks a learner advances through one at a time: paragraphs, a heading
    /// together with the paragraph after it, a whole list, a whole block quote, a whole table, a
    /// whole non-rnn fenced code block. Blank lines separate blocks; text inside fences is never split.
    ///
    /// A heading alone on screen says nothing, so it travels with whatever block follows it; and
    /// blocks not separated by a blank line (a sentence ending in ":" and its list) stay together,
    /// because the author wrote them as one. Each block is returned as its source text, so
    /// `render` of a block is exactly what `render` of the whole shows for it.
    public static func steps(_ markdown: String) -> [String] {
        let source = MarkdownBlocks.lines(markdown)
        let parsed = MarkdownBlocks.parse(source.map(MarkdownBlocks.expandTabs), depth: 0)
        var groups: [(start: Int, end: Int, headingsOnly: Bool)] = []
        for b in parsed {
            let isHeading: Bool
            if case .heading = b.block { isHeading = true } else { isHeading = false }
            // A heading opens a new step even straight after text: it belongs to what follows it.
            if let last = groups.last, last.headingsOnly || (last.end == b.start && !isHeading) {
                groups[groups.count - 1] = (last.start, b.end, last.headingsOnly && isHeading)
            } else {
                groups.append((b.start, b.end, isHeading))
            }
        }
        return groups.map { source[$0.start..<$0.end].joined(separator: "\n") }
    }
}

// MARK: - Block structure

public indirect enum ProseBlock: Equatable, Sendable {
    case heading(level: Int, text: String)
    case paragraph(String)
    case list(ordered: Bool, start: Int, loose: Bool, items: [[ProseBlock]])
    case quote([ProseBlock])
    case code([String])
    case table(header: [String], aligns: [ProseTableAlign], rows: [[String]])
    case rule
}

public enum ProseTableAlign: Equatable, Sendable { case left, center, right }

/// The block structure of CommonMark, simplified to what lessons use: ATX and setext headings,
/// paragraphs, bullet and ordered lists (nested by indentation, lazy continuation lines), block
/// quotes, fenced and indented code, GFM pipe tables and thematic breaks. Every block keeps the
/// source lines it came from, which is what `ProseRenderer.blocks` hands out.
public enum MarkdownBlocks {
    public struct Parsed: Sendable { public var block: ProseBlock; public var start: Int; public var end: Int }

    struct Marker { var ordered: Bool; var number: Int; var delimiter: Character; var contentOffset: Int; var empty: Bool }

    /// Nesting deeper than this (`>>>>>>…`) is read as text: no lesson needs it, and it keeps the
    /// recursion shallow on any input.
    static let maxDepth = 12

    /// Source lines with any line ending. Normalised first because Swift reads "\r\n" as one
    /// Character, which splitting on "\n" would never find. Other control characters in a lesson
    /// file are shown as escapes (`\u{1b}`): every path from prose to the screen passes here, before
    /// the renderer adds its own styling escapes.
    public static func lines(_ text: String) -> [String] {
        var scalars = String.UnicodeScalarView()
        var previousCR = false
        for s in text.unicodeScalars {
            if s == "\r" { scalars.append("\n"); previousCR = true; continue }
            if s == "\n" && previousCR { previousCR = false; continue }
            previousCR = false
            scalars.append(s)
        }
        return String(scalars).split(separator: "\n", omittingEmptySubsequences: false).map { ControlCharacters.escaped(String($0)) }
    }

    /// Indentation decides structure (list nesting, indented code), so tabs become the spaces
    /// they stand for (stops every 4 columns, as CommonMark says) before anything is measured.
    public static func expandTabs(_ line: String) -> String {
        guard line.contains("\t") else { return line }
        var out = ""
        var column = 0
        for ch in line {
            if ch == "\t" {
                let n = 4 - column % 4
                out += String(repeating: " ", count: n); column += n
            } else {
                out.append(ch); column += 1
            }
        }
        return out
    }

    static func isBlank(_ line: String) -> Bool { line.allSatisfy { $0 == " " } }
    static func indent(_ line: String) -> Int { line.prefix(while: { $0 == " " }).count }
    static func dropIndent(_ line: String, _ n: Int) -> String {
        var s = Substring(line)
        var k = 0
        while k < n, s.first == " " { s.removeFirst(); k += 1 }
        return String(s)
    }

    static func fence(_ line: String) -> (char: Character, count: Int)? {
        guard indent(line) <= 3 else { return nil }
        let rest = line.drop(while: { $0 == " " })
        guard let f = rest.first, f == "`" || f == "~" else { return nil }
        let count = rest.prefix(while: { $0 == f }).count
        guard count >= 3 else { return nil }
        if f == "`" && rest.dropFirst(count).contains("`") { return nil }
        return (f, count)
    }

    static func closesFence(_ line: String, _ open: (char: Character, count: Int)) -> Bool {
        guard indent(line) <= 3 else { return false }
        let rest = line.drop(while: { $0 == " " })
        let count = rest.prefix(while: { $0 == open.char }).count
        return count >= open.count && rest.dropFirst(count).allSatisfy { $0 == " " }
    }

    static func atxHeading(_ line: String) -> (level: Int, text: String)? {
        guard indent(line) <= 3 else { return nil }
        let rest = line.drop(while: { $0 == " " })
        let level = rest.prefix(while: { $0 == "#" }).count
        guard (1...6).contains(level) else { return nil }
        let after = rest.dropFirst(level)
        guard after.isEmpty || after.first == " " else { return nil }
        var text = Substring(String(after).proseTrimmed())
        let hashes = text.reversed().prefix(while: { $0 == "#" }).count
        if hashes == text.count || text.dropLast(hashes).last == " " { text = text.dropLast(hashes) }
        return (level, String(text).proseTrimmed())
    }

    static func isRule(_ line: String) -> Bool {
        guard indent(line) <= 3 else { return false }
        let marks = line.filter { $0 != " " }
        guard let f = marks.first, f == "-" || f == "*" || f == "_", marks.count >= 3 else { return false }
        return marks.allSatisfy { $0 == f }
    }

    static func isQuote(_ line: String) -> Bool {
        indent(line) <= 3 && line.drop(while: { $0 == " " }).first == ">"
    }

    static func listMarker(_ line: String) -> Marker? {
        let ind = indent(line)
        guard ind <= 3 else { return nil }
        let rest = Array(line.dropFirst(ind))
        guard let f = rest.first else { return nil }
        var length = 0
        var ordered = false
        var number = 0
        if f == "-" || f == "*" || f == "+" {
            length = 1
        } else {
            let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
            guard (1...9).contains(digits.count), digits.count < rest.count,
                  rest[digits.count] == "." || rest[digits.count] == ")" else { return nil }
            length = digits.count + 1
            ordered = true
            number = Int(String(digits)) ?? 1
        }
        let after = rest.dropFirst(length)
        guard after.isEmpty || after.first == " " else { return nil }
        let spaces = after.prefix(while: { $0 == " " }).count
        let empty = spaces == after.count
        let offset = ind + length + (empty || spaces >= 5 ? 1 : spaces)
        return Marker(ordered: ordered, number: number, delimiter: rest[length - 1], contentOffset: offset, empty: empty)
    }

    static func cells(_ line: String) -> [String] {
        var s = Substring(line.proseTrimmed())
        if s.first == "|" { s.removeFirst() }
        if s.last == "|" && !s.dropLast().hasSuffix("\\") { s.removeLast() }
        var out: [String] = []
        var cell = ""
        var escaped = false
        for ch in s {
            if ch == "|" && !escaped { out.append(cell); cell = ""; continue }
            escaped = ch == "\\" && !escaped
            cell.append(ch)
        }
        out.append(cell)
        return out.map { $0.replacingPipeEscapes().proseTrimmed() }
    }

    static func delimiterRow(_ line: String, columns: Int) -> [ProseTableAlign]? {
        guard line.contains("-"), line.contains("|") else { return nil }  // "---" alone is a setext underline
        let parts = cells(line)
        guard parts.count == columns else { return nil }
        var aligns: [ProseTableAlign] = []
        for p in parts {
            let dashes = p.filter { $0 == "-" }.count
            guard dashes >= 1, p.allSatisfy({ $0 == "-" || $0 == ":" }),
                  !p.dropFirst().dropLast().contains(":") else { return nil }
            aligns.append(p.hasPrefix(":") && p.hasSuffix(":") && p.count > 1 ? .center : p.hasSuffix(":") ? .right : .left)
        }
        return aligns
    }

    /// Lines that end a paragraph without a blank line before them.
    static func interrupts(_ line: String) -> Bool {
        if fence(line) != nil || atxHeading(line) != nil || isRule(line) || isQuote(line) { return true }
        if let m = listMarker(line), !m.empty, !m.ordered || m.number == 1 { return true }
        return false
    }

    public static func parse(_ lines: [String], depth: Int) -> [Parsed] {
        var out: [Parsed] = []
        guard depth < maxDepth else {
            let text = lines.filter { !isBlank($0) }.map { $0.proseTrimmed() }.joined(separator: "\n")
            return text.isEmpty ? [] : [Parsed(block: .paragraph(text), start: 0, end: lines.count)]
        }
        let n = lines.count
        var i = 0
        while i < n {
            let line = lines[i]
            if isBlank(line) { i += 1; continue }
            let start = i
            if let open = fence(line) {
                let ind = indent(line)
                var body: [String] = []
                i += 1
                while i < n && !closesFence(lines[i], open) { body.append(dropIndent(lines[i], ind)); i += 1 }
                if i < n { i += 1 }
                out.append(Parsed(block: .code(body), start: start, end: i))
            } else if let h = atxHeading(line) {
                i += 1
                out.append(Parsed(block: .heading(level: h.level, text: h.text), start: start, end: i))
            } else if isRule(line) {
                i += 1
                out.append(Parsed(block: .rule, start: start, end: i))
            } else if isQuote(line) {
                var inner: [String] = []
                while i < n {
                    let l = lines[i]
                    if isQuote(l) {
                        var rest = Substring(l.drop(while: { $0 == " " }).dropFirst())
                        if rest.first == " " { rest.removeFirst() }
                        inner.append(String(rest))
                    } else if !isBlank(l), let last = inner.last, !isBlank(last), !interrupts(l) {
                        inner.append(l)
                    } else {
                        break
                    }
                    i += 1
                }
                out.append(Parsed(block: .quote(parse(inner, depth: depth + 1).map(\.block)), start: start, end: i))
            } else if let marker = listMarker(line) {
                let (block, end) = parseList(lines, from: i, marker, depth: depth)
                i = end
                out.append(Parsed(block: block, start: start, end: end))
            } else if indent(line) >= 4 {
                var end = i
                while i < n && (isBlank(lines[i]) || indent(lines[i]) >= 4) {
                    if !isBlank(lines[i]) { end = i + 1 }
                    i += 1
                }
                i = end
                out.append(Parsed(block: .code(lines[start..<end].map { dropIndent($0, 4) }), start: start, end: end))
            } else if line.contains("|"), i + 1 < n, let aligns = delimiterRow(lines[i + 1], columns: cells(line).count) {
                let header = cells(line)
                var rows: [[String]] = []
                i += 2
                while i < n && !isBlank(lines[i]) && lines[i].contains("|") && !interrupts(lines[i]) {
                    var row = cells(lines[i])
                    if row.count > header.count { row = Array(row.prefix(header.count)) }
                    while row.count < header.count { row.append("") }
                    rows.append(row)
                    i += 1
                }
                out.append(Parsed(block: .table(header: header, aligns: aligns, rows: rows), start: start, end: i))
            } else {
                var text: [String] = [String(line.drop(while: { $0 == " " }))]
                i += 1
                var level = 0
                while i < n && !isBlank(lines[i]) {
                    let l = lines[i]
                    let trimmed = l.proseTrimmed()
                    if indent(l) <= 3, !trimmed.isEmpty, trimmed.allSatisfy({ $0 == "=" }) { level = 1; i += 1; break }
                    if indent(l) <= 3, !trimmed.isEmpty, trimmed.allSatisfy({ $0 == "-" }) { level = 2; i += 1; break }
                    if interrupts(l) { break }
                    text.append(String(l.drop(while: { $0 == " " })))
                    i += 1
                }
                if level > 0 {
                    let title = text.map { $0.proseTrimmed() }.joined(separator: " ")
                    out.append(Parsed(block: .heading(level: level, text: title), start: start, end: i))
                } else {
                    var joined = text.joined(separator: "\n")
                    while joined.last == " " { joined.removeLast() }
                    out.append(Parsed(block: .paragraph(joined), start: start, end: i))
                }
            }
        }
        return out
    }

    /// A list from its first marker: items continue while lines are indented to the item's
    /// content column (or lazily continue its paragraph); the list continues while the next
    /// non-blank line is a marker of the same kind.
    static func parseList(_ lines: [String], from first: Int, _ firstMarker: Marker, depth: Int) -> (ProseBlock, Int) {
        let n = lines.count
        var items: [[ProseBlock]] = []
        var loose = false
        var i = first
        var marker = firstMarker
        var end = first + 1
        while true {
            var body = [marker.empty ? "" : String(lines[i].dropFirst(marker.contentOffset))]
            var j = i + 1
            while j < n {
                let l = lines[j]
                if isBlank(l) {
                    var k = j
                    while k < n && isBlank(lines[k]) { k += 1 }
                    guard k < n, indent(lines[k]) >= marker.contentOffset else { break }
                    body += Array(repeating: "", count: k - j)
                    j = k
                    continue
                }
                if indent(l) >= marker.contentOffset {
                    body.append(String(l.dropFirst(marker.contentOffset)))
                } else if let last = body.last, !isBlank(last), !interrupts(l), listMarker(l) == nil {
                    body.append(String(l.drop(while: { $0 == " " })))
                } else {
                    break
                }
                j += 1
            }
            end = j
            let parsed = parse(body, depth: depth + 1)
            items.append(parsed.map(\.block))
            if zip(parsed, parsed.dropFirst()).contains(where: { $0.end < $1.start }) { loose = true }
            var k = j
            while k < n && isBlank(lines[k]) { k += 1 }
            guard k < n, let next = listMarker(lines[k]), next.ordered == marker.ordered,
                  next.delimiter == marker.delimiter else { break }
            if k > j { loose = true }
            i = k
            marker = next
        }
        return (.list(ordered: firstMarker.ordered, start: firstMarker.number, loose: loose, items: items), end)
    }
}

extension String {
    fileprivate func replacingPipeEscapes() -> String {
        var out = ""
        var previous: Character?
        for ch in self {
            if ch == "|" && previous == "\\" { out.removeLast() }
            out.append(ch)
            previous = ch
        }
        return out
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and newlines (markdown's whitespace, not Unicode's).
    public func proseTrimmed() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" { s.removeLast() }
        return String(s)
    }
}
