import Engine
import Figures

/// `diagram(m)`: the cell of a recurrent model as a block diagram.
///
/// The figure is built from the model value alone — its kind, sizes, nonlinearity, layers and
/// direction — so a lesson that draws `diagram(model)` always shows the model it just made, and a
/// learner who changes `hidden:` sees the shapes on the wires change with it.
extension Interpreter {
    static func diagramBuiltins() -> [Builtin] {
        [
            Builtin("diagram", "diagram(m, trace: none, step: none, row: 0, title: none)", family: "figures", methodOf: ["model"],
                    doc: "The cell of an rnn, lstm or gru layer (or rnn_cell, lstm_cell, gru_cell) as a block diagram: inputs xₜ and hₜ₋₁ (and cₜ₋₁), each gate with its σ or tanh, the ⊙ and + nodes, the outputs, and the model's shapes on the wires; a layer with layers: > 1 or bidirectional: true is also drawn unrolled, layers as rows, directions as two rows of arrows, its final states labelled by their row of h (L·D, B, H). With the trace of a call of m (out = m(x, trace: true); diagram(m, out.trace, step: t)) it writes step t's numbers on the picture: each gate box shows its output and the states stand beside their wires, for one batch row (row:) and the units 0, 1, 2 (all when hidden ≤ 3). A classifier, tagger, generator or seq2seq is sketched unrolled over a few steps — x₁ … x_T below, the recurrent boxes, the head and outputs where the architecture answers, an encoder's final state passed to its decoder — with the model's sizes.",
                    example: "diagram(lstm(input: 3, hidden: 4))\nm = gru(input: 2, hidden: 2, seed: 0)\nout = m(randn(4, 2, seed: 1), trace: true)\ndiagram(m, out.trace, step: 1)\ndiagram(classifier(kind: \"rnn\", input: 3, hidden: 4, out: 2, seed: 0))") { args, _ in
                let v = try args.required(0, "m")
                if case let .model(m) = v, let sketch = architectureSketch(of: m) {
                    let traced = try args.get(1, "trace").map { !$0.isNone } ?? false
                    let step = try args.get(nil, "step"), row = try args.get(nil, "row")
                    if traced || step != nil || row != nil {
                        throw args.error("trace:, step: and row: write one traced step on a recurrent layer or cell; a \(m.name) is sketched whole, without numbers")
                    }
                    let figure = Figure.architecture(sketch, title: try args.optionalString(nil, "title"))
                    if let problem = figure.validationError { throw args.error(problem) }
                    return .figure(figure)
                }
                guard case let .model(m) = v, var cell = cellDiagram(of: m) else {
                    let got = if case let .model(m) = v { "\(article(m.name)) \(m.name) model" } else { "a \(v.kindName)" }
                    throw args.error("expected a recurrent layer or cell (rnn, lstm, gru) or a sequence model (classifier, tagger, generator, seq2seq), got \(got)")
                }
                let trace = try args.get(1, "trace").flatMap { v -> Value? in if case .none = v { return nil }; return v }
                let step = try args.optionalInt(nil, "step"), row = try args.optionalInt(nil, "row")
                if let trace {
                    cell = try steppedCell(cell, model: m, trace: trace, step: step, row: row ?? 0, args)
                } else if step != nil || row != nil {
                    throw args.error("step: and row: choose numbers from a trace, and none was given: out = m(x, trace: true), then diagram(m, out.trace, step: 0)")
                }
                let figure = Figure.diagram(cell, title: try args.optionalString(nil, "title"))
                if let problem = figure.validationError { throw args.error(problem) }
                return .figure(figure)
            },
        ] + unrollBuiltins()
    }

    /// The facts a diagram draws, or nil when `m` has no recurrent cell of its own.
    static func cellDiagram(of m: Model) -> CellDiagram? {
        if let r = m.as(RecurrentModel.self) {
            let l = r.layer
            return CellDiagram(cell: cell(l.kind), nonlinearity: l.kind == .rnnReLU ? "relu" : "tanh",
                               inputSize: l.inputSize, hiddenSize: l.hiddenSize, layers: l.numLayers,
                               bidirectional: l.bidirectional, bias: l.hasBias)
        }
        if let c = m.as(CellModel.self) {
            let k = c.cell.kind
            return CellDiagram(cell: cell(k), nonlinearity: k == .rnnReLU ? "relu" : "tanh",
                               inputSize: c.cell.inputSize, hiddenSize: c.cell.hiddenSize,
                               bias: c.cell.weights.biasIH != nil)
        }
        return nil
    }

    /// `cell` with the numbers of one step of `trace` for one batch row and the first units,
    /// after checking the trace is m's own and the step and row exist.
    private static func steppedCell(_ cell: CellDiagram, model m: Model, trace: Value, step: Int?, row: Int,
                                    _ args: Arguments) throws -> CellDiagram {
        guard case let .record(record) = trace, let origin = record.origin else {
            throw args.error("trace must be the trace of a call of m, as in out = m(x, trace: true); diagram(m, out.trace, step: 0) — got \(trace.kindName == "record" ? "a record that is not a trace" : "a \(trace.kindName)")")
        }
        guard let layer = m.as(RecurrentModel.self)?.layer else {
            throw args.error("\(article(m.name)) \(m.name) is one step and keeps no trace: draw the numbers of an rnn, lstm or gru layer's trace, e.g. m = \(cell.cell.rawValue)(input: \(cell.inputSize), hidden: \(cell.hiddenSize)) and out = m(x, trace: true)")
        }
        guard origin.layer === layer else {
            let other = origin.layer
            let same = other.kind == layer.kind && other.inputSize == layer.inputSize && other.hiddenSize == layer.hiddenSize
            let what = same ? "another \(other.kind.cellName) of the same size" : "\(article(other.kind.cellName)) \(other.kind.cellName) with input \(other.inputSize) and hidden \(other.hiddenSize)"
            throw args.error("this trace comes from \(what), not from m (\(article(layer.kind.cellName)) \(layer.kind.cellName) with input \(layer.inputSize) and hidden \(layer.hiddenSize)): pass the trace of a call of m itself")
        }
        guard let entry = origin.forward, let h = entry.tensor("h"), h.rank == 3 else {
            throw args.error("this trace holds no steps")
        }
        let T = h.shape[0], B = h.shape[1], H = h.shape[2]
        guard let step else {
            throw args.error("step: is needed with a trace: which step to draw, 0…\(T - 1)")
        }
        guard (0..<T).contains(step) else {
            throw args.error("step \(step) is out of range: the trace has \(T) step\(T == 1 ? "" : "s"), 0…\(T - 1)")
        }
        guard (0..<B).contains(row) else {
            throw args.error("row \(row) is out of range: the trace holds \(B) batch row\(B == 1 ? "" : "s"), 0…\(B - 1)")
        }
        let units = Array(0..<min(H, 3))
        func at(_ t: Tensor, _ s: Int) -> [Double] { units.map { t.storage[(s * B + row) * H + $0] } }
        var vectors = entry.tensors.map { CellStepValues.Vector(name: $0.name, values: at($0.tensor, step)) }
        // The reverse direction reads time backwards: its previous state is the next step's.
        let previous = origin.direction == 0 ? step - 1 : step + 1
        if (0..<T).contains(previous) {
            if let c = entry.tensor("c") { vectors.append(.init(name: "c_prev", values: at(c, previous))) }
            vectors.append(.init(name: "h_prev", values: at(h, previous)))
        }
        let stacked = layer.numLayers > 1 || layer.bidirectional
        var out = cell
        if origin.layerIndex > 0 { out.inputSize = layer.hiddenSize * layer.directions }
        out.values = CellStepValues(step: step, steps: T, row: row, batch: B, units: units,
                                    part: stacked ? "layer \(origin.layerIndex), \(origin.direction == 0 ? "forward" : "reverse") direction" : nil,
                                    vectors: vectors)
        return out
    }

    /// "an lstm", "an rnn", "a gru", "an encoder", "a seq2seq": the article as the names are read
    /// aloud — lstm and rnn are spelled letter by letter (el, ar), the others read as words.
    static func article(_ name: String) -> String {
        if name.hasPrefix("lstm") || name.hasPrefix("rnn") { return "an" }
        return name.first.map { "aeiouAEIOU".contains($0) } == true ? "an" : "a"
    }

    private static func cell(_ k: RecurrentKind) -> CellDiagram.Cell {
        switch k {
        case .rnnTanh, .rnnReLU: .rnn
        case .lstm: .lstm
        case .gru: .gru
        }
    }
}
