/// h_n and c_n: each layer's and direction's state after its last step, as PyTorch returns them
/// beside the outputs.
///
/// Each is one node over the layers' sequence nodes: h_n copies every direction's last row of its
/// layer's results (T − 1 forwards, 0 for the reverse direction); c_n gathers the c_T each
/// direction copied out of its tape during the forward pass (``Result/finalCells``). The gradient
/// of h_n goes back into those rows of each layer's node; that of c_n is handed to each sequence's
/// backward (``GradientHandOff``), which sends the node a zero gradient only so that the walk
/// reaches it when the loss uses c_n alone.
///
/// A layer whose forward pass recorded its graph builds them the first time they are read
/// (``FinalStates``): a training step whose loss uses only the outputs then makes no node for them
/// — for a single short sequence, the index, copy and stack nodes they took were about 5 % of the
/// step.
extension RecurrentSequence {
    /// h_n of `layers` (one ``Result`` per layer, bottom first) with the given shape — (L·D, B, H),
    /// or (L·D, H) for an unbatched input, or a cell's own state shape: L·D·B·H values, layer-major.
    /// `op` names the node.
    static func finalHidden(_ layers: [Result], shape: [Int], op: String) -> Tensor {
        let (T, B, H) = (layers[0].steps, layers[0].batch, layers[0].hiddenSize)
        let D = layers[0].lastTime.count, width = D * H
        let lastTimes = layers.map(\.lastTime)
        var values: [Double] = uninitializedArray(layers.count * D * B * H)
        values.withUnsafeMutableBufferPointer { out in
            for (l, layer) in layers.enumerated() {
                layer.node.storage.withUnsafeBufferPointer { node in
                    for d in 0..<D {
                        for b in 0..<B {
                            (out.baseAddress! + ((l * D + d) * B + b) * H)
                                .update(from: node.baseAddress! + (lastTimes[l][d] * B + b) * width + d * H, count: H)
                        }
                    }
                }
            }
        }
        let dtype = layers[0].node.dtype
        return Tensor.result(shape: shape, storage: values, op: op, inputs: layers.map(\.node), dtype: dtype,
                             exact: dtype == .float32, backward: { g in
            // Each layer's node gets its directions' rows back, zeros elsewhere.
            lastTimes.enumerated().map { l, last in
                var gradient = [Double](repeating: 0, count: T * B * width)
                gradient.withUnsafeMutableBufferPointer { out in
                    g.withUnsafeBufferPointer { g in
                        for d in 0..<D {
                            for b in 0..<B {
                                (out.baseAddress! + (last[d] * B + b) * width + d * H)
                                    .update(from: g.baseAddress! + ((l * D + d) * B + b) * H, count: H)
                            }
                        }
                    }
                }
                return gradient
            }
        })
    }

    /// c_n of LSTM `layers`, shaped as ``finalHidden(_:shape:op:)``; nil for other cells.
    static func finalCell(_ layers: [Result], shape: [Int], op: String) -> Tensor? {
        guard !layers[0].finalCells.isEmpty else { return nil }
        let (T, B, H) = (layers[0].steps, layers[0].batch, layers[0].hiddenSize)
        let D = layers[0].lastTime.count, count = B * H
        var values: [Double] = []
        values.reserveCapacity(layers.count * D * count)
        for layer in layers { for c in layer.finalCells { values += c } }
        let handOffs = layers.map(\.cellHandOffs)
        let dtype = layers[0].node.dtype
        return Tensor.result(shape: shape, storage: values, op: op, inputs: layers.map(\.node), dtype: dtype,
                             exact: dtype == .float32, backward: { g in
            for (l, directions) in handOffs.enumerated() {
                for (d, handOff) in directions.enumerated() {
                    handOff.put(Array(g[((l * D + d) * count)..<((l * D + d + 1) * count)]))
                }
            }
            return handOffs.map { _ in [Double](repeating: 0, count: T * B * D * H) }
        })
    }
}

/// A layer stack's h_n and c_n (see ``RecurrentSequence/finalHidden(_:shape:op:)``).
///
/// When the forward pass recorded a graph, they are built when first read and kept, in that pass's
/// grad mode: read inside a no-grad scope, they still record theirs, as they would have had they
/// been built with the outputs. Until then they hold the layers' sequence nodes, which the graph
/// of the outputs holds anyway. A pass that recorded nothing builds them at once (plain copies),
/// so that results kept unread — an evaluation loop's — do not keep every layer's outputs alive.
///
/// The first reading builds them without a lock: like the tensors it returns, a layer's result
/// belongs to the thread that computed it.
final class FinalStates {
    private enum State {
        case pending(() -> (hidden: Tensor, cell: Tensor?))
        case built(hidden: Tensor, cell: Tensor?)
    }
    private var state: State

    /// States already made (a packed sequence's, gathered from its per-length runs).
    init(hidden: Tensor, cell: Tensor?) { state = .built(hidden: hidden, cell: cell) }

    /// The states of `layers` (bottom first), h_n of `hiddenShape` and c_n likewise; `name` is the
    /// layer's (`lstm`, …), for the nodes' names.
    init(layers: [RecurrentSequence.Result], hiddenShape: [Int], name: String) {
        func make() -> (hidden: Tensor, cell: Tensor?) {
            (RecurrentSequence.finalHidden(layers, shape: hiddenShape, op: "\(name) h_n"),
             RecurrentSequence.finalCell(layers, shape: hiddenShape, op: "\(name) c_n"))
        }
        guard GradMode.isEnabled, layers.contains(where: { $0.node.requiresGrad }) else {
            let made = make()
            state = .built(hidden: made.hidden, cell: made.cell)
            return
        }
        state = .pending { GradMode.with(enabled: true, make) }
    }

    /// Whether the states exist yet (for tests).
    var isBuilt: Bool {
        if case .built = state { return true }
        return false
    }

    var value: (hidden: Tensor, cell: Tensor?) {
        switch state {
        case let .built(hidden, cell):
            return (hidden, cell)
        case let .pending(make):
            let made = make()
            state = .built(hidden: made.hidden, cell: made.cell)
            return made
        }
    }
}
