/// Many-to-many, aligned: one output per input step — a tag per word, the next value of a series
/// at every step, the next character at every position of a text.
///
///     x₁ … x_T  →  [embedding]  →  recurrent layer  →  h₁ … h_T  →  head on every step  →  y₁ … y_T
///
///     yₜ = hₜ·W_headᵀ + b_head,   output (T, B, outputSize)
///
/// The head is one ``Linear`` shared by all steps (the same W for every t, as the recurrent
/// weights are), applied to the whole (T, B, D·H) output at once. The outputs are class logits
/// (train with cross-entropy over all T·B rows) or real values (regression, e.g. MSE).
///
/// *What yₜ can know.* Unidirectional: only x₁…xₜ — the right model when yₜ must be predicted
/// before the future is seen (forecasting, language modelling). Bidirectional: the whole sequence,
/// since hₜ = [h→ₜ; h←ₜ] and h←ₜ has read xₜ…x_T — right for tagging a finished sentence.
///
/// *Padded batches* (`lengths:`): outputs at padded steps are meaningless and must be left out of
/// the loss (``maskFromLengths(_:steps:batchFirst:)`` or an ignore index). Unidirectionally the real
/// steps are exact anyway (causality); a bidirectional layer is run packed
/// (``RecurrentLayer/runPacked(_:lengths:h0:c0:)``) so that the reverse direction starts at each
/// sequence's own end instead of reading padding first.
///
/// Parameters: `embedding.weight` (if any), `rnn.*`, `head.weight`, `head.bias`.
public final class SequenceTagger: RecurrentNetworkWithHead {
    public let embedding: Embedding?
    public let rnn: RecurrentLayer
    public let head: Linear
    /// Inputs and outputs are (B, T, …) instead of (T, B, …).
    public let batchFirst: Bool

    /// From parts; the layer must be time-major (`batchFirst` is the model's setting).
    public init(embedding: Embedding?, rnn: RecurrentLayer, head: Linear, batchFirst: Bool = false) throws {
        let op = "tagger"
        try ArchitectureSupport.requireTimeMajor(rnn, "rnn", op: op)
        if let embedding, embedding.dimension != rnn.inputSize {
            throw TensorError.invalidArgument(op: op, message: "embedding dimension \(embedding.dimension) ≠ the rnn's input size \(rnn.inputSize)")
        }
        guard head.inFeatures == rnn.directions * rnn.hiddenSize else {
            throw TensorError.invalidArgument(op: op, message: "head reads \(head.inFeatures) features but the rnn gives \(rnn.directions)·\(rnn.hiddenSize)")
        }
        self.embedding = embedding; self.rnn = rnn; self.head = head; self.batchFirst = batchFirst
    }

    /// Over feature vectors: input (T, B, inputSize) → output (T, B, outputSize).
    public convenience init(_ kind: RecurrentKind, inputSize: Int, hiddenSize: Int, outputSize: Int, numLayers: Int = 1,
                            bidirectional: Bool = false, batchFirst: Bool = false, seed: UInt64 = 0) throws {
        let s = ArchitectureSupport.seeds(seed, count: 2)
        let rnn = try RecurrentLayer(kind, inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers,
                                     bidirectional: bidirectional, seed: s[0])
        let head = try Linear(inFeatures: rnn.directions * hiddenSize, outFeatures: outputSize, seed: s[1])
        try self.init(embedding: nil, rnn: rnn, head: head, batchFirst: batchFirst)
    }

    /// Over token ids: input (T, B) of ids in 0..<vocabularySize → output (T, B, outputSize).
    public convenience init(_ kind: RecurrentKind, vocabularySize: Int, embeddingSize: Int, hiddenSize: Int, outputSize: Int,
                            numLayers: Int = 1, bidirectional: Bool = false, batchFirst: Bool = false, seed: UInt64 = 0) throws {
        let s = ArchitectureSupport.seeds(seed, count: 3)
        let embedding = try Embedding(count: vocabularySize, dimension: embeddingSize, seed: s[0])
        let rnn = try RecurrentLayer(kind, inputSize: embeddingSize, hiddenSize: hiddenSize, numLayers: numLayers,
                                     bidirectional: bidirectional, seed: s[1])
        let head = try Linear(inFeatures: rnn.directions * hiddenSize, outFeatures: outputSize, seed: s[2])
        try self.init(embedding: embedding, rnn: rnn, head: head, batchFirst: batchFirst)
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        ArchitectureSupport.parameters([("embedding", embedding), ("rnn", rnn), ("head", head)])
    }

    /// Dropout between stacked layers is active while training (PyTorch's `train()` / `eval()`).
    public var training: Bool {
        get { rnn.training }
        set { rnn.training = newValue }
    }

    /// Per-step outputs (T, B, outputSize) — (B, T, outputSize) when `batchFirst`, (T, outputSize)
    /// for one unbatched sequence. `lengths`: real steps per sequence in a padded batch.
    public func callAsFunction(_ x: Tensor, lengths: [Int]? = nil) throws -> Tensor {
        let op = "tagger"
        let (input, layout) = try ArchitectureSupport.prepare(x, embedding: embedding, inputSize: rnn.inputSize,
                                                              batchFirst: batchFirst, op: op)
        let states: Tensor
        if let lengths {
            try ArchitectureSupport.checkLengths(lengths, batch: input.shape[1], steps: input.shape[0], op: op)
            states = rnn.bidirectional ? try rnn.runPacked(input, lengths: lengths).output : try rnn(input).output
        } else {
            states = try rnn(input).output
        }
        return try layout.sequence(head(states))
    }
}
