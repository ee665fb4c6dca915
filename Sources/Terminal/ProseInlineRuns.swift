/// Inline markdown read once for every renderer of prose: the terminal styles these runs with
/// escapes (`ProseInline`), the web book wraps them in elements. Both read the text with the same
/// parser, so a code span, an emphasis or a `$…$` turned into Unicode maths is the same text on a
/// screen and on a page.
public struct ProseRun: Equatable, Sendable {
    /// The text of the run; "\n" alone is a hard line break.
    public var text: String
    public var bold: Bool
    public var italic: Bool
    /// A code span (without its backticks).
    public var code: Bool
    /// An address: the target of a link, or an autolink, written out as the terminal shows it.
    public var address: Bool

    public init(text: String, bold: Bool = false, italic: Bool = false, code: Bool = false, address: Bool = false) {
        self.text = text; self.bold = bold; self.italic = italic; self.code = code; self.address = address
    }

    /// A hard line break (two spaces or a backslash before a newline).
    public var isBreak: Bool { text == "\n" }

    /// `text` (inline markdown: emphasis, code spans, links, `$…$` maths) as runs of one style each.
    /// Runs of the same style next to each other are joined.
    public static func runs(_ text: String) -> [ProseRun] {
        let parser = ProseInlineParser(Array(text), color: true)
        var segments: [ProseSegment] = []
        parser.parse(0, parser.chars.count, style: [], depth: 0, into: &segments)
        var out: [ProseRun] = []
        for s in segments {
            let run = ProseRun(text: s.text, bold: s.style.contains(.bold), italic: s.style.contains(.italic),
                               code: s.style.contains(.code), address: s.style.contains(.url))
            if let last = out.last, !last.isBreak, !run.isBreak, last.sameStyle(as: run), !run.address {
                out[out.count - 1].text += run.text
            } else {
                out.append(run)
            }
        }
        return out
    }

    func sameStyle(as other: ProseRun) -> Bool {
        bold == other.bold && italic == other.italic && code == other.code && address == other.address
    }
}
