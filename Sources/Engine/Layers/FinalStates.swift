/// h_n and c_n: each layer's and direction's state after its last step, as PyTorch returns them
/// beside the outputs.
///
/// Each is one node read straight out of the layers' sequence nodes: h_n copies every direction's
/// last row of its layer's results (T − 1 forwards, 0 for the reverse direction), c_T comes from
/// the tapes. The gradient of h_n goes back into those rows of each layer's node; that of c_n is
/// handed to each sequence's backward (``GradientHandOff``), which sends the node a zero gradient
/// only so that the walk reaches it when the loss uses c_n alone.
///
/// A layer builds them the first time they are read (``FinalStates``): a training step whose loss
/// uses only the outputs then makes no node for them — for a single short sequence, the index,
/// copy and stack nodes they took were about 5 % of the step.
extension RecurrentSequence {
    /// h_n of `layers` (one ``Result`` per layer, bottom first) with the given shape — (L·D, B, H),
    /// or (L·D, H) for an unbatched input, or a cell's own state shape: L·D·B·H values, layer-major.
    static func finalHidden(_ layers: [Result], shape: [Int], name: String) -> Tensor {
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
        return Tensor.result(shape: shape, storage: values, op: "\(name) h_n", inputs: layers.map(\.node), dtype: dtype,
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

    /// c_n of LSTM `layers`, shaped as ``finalHidden(_:shape:name:)``; nil for other cells.
    static func finalCell(_ layers: [Result], shape: [Int], name: String) -> Tensor? {
        guard !layers[0].finalCells.isEmpty else { return nil }
        let (T, B, H) = (layers[0].steps, layers[0].batch, layers[0].hiddenSize)
        let D = layers[0].lastTime.count, count = B * H
        var values: [Double] = []
        values.reserveCapacity(layers.count * D * count)
        for layer in layers { for c in layer.finalCells { values += c } }
        let handOffs = layers.map(\.cellHandOffs)
        let dtype = layers[0].node.dtype
        return Tensor.result(shape: shape, storage: values, op: "\(name) c_n", inputs: layers.map(\.node), dtype: dtype,
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

/// A layer stack's h_n and c_n, built when first read and kept (see RecurrentSequence's
/// ``RecurrentSequence/finalHidden(_:shape:name:)``), in the grad mode of the forward pass that
/// produced them: read inside a no-grad scope, states of a forward pass that recorded its graph
/// still record theirs, as they would have had they been built with the outputs.
final class FinalStates {
    private enum State {
        case pending(() -> (hidden: Tensor, cell: Tensor?))
        case built(hidden: Tensor, cell: Tensor?)
    }
    private var state: State

    /// States already made (a packed sequence's, gathered from its per-length runs).
    init(hidden: Tensor, cell: Tensor?) { state = .built(hidden: hidden, cell: cell) }

    /// States to make from `layers` on first reading.
    init(layers: [RecurrentSequence.Result], hiddenShape: [Int], name: String) {
        let recordsGraph = GradMode.isEnabled
        state = .pending {
            GradMode.with(enabled: recordsGraph) {
                (RecurrentSequence.finalHidden(layers, shape: hiddenShape, name: name),
                 RecurrentSequence.finalCell(layers, shape: hiddenShape, name: name))
            }
        }
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
