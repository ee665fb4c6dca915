import Foundation

/// The intermediate tensors of a recurrent forward pass — and, after `backward()`, its per-step
/// gradients — so a learner can look inside every gate at every step.
///
/// Forward entries, one per (layer, direction), each tensor shaped (T, B, H) in time order:
/// - RNN:  `a` (pre-activation aₜ), `h`
/// - LSTM: `i`, `f`, `g`, `o`, `c`, `h`
/// - GRU:  `r`, `z`, `n`, `h`
///
/// Backward entries, filled when a loss computed from the outputs is backpropagated:
/// - `dh`: ∂L/∂hₜ (T, B, H), the total gradient reaching each step's state (from its own output
///   and from all later steps);
/// - `dhNorm`: ‖∂L/∂hₜ‖ per step (T) — the curve that shows gradients vanishing or exploding;
/// - `jacobianNorm`: ‖∂hₜ/∂hₜ₋₁‖_F per step (T), averaged over the batch (for the LSTM with
///   cₜ₋₁ held fixed) — the factor by which one step scales a gradient.
///
/// Recording reads buffers the forward pass keeps anyway (see ``SequenceTape``), so a forward
/// without a trace does no extra work.
public final class RecurrentTrace {
    public struct Entry {
        public let layer: Int
        /// 0 forward in time, 1 reverse (bidirectional layers).
        public let direction: Int
        /// "rnn", "lstm" or "gru".
        public let kind: String
        /// Named tensors in a fixed, documented order.
        public let tensors: [(name: String, tensor: Tensor)]

        public func tensor(_ name: String) -> Tensor? { tensors.first { $0.name == name }?.tensor }
    }

    public internal(set) var forward: [Entry] = []
    public internal(set) var backward: [Entry] = []

    public init() {}

    /// Forward entry of one layer and direction.
    public func entry(layer: Int = 0, direction: Int = 0) -> Entry? {
        forward.first { $0.layer == layer && $0.direction == direction }
    }

    /// Backward entry of one layer and direction (nil before `backward()`).
    public func gradients(layer: Int = 0, direction: Int = 0) -> Entry? {
        backward.first { $0.layer == layer && $0.direction == direction }
    }

    func store(_ entry: Entry, in list: inout [Entry]) {
        list.removeAll { $0.layer == entry.layer && $0.direction == entry.direction }
        list.append(entry)
        list.sort { ($0.layer, $0.direction) < ($1.layer, $1.direction) }
    }
}

/// Connects one (layer, direction) run to the trace it writes into.
final class TraceRecorder {
    let trace: RecurrentTrace
    let layer: Int
    let direction: Int
    let wantsGradients: Bool

    init(trace: RecurrentTrace, layer: Int, direction: Int, wantsGradients: Bool = true) {
        self.trace = trace; self.layer = layer; self.direction = direction; self.wantsGradients = wantsGradients
    }

    func recordForward<Scalar: KernelScalar>(tape: SequenceTape<Scalar>, kind: String) {
        let T = tape.steps, B = tape.batch, H = tape.hiddenSize
        /// Block `block` of a (T·B) × (width·H) buffer as a (T, B, H) tensor.
        func blockTensor(_ p: UnsafeMutablePointer<Scalar>, width: Int, block: Int) -> Tensor {
            var out = [Double](repeating: 0, count: T * B * H)
            for r in 0..<T * B { for j in 0..<H { out[r * H + j] = Double(p[r * width * H + block * H + j]) } }
            let tensor = Tensor(uncheckedShape: [T, B, H], storage: out)
            tensor.dtype = Scalar.dtype
            return tensor
        }
        let h = blockTensor(tape.h, width: 1, block: 0)
        let tensors: [(name: String, tensor: Tensor)]
        switch kind {
        case "lstm":
            tensors = [("i", blockTensor(tape.gates, width: 4, block: 0)), ("f", blockTensor(tape.gates, width: 4, block: 1)),
                       ("g", blockTensor(tape.gates, width: 4, block: 2)), ("o", blockTensor(tape.gates, width: 4, block: 3)),
                       ("c", blockTensor(tape.c!, width: 1, block: 0)), ("h", h)]
        case "gru":
            tensors = [("r", blockTensor(tape.gates, width: 3, block: 0)), ("z", blockTensor(tape.gates, width: 3, block: 1)),
                       ("n", blockTensor(tape.gates, width: 3, block: 2)), ("h", h)]
        default:
            tensors = [("a", blockTensor(tape.gates, width: 1, block: 0)), ("h", h)]
        }
        trace.store(.init(layer: layer, direction: direction, kind: kind, tensors: tensors), in: &trace.forward)
    }

    func recordBackward<Scalar: KernelScalar>(_ gradients: GradientTape, tape: SequenceTape<Scalar>) {
        let T = tape.steps, B = tape.batch, H = tape.hiddenSize
        let kind = trace.entry(layer: layer, direction: direction)?.kind ?? ""
        var norms = [Double](repeating: 0, count: T)
        for t in 0..<T {
            var s = 0.0
            for k in 0..<B * H { let v = gradients.dh[t * B * H + k]; s += v * v }
            norms[t] = Foundation.sqrt(s)
        }
        /// In the layer's dtype; the norms, summed in float64, are rounded to it like any result.
        func tensor(_ shape: [Int], _ values: [Double]) -> Tensor {
            var values = values
            if Scalar.dtype == .float32 { DType.roundToFloat32(&values) }
            let t = Tensor(uncheckedShape: shape, storage: values)
            t.dtype = Scalar.dtype
            return t
        }
        let tensors: [(name: String, tensor: Tensor)] = [
            ("dh", tensor([T, B, H], gradients.dh)),
            ("dhNorm", tensor([T], norms)),
            ("jacobianNorm", tensor([T], gradients.jacobianNorms)),
        ]
        trace.store(.init(layer: layer, direction: direction, kind: kind, tensors: tensors), in: &trace.backward)
    }
}

/// ∂L/∂hₜ and ‖∂hₜ/∂hₜ₋₁‖ gathered during one backward pass, time-indexed.
final class GradientTape {
    var dh: [Double]
    var jacobianNorms: [Double]
    let width: Int

    init(steps: Int, batch: Int, hidden: Int) {
        width = batch * hidden
        dh = [Double](repeating: 0, count: steps * width)
        jacobianNorms = [Double](repeating: 0, count: steps)
    }

    func record<Scalar: KernelScalar>(t: Int, dh source: UnsafePointer<Scalar>, jacobian: () -> Double) {
        for k in 0..<width { dh[t * width + k] = Double(source[k]) }
        jacobianNorms[t] = jacobian()
    }
}
