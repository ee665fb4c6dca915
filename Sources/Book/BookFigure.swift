import Figures
import Terminal

/// How a figure appears in the book.
public enum BookFigure {
    /// The options the figure's text drawing is made with: the width and colour `rnnlab check`
    /// records outputs with, so the page shows what the lesson's output fence holds.
    static let options = RenderOptions(width: 80, color: false)

    /// A figure (a cell's plot, heatmap, bars, diagram…) as an XHTML fragment.
    ///
    /// This is the single place where the book draws a figure: every figure of every page comes
    /// through here, so this is where a vector (SVG) renderer plugs in — return its `<svg>` (or an
    /// `<svg>` beside this drawing) and every page changes with it. For now it is the terminal's
    /// own plain-text drawing (colour off), in `<pre class="figure">`, labelled with the figure's
    /// title for screen readers.
    public static func html(_ figure: Figure) -> String {
        let drawing = Terminal.render(figure, options: options)
        let label = figure.title ?? kindName(figure.kind)
        return "<pre class=\"figure\" role=\"img\" aria-label=\"\(HTMLText.attribute(label))\">\(HTMLText.text(drawing))</pre>"
    }

    /// A figure kind in words: `linePlot` → "line plot".
    static func kindName(_ kind: FigureKind) -> String {
        kind.rawValue.reduce(into: "") { out, ch in out += ch.isUppercase ? " " + ch.lowercased() : String(ch) }
    }
}
