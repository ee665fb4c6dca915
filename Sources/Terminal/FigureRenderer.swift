import Engine
import Figures

/// Draws any `Figure` as text: the one entry point the REPL calls for a picture value.
///
/// Dispatches on `figure.kind`. Nothing here throws or traps: a malformed figure (ragged rows,
/// too few labels, empty data) is drawn as well as it can be, because a picture is output, and
/// the language reports `figure.validationError` where the user can fix it.
public func render(_ figure: Figure, options: RenderOptions = RenderOptions()) -> String {
    let figure = figure.withTextEscaped
    switch figure.kind {
    case .sparkline: return renderSparkline(figure, options: options)
    case .heatmap: return Heatmap.render(figure, options: options)
    case .linePlot: return LinePlot.render(figure, options: options)
    case .bars: return Bars.render(figure, options: options)
    case .diagram: return CellDiagramRenderer.render(figure, options: options)
    case .unroll: return UnrollRenderer.render(figure, options: options)
    case .architecture: return ArchitectureSketchRenderer.render(figure, options: options)
    }
}

/// The same entry point under a type name, for callers where a free `render` would be ambiguous
/// (a module of their own with a `render`, or a local variable of that name).
public enum FigureRenderer {
    public static func render(_ figure: Figure, options: RenderOptions = RenderOptions()) -> String {
        Terminal.render(figure, options: options)
    }
}

/// `title ▁▂▄█▆ min … max`: the sparkline with the range it spans, since the blocks alone
/// show shape but not scale.
func renderSparkline(_ figure: Figure, options: RenderOptions) -> String {
    let values = figure.series.first ?? []
    let finite = values.filter { $0.isFinite }
    let range = finite.isEmpty ? "" : "  " + compactNumber(finite.min()!) + " … " + compactNumber(finite.max()!)
    let title = figure.title.map { $0 + " " } ?? ""
    let room = max(1, options.width - title.count - range.count)
    let blocks = Sparkline.render(values, width: room)
    return ANSI.style(title, ANSI.bold, enabled: options.color)
        + ANSI.style(blocks, ANSI.foreground(LinePlot.colors[0]), enabled: options.color)
        + ANSI.style(range, ANSI.dim, enabled: options.color)
}

extension Figure {
    /// The figure with control characters in its title and labels written as escapes: they come
    /// from the learner's data, and a title of `"\u{1b}[2J"` must show, not clear the screen.
    /// Done once here, before any renderer measures or styles the text.
    var withTextEscaped: Figure {
        var f = self
        let e = ControlCharacters.escaped
        f.title = title.map(e)
        f.xLabel = xLabel.map(e)
        f.yLabel = yLabel.map(e)
        f.seriesLabels = seriesLabels?.map(e)
        f.rowLabels = rowLabels?.map(e)
        f.columnLabels = columnLabels?.map(e)
        f.labels = labels?.map(e)
        return f
    }
}
