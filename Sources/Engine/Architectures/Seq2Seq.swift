/// Encoder–decoder (sequence to sequence): read a whole input, then write an output of another
/// length — "3 May 2001" → "2001-05-03", a sentence → its translation.
///
///     encoder:  (h, c) = rnn_enc(x₁ … x_S)                 final state only; outputs kept for later lessons
///     decoder:  h₀, c₀ = (h, c)
///               hₜ, cₜ = rnn_dec(embed(yₜ₋₁), hₜ₋₁, cₜ₋₁)    y₀ = start token
///               zₜ = head(hₜ)                                logits for yₜ, (T_out, B, V)
///
/// *Teacher forcing* (`callAsFunction`): during training the decoder's input at step t is the
/// *true* previous token yₜ₋₁ — the target shifted right by one with the start token in front
/// (``shiftRight(_:start:)``) — so all T_out steps run as one sequence and every step gets a
/// correct context and a gradient. At inference (``greedyDecode(source:start:maxLength:stop:sourceLengths:)``)
/// there is no target: each predicted token is fed back as the next input. The model never saw
/// its own mistakes during training, so one wrong token can derail the rest (exposure bias).
///
/// *The bottleneck.* The decoder sees the source only through (h, c): D·H numbers per layer (twice
/// that for the LSTM), the same for a 3-token input as for a 300-token one. Everything needed to
/// write the whole output must be squeezed into that vector, and what the encoder read first has
/// been through the most forgetting. Quality therefore drops as inputs grow longer. Attention
/// removes the bottleneck by letting every decoder step look back at *all* encoder outputs;
/// ``encode(_:lengths:)`` returns them for that purpose.
///
/// *Bridging the states.* Encoder and decoder have the same number of layers, and both are LSTMs
/// or neither is. A bidirectional encoder's two final states per layer (forward after step S,
/// reverse after reading back to step 1) are concatenated, so the decoder has hidden size 2·H.
/// With `lengths:` the encoder runs packed, so each final state is taken at that source's own end.
///
/// Parameters: `source_embedding.weight` (if any), `encoder.*`, `target_embedding.weight`,
/// `decoder.*`, `head.weight`, `head.bias`.
public final class Seq2Seq: Module {
    public let sourceEmbedding: Embedding?
    public let encoder: RecurrentLayer
    public let targetEmbedding: Embedding
    public let decoder: RecurrentLayer
    public let head: Linear
    /// Sources, targets and logits are (B, T, …) instead of (T, B, …).
    public let batchFirst: Bool

    public var targetVocabularySize: Int { targetEmbedding.count }

    /// From parts; see the type's documentation for how the sizes must fit together.
    public init(sourceEmbedding: Embedding?, encoder: RecurrentLayer, targetEmbedding: Embedding, decoder: RecurrentLayer,
                head: Linear, batchFirst: Bool = false) throws {
        func fail(_ message: String) -> TensorError { .invalidArgument(op: "seq2seq", message: message) }
        try ArchitectureSupport.requireTimeMajor(encoder, "encoder", op: "seq2seq")
        try ArchitectureSupport.requireTimeMajor(decoder, "decoder", op: "seq2seq")
        if let e = sourceEmbedding, e.dimension != encoder.inputSize { throw fail("source embedding dimension \(e.dimension) ≠ encoder inputSize \(encoder.inputSize)") }
        guard targetEmbedding.dimension == decoder.inputSize else { throw fail("target embedding dimension \(targetEmbedding.dimension) ≠ decoder inputSize \(decoder.inputSize)") }
        guard !decoder.bidirectional else { throw fail("the decoder must be unidirectional: it writes left to right") }
        guard (encoder.kind == .lstm) == (decoder.kind == .lstm) else { throw fail("encoder and decoder must both be LSTMs or neither (the decoder starts from the encoder's (h, c))") }
        guard encoder.numLayers == decoder.numLayers else { throw fail("encoder has \(encoder.numLayers) layers, decoder \(decoder.numLayers); they must match") }
        guard decoder.hiddenSize == encoder.directions * encoder.hiddenSize else {
            throw fail("decoder hiddenSize must be \(encoder.directions)·\(encoder.hiddenSize) (the encoder's directions side by side), got \(decoder.hiddenSize)")
        }
        guard head.inFeatures == decoder.hiddenSize, head.outFeatures == targetEmbedding.count else {
            throw fail("head must map \(decoder.hiddenSize) features to \(targetEmbedding.count) target tokens, got \(head.inFeatures) → \(head.outFeatures)")
        }
        self.sourceEmbedding = sourceEmbedding; self.encoder = encoder; self.targetEmbedding = targetEmbedding
        self.decoder = decoder; self.head = head; self.batchFirst = batchFirst
    }

    /// Token source and target; the decoder's hidden size is `hiddenSize` times the encoder's directions.
    public convenience init(_ kind: RecurrentKind, sourceVocabularySize: Int, targetVocabularySize: Int, embeddingSize: Int,
                            hiddenSize: Int, numLayers: Int = 1, bidirectionalEncoder: Bool = false,
                            batchFirst: Bool = false, seed: UInt64 = 0) throws {
        let s = ArchitectureSupport.seeds(seed, count: 5), D = bidirectionalEncoder ? 2 : 1
        try self.init(
            sourceEmbedding: try Embedding(count: sourceVocabularySize, dimension: embeddingSize, seed: s[0]),
            encoder: try RecurrentLayer(kind, inputSize: embeddingSize, hiddenSize: hiddenSize, numLayers: numLayers,
                                        bidirectional: bidirectionalEncoder, seed: s[1]),
            targetEmbedding: try Embedding(count: targetVocabularySize, dimension: embeddingSize, seed: s[2]),
            decoder: try RecurrentLayer(kind, inputSize: embeddingSize, hiddenSize: D * hiddenSize, numLayers: numLayers, seed: s[3]),
            head: try Linear(inFeatures: D * hiddenSize, outFeatures: targetVocabularySize, seed: s[4]), batchFirst: batchFirst)
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        ArchitectureSupport.parameters([("source_embedding", sourceEmbedding), ("encoder", encoder),
                                        ("target_embedding", targetEmbedding), ("decoder", decoder), ("head", head)])
    }

    public var training: Bool {
        get { encoder.training }
        set { encoder.training = newValue; decoder.training = newValue }
    }

    /// The encoder's per-step outputs (S, B, D·H) and the decoder's initial state (L, B, D·H).
    public func encode(_ source: Tensor, lengths: [Int]? = nil) throws -> (outputs: Tensor, state: RecurrentState) {
        let (outputs, state, layout) = try encodeTimeMajor(source, lengths: lengths)
        return (try layout.sequence(outputs), try layout.stateOut(state))
    }

    func encodeTimeMajor(_ source: Tensor, lengths: [Int]?) throws -> (Tensor, RecurrentState, SequenceLayout) {
        let (input, layout) = try ArchitectureSupport.prepare(source, embedding: sourceEmbedding, inputSize: encoder.inputSize,
                                                              batchFirst: batchFirst, op: "seq2seq encoder")
        let run = try lengths.map { try encoder.runPacked(input, lengths: $0) } ?? encoder(input)
        // (L·D, B, H) → (L, B, D·H): per layer, the forward and reverse states side by side.
        let (L, D, B, H) = (encoder.numLayers, encoder.directions, input.shape[1], encoder.hiddenSize)
        func bridge(_ s: Tensor) throws -> Tensor {
            D == 1 ? s : try s.reshape([L, D, B, H]).permute([0, 2, 1, 3]).reshape([L, B, D * H])
        }
        return (run.output, RecurrentState(h: try bridge(run.hn), c: try run.cn.map(bridge)), layout)
    }

    /// Decoder over given input tokens (T, B) from `state`: logits (T, B, V) and the state after.
    public func decode(_ inputs: Tensor, state: RecurrentState?) throws -> (logits: Tensor, state: RecurrentState) {
        let (input, layout) = try ArchitectureSupport.prepare(inputs, embedding: targetEmbedding, inputSize: decoder.inputSize,
                                                              batchFirst: batchFirst, op: "seq2seq decoder")
        let s = try layout.stateIn(state)
        let run = try decoder(input, h0: s?.h, c0: s?.c)
        return (try layout.sequence(head(run.output)), try layout.stateOut(RecurrentState(h: run.hn, c: run.cn)))
    }

    /// The decoder's teacher-forcing input: `start` followed by the target without its last token.
    public func shiftRight(_ target: Tensor, start: Int) throws -> Tensor {
        guard target.rank == 1 || target.rank == 2 else {
            throw TensorError.invalidArgument(op: "shiftRight", message: "target must be token ids \(batchFirst ? "(B, T)" : "(T, B)") or (T), got \(formatShape(target.shape))")
        }
        try checkToken(start, "start")
        let axis = target.rank == 2 && batchFirst ? 1 : 0, T = target.shape[axis]
        guard T > 0 else { throw TensorError.invalidArgument(op: "shiftRight", message: "the target has no steps") }
        var startShape = target.shape
        startShape[axis] = 1
        let kept = try target.index([TensorIndex](repeating: .all, count: axis) + [.slice(start: 0, stop: T - 1, step: 1)])
        return try Tensor.concat([Tensor.full(startShape, Double(start)), kept], axis: axis)
    }

    /// Teacher-forced logits (T_out, B, V): position t scores target[t] given source and target[..<t].
    public func callAsFunction(source: Tensor, target: Tensor, start: Int, sourceLengths: [Int]? = nil) throws -> Tensor {
        let encoded = try encode(source, lengths: sourceLengths)
        return try decode(shiftRight(target, start: start), state: encoded.state).logits
    }

    /// Greedy decoding: from `start`, feed back the argmax token each step, for at most `maxLength`
    /// tokens; a sequence ends at `stop` (not included). One token list per source sequence.
    public func greedyDecode(source: Tensor, start: Int, maxLength: Int, stop: Int? = nil,
                             sourceLengths: [Int]? = nil) throws -> [[Int]] {
        guard maxLength >= 0 else { throw TensorError.invalidArgument(op: "greedyDecode", message: "max_length must be ≥ 0, got \(maxLength)") }
        try checkToken(start, "start")
        if let stop { try checkToken(stop, "stop") }
        let V = targetVocabularySize
        return try ArchitectureSupport.inference([encoder, decoder]) {
            var (_, state, _) = try encodeTimeMajor(source, lengths: sourceLengths)
            let B = state.h.shape[1]
            var previous = [Int](repeating: start, count: B), written = [[Int]](repeating: [], count: B)
            var done = [Bool](repeating: false, count: B)
            for _ in 0..<maxLength {
                if done.allSatisfy({ $0 }) { break }
                let ids = try Tensor(shape: [1, B], storage: previous.map(Double.init))
                let run = try decoder(try targetEmbedding(ids), h0: state.h, c0: state.c)
                state = RecurrentState(h: run.hn, c: run.cn)
                let logits = try head(run.output).storage                         // (1, B, V)
                for b in 0..<B where !done[b] {
                    previous[b] = Sampling.argmax(Array(logits[(b * V)..<((b + 1) * V)]))
                    if previous[b] == stop { done[b] = true } else { written[b].append(previous[b]) }
                }
            }
            return written
        }
    }

    private func checkToken(_ id: Int, _ role: String) throws {
        guard id >= 0, id < targetVocabularySize else {
            throw TensorError.invalidArgument(op: "seq2seq", message: "\(role) token \(id) is out of range 0..<\(targetVocabularySize)")
        }
    }
}
