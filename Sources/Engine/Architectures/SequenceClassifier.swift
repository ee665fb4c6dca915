/// Many-to-one: read a whole sequence, answer once — sentiment of a review, the class of a signal.
///
///     x₁ … x_T  →  [embedding]  →  recurrent layer  →  h_T  →  head  →  logits (B, C)
///
/// The recurrent layer folds the sequence into its state; after the last step that state is a
/// fixed-size summary of everything read, and a linear head maps it to C scores:
///
///     s = h_T ∈ ℝ^(D·H),   logits = s·W_headᵀ + b_head
///
/// *Which state.* With `.last` (the default) s is the last layer's final state. For a
/// bidirectional layer it is the forward direction's state after step T and the reverse
/// direction's state after reading back to step 1, side by side (`hn` of the last layer's two
/// directions): each has then read the whole sequence, from opposite ends. With `.mean`, s is the
/// average of the per-step outputs over the real steps, which gives every step a direct gradient path.
///
/// *Padded batches* (`lengths:`): sequence b has lengths[b] real steps, the rest is padding.
/// - Unidirectional: one run over the padded batch, then s_b = output[lengths[b] − 1, b] — the
///   *masked last state*. Correct because the recurrence is causal: padding comes later and cannot
///   reach that step. output[T − 1, b] would instead have read T − lengths[b] padding steps.
/// - Bidirectional: the reverse direction would read the padding before the real steps, so no
///   step of a single padded run is right. The layer is run with
///   ``RecurrentLayer/runPacked(_:lengths:h0:c0:)`` (each length group separately, as PyTorch's
///   packed sequences), whose `hn` holds both directions' states at each sequence's own end.
/// Either way padding values cannot change the logits.
///
/// Parameters: `embedding.weight` (if any), `rnn.*`, `head.weight`, `head.bias`.
public final class SequenceClassifier: RecurrentNetworkWithHead {
    /// What the head reads: the final state or the average over real steps.
    public enum Readout: String, Sendable, CaseIterable {
        case last, mean
    }

    public let embedding: Embedding?
    public let rnn: RecurrentLayer
    public let head: Linear
    public let readout: Readout
    /// Inputs are (B, T, …) instead of (T, B, …).
    public let batchFirst: Bool

    /// From parts: token ids when `embedding` is given (its dimension must be the layer's input
    /// size), feature vectors otherwise. The head must read D·H features. The layer itself must
    /// be time-major (`batchFirst` is the model's setting).
    public init(embedding: Embedding?, rnn: RecurrentLayer, head: Linear, readout: Readout = .last, batchFirst: Bool = false) throws {
        let op = "classifier"
        try ArchitectureSupport.requireTimeMajor(rnn, "rnn", op: op)
        if let embedding, embedding.dimension != rnn.inputSize {
            throw TensorError.invalidArgument(op: op, message: "embedding dimension \(embedding.dimension) ≠ the rnn's input size \(rnn.inputSize)")
        }
        guard head.inFeatures == rnn.directions * rnn.hiddenSize else {
            throw TensorError.invalidArgument(op: op, message: "head reads \(head.inFeatures) features but the rnn gives \(rnn.directions)·\(rnn.hiddenSize)")
        }
        self.embedding = embedding; self.rnn = rnn; self.head = head
        self.readout = readout; self.batchFirst = batchFirst
    }

    /// Over feature vectors: input (T, B, inputSize).
    public convenience init(_ kind: RecurrentKind, inputSize: Int, hiddenSize: Int, outputSize: Int, numLayers: Int = 1,
                            bidirectional: Bool = false, readout: Readout = .last, batchFirst: Bool = false, seed: UInt64 = 0) throws {
        let s = ArchitectureSupport.seeds(seed, count: 2)
        let rnn = try RecurrentLayer(kind, inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers,
                                     bidirectional: bidirectional, seed: s[0])
        let head = try Linear(inFeatures: rnn.directions * hiddenSize, outFeatures: outputSize, seed: s[1])
        try self.init(embedding: nil, rnn: rnn, head: head, readout: readout, batchFirst: batchFirst)
    }

    /// Over token ids: input (T, B) of ids in 0..<vocabularySize, embedded to `embeddingSize`.
    public convenience init(_ kind: RecurrentKind, vocabularySize: Int, embeddingSize: Int, hiddenSize: Int, outputSize: Int,
                            numLayers: Int = 1, bidirectional: Bool = false, readout: Readout = .last,
                            batchFirst: Bool = false, seed: UInt64 = 0) throws {
        let s = ArchitectureSupport.seeds(seed, count: 3)
        let embedding = try Embedding(count: vocabularySize, dimension: embeddingSize, seed: s[0])
        let rnn = try RecurrentLayer(kind, inputSize: embeddingSize, hiddenSize: hiddenSize, numLayers: numLayers,
                                     bidirectional: bidirectional, seed: s[1])
        let head = try Linear(inFeatures: rnn.directions * hiddenSize, outFeatures: outputSize, seed: s[2])
        try self.init(embedding: embedding, rnn: rnn, head: head, readout: readout, batchFirst: batchFirst)
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        ArchitectureSupport.parameters([("embedding", embedding), ("rnn", rnn), ("head", head)])
    }

    /// Dropout between stacked layers is active while training (PyTorch's `train()` / `eval()`).
    public var training: Bool {
        get { rnn.training }
        set { rnn.training = newValue }
    }

    /// Logits (B, outputSize) — (outputSize) for a single unbatched sequence. `lengths` gives each
    /// sequence's number of real steps in a padded batch (1…T each).
    public func callAsFunction(_ x: Tensor, lengths: [Int]? = nil) throws -> Tensor {
        try head(summary(x, lengths: lengths))
    }

    /// The summary s the head reads: (B, D·H), (D·H) for one sequence.
    public func summary(_ x: Tensor, lengths: [Int]? = nil) throws -> Tensor {
        let op = "classifier"
        let (input, layout) = try ArchitectureSupport.prepare(x, embedding: embedding, inputSize: rnn.inputSize,
                                                              batchFirst: batchFirst, op: op)
        let (T, B) = (input.shape[0], input.shape[1])
        if let lengths { try ArchitectureSupport.checkLengths(lengths, batch: B, steps: T, op: op) }
        // A padded bidirectional batch needs a packed run; otherwise one ordinary run is exact.
        let result: RecurrentOutput
        if let lengths, rnn.bidirectional { result = try rnn.runPacked(input, lengths: lengths) } else { result = try rnn(input) }
        let s: Tensor
        switch readout {
        case .last:
            if let lengths, !rnn.bidirectional {
                s = try lastValidStep(result.output, lengths: lengths)
            } else {
                s = try ArchitectureSupport.lastLayerStates(result.hn, layers: rnn.numLayers, directions: rnn.directions)
            }
        case .mean:
            if let lengths {
                let mask = try maskFromLengths(lengths, steps: T).unsqueeze(2).to(result.output.dtype)  // (T, B, 1)
                let counts = try Tensor(shape: [B, 1], storage: lengths.map(Double.init), dtype: result.output.dtype)
                s = try (result.output * mask).sum(axis: 0) / counts
            } else {
                s = try result.output.mean(axis: 0)
            }
        }
        return try layout.batch(s)
    }
}
