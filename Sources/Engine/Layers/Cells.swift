/// Single-step cells — PyTorch's `nn.RNNCell`, `nn.LSTMCell` and `nn.GRUCell` — for stepping a
/// recurrence by hand: `h = cell(x, h)` inside a loop the learner writes.
///
/// They run the same fused kernels as ``RecurrentLayer`` over a sequence of length one, so a
/// hand-written loop of cells gives exactly the layer's numbers. Parameters are `weight_ih`,
/// `weight_hh`, `bias_ih`, `bias_hh`, initialised U(−1/√H, 1/√H).
public final class RecurrentCell: Module {
    public let kind: RecurrentKind
    public let weights: DirectionParameters
    public let inputSize: Int
    public let hiddenSize: Int

    public init(_ kind: RecurrentKind, inputSize: Int, hiddenSize: Int, bias: Bool = true, seed: UInt64 = 0) throws {
        guard inputSize > 0, hiddenSize > 0 else {
            throw TensorError.invalidArgument(op: "\(kind.cellName) cell", message: "sizes must be positive, got input \(inputSize), hidden \(hiddenSize)")
        }
        self.kind = kind; self.inputSize = inputSize; self.hiddenSize = hiddenSize
        var g = RandomGenerator(seed: seed)
        let G = kind.gateCount
        weights = DirectionParameters(
            weightIH: try uniformParameter([G * hiddenSize, inputSize], hiddenSize: hiddenSize, generator: &g),
            weightHH: try uniformParameter([G * hiddenSize, hiddenSize], hiddenSize: hiddenSize, generator: &g),
            biasIH: bias ? try uniformParameter([G * hiddenSize], hiddenSize: hiddenSize, generator: &g) : nil,
            biasHH: bias ? try uniformParameter([G * hiddenSize], hiddenSize: hiddenSize, generator: &g) : nil)
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        var out: [(name: String, tensor: Tensor)] = [("weight_ih", weights.weightIH), ("weight_hh", weights.weightHH)]
        if let b = weights.biasIH { out.append(("bias_ih", b)) }
        if let b = weights.biasHH { out.append(("bias_hh", b)) }
        return out
    }

    /// One step: x (B, I) or (I), h and c (B, H) or (H), zeros when omitted. Returns h′ (and c′ for the LSTM).
    public func callAsFunction(_ x: Tensor, h: Tensor? = nil, c: Tensor? = nil) throws -> (h: Tensor, c: Tensor?) {
        let op = "\(kind.cellName) cell"
        guard (x.rank == 1 || x.rank == 2), x.shape.last == inputSize else {
            throw TensorError.invalidArgument(op: op, message: "input must be (B, \(inputSize)) or (\(inputSize)), got \(formatShape(x.shape))")
        }
        let single = x.rank == 1
        let batch = single ? 1 : x.shape[0]
        let stateShape = single ? [hiddenSize] : [batch, hiddenSize]
        for (name, s) in [("h", h), ("c", c)] {
            if let s, s.shape != stateShape {
                throw TensorError.invalidArgument(op: op, message: "\(name) must have shape \(formatShape(stateShape)), got \(formatShape(s.shape))")
            }
        }
        if c != nil && kind != .lstm { throw TensorError.invalidArgument(op: op, message: "c is only for LSTM cells") }
        try requireOnePrecision(weights.weightIH.dtype, of: "cell", [("input", x), ("h", h), ("c", c)], op: op)
        let x3 = try x.reshape([1, batch, inputSize])
        let h2 = try h?.reshape([batch, hiddenSize]), c2 = try c?.reshape([batch, hiddenSize])
        let run = try kind.runSequence(x: x3, directions: [.init(parameters: weights, h0: h2, c0: c2, reverse: false, recorder: nil)])
        return (RecurrentSequence.finalHidden([run], shape: stateShape, op: "\(op) h′"),
                RecurrentSequence.finalCell([run], shape: stateShape, op: "\(op) c′"))
    }
}
