/// The pictures rnnlab draws. `rawValue`s are the names used in JSON and notebook export.
public enum FigureKind: String, Sendable, Codable, CaseIterable {
    /// One series as a row of `▁▂▃▄▅▆▇█`: the shape of a loss curve or a gate over time, inline.
    case sparkline
    /// A matrix as coloured cells: a weight matrix, or hidden state over (time × unit).
    case heatmap
    /// Several series on one chart with axes and a legend: training and validation loss.
    case linePlot
    /// Horizontal bars with labels and values: gradient norms per parameter, class counts.
    case bars
    /// A recurrent cell as a block diagram (gates, ⊙ and + nodes, shapes on the wires).
    case diagram
    /// A recurrent layer unrolled over its steps, with the size of each state on its wire.
    case unroll
    /// A sequence model unrolled over a few steps: inputs, recurrent boxes, outputs, head.
    case architecture
}

/// How a heatmap maps values to colour.
///
/// Signed data (weights, pre-activations, tanh outputs) is read around zero, so it gets a diverging
/// scale symmetric about 0 — the same colour intensity means the same magnitude on either side.
/// Non-negative data (probabilities, norms, σ gates) gets a sequential scale from its minimum.
public enum HeatmapScale: String, Sendable, Codable, CaseIterable {
    /// Diverging if any finite value is negative, sequential otherwise.
    case auto
    /// Blue–white–red, symmetric around 0 over `[-max|v|, +max|v|]`.
    case diverging
    /// Light to dark over `[min, max]`.
    case sequential
}

/// A picture described as data — what `spark`, `heatmap`, `plot` and `bars` return in the
/// language.
///
/// Pictures are values: the language builds a `Figure` without knowing how it will be drawn; the
/// terminal renderer (`Terminal.render(_:options:)`), `--format json` and notebook export each draw
/// or serialise the same value their own way. That is why this type holds only plain data (no
/// tensors, no closures, no terminal state) and is `Codable` and `Equatable`: a figure printed in a
/// lesson can be compared in a test, written to JSON and read back unchanged.
///
/// Which fields matter depends on `kind`; the others stay empty. Build figures with the static
/// constructors (`.sparkline`, `.heatmap`, `.linePlot`, `.bars`), which fill exactly those fields.
///
/// | kind        | data                                 | labels                          |
/// |-------------|--------------------------------------|---------------------------------|
/// | `sparkline` | `series[0]`                          | —                               |
/// | `linePlot`  | `series` (one per line), optional `x`| `seriesLabels`, `xLabel`, `yLabel` |
/// | `heatmap`   | `matrix` (rows × cols)               | `rowLabels`, `columnLabels`     |
/// | `bars`      | `values`                             | `labels` (one per bar)          |
/// | `diagram`   | `diagram` (the cell's kind and sizes)| —                               |
/// | `unroll`    | `unroll` (per-step norms)            | —                               |
/// | `architecture` | `sketch` (the model's architecture and sizes) | —                    |
///
/// JSON note: NaN and ±infinity are legal data (a diverged loss, a masked cell). `JSONEncoder`
/// refuses them by default; encode with `nonConformingFloatEncodingStrategy = .convertToString(...)`
/// (e.g. `"nan"`, `"inf"`, `"-inf"`) when a figure may contain them.
public struct Figure: Sendable, Equatable, Codable {
    public typealias Kind = FigureKind

    public var kind: FigureKind
    /// Shown above the picture.
    public var title: String?

    // MARK: sparkline, linePlot

    /// Sparkline: one series. Line plot: one array per line; the arrays may differ in length.
    public var series: [[Double]]
    /// Legend names for `series`, one per series (missing names are filled as "series 1", …).
    public var seriesLabels: [String]?
    /// Optional x values shared by every series (default: the index 0, 1, 2, …).
    public var x: [Double]?
    public var xLabel: String?
    public var yLabel: String?
    /// Plot y on a log10 axis. Non-positive values cannot be shown there; the renderer leaves
    /// them out and says how many it left out.
    public var logScale: Bool

    // MARK: heatmap

    /// Rows × columns, row-major. Rows should have equal length (see `validationError`).
    public var matrix: [[Double]]
    public var rowLabels: [String]?
    public var columnLabels: [String]?
    public var scale: HeatmapScale

    // MARK: bars

    public var values: [Double]
    public var labels: [String]?

    // MARK: diagram

    /// The cell a `diagram` draws.
    public var diagram: CellDiagram?

    // MARK: unroll

    /// The steps an `unroll` draws.
    public var unroll: UnrolledGraph?
    /// The architecture an `architecture` figure draws.
    public var sketch: ArchitectureSketch? = nil

    // MARK: layout hint

    /// Rows of the plotting area for `linePlot` (the renderer's default, 12, when nil).
    public var height: Int?

    /// The memberwise initialiser; prefer the static constructors below.
    public init(
        kind: FigureKind, title: String? = nil,
        series: [[Double]] = [], seriesLabels: [String]? = nil, x: [Double]? = nil,
        xLabel: String? = nil, yLabel: String? = nil, logScale: Bool = false,
        matrix: [[Double]] = [], rowLabels: [String]? = nil, columnLabels: [String]? = nil,
        scale: HeatmapScale = .auto,
        values: [Double] = [], labels: [String]? = nil,
        height: Int? = nil, diagram: CellDiagram? = nil, unroll: UnrolledGraph? = nil
    ) {
        self.kind = kind
        self.title = title
        self.series = series
        self.seriesLabels = seriesLabels
        self.x = x
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.logScale = logScale
        self.matrix = matrix
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.scale = scale
        self.values = values
        self.labels = labels
        self.height = height
        self.diagram = diagram
        self.unroll = unroll
    }

    /// `spark(x)`: one series drawn as block characters over its own min..max.
    public static func sparkline(_ values: [Double], title: String? = nil) -> Figure {
        Figure(kind: .sparkline, title: title, series: [values])
    }

    /// `heatmap(M)`: a rows × cols matrix. `scale: .auto` picks diverging for signed data.
    public static func heatmap(
        _ matrix: [[Double]], rowLabels: [String]? = nil, columnLabels: [String]? = nil,
        scale: HeatmapScale = .auto, title: String? = nil, xLabel: String? = nil, yLabel: String? = nil
    ) -> Figure {
        Figure(kind: .heatmap, title: title, xLabel: xLabel, yLabel: yLabel,
               matrix: matrix, rowLabels: rowLabels, columnLabels: columnLabels, scale: scale)
    }

    /// `plot(a, b, labels: [...])`: several series on shared axes.
    public static func linePlot(
        _ series: [[Double]], labels: [String]? = nil, x: [Double]? = nil,
        title: String? = nil, xLabel: String? = nil, yLabel: String? = nil,
        logScale: Bool = false, height: Int? = nil
    ) -> Figure {
        Figure(kind: .linePlot, title: title, series: series, seriesLabels: labels, x: x,
               xLabel: xLabel, yLabel: yLabel, logScale: logScale, height: height)
    }

    /// `bars(values, labels: [...])`: one horizontal bar per value.
    public static func bars(_ values: [Double], labels: [String]? = nil, title: String? = nil) -> Figure {
        Figure(kind: .bars, title: title, values: values, labels: labels)
    }

    /// `diagram(m)`: the cell of a recurrent model, titled "lstm cell" and so on.
    public static func diagram(_ cell: CellDiagram, title: String? = nil) -> Figure {
        Figure(kind: .diagram, title: title ?? "\(cell.cell.rawValue) cell", diagram: cell)
    }

    /// `unroll(m, x)`: a layer over its steps, titled "lstm unrolled" and so on.
    public static func unroll(_ graph: UnrolledGraph, title: String? = nil) -> Figure {
        Figure(kind: .unroll, title: title ?? "\(graph.cell.rawValue) unrolled", unroll: graph)
    }

    /// Rows × columns of `matrix` (columns of the widest row).
    public var matrixShape: (rows: Int, columns: Int) {
        (matrix.count, matrix.map(\.count).max() ?? 0)
    }

    /// A sentence describing why this figure is malformed, or nil when it is fine. The renderers
    /// never crash on malformed figures (ragged rows are padded with NaN, missing labels are
    /// filled in), but the language should reject them with this message where the user made the
    /// mistake.
    public var validationError: String? {
        switch kind {
        case .sparkline:
            if series.count != 1 { return "a sparkline has exactly one series, got \(series.count)" }
        case .linePlot:
            if let labels = seriesLabels, labels.count != series.count {
                return "plot: \(series.count) series but \(labels.count) labels"
            }
            if let x {
                for (i, s) in series.enumerated() where s.count != x.count {
                    return "plot: x has \(x.count) values but series \(i + 1) has \(s.count)"
                }
            }
        case .heatmap:
            let widths = Set(matrix.map(\.count))
            if widths.count > 1 { return "heatmap: rows have different lengths \(widths.sorted())" }
            if let r = rowLabels, r.count != matrix.count {
                return "heatmap: \(matrix.count) rows but \(r.count) row labels"
            }
            if let c = columnLabels, c.count != matrixShape.columns {
                return "heatmap: \(matrixShape.columns) columns but \(c.count) column labels"
            }
        case .bars:
            if let l = labels, l.count != values.count {
                return "bars: \(values.count) values but \(l.count) labels"
            }
        case .diagram:
            if diagram == nil { return "a diagram needs the cell it draws" }
        case .unroll:
            guard let g = unroll else { return "an unrolled graph needs the steps it draws" }
            if let problem = g.validationError { return problem }
        case .architecture:
            guard let sketch else { return "an architecture diagram needs the model it draws" }
            return sketch.validationError
        }
        return nil
    }
}
