import Engine
import Figures

/// Pictures as values: the REPL draws them, `--format json` serialises them.
extension Interpreter {
    /// The numbers of a tensor-like value, flattened.
    private static func series(_ v: Value, _ args: Arguments, _ name: String) throws -> [Double] {
        try args.convertTensor(v, name).storage
    }

    /// The lines of `plot(…)`: a 1-D series is one line; a 2-D tensor (steps, k) is k lines, one
    /// per column — hidden units or gates over time — named "column j" (or "series i, column j"
    /// beside other series) unless `labels:` names them. A tensor of more dimensions is refused
    /// rather than flattened into one long line.
    private static func lines(_ values: [Value], _ args: Arguments) throws -> (lines: [[Double]], labels: [String]?) {
        var lines: [[Double]] = [], labels: [String] = [], anyTable = false
        for (i, v) in values.enumerated() {
            let t = try args.convertTensor(v, "series")
            switch t.shape.count {
            case 0, 1:
                lines.append(t.storage); labels.append("series \(i + 1)")
            case 2:
                anyTable = true
                let (rows, cols) = (t.shape[0], t.shape[1])
                for j in 0..<cols {
                    lines.append((0..<rows).map { t.storage[$0 * cols + j] })
                    labels.append(values.count == 1 ? "column \(j)" : "series \(i + 1), column \(j)")
                }
            default:
                let shape = t.shape.map(String.init).joined(separator: ", ")
                throw args.error("a series is 1-D, or 2-D with one line per column; this one has shape (\(shape)) — pick a slice, e.g. x[:, 0, :]")
            }
        }
        return (lines, anyTable ? labels : nil)
    }

    private static func optionalLabels(_ args: inout Arguments, _ name: String) throws -> [String]? {
        guard let v = try args.get(nil, name) else { return nil }
        if case .none = v { return nil }
        return try args.convertLabelList(v, name)
    }

    private static func checked(_ figure: Figure, _ args: Arguments) throws -> Value {
        if let problem = figure.validationError { throw args.error(problem) }
        return .figure(figure)
    }

    static func figureBuiltins() -> [Builtin] {
        let f = "figures"
        return [
            Builtin("spark", "spark(x, title: none)", family: f, methodOf: ["tensor"],
                    doc: "A one-line sparkline ▁▂▃▄▅▆▇█ of the values of x (flattened): a loss curve or a gate over time at a glance.",
                    example: "spark(tanh(linspace(-3, 3, 20)))") { args, _ in
                let values = try series(try args.required(0, "x"), args, "x")
                return try checked(.sparkline(values, title: try args.optionalString(nil, "title")), args)
            },
            Builtin("heatmap", "heatmap(M, title: none, row_labels: none, col_labels: none, scale: \"auto\", x_label: none, y_label: none)", family: f, methodOf: ["tensor"],
                    doc: "A matrix as coloured cells (diverging colours for signed values). Size-1 axes are dropped first, so heatmap(out.trace.c) of a (T, 1, H) trace shows time × unit.",
                    example: "heatmap(randn(4, 6, seed: 0), title: \"weights\")") { args, _ in
                var t = try args.tensor(0, "M")
                if t.rank > 2 { t = try t.squeeze() }
                if t.rank == 1 { t = try t.unsqueeze(0) }
                if t.rank == 0 { t = try t.reshape([1, 1]) }
                guard t.rank == 2 else { throw args.error("needs a matrix, got shape \(formatShape(t.shape)); pick a slice, e.g. M[:, 0]") }
                let cols = t.shape[1]
                let rows = (0..<t.shape[0]).map { r in Array(t.storage[r * cols ..< (r + 1) * cols]) }
                let scaleName = try args.string(nil, "scale", default: "auto")
                guard let scale = HeatmapScale(rawValue: scaleName) else { throw args.error("scale must be \"auto\", \"diverging\" or \"sequential\"") }
                let fig = Figure.heatmap(rows, rowLabels: try optionalLabels(&args, "row_labels"), columnLabels: try optionalLabels(&args, "col_labels"),
                                         scale: scale, title: try args.optionalString(nil, "title"),
                                         xLabel: try args.optionalString(nil, "x_label"), yLabel: try args.optionalString(nil, "y_label"))
                return try checked(fig, args)
            },
            Builtin("plot", "plot(series…, labels: none, x: none, log: false, title: none, x_label: none, y_label: none, height: none)", family: f,
                    doc: "A line chart of one or more series (tensors or lists of numbers) with axes and a legend; a 2-D tensor (steps, k) is k lines, one per column (hidden units over time); log: true for a log-scale y axis (gradient norms). plot(history) draws a train(…) history: the training loss at every step and the validation loss at the steps it was measured.",
                    example: "plot(linspace(0, 1, 10), linspace(1, 0, 10), labels: [\"up\", \"down\"])") { args, _ in
                let all = args.rest(from: 0)
                guard !all.isEmpty else { throw args.error("give at least one series") }
                if all.count == 1, case let .record(r) = all[0], r.title == "training history" {
                    return try checked(try historyPlot(r, &args), args)
                }
                let (data, columnLabels) = try lines(all, args)
                let x = try args.get(nil, "x").map { try series($0, args, "x") }
                let fig = Figure.linePlot(data, labels: try optionalLabels(&args, "labels") ?? columnLabels, x: x, title: try args.optionalString(nil, "title"),
                                          xLabel: try args.optionalString(nil, "x_label"), yLabel: try args.optionalString(nil, "y_label"),
                                          logScale: try args.bool(nil, "log", default: false), height: try args.optionalInt(nil, "height"))
                return try checked(fig, args)
            },
            Builtin("bars", "bars(values, labels: none, title: none)", family: f,
                    doc: "Horizontal bars, one per value, with labels: gradient norms per parameter, class counts.",
                    example: "bars([3, 1, 2], labels: [\"a\", \"b\", \"c\"])") { args, _ in
                let values = try series(try args.required(0, "values"), args, "values")
                return try checked(.bars(values, labels: try optionalLabels(&args, "labels"), title: try args.optionalString(nil, "title")), args)
            },
        ]
    }
}

extension Interpreter {
    /// A training history as a line plot over steps 1…n: the loss of every step, and the
    /// validation losses placed at the steps they were measured (joined by straight lines).
    static func historyPlot(_ r: Record, _ args: inout Arguments) throws -> Figure {
        guard case let .tensor(loss)? = r["loss"], case let .tensor(valLoss)? = r["val_loss"], case let .tensor(valSteps)? = r["val_steps"] else {
            throw args.error("this history has lost its loss, val_loss or val_steps member")
        }
        let n = loss.count
        var series = [loss.storage]
        var labels = ["train loss"]
        if valLoss.count > 0 {
            // One value per step: NaN before the first evaluation, linear between evaluations.
            var v = [Double](repeating: .nan, count: n)
            let points = zip(valSteps.storage, valLoss.storage).map { (Int($0), $1) }.filter { $0.0 >= 1 && $0.0 <= n }
            for (a, b) in zip(points, points.dropFirst()) where b.0 > a.0 {
                for s in a.0...b.0 { v[s - 1] = a.1 + (b.1 - a.1) * Double(s - a.0) / Double(b.0 - a.0) }
            }
            for p in points { v[p.0 - 1] = p.1 }
            series.append(v)
            labels.append("val loss")
        }
        return Figure.linePlot(series, labels: try optionalLabels(&args, "labels") ?? labels, x: (1...max(1, n)).map(Double.init).prefix(n).map { $0 },
                               title: try args.optionalString(nil, "title"), xLabel: try args.optionalString(nil, "x_label") ?? "step",
                               yLabel: try args.optionalString(nil, "y_label") ?? "loss",
                               logScale: try args.bool(nil, "log", default: false), height: try args.optionalInt(nil, "height"))
    }
}

extension Arguments {
    mutating func optionalString(_ position: Int?, _ name: String) throws -> String? {
        guard let v = try get(position, name) else { return nil }
        if case .none = v { return nil }
        guard case let .string(s) = v else { throw error("'\(name)' must be a string, got \(v.kindName)") }
        return s
    }
}
