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
            Builtin("diagram", "diagram(m, title: none)", family: "figures", methodOf: ["model"],
                    doc: "The cell of an rnn, lstm or gru layer (or rnn_cell, lstm_cell, gru_cell) as a block diagram: inputs xₜ and hₜ₋₁ (and cₜ₋₁), each gate with its σ or tanh, the ⊙ and + nodes, the outputs, and the model's shapes on the wires; a layer with layers: > 1 or bidirectional: true is also drawn unrolled, layers as rows, directions as two rows of arrows, its final states labelled by their row of h (L·D, B, H). A classifier, tagger, generator or seq2seq is sketched unrolled over a few steps — x₁ … x_T below, the recurrent boxes, the head and outputs where the architecture answers, an encoder's final state passed to its decoder — with the model's sizes.",
                    example: "diagram(lstm(input: 3, hidden: 4))") { args, _ in
                let v = try args.required(0, "m")
                if case let .model(m) = v, let sketch = architectureSketch(of: m) {
                    let figure = Figure.architecture(sketch, title: try args.optionalString(nil, "title"))
                    if let problem = figure.validationError { throw args.error(problem) }
                    return .figure(figure)
                }
                guard case let .model(m) = v, let cell = cellDiagram(of: m) else {
                    let got = if case let .model(m) = v { "\(m.name.first.map { "aeiou".contains($0) } == true ? "an" : "a") \(m.name) model" } else { "a \(v.kindName)" }
                    throw args.error("expected a recurrent layer or cell (rnn, lstm, gru) or a sequence model (classifier, tagger, generator, seq2seq), got \(got)")
                }
                let figure = Figure.diagram(cell, title: try args.optionalString(nil, "title"))
                if let problem = figure.validationError { throw args.error(problem) }
                return .figure(figure)
            },
        ]
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

    private static func cell(_ k: RecurrentKind) -> CellDiagram.Cell {
        switch k {
        case .rnnTanh, .rnnReLU: .rnn
        case .lstm: .lstm
        case .gru: .gru
        }
    }
}
