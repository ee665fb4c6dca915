/// One-to-many: start from a little and let the model continue, feeding each output back in —
/// text from a prompt (tokens), a forecast from the recent past (real values).
///
/// *Training* is aligned many-to-many with the target shifted by one: at every step t the model
/// sees x₁…xₜ and predicts xₜ₊₁ (teacher forcing — the input is always the *true* previous
/// token). `callAsFunction` returns those per-step predictions, (T, B, V) logits for tokens or
/// (T, B, F) values, plus the final state so a long text can be trained in chunks.
///
/// *Generation* replaces the true next input by the model's own output:
///
///     h, c = rnn(prime)                         the prompt, read once as a whole sequence
///     repeat:  z = head(h)                      scores for the next token
///              k ~ softmax(z / τ)               (greedy argmax for τ = 0; top-k or top-p may
///                                               cut the tail first; see ``Sampling``)
///              h, c = rnn(embedding(k), h, c)   one step, T = 1, carrying the state
///
/// Carrying (h, c) means each new token costs one step, not a re-run of the whole prefix — the
/// state *is* the summary of the prefix, which is the point of a recurrent network. Generation
/// runs as inference (no graph, no dropout); a seed fixes the text.
///
/// Without an embedding the model works on real vectors and the head predicts the next vector
/// (outputSize = inputSize); ``rollout(prime:steps:)`` feeds each prediction back as the next
/// input — autoregressive forecasting. Its errors compound: each step's input is a prediction.
///
/// Parameters: `embedding.weight` (tokens only), `rnn.*`, `head.weight`, `head.bias`.
public final class SequenceGenerator: RecurrentNetworkWithHead {
    public let embedding: Embedding?
    public let rnn: RecurrentLayer
    public let head: Linear
    /// Inputs and outputs are (B, T, …) instead of (T, B, …).
    public let batchFirst: Bool

    /// From parts. The layer must be unidirectional (a generator cannot read the future it is
    /// writing) and time-major; the head must produce what is fed back: vocabulary logits when
    /// there is an embedding, inputSize values otherwise.
    public init(embedding: Embedding?, rnn: RecurrentLayer, head: Linear, batchFirst: Bool = false) throws {
        let op = "generator"
        try ArchitectureSupport.requireTimeMajor(rnn, "rnn", op: op)
        guard !rnn.bidirectional else {
            throw TensorError.invalidArgument(op: op, message: "a generator's rnn must be unidirectional: it cannot read tokens it has not written yet")
        }
        guard head.inFeatures == rnn.hiddenSize else {
            throw TensorError.invalidArgument(op: op, message: "head reads \(head.inFeatures) features but the rnn gives \(rnn.hiddenSize)")
        }
        if let embedding {
            guard embedding.dimension == rnn.inputSize, head.outFeatures == embedding.count else {
                throw TensorError.invalidArgument(op: op, message: "need embedding dimension = the rnn's input size and head outputs = vocabulary size; got \(embedding.dimension) vs \(rnn.inputSize) and \(head.outFeatures) vs \(embedding.count)")
            }
        } else if head.outFeatures != rnn.inputSize {
            throw TensorError.invalidArgument(op: op, message: "head outputs \(head.outFeatures) values but they are fed back as \(rnn.inputSize)-feature inputs")
        }
        self.embedding = embedding; self.rnn = rnn; self.head = head; self.batchFirst = batchFirst
    }

    /// A token model (character- or word-level language model).
    public convenience init(_ kind: RecurrentKind, vocabularySize: Int, embeddingSize: Int, hiddenSize: Int,
                            numLayers: Int = 1, batchFirst: Bool = false, seed: UInt64 = 0) throws {
        let s = ArchitectureSupport.seeds(seed, count: 3)
        try self.init(embedding: try Embedding(count: vocabularySize, dimension: embeddingSize, seed: s[0]),
                      rnn: try RecurrentLayer(kind, inputSize: embeddingSize, hiddenSize: hiddenSize, numLayers: numLayers, seed: s[1]),
                      head: try Linear(inFeatures: hiddenSize, outFeatures: vocabularySize, seed: s[2]), batchFirst: batchFirst)
    }

    /// A real-valued model: `features` values per step in, the next step's `features` values out.
    public convenience init(_ kind: RecurrentKind, features: Int, hiddenSize: Int, numLayers: Int = 1,
                            batchFirst: Bool = false, seed: UInt64 = 0) throws {
        let s = ArchitectureSupport.seeds(seed, count: 2)
        try self.init(embedding: nil,
                      rnn: try RecurrentLayer(kind, inputSize: features, hiddenSize: hiddenSize, numLayers: numLayers, seed: s[0]),
                      head: try Linear(inFeatures: hiddenSize, outFeatures: features, seed: s[1]), batchFirst: batchFirst)
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        ArchitectureSupport.parameters([("embedding", embedding), ("rnn", rnn), ("head", head)])
    }

    public var training: Bool {
        get { rnn.training }
        set { rnn.training = newValue }
    }

    /// Teacher-forced predictions for every step — logits (T, B, V) or values (T, B, F), in the
    /// input's layout — and the state after the last step (pass it back to continue a sequence).
    public func callAsFunction(_ x: Tensor, state: RecurrentState? = nil) throws -> (output: Tensor, state: RecurrentState) {
        let (input, layout) = try ArchitectureSupport.prepare(x, embedding: embedding, inputSize: rnn.inputSize,
                                                              batchFirst: batchFirst, op: "generator")
        let (y, next) = try run(input, state: try layout.stateIn(state))
        return (try layout.sequence(y), try layout.stateOut(next))
    }

    /// Time-major core: (T, B, inputSize) → (T, B, outputs) and the state after step T.
    func run(_ input: Tensor, state: RecurrentState?) throws -> (Tensor, RecurrentState) {
        let result = try rnn(input, h0: state?.h, c0: state?.c)
        return (try head(result.output), RecurrentState(h: result.hn, c: result.cn))
    }

    /// `length` new tokens continuing `prime` (which is not repeated in the result). τ = 0 is greedy;
    /// `topK` and `topP` filter each step's distribution after the temperature (see ``Sampling``).
    public func generate(prime: [Int], length: Int, temperature: Double = 1, topK: Int? = nil, topP: Double? = nil,
                         generator: inout RandomGenerator) throws -> [Int] {
        let op = "generate"
        guard let embedding else {
            throw TensorError.invalidArgument(op: op, message: "this generator predicts real values; use rollout(prime:steps:)")
        }
        guard !prime.isEmpty else { throw TensorError.invalidArgument(op: op, message: "the prime must contain at least one token") }
        guard length >= 0 else { throw TensorError.invalidArgument(op: op, message: "length must be ≥ 0, got \(length)") }
        try Sampling.checkTemperature(temperature)
        try Sampling.checkFilters(topK: topK, topP: topP)
        let V = embedding.count
        func embed(_ ids: [Int]) throws -> Tensor {        // (n) ids → (n, 1, E): one sequence, batch of 1
            try embedding(ArchitectureSupport.tokenTensor(ids.map { [$0] }, vocabulary: V, op: op))
        }
        _ = try ArchitectureSupport.tokenTensor([prime], vocabulary: V, op: op)    // every prime id in range
        guard length > 0 else { return [] }
        return try ArchitectureSupport.inference([rnn]) {
            var (logits, state) = try run(try embed(prime), state: nil)
            var tokens: [Int] = []
            while true {
                let next = try Sampling.sample(Array(logits.storage.suffix(V)), temperature: temperature,
                                                 topK: topK, topP: topP, generator: &generator)
                tokens.append(next)
                if tokens.count == length { return tokens }
                (logits, state) = try run(try embed([next]), state: state)
            }
        }
    }

    /// The same with a fresh generator seeded with `seed`.
    public func generate(prime: [Int], length: Int, temperature: Double = 1, topK: Int? = nil, topP: Double? = nil,
                         seed: UInt64) throws -> [Int] {
        var g = RandomGenerator(seed: seed)
        return try generate(prime: prime, length: length, temperature: temperature, topK: topK, topP: topP, generator: &g)
    }

    /// Reads the observed `prime` (T, B, F) — (B, T, F) when `batchFirst`, (T, F) for one series —
    /// and predicts the `steps` values after it, each prediction being the next input. Returns
    /// (steps, B, F) in the prime's layout. Inference: no graph, no dropout.
    public func rollout(prime: Tensor, steps: Int) throws -> Tensor {
        guard embedding == nil else {
            throw TensorError.invalidArgument(op: "rollout", message: "this generator predicts tokens; use generate(prime:length:temperature:)")
        }
        guard steps >= 0 else { throw TensorError.invalidArgument(op: "rollout", message: "steps must be ≥ 0, got \(steps)") }
        let (input, layout) = try ArchitectureSupport.prepare(prime, embedding: nil, inputSize: rnn.inputSize,
                                                              batchFirst: batchFirst, op: "rollout")
        let (B, F) = (input.shape[1], input.shape[2])
        let predictions: Tensor = try ArchitectureSupport.inference([rnn]) {
            guard steps > 0 else { return try Tensor.zeros([0, B, F]) }
            var (y, state) = try run(input, state: nil)
            var next = try y[y.shape[0] - 1]                      // (B, F): the prediction after the prime
            var out = [next]
            while out.count < steps {
                (y, state) = try run(try next.unsqueeze(0), state: state)
                next = try y[0]
                out.append(next)
            }
            return try Tensor.stack(out)
        }
        return try layout.sequence(predictions)
    }

    /// One input → a sequence: `first` (B, F), or (F) for one series, is the only observation.
    public func rollout(first: Tensor, steps: Int) throws -> Tensor {
        guard first.rank == 1 || first.rank == 2 else {
            throw TensorError.invalidArgument(op: "rollout", message: "first must be (B, \(rnn.inputSize)) or (\(rnn.inputSize)), got \(formatShape(first.shape))")
        }
        let timeAxis = first.rank == 2 && batchFirst ? 1 : 0
        return try rollout(prime: try first.unsqueeze(timeAxis), steps: steps)
    }
}
