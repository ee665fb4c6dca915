/// Scheduled sampling (Bengio, Vinyals, Jaitly & Shazeer 2015, "Scheduled Sampling for Sequence
/// Prediction with Recurrent Neural Networks"): a training pass of ``Seq2Seq`` in which the decoder
/// sometimes reads its own previous prediction instead of the true previous token.
///
/// Teacher forcing feeds the decoder the true prefix; greedy decoding feeds back its own argmax.
/// The model therefore never sees its own mistakes in training (exposure bias). Scheduled sampling
/// mixes the two: for every sequence b and every step t ≥ 1, independently,
///
///     εₜ,b ~ Bernoulli(p)                          drawn from the caller's seeded generator
///     ŷₜ₋₁ = argmax_v zₜ₋₁[v]                      the model's own prediction at step t − 1
///     inputₜ = ŷₜ₋₁ if εₜ,b = 1, else yₜ₋₁          (input₀ = start, always)
///     zₜ = decoder step from inputₜ                 as in teacher forcing
///
/// p = 0 is teacher forcing, p = 1 is greedy decoding (the logits are greedy decoding's, token for
/// token). Bengio et al. raise p over training (their ε is 1 − p, the probability of the true
/// token), so the model first learns from true prefixes and later from its own.
///
/// *No gradient flows through the choice.* ŷₜ₋₁ is an argmax, piecewise constant in the logits, and
/// εₜ,b is a coin: both are integers that only select which embedding row the decoder reads at
/// step t. The loss L(θ) is differentiated with the chosen tokens held fixed,
///
///     ∂L/∂θ = ∂L(θ; input₁ … input_T)/∂θ  with  ∂inputₜ/∂zₜ₋₁ = 0,
///
/// so the gradient is that of teacher forcing on the sequence of chosen inputs. (Bengio et al. do
/// the same. Huszár 2015, "How (not) to train your generative model", shows the objective this
/// optimises is not a proper one: its optimum need not be the true distribution.)
///
/// *Why the argmax, not a sample.* Bengio et al. sample ŷ from the softmax. Here the prediction fed
/// back is the argmax, because the decoding the model is tested with (``Seq2Seq/greedyDecode(source:start:maxLength:stop:sourceLengths:)``)
/// feeds back the argmax: training then shows the model exactly the inputs it will meet at test
/// time, p = 1 reproduces greedy decoding, and the only randomness is the coins εₜ,b.
///
/// *How it runs.* The input at step t depends on the logits at step t − 1 only when some sequence
/// uses its prediction there. The decoder therefore runs over the longest stretches of steps whose
/// inputs are all true tokens in one call, and is restarted from the state it reached whenever a
/// prediction is needed. With every choice "true token" that is a single call over the whole target,
/// the computation of ``Seq2Seq/forward(source:target:start:sourceLengths:)``; with attention,
/// stacked layers and LSTM states it is the same decoder step, so every configuration works.
public struct ScheduledSamplingPass {
    /// Logits for every target step, in the caller's layout, as ``Seq2Seq/callAsFunction(source:target:start:sourceLengths:)``.
    public let logits: Tensor
    /// The token the decoder read at every step, time-major: `inputs[t][b]`; the start token at t = 0.
    public let inputs: [[Int]]
    /// Whether `inputs[t][b]` was the model's own prediction (always false at t = 0).
    public let ownPrediction: [[Bool]]
}

extension Seq2Seq {
    /// A scheduled-sampling pass: each (step t ≥ 1, sequence) reads the model's own previous
    /// prediction with probability `probability`, drawn from `generator` (one uniform per choice,
    /// step by step, sequence by sequence; none at all for p = 0, which is teacher forcing).
    public func scheduledSampling(source: Tensor, target: Tensor, start: Int, probability p: Double,
                                  generator: inout RandomGenerator, sourceLengths: [Int]? = nil) throws -> ScheduledSamplingPass {
        guard p >= 0, p <= 1 else {
            throw TensorError.invalidArgument(op: "scheduled sampling", message: "the probability must be between 0 and 1, got \(p)")
        }
        let (steps, batch) = try targetSteps(target)
        var choices = [[Bool]](repeating: [Bool](repeating: false, count: batch), count: steps)
        if p > 0 {
            for t in 1..<max(1, steps) { for b in 0..<batch { choices[t][b] = generator.uniform() < p } }
        }
        return try scheduledSampling(source: source, target: target, start: start, ownPrediction: choices, sourceLengths: sourceLengths)
    }

    /// The same pass with the choices given, `ownPrediction[t][b]` time-major (T_out × B; one row
    /// of one entry per step for a single sequence): the loss as a function of the parameters with
    /// the choices held fixed, which is what its gradient is the gradient of.
    public func scheduledSampling(source: Tensor, target: Tensor, start: Int, ownPrediction choices: [[Bool]],
                                  sourceLengths: [Int]? = nil) throws -> ScheduledSamplingPass {
        let (T, B) = try targetSteps(target)
        guard choices.count == T, choices.allSatisfy({ $0.count == B }) else {
            throw TensorError.invalidArgument(op: "scheduled sampling", message: "the choices must be \(T) steps × \(B) sequences, like the target")
        }
        let unbatched = target.rank == 1
        let shifted = try shiftRight(target, start: start)
        let teacher = unbatched ? try shifted.unsqueeze(1) : (batchFirst ? try shifted.transpose(0, 1) : shifted)   // (T, B)
        var inputs = (0..<T).map { t in (0..<B).map { b in Int(teacher.storage[t * B + b]) } }
        for t in inputs.indices { for b in 0..<B where inputs[t][b] < 0 || inputs[t][b] >= targetVocabularySize {
            throw TensorError.invalidArgument(op: "scheduled sampling", message: "target token \(inputs[t][b]) is out of range 0..<\(targetVocabularySize)")
        } }

        let (memory, first, _) = try encodeTimeMajor(source, lengths: sourceLengths)
        guard first.h.shape[1] == B else {
            throw TensorError.invalidArgument(op: "seq2seq", message: "the source holds \(first.h.shape[1]) sequences but the target \(B)")
        }
        // Segments [a, c): a new one starts at every step where some sequence reads a prediction.
        var starts = [0]
        for t in 1..<max(1, T) where choices[t].contains(true) { starts.append(t) }
        var state = first, pieces: [Tensor] = []
        let V = targetVocabularySize
        for (k, a) in starts.enumerated() {
            let c = k + 1 < starts.count ? starts[k + 1] : T
            if a > 0, let previous = pieces.last {
                let last = previous.shape[0] - 1, z = previous.storage    // (steps, B, V): read row `last`
                for b in 0..<B where choices[a][b] {
                    inputs[a][b] = Sampling.argmax(Array(z[((last * B + b) * V)..<((last * B + b + 1) * V)]))
                }
            }
            let ids = try Tensor(shape: [c - a, B], storage: inputs[a..<c].flatMap { $0.map(Double.init) })
            let run = try decodeTimeMajor(try targetEmbedding(ids), state: state, memory: attends ? memory : nil)
            state = run.state
            pieces.append(run.logits)
        }
        let logits = pieces.count == 1 ? pieces[0] : try Tensor.concat(pieces, axis: 0)
        let layout = SequenceLayout(batchFirst: batchFirst, unbatched: unbatched)
        return ScheduledSamplingPass(logits: try layout.sequence(logits), inputs: inputs, ownPrediction: choices)
    }

    /// The target's steps and sequences, (T, B) — (B, T) batch-first, (T) for one sequence.
    private func targetSteps(_ target: Tensor) throws -> (steps: Int, batch: Int) {
        guard target.rank == 1 || target.rank == 2 else {
            throw TensorError.invalidArgument(op: "scheduled sampling", message: "target must be token ids \(batchFirst ? "(B, T)" : "(T, B)") or (T), got \(formatShape(target.shape))")
        }
        if target.rank == 1 { return (target.shape[0], 1) }
        return batchFirst ? (target.shape[1], target.shape[0]) : (target.shape[0], target.shape[1])
    }
}
