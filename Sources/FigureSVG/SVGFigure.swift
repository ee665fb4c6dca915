import Figures

/// Draws a `Figure` as a standalone SVG document — the second renderer beside the terminal's
/// text, for notebooks, markdown exports and `save_figure`.
///
/// A picture drawn as text is bound to a terminal's cells; the same value drawn as SVG has real
/// axes, a colour scale and lines between points, and scales with the page. Both renderers read
/// the same `Figure` and follow the same rules (which heatmap scale, what a NaN is, what a flat
/// series looks like), so a figure means the same thing on screen and in a notebook.
///
/// Nothing here throws or traps: a malformed figure (ragged rows, missing labels, no data) is
/// drawn as well as it can be, as the terminal does. The output is deterministic — the same
/// figure gives the same bytes — and always well-formed XML.
public enum SVGFigure {
    /// The figure as an SVG document (UTF-8 text ending in a newline) — every kind, a cell diagram
    /// with one step's numbers (`diagram(m, trace, step: t)`) and an architecture sketch too — or
    /// nil for a diagram figure that carries no cell.
    public static func document(_ figure: Figure) -> String? {
        switch figure.kind {
        case .heatmap: return HeatmapSVG.render(figure)
        case .linePlot: return LinePlotSVG.render(figure)
        case .sparkline: return SparklineSVG.render(figure)
        case .bars: return BarsSVG.render(figure)
        case .unroll: return UnrollSVG.render(figure)
        case .diagram: return CellDiagramSVG.render(figure)
        case .architecture: return ArchitectureSketchSVG.render(figure)
        }
    }

    /// Whether `document` draws this figure (without drawing it).
    public static func draws(_ figure: Figure) -> Bool {
        switch figure.kind {
        case .heatmap, .linePlot, .sparkline, .bars, .unroll: return true
        case .diagram: return figure.diagram != nil
        case .architecture: return true
        }
    }
}
