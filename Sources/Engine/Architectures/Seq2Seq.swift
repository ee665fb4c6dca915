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
/// removes the bottleneck by letting every decoder step look back at *all* encoder outputs (below).
///
/// *Bridging the states.* Encoder and decoder have the same number of layers, and both are LSTMs
/// or neither is. A bidirectional encoder's two final states per layer (forward after step S,
/// reverse after reading back to step 1) are concatenated, so the decoder has hidden size 2·H.
/// With `lengths:` the encoder runs packed, so each final state is taken at that source's own end.
///
/// *Attention* (optional, `attention: true`; Luong, Pham & Manning 2015, global attention with the
/// dot score, see ``DotAttention``). The decoder no longer depends on (h, c) alone: at every step it
/// compares its output hₜ with every encoder output h̄ₛ and mixes them into a context vector,
///
///     scoreₜₛ = hₜ · h̄ₛ                                 s < the source's length (padding is masked)
///     αₜₛ     = softmax over s of scoreₜₛ                the alignment: where step t looks, rows sum to 1
///     cₜ      = Σₛ αₜₛ h̄ₛ                               the context, (D·H)
///     h̃ₜ      = tanh(W_c [cₜ; hₜ])                      W_c: `combine.weight`, (D·H, 2·D·H), no bias
///     zₜ      = head(h̃ₜ)                                 instead of head(hₜ)
///
/// Why the dot score rather than Bahdanau's additive one (vᵀ tanh(W₁hₜ₋₁ + W₂h̄ₛ)): it has no
/// parameters, so the alignment is one dot product per source position that a learner can compute by
/// hand; the decoder state and the encoder outputs already have the same size D·H (the bridge needs
/// it); Luong et al. found it as good as the additive score for global attention; and because it
/// scores the decoder's *current* output hₜ rather than hₜ₋₁, and cₜ enters only after the RNN (no
/// input feeding), the decoder still runs over the whole teacher-forced target in one call, and
/// attention for all T_out steps is two batched matrix products. The price: cₜ does not inform the
/// next RNN step, only the prediction at step t.
///
/// Parameters: `source_embedding.weight` (if any), `encoder.*`, `target_embedding.weight`,
/// `decoder.*`, `combine.weight` (with attention), `head.weight`, `head.bias`.
public final class Seq2Seq: Module {
    public let sourceEmbedding: Embedding?
    public let encoder: RecurrentLayer
    public let targetEmbedding: Embedding
    public let decoder: RecurrentLayer
    /// W_c of Luong's attention, h̃ₜ = tanh(W_c [cₜ; hₜ]); nil without attention.
    public let combine: Linear?
    public let head: Linear
    /// Sources, targets and logits are (B, T, …) instead of (T, B, …).
    public let batchFirst: Bool

    public var targetVocabularySize: Int { targetEmbedding.count }
    /// Whether the decoder attends to the encoder outputs.
    public var attends: Bool { combine != nil }

    /// From parts; see the type's documentation for how the sizes must fit together.
    public init(sourceEmbedding: Embedding?, encoder: RecurrentLayer, targetEmbedding: Embedding, decoder: RecurrentLayer,
                combine: Linear? = nil, head: Linear, batchFirst: Bool = false) throws {
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
        if let combine, combine.inFeatures != 2 * decoder.hiddenSize || combine.outFeatures != decoder.hiddenSize || combine.bias != nil {
            throw fail("combine must map [context; state], \(2 * decoder.hiddenSize) features, to \(decoder.hiddenSize) without a bias, got \(combine.inFeatures) → \(combine.outFeatures)\(combine.bias == nil ? "" : " with a bias")")
        }
        self.sourceEmbedding = sourceEmbedding; self.encoder = encoder; self.targetEmbedding = targetEmbedding
        self.decoder = decoder; self.combine = combine; self.head = head; self.batchFirst = batchFirst
    }

    /// Token source and target; the decoder's hidden size is `hiddenSize` times the encoder's directions.
    public convenience init(_ kind: RecurrentKind, sourceVocabularySize: Int, targetVocabularySize: Int, embeddingSize: Int,
                            hiddenSize: Int, numLayers: Int = 1, bidirectionalEncoder: Bool = false, attention: Bool = false,
                            batchFirst: Bool = false, seed: UInt64 = 0) throws {
        // The sixth seed is drawn after the first five, so a model without attention is unchanged.
        let s = ArchitectureSupport.seeds(seed, count: 6), D = bidirectionalEncoder ? 2 : 1
        try self.init(
            sourceEmbedding: try Embedding(count: sourceVocabularySize, dimension: embeddingSize, seed: s[0]),
            encoder: try RecurrentLayer(kind, inputSize: embeddingSize, hiddenSize: hiddenSize, numLayers: numLayers,
                                        bidirectional: bidirectionalEncoder, seed: s[1]),
            targetEmbedding: try Embedding(count: targetVocabularySize, dimension: embeddingSize, seed: s[2]),
            decoder: try RecurrentLayer(kind, inputSize: embeddingSize, hiddenSize: D * hiddenSize, numLayers: numLayers, seed: s[3]),
            combine: attention ? try Linear(inFeatures: 2 * D * hiddenSize, outFeatures: D * hiddenSize, bias: false, seed: s[5]) : nil,
            head: try Linear(inFeatures: D * hiddenSize, outFeatures: targetVocabularySize, seed: s[4]), batchFirst: batchFirst)
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        ArchitectureSupport.parameters([("source_embedding", sourceEmbedding), ("encoder", encoder),
                                        ("target_embedding", targetEmbedding), ("decoder", decoder), ("combine", combine), ("head", head)])
    }

    public var training: Bool {
        get { encoder.training }
        set { encoder.training = newValue; decoder.training = newValue }
    }

    /// The encoder's per-step outputs (S, B, D·H) and the decoder's initial state (L, B, D·H).
    public func encode(_ source: Tensor, lengths: [Int]? = nil) throws -> (outputs: Tensor, state: RecurrentState) {
        let (memory, state, layout) = try encodeTimeMajor(source, lengths: lengths)
        return (try layout.sequence(memory.outputs), try layout.stateOut(state))
    }

    /// What the decoder may look at: the encoder's outputs, time-major (S, B, D·H), and which
    /// positions are real source characters (nil: all of them).
    struct EncoderMemory {
        let outputs: Tensor
        let lengths: [Int]?
        /// The outputs batch-first, (B, S, D·H), as keys and values; the mask (B, 1, S).
        func keys() throws -> (keys: Tensor, mask: Tensor?) {
            (try outputs.transpose(0, 1), try lengths.map { try DotAttention.lengthMask($0, steps: outputs.shape[0]) })
        }
    }

    func encodeTimeMajor(_ source: Tensor, lengths: [Int]?) throws -> (EncoderMemory, RecurrentState, SequenceLayout) {
        let (input, layout) = try ArchitectureSupport.prepare(source, embedding: sourceEmbedding, inputSize: encoder.inputSize,
                                                              batchFirst: batchFirst, op: "seq2seq encoder")
        let run = try lengths.map { try encoder.runPacked(input, lengths: $0) } ?? encoder(input)
        // (L·D, B, H) → (L, B, D·H): per layer, the forward and reverse states side by side.
        let (L, D, B, H) = (encoder.numLayers, encoder.directions, input.shape[1], encoder.hiddenSize)
        func bridge(_ s: Tensor) throws -> Tensor {
            D == 1 ? s : try s.reshape([L, D, B, H]).permute([0, 2, 1, 3]).reshape([L, B, D * H])
        }
        return (EncoderMemory(outputs: run.output, lengths: lengths),
                RecurrentState(h: try bridge(run.hn), c: try run.cn.map(bridge)), layout)
    }

    /// Decoder over given input tokens (T, B) from `state`: logits (T, B, V) and the state after.
    /// A model with attention needs the encoder outputs (S, B, D·H) it attends to (`encoderOutputs`,
    /// as ``encode(_:lengths:)`` returns them, and the source lengths if the sources are padded).
    public func decode(_ inputs: Tensor, state: RecurrentState?, encoderOutputs: Tensor? = nil,
                       sourceLengths: [Int]? = nil) throws -> (logits: Tensor, state: RecurrentState) {
        let (input, layout) = try ArchitectureSupport.prepare(inputs, embedding: targetEmbedding, inputSize: decoder.inputSize,
                                                              batchFirst: batchFirst, op: "seq2seq decoder")
        var memory: EncoderMemory?
        if attends {
            guard var outputs = encoderOutputs else {
                throw TensorError.invalidArgument(op: "seq2seq decoder", message: "this decoder attends to the encoder outputs: pass them too")
            }
            if layout.unbatched { outputs = try outputs.unsqueeze(1) } else if batchFirst { outputs = try outputs.transpose(0, 1) }
            memory = EncoderMemory(outputs: outputs, lengths: sourceLengths)
        }
        let run = try decodeTimeMajor(input, state: try layout.stateIn(state), memory: memory)
        return (try layout.sequence(run.logits), try layout.stateOut(run.state))
    }

    /// The decoder, attention and head over embedded inputs (T, B, E): logits (T, B, V), the state
    /// after, and with attention the weights αₜₛ, (B, T, S).
    func decodeTimeMajor(_ input: Tensor, state: RecurrentState?, memory: EncoderMemory?) throws
        -> (logits: Tensor, state: RecurrentState, weights: Tensor?) {
        let run = try decoder(input, h0: state?.h, c0: state?.c)
        let after = RecurrentState(h: run.hn, c: run.cn)
        guard let combine, let memory else { return (try head(run.output), after, nil) }
        let (keys, mask) = try memory.keys()
        guard keys.shape[0] == input.shape[1] else {
            throw TensorError.invalidArgument(op: "seq2seq decoder", message: "the encoder outputs hold \(keys.shape[0]) sequences but the decoder input \(input.shape[1])")
        }
        let h = try run.output.transpose(0, 1)                                        // (B, T, D·H): the queries hₜ
        let a = try DotAttention.attend(query: h, keys: keys, values: keys, mask: mask)
        let mixed = try combine(Tensor.concat([a.context, h], axis: -1)).tanh()       // h̃ₜ = tanh(W_c [cₜ; hₜ])
        return (try head(mixed.transpose(0, 1)), after, a.weights)
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
        try forward(source: source, target: target, start: start, sourceLengths: sourceLengths).logits
    }

    /// Teacher-forced logits, in the caller's layout, and with attention the alignment: αₜₛ for
    /// every example, (B, T_out, S) — or (T_out, S) for one sequence — whatever the layout.
    public func forward(source: Tensor, target: Tensor, start: Int, sourceLengths: [Int]? = nil) throws -> (logits: Tensor, weights: Tensor?) {
        let (memory, state, _) = try encodeTimeMajor(source, lengths: sourceLengths)
        let (input, layout) = try ArchitectureSupport.prepare(try shiftRight(target, start: start), embedding: targetEmbedding,
                                                              inputSize: decoder.inputSize, batchFirst: batchFirst, op: "seq2seq decoder")
        guard input.shape[1] == state.h.shape[1] else {
            throw TensorError.invalidArgument(op: "seq2seq", message: "the source holds \(state.h.shape[1]) sequences but the target \(input.shape[1])")
        }
        let run = try decodeTimeMajor(input, state: state, memory: attends ? memory : nil)
        return (try layout.sequence(run.logits), try run.weights.map { layout.unbatched ? try $0.squeeze(0) : $0 })
    }

    /// Greedy decoding: from `start`, feed back the argmax token each step, for at most `maxLength`
    /// tokens; a sequence ends at `stop` (not included). One token list per source sequence.
    public func greedyDecode(source: Tensor, start: Int, maxLength: Int, stop: Int? = nil,
                             sourceLengths: [Int]? = nil) throws -> [[Int]] {
        try greedyDecodeAligned(source: source, start: start, maxLength: maxLength, stop: stop, sourceLengths: sourceLengths).tokens
    }

    /// Greedy decoding that also returns, with attention, each sequence's alignment: one row per
    /// token written (the step that wrote the stop token is left out, like the token) and one column
    /// per real source position, (n_b, S_b). Without attention `weights` is nil.
    public func greedyDecodeAligned(source: Tensor, start: Int, maxLength: Int, stop: Int? = nil,
                                    sourceLengths: [Int]? = nil) throws -> (tokens: [[Int]], weights: [Tensor]?) {
        guard maxLength >= 0 else { throw TensorError.invalidArgument(op: "greedyDecode", message: "max_length must be ≥ 0, got \(maxLength)") }
        try checkToken(start, "start")
        if let stop { try checkToken(stop, "stop") }
        let V = targetVocabularySize
        return try ArchitectureSupport.inference([encoder, decoder]) {
            let (memory, first, _) = try encodeTimeMajor(source, lengths: sourceLengths)
            var state = first
            let B = state.h.shape[1], S = memory.outputs.shape[0]
            var previous = [Int](repeating: start, count: B), written = [[Int]](repeating: [], count: B)
            var rows = [[Double]](repeating: [], count: B)                       // each sequence's αₜ rows, flat
            var done = [Bool](repeating: false, count: B)
            for _ in 0..<maxLength {
                if done.allSatisfy({ $0 }) { break }
                let ids = try Tensor(shape: [1, B], storage: previous.map(Double.init))
                let run = try decodeTimeMajor(try targetEmbedding(ids), state: state, memory: attends ? memory : nil)
                state = run.state
                let logits = run.logits.storage                                   // (1, B, V)
                for b in 0..<B where !done[b] {
                    previous[b] = Sampling.argmax(Array(logits[(b * V)..<((b + 1) * V)]))
                    if previous[b] == stop { done[b] = true; continue }
                    written[b].append(previous[b])
                    if let w = run.weights { rows[b] += w.storage[(b * S)..<((b + 1) * S)] }   // (B, 1, S)
                }
            }
            guard attends else { return (written, nil) }
            let weights = try (0..<B).map { b -> Tensor in
                let n = sourceLengths?[b] ?? S, T = written[b].count
                let full = try Tensor(shape: [T, S], storage: rows[b])
                return try full.index([.all, .slice(start: 0, stop: n, step: 1)])
            }
            return (written, weights)
        }
    }

    private func checkToken(_ id: Int, _ role: String) throws {
        guard id >= 0, id < targetVocabularySize else {
            throw TensorError.invalidArgument(op: "seq2seq", message: "\(role) token \(id) is out of range 0..<\(targetVocabularySize)")
        }
    }
}
