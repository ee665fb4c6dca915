import Markdown
import Terminal

/// Lesson prose as XHTML, read by the same two parsers the terminal uses: Markdown's
/// `MarkdownBlocks` for the block structure (the one that also splits a lesson into the steps a
/// learner advances through) and `ProseRun` for the inline text (emphasis, code spans, links,
/// `$…$` maths turned into Unicode). So a page shows the blocks a learner steps through on screen,
/// with the same words, maths and code; only the drawing differs (elements instead of escapes).
///
/// Only the constructs lessons use are understood, as on the terminal; anything else is text.
public enum BookProse {
    /// Markdown (one or more blocks) as XHTML elements.
    public static func html(_ markdown: String) -> String {
        blocks(parse(markdown), tight: false)
    }

    /// The blocks of markdown, as the terminal reads them.
    static func parse(_ markdown: String) -> [ProseBlock] {
        MarkdownBlocks.parse(MarkdownBlocks.lines(markdown).map(MarkdownBlocks.expandTabs), depth: 0).map(\.block)
    }

    /// `tight`: the blocks are a tight list item's, whose paragraphs are not wrapped in `<p>`.
    static func blocks(_ blocks: [ProseBlock], tight: Bool) -> String {
        blocks.map { block($0, tight: tight) }.joined(separator: "\n")
    }

    static func block(_ block: ProseBlock, tight: Bool) -> String {
        switch block {
        case let .heading(level, text):
            let h = "h\(min(6, max(1, level)))"
            return "<\(h)>\(inline(text))</\(h)>"
        case let .paragraph(text):
            return tight ? inline(text) : "<p>\(inline(text))</p>"
        case let .code(lines):
            return "<pre class=\"code\"><code>\(HTMLText.text(lines.joined(separator: "\n")))</code></pre>"
        case .rule:
            return "<hr />"
        case let .quote(inner):
            return "<blockquote>\n\(blocks(inner, tight: false))\n</blockquote>"
        case let .list(ordered, start, loose, items):
            let tag = ordered ? "ol" : "ul"
            let startAttribute = ordered && start != 1 ? " start=\"\(start)\"" : ""
            let body = items.map { "<li>\(blocks($0, tight: !loose))</li>" }.joined(separator: "\n")
            return "<\(tag)\(startAttribute)>\n\(body)\n</\(tag)>"
        case let .table(header, aligns, rows):
            func cells(_ texts: [String], _ tag: String) -> String {
                texts.enumerated().map { k, text in
                    let align = k < aligns.count ? aligns[k] : .left
                    let style = align == .left ? "" : " class=\"\(align == .right ? "right" : "center")\""
                    return "<\(tag)\(style)>\(inline(text))</\(tag)>"
                }.joined()
            }
            let head = "<thead><tr>\(cells(header, "th"))</tr></thead>"
            let body = rows.map { "<tr>\(cells($0, "td"))</tr>" }.joined(separator: "\n")
            return "<div class=\"table\"><table>\n\(head)\n<tbody>\n\(body)\n</tbody>\n</table></div>"
        }
    }

    /// Inline markdown as XHTML: `<strong>`, `<em>`, `<code>`, links as the terminal writes them
    /// (the words, then the address), hard breaks as `<br />`.
    public static func inline(_ text: String) -> String {
        ProseRun.runs(text).map(run).joined()
    }

    static func run(_ r: ProseRun) -> String {
        if r.isBreak { return "<br />" }
        var html = HTMLText.text(r.text)
        if r.address {
            let web = ["http://", "https://", "mailto:"].contains { r.text.hasPrefix($0) }
            html = web ? "<a href=\"\(HTMLText.attribute(r.text))\">\(html)</a>" : "<span class=\"address\">\(html)</span>"
        }
        if r.code { html = "<code>\(html)</code>" }
        if r.italic { html = "<em>\(html)</em>" }
        if r.bold { html = "<strong>\(html)</strong>" }
        return html
    }
}
