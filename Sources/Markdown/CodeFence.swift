/// A fenced code block (```` ```rnn ````, ```` ```output ````, ```` ```quiz ````…) found in a document's lines.
///
/// The lesson parser, the documentation's tests and the fuzzer's corpus all read the same fences
/// the same way: an opening line of three or more backticks indented at most three spaces, its
/// info words after the backticks, and a closing line of at least as many backticks and nothing
/// else. (The prose renderer reads fences as CommonMark blocks, `~~~` included; lessons use
/// backticks only.)
public struct CodeFence: Equatable, Sendable {
    /// The words after the backticks: `["rnn", "error"]` for ```` ```rnn error ````.
    public var info: [String]
    /// The lines between the fences.
    public var content: [String]
    /// The index in the document's lines of the opening fence.
    public var open: Int
    /// The index of the closing fence; nil when the document ends first.
    public var close: Int?
    /// How many backticks opened it (a closing fence needs at least as many).
    public var ticks: Int

    /// The content as one string, lines joined by newlines.
    public var text: String { content.joined(separator: "\n") }

    /// The fence opening on `line`, if it opens one: its backtick count and info words.
    public static func opening(_ line: String) -> (ticks: Int, info: [String])? {
        let trimmed = line.drop { $0 == " " }
        guard line.count - trimmed.count <= 3, trimmed.hasPrefix("```") else { return nil }
        let ticks = trimmed.prefix { $0 == "`" }.count
        let info = trimmed.dropFirst(ticks).split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        return (ticks, info)
    }

    /// Whether `line` closes a fence opened with `ticks` backticks.
    public static func closes(_ line: String, ticks: Int) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.count >= ticks && trimmed.allSatisfy { $0 == "`" }
    }

    /// The fence that opens at `lines[index]`, read to its closing line (or to the end).
    public static func at(_ index: Int, in lines: [String]) -> CodeFence? {
        guard index < lines.count, let (ticks, info) = opening(lines[index]) else { return nil }
        var end = index + 1
        while end < lines.count, !closes(lines[end], ticks: ticks) { end += 1 }
        let close = end < lines.count ? end : nil
        return CodeFence(info: info, content: Array(lines[(index + 1)..<min(end, lines.count)]), open: index, close: close, ticks: ticks)
    }

    /// Every fence of `lines` in order; text inside a fence is never read as another fence.
    /// An unclosed fence runs to the end and is the last one.
    public static func all(in lines: [String]) -> [CodeFence] {
        var found: [CodeFence] = []
        var k = 0
        while k < lines.count {
            guard let fence = at(k, in: lines) else { k += 1; continue }
            found.append(fence)
            guard let close = fence.close else { break }
            k = close + 1
        }
        return found
    }

    /// `all(in:)` for a whole document (lines split at "\n", a "\r" before it dropped). Split by
    /// scalars: Swift reads "\r\n" as one Character, which a split at "\n" would never find.
    public static func all(in document: String) -> [CodeFence] {
        all(in: document.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            String(String.UnicodeScalarView(line.last == "\r" ? line.dropLast() : line[...]))
        })
    }
}
