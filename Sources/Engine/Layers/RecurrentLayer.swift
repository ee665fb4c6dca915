/// A multi-layer, optionally bidirectional recurrent network over whole sequences — PyTorch's
/// `nn.RNN`, `nn.LSTM` and `nn.GRU` with the same parameters, shapes and numbers.
///
/// Shapes (sequence-first unless `batchFirst`; B may be omitted for a single sequence):
/// - input (T, B, I);  h0 and c0 (L·D, B, H), zeros when omitted;
/// - output (T, B, D·H): the last layer's hₜ for every t, forward direction first;
/// - hn and cn (L·D, B, H): each layer's and direction's final state, layer-major.
///
/// Parameters are `weight_ih_l{k}` ((G·H) × I for k = 0, (G·H) × (D·H) above),
/// `weight_hh_l{k}` ((G·H) × H), `bias_ih_l{k}`, `bias_hh_l{k}` (G·H), with `_reverse` for the
/// backward direction, initialised U(−1/√H, 1/√H) from the seeded generator.
///
/// Layer k > 0 reads the concatenated outputs of layer k − 1; with `dropout` > 0 in training
/// mode those inputs pass through dropout first (never after the last layer), as in PyTorch.
public final class RecurrentLayer: Module {
    public let kind: RecurrentKind
    public let inputSize: Int
    public let hiddenSize: Int
    public let numLayers: Int
    public let bidirectional: Bool
    public let batchFirst: Bool
    public let dropout: Double
    public let hasBias: Bool
    /// Dropout between layers applies only while training (PyTorch's `train()` / `eval()`).
    public var training = true
    /// parameters[layer][direction]
    public let weights: [[DirectionParameters]]
    private var dropoutGenerator: RandomGenerator

    public var directions: Int { bidirectional ? 2 : 1 }

    public init(_ kind: RecurrentKind, inputSize: Int, hiddenSize: Int, numLayers: Int = 1, bias: Bool = true,
                batchFirst: Bool = false, dropout: Double = 0, bidirectional: Bool = false, seed: UInt64 = 0,
                dtype: DType = .float64) throws {
        guard inputSize > 0, hiddenSize > 0, numLayers > 0 else {
            throw TensorError.invalidArgument(op: kind.cellName,
                message: "the input size, hidden size and number of layers must be positive (got \(inputSize), \(hiddenSize), \(numLayers))")
        }
        guard dropout >= 0, dropout < 1 else {
            throw TensorError.invalidArgument(op: kind.cellName, message: "dropout must be in [0, 1), got \(dropout)")
        }
        self.kind = kind; self.inputSize = inputSize; self.hiddenSize = hiddenSize; self.numLayers = numLayers
        self.bidirectional = bidirectional; self.batchFirst = batchFirst; self.dropout = dropout; self.hasBias = bias
        var generator = RandomGenerator(seed: seed)
        let G = kind.gateCount, D = bidirectional ? 2 : 1
        // Each parameter is small, but a million layers of them are not: check the whole stack
        // against the budget first (in Double, as the count itself may overflow).
        let perDirection = { (layerInput: Double) in Double(G) * Double(hiddenSize) * (layerInput + Double(hiddenSize) + (bias ? 2 : 0)) }
        let parameterCount = Double(D) * (perDirection(Double(inputSize))
            + Double(numLayers - 1) * perDirection(Double(hiddenSize) * Double(D)))
        try MemoryBudget.check(doubles: parameterCount < 1e18 ? Int(parameterCount) : Int.max, for: kind.cellName)
        var layers: [[DirectionParameters]] = []
        for layer in 0..<numLayers {
            let layerInput = layer == 0 ? inputSize : hiddenSize * D
            var dirs: [DirectionParameters] = []
            for _ in 0..<D {
                let wih = try uniformParameter([G * hiddenSize, layerInput], hiddenSize: hiddenSize, generator: &generator)
                let whh = try uniformParameter([G * hiddenSize, hiddenSize], hiddenSize: hiddenSize, generator: &generator)
                let bih = bias ? try uniformParameter([G * hiddenSize], hiddenSize: hiddenSize, generator: &generator) : nil
                let bhh = bias ? try uniformParameter([G * hiddenSize], hiddenSize: hiddenSize, generator: &generator) : nil
                dirs.append(DirectionParameters(weightIH: wih, weightHH: whh, biasIH: bih, biasHH: bhh))
            }
            layers.append(dirs)
        }
        weights = layers
        dropoutGenerator = generator
        // The same draws in either precision: a float32 layer starts from the float64 one's
        // weights rounded, so the two can be compared step for step.
        convert(to: dtype)
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        var out: [(name: String, tensor: Tensor)] = []
        for (k, dirs) in weights.enumerated() {
            for (d, p) in dirs.enumerated() {
                let suffix = "_l\(k)" + (d == 1 ? "_reverse" : "")
                out.append(("weight_ih" + suffix, p.weightIH))
                out.append(("weight_hh" + suffix, p.weightHH))
                if let b = p.biasIH { out.append(("bias_ih" + suffix, b)) }
                if let b = p.biasHH { out.append(("bias_hh" + suffix, b)) }
            }
        }
        return out
    }

    /// Runs the whole stack over `input`. Pass a ``RecurrentTrace`` to record every step's gates
    /// and states (and, after backward, per-step gradients).
    public func callAsFunction(_ input: Tensor, h0: Tensor? = nil, c0: Tensor? = nil,
                               trace: RecurrentTrace? = nil) throws -> RecurrentOutput {
        let op = kind.cellName
        let D = directions, H = hiddenSize
        guard input.rank == 2 || input.rank == 3 else {
            throw TensorError.invalidArgument(op: op, message: "input must be \(batchFirst ? "(B, T, I)" : "(T, B, I)") or (T, I), got shape \(formatShape(input.shape))")
        }
        guard input.shape.last == inputSize else {
            throw TensorError.invalidArgument(op: op, message: "input has \(input.shape.last ?? 0) features per step but the layer expects \(inputSize) (its input size; input shape \(formatShape(input.shape)))")
        }
        try requireOnePrecision(weights[0][0].weightIH.dtype, of: "layer", [("input", input), ("h0", h0), ("c0", c0)], op: op)
        let unbatched = input.rank == 2
        var x = unbatched ? try input.unsqueeze(1) : (batchFirst ? try input.transpose(0, 1) : input)
        let (T, B) = (x.shape[0], x.shape[1])
        guard T > 0, B > 0 else {
            throw TensorError.invalidArgument(op: op, message: "needs at least one step and one sequence, got input shape \(formatShape(input.shape))")
        }
        if c0 != nil && kind != .lstm {
            throw TensorError.invalidArgument(op: op, message: "c0 is only for LSTM layers")
        }
        let expectedState = unbatched ? [numLayers * D, H] : [numLayers * D, B, H]
        func checkState(_ s: Tensor?, _ name: String) throws -> Tensor? {
            guard let s else { return nil }
            guard s.shape == expectedState else {
                throw TensorError.invalidArgument(op: op, message: "\(name) must have shape \(formatShape(expectedState)) = \(unbatched ? "(layers·directions, hidden) for an unbatched (T, I) input" : "(layers·directions, batch, hidden)"), got \(formatShape(s.shape))")
            }
            return unbatched ? try s.unsqueeze(1) : s
        }
        let h0 = try checkState(h0, "h0"), c0 = try checkState(c0, "c0")

        var runs: [RecurrentSequence.Result] = []
        runs.reserveCapacity(numLayers)
        for layer in 0..<numLayers {
            let directions = try (0..<D).map { d in
                let k = layer * D + d
                return RecurrentSequence.DirectionInput(parameters: weights[layer][d], h0: try h0?[k], c0: try c0?[k], reverse: d == 1,
                                                   recorder: trace.map { TraceRecorder(trace: $0, layer: layer, direction: d) })
            }
            // Both directions write into one (T, B, D·H) output, forward first.
            let run = try kind.runSequence(x: x, directions: directions)
            runs.append(run)
            x = run.output
            if training && dropout > 0 && layer < numLayers - 1 {
                x = try Dropout.apply(x, probability: dropout, generator: &dropoutGenerator)
            }
        }
        var output = x
        if unbatched {
            output = try output.squeeze(1)
        } else if batchFirst {
            output = try output.transpose(0, 1)
        }
        let states = FinalStates(layers: runs, hiddenShape: unbatched ? [numLayers * D, H] : [numLayers * D, B, H], name: op)
        return RecurrentOutput(output: output, finalStates: states, trace: trace)
    }
}

/// What a recurrent layer returns: PyTorch's `(output, h_n)` or `(output, (h_n, c_n))`, plus the trace.
///
/// h_n and c_n are made the first time either is read (``FinalStates``), so a step that uses only
/// the outputs does not make them; read or not, they are the same tensors with the same graph.
public struct RecurrentOutput {
    public let output: Tensor
    /// (L·D, B, H), or (L·D, H) for an unbatched input: each layer's and direction's hidden state
    /// after its last step.
    public var hn: Tensor { finalStates.value.hidden }
    /// Shaped as `hn`, LSTM only: each layer's and direction's cell state after its last step.
    public var cn: Tensor? { finalStates.value.cell }
    public let trace: RecurrentTrace?
    private let finalStates: FinalStates

    public init(output: Tensor, hn: Tensor, cn: Tensor?, trace: RecurrentTrace?) {
        self.init(output: output, finalStates: FinalStates(hidden: hn, cell: cn), trace: trace)
    }

    /// Whether h_n and c_n have been made yet (for tests).
    var finalStatesAreBuilt: Bool { finalStates.isBuilt }

    init(output: Tensor, finalStates: FinalStates, trace: RecurrentTrace?) {
        self.output = output
        self.finalStates = finalStates
        self.trace = trace
    }
}
