import Engine

/// Where a trace record came from: the layer that ran, the engine's trace the record reads, the
/// layer and direction it shows, and the input of the call.
///
/// A record alone is a list of named tensors; `diagram(m, trace, step:)` needs to know the record
/// belongs to `m` (a trace of another model, even one of the same size, would put someone else's
/// numbers on m's picture), and `unroll(m, x, grad: true)` reads ∂L/∂hₜ from the engine trace that
/// `backward()` fills.
final class TraceOrigin {
    let layer: RecurrentLayer
    let trace: RecurrentTrace
    let layerIndex: Int
    let direction: Int
    /// The tensor the layer was called on (nil for `inspect`, whose input was embedded first).
    let input: Tensor?

    init(layer: RecurrentLayer, trace: RecurrentTrace, layerIndex: Int, direction: Int, input: Tensor?) {
        self.layer = layer; self.trace = trace; self.layerIndex = layerIndex; self.direction = direction; self.input = input
    }

    /// The forward tensors of this layer and direction, (T, B, H) each.
    var forward: RecurrentTrace.Entry? { trace.entry(layer: layerIndex, direction: direction) }
    /// ∂L/∂hₜ (T, B, H), nil until a backward pass has run through the call.
    var dh: Tensor? { trace.gradients(layer: layerIndex, direction: direction)?.tensor("dh") }
}
