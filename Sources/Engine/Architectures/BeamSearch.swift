import Foundation

/// Beam search decoding for the encoder–decoder (``Seq2Seq``), with or without attention.
///
/// Greedy decoding commits to the single most likely token at every step. The sequence it builds
/// need not be the most likely *sequence*: log P(y | x) = Σₜ log P(yₜ | y<ₜ, x), and a token that
/// looks best now can lead to steps that are all unlikely. Searching every sequence costs V^L
/// decoder runs; beam search keeps only the k best partial hypotheses:
///
///     beam₀ = { (⟨⟩, 0) }                                   the empty hypothesis, log-probability 0
///     step t: for every live (y, s) and every token v:
///                 s' = s + log softmax(zₜ)ᵥ                  zₜ: the head's scores after reading y
///             keep the k best (y·v, s') over all of them
///             those with v = stop move to `finished`; the rest are the live beam
///     until:  t = maxLength (the live ones are then finished as they are),
///             no live hypothesis is left,
///             or k finished hypotheses score ≥ the best live one
///     answer: the finished hypothesis with the highest s
///
/// The stopping rule is exact for plain sums: every log-probability is ≤ 0, so a live hypothesis's
/// score can only fall; once k finished ones beat the best live one, nothing still growing can
/// enter the top k.
///
/// *Ranking by the plain sum.* Finished hypotheses are ranked by their total log-probability,
/// not normalised by length. That is what the model actually claims — the probability of the
/// whole output — and the search then has exact references: with k = 1 it is greedy decoding,
/// and with k at least V^L it is the exhaustive search over every sequence of at most L steps
/// (both are tests). The known price: each extra token adds a negative term, so the sum favours
/// short outputs. GNMT (Wu et al. 2016) divides by lp(Y) = ((5 + |Y|) / 6)^α, α ≈ 0.6–1, to
/// counter this for long sentences; it also breaks the stopping rule above (a longer hypothesis
/// can overtake after normalisation). For short, fixed-format outputs like dates, the plain sum
/// is the honest default.
///
/// *Tokens and ties.* A hypothesis's tokens leave out the stop token, as greedy decoding's do.
/// Candidates with equal scores are ordered by their parent's rank, then by token id, so with
/// k = 1 the choice is the lowest-id maximum, exactly ``Sampling/argmax(_:)``.
///
/// Sources are searched one at a time (each has its own beam of up to k decoder rows); padded
/// sources (`sourceLengths:`) are encoded packed, as in greedy decoding, and attention masks the
/// padding.
public struct BeamHypothesis: Equatable, Sendable {
    /// The tokens written so far, without the stop token.
    public var tokens: [Int]
    /// Σ log P(yₜ | y<ₜ, x) over every token written, the stop token included.
    public var logProbability: Double
    /// Whether this hypothesis ended by writing the stop token at this step.
    public var finished: Bool

    public init(tokens: [Int], logProbability: Double, finished: Bool) {
        self.tokens = tokens; self.logProbability = logProbability; self.finished = finished
    }
}

/// One source's beam search: the best hypothesis, every finished one (best first), and the beam
/// after every step — the k candidates kept at that step, best first, finished ones flagged.
public struct BeamSearchResult: Sendable {
    public var best: BeamHypothesis
    public var finished: [BeamHypothesis]
    public var steps: [[BeamHypothesis]]
}

extension Seq2Seq {
    /// Beam search with `beamWidth` = k hypotheses (see ``BeamHypothesis`` for the algorithm and why).
    /// One result per source sequence; `source` and `sourceLengths` as for
    /// ``greedyDecode(source:start:maxLength:stop:sourceLengths:)``.
    public func beamSearch(source: Tensor, start: Int, maxLength: Int, beamWidth: Int, stop: Int? = nil,
                           sourceLengths: [Int]? = nil) throws -> [BeamSearchResult] {
        func fail(_ message: String) -> TensorError { .invalidArgument(op: "beamSearch", message: message) }
        guard maxLength >= 0 else { throw fail("max_length must be ≥ 0, got \(maxLength)") }
        guard beamWidth >= 1 else { throw fail("the beam width must be at least 1, got \(beamWidth)") }
        for (id, role) in [(start, "start")] + (stop.map { [($0, "stop")] } ?? []) {
            guard id >= 0, id < targetVocabularySize else { throw fail("\(role) token \(id) is out of range 0..<\(targetVocabularySize)") }
        }
        return try ArchitectureSupport.inference([encoder, decoder]) {
            let (memory, state, _) = try encodeTimeMajor(source, lengths: sourceLengths)
            let B = state.h.shape[1]
            return try (0..<B).map { b in
                func column(_ t: Tensor) throws -> Tensor { try t.index([.all, .slice(start: b, stop: b + 1, step: 1), .all]) }
                let one = EncoderMemory(outputs: try column(memory.outputs), lengths: sourceLengths.map { [$0[b]] })
                let first = RecurrentState(h: try column(state.h), c: try state.c.map(column))
                return try search(memory: one, state: first, start: start, maxLength: maxLength, k: beamWidth, stop: stop)
            }
        }
    }

    /// The beam for one source: `memory` and `state` hold one sequence (batch axis of size 1).
    private func search(memory: EncoderMemory, state first: RecurrentState, start: Int, maxLength: Int, k: Int, stop: Int?) throws
        -> BeamSearchResult {
        let V = targetVocabularySize
        /// Rows of a (…, n, …) tensor along axis 1, in the order given (a gather by parent).
        func rows(_ t: Tensor, _ parents: [Int]) throws -> Tensor {
            try Tensor.concat(try parents.map { try t.index([.all, .slice(start: $0, stop: $0 + 1, step: 1), .all]) }, axis: 1)
        }
        var live = [BeamHypothesis(tokens: [], logProbability: 0, finished: false)]
        var state = first, finished: [BeamHypothesis] = [], steps: [[BeamHypothesis]] = []
        var previous = [start]
        for _ in 0..<maxLength {
            let n = live.count
            let beamMemory = EncoderMemory(outputs: try rows(memory.outputs, [Int](repeating: 0, count: n)),
                                           lengths: memory.lengths.map { [Int](repeating: $0[0], count: n) })
            let ids = try Tensor(shape: [1, n], storage: previous.map(Double.init))
            let run = try decodeTimeMajor(try targetEmbedding(ids), state: state, memory: attends ? beamMemory : nil)
            let z = run.logits.storage                                                     // (1, n, V)
            var candidates: [(parent: Int, token: Int, score: Double)] = []
            candidates.reserveCapacity(n * V)
            for i in 0..<n {
                let row = z[(i * V)..<((i + 1) * V)]
                let m = row.max() ?? 0
                let logZ = m + Foundation.log(row.reduce(0) { $0 + Foundation.exp($1 - m) })   // log Σ exp zᵥ, stably
                for v in 0..<V { candidates.append((i, v, live[i].logProbability + z[i * V + v] - logZ)) }
            }
            // Stable sort: equal scores keep (parent, token) order.
            let kept = candidates.enumerated().sorted { a, b in
                a.element.score != b.element.score ? a.element.score > b.element.score : a.offset < b.offset
            }.prefix(k).map(\.element)
            var step: [BeamHypothesis] = [], nextLive: [BeamHypothesis] = [], parents: [Int] = []
            for c in kept {
                let ends = c.token == stop
                let h = BeamHypothesis(tokens: live[c.parent].tokens + (ends ? [] : [c.token]), logProbability: c.score, finished: ends)
                step.append(h)
                if ends { finished.append(h) } else { nextLive.append(h); parents.append(c.parent) }
            }
            steps.append(step)
            live = nextLive
            if live.isEmpty { break }
            state = RecurrentState(h: try rows(run.state.h, parents), c: try run.state.c.map { try rows($0, parents) })
            previous = live.map { $0.tokens.last ?? start }
            let ranked = finished.map(\.logProbability).sorted(by: >)
            if ranked.count >= k, ranked[k - 1] >= live[0].logProbability { live = []; break }
        }
        // At max length the live hypotheses end where they are (as greedy decoding's output does).
        finished += live
        let order = finished.enumerated().sorted { a, b in
            a.element.logProbability != b.element.logProbability ? a.element.logProbability > b.element.logProbability : a.offset < b.offset
        }.map(\.element)
        let best = order.first ?? BeamHypothesis(tokens: [], logProbability: 0, finished: false)
        return BeamSearchResult(best: best, finished: order, steps: steps)
    }
}
