import Engine
import Figures
import Foundation

/// `unroll(m, x)`: a recurrent layer written out over the steps of x, one box per step.
///
/// The figure is computed, never typed: the layer runs on x (as inference, no graph), and each
/// wire gets the size of the vector it carries (see `UnrolledGraph`). With `grad: true` the wires
/// also carry ‖∂L/∂hₜ‖, read from the engine trace of the model's last `m(x, trace: true)` call
/// once `backward()` has run through it — the same `dh` that `out.trace.dh` shows. That call must
/// have read this very x, and its states must equal the ones drawn (same weights, no h0), so the
/// gradients sit on the wires they belong to.
extension Interpreter {
    static func unrollBuiltins() -> [Builtin] {
        [
            Builtin("unroll", "unroll(m, x, grad: false, row: 0, title: none)", family: "figures", methodOf: ["model"],
                    doc: "An rnn, lstm or gru layer unrolled over the steps of x: one box per step, the state hₜ on the wire from box t to box t + 1, xₜ below and the output yₜ above, each vector written as its norm ‖v‖ (a one-number vector as itself), for one batch row (row:). Steps that do not fit the width are left out in the middle (…). With grad: true, after out = m(x, trace: true) and backward() of a loss computed from out.output, each wire also shows ‖∂L/∂hₜ‖ — the vanishing gradient on the graph.",
                    example: "m = rnn(input: 2, hidden: 3, seed: 0)\nx = randn(4, 2, seed: 1)\nout = m(x, trace: true)\nbackward(sum(out.output[-1]))\nunroll(m, x, grad: true)") { args, _ in
                let v = try args.required(0, "m")
                guard case let .model(model) = v, let recurrent = model.as(RecurrentModel.self) else {
                    let got: String
                    if case let .model(m) = v {
                        got = m.as(CellModel.self) != nil ? "\(article(m.name)) \(m.name), which is one step: unroll draws a layer, e.g. rnn(input:, hidden:)" : "\(article(m.name)) \(m.name) model"
                    } else { got = "a \(v.kindName)" }
                    throw args.error("expected an rnn, lstm or gru layer, got \(got)")
                }
                let layer = recurrent.layer
                guard layer.numLayers == 1, !layer.bidirectional else {
                    let what = layer.bidirectional ? (layer.numLayers > 1 ? "\(layer.numLayers) bidirectional layers" : "two directions") : "\(layer.numLayers) layers"
                    throw args.error("unroll draws one layer in one direction, and m has \(what)")
                }
                let x = try args.tensor(1, "x")
                let grad = try args.bool(nil, "grad", default: false)
                let row = try args.int(nil, "row", default: 0)
                let title = try args.optionalString(nil, "title")
                let trace = RecurrentTrace()
                let out = try GradMode.withoutGrad { try layer(x, trace: trace) }
                guard let h = trace.entry()?.tensor("h"), h.rank == 3 else { throw args.error("the layer recorded no steps") }
                let T = h.shape[0], B = h.shape[1], H = h.shape[2]
                guard (0..<B).contains(row) else {
                    throw args.error("row \(row) is out of range: x holds \(B) sequence\(B == 1 ? "" : "s"), batch rows 0…\(B - 1)")
                }
                /// The vector at step t of the chosen row: a trace tensor is (T, B, n); x and the
                /// output are laid out as the layer reads them, (T, B, n), (B, T, n) or (T, n).
                func vector(_ t: Tensor, _ step: Int, traced: Bool = false) -> [Double] {
                    let n = t.shape[t.rank - 1]
                    let offset: Int
                    if t.rank == 2 { offset = step * n } else if layer.batchFirst && !traced { offset = (row * T + step) * n } else { offset = (step * B + row) * n }
                    return Array(t.storage[offset..<offset + n])
                }
                func size(_ v: [Double]) -> Double { v.count == 1 ? v[0] : sqrt(v.reduce(0) { $0 + $1 * $1 }) }
                var gradients: [Double]?
                if grad { gradients = try traceGradients(recurrent, x: x, states: h, args).map { dh in (0..<T).map { size(vector(dh, $0, traced: true)) } } }
                let graph = UnrolledGraph(cell: cellDiagram(of: model)?.cell ?? .rnn, inputSize: layer.inputSize, hiddenSize: H,
                                          row: row, batch: B, initial: 0,
                                          states: (0..<T).map { size(vector(h, $0, traced: true)) },
                                          outputs: (0..<T).map { size(vector(out.output, $0)) },
                                          inputs: (0..<T).map { size(vector(x, $0)) }, gradients: gradients)
                let figure = Figure.unroll(graph, title: title)
                if let problem = figure.validationError { throw args.error(problem) }
                return .figure(figure)
            },
        ]
    }

    /// ∂L/∂hₜ (T, B, H) from the model's last traced call on x, after checking a backward pass
    /// ran through it and its states are the ones about to be drawn.
    private static func traceGradients(_ m: RecurrentModel, x: Tensor, states: Tensor, _ args: Arguments) throws -> Tensor? {
        let how = "out = m(x, trace: true), a loss computed from out.output, backward(loss), then unroll(m, x, grad: true)"
        guard let last = m.lastTrace else {
            throw args.error("grad: true shows ∂L/∂hₜ from a backward pass through a call of m with trace: true, and m has not been called with trace: true: \(how)")
        }
        guard let input = last.input, input.shape == x.shape, input.storage == x.storage else {
            throw args.error("grad: true reads ∂L/∂hₜ from m's last call with trace: true, and that call read another input than x: \(how)")
        }
        guard let dh = last.dh else {
            throw args.error("grad: true needs a backward pass: m(x, trace: true) has run, but no loss computed from its output has been backpropagated (call backward(loss) first)")
        }
        guard let traced = last.forward?.tensor("h"), traced.shape == states.shape,
              zip(traced.storage, states.storage).allSatisfy({ abs($0 - $1) <= 1e-12 * max(1, abs($1)) }) else {
            throw args.error("m's states differ from those of its last call with trace: true (its weights changed since, or that call was given h0), so its ∂L/∂hₜ belong to other states: call m(x, trace: true) and backward() again")
        }
        return dh
    }
}
