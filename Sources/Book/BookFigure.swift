import FigureSVG
import Figures
import Foundation
import Terminal

/// How a figure appears in the book.
public enum BookFigure {
    /// The options the figure's text drawing is made with: the width and colour `rnnlab check`
    /// records outputs with, so the page shows what the lesson's output fence holds.
    static let options = RenderOptions(width: 80, color: false)

    /// A figure (a cell's plot, heatmap, bars, diagram…) as an XHTML fragment.
    ///
    /// This is the single place where the book draws a figure. Every kind the SVG renderer draws
    /// becomes an inline `<svg>` (scaled to the column by the style sheet), with the terminal's
    /// text drawing kept behind a "drawn as text" control: the same picture a learner sees in
    /// rnnlab, and text a screen reader or a copy can use. A figure the SVG renderer declines
    /// (a diagram figure that holds no cell) stays the text drawing in `<pre class="figure">`.
    /// Either way the outer element has class `figure` and an `aria-label` naming the figure.
    public static func html(_ figure: Figure) -> String {
        let drawing = Terminal.render(figure, options: options)
        let label = HTMLText.attribute(figure.title ?? kindName(figure.kind))
        guard let document = SVGFigure.document(figure) else {
            return "<pre class=\"figure\" role=\"img\" aria-label=\"\(label)\">\(HTMLText.text(drawing))</pre>"
        }
        return "<div class=\"figure\" role=\"img\" aria-label=\"\(label)\">" + inline(document)
            + "<details class=\"drawing\"><summary>drawn as text</summary><pre class=\"drawing\">\(HTMLText.text(drawing))</pre></details></div>"
    }

    /// An SVG document as an element inside the page: without its XML declaration (allowed only
    /// at the start of a file) and its trailing newline.
    static func inline(_ document: String) -> String {
        var svg = Substring(document)
        if svg.hasPrefix("<?xml"), let end = svg.range(of: "?>") { svg = svg[end.upperBound...] }
        return svg.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A figure kind in words: `linePlot` → "line plot".
    static func kindName(_ kind: FigureKind) -> String {
        kind.rawValue.reduce(into: "") { out, ch in out += ch.isUppercase ? " " + ch.lowercased() : String(ch) }
    }
}
