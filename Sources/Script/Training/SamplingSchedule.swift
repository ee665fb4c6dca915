import Engine

/// `train(…, scheduled_sampling: p, sampling_schedule: …)`: how often, at each update, the
/// decoder of a seq2seq model reads its own previous prediction instead of the true token.
///
/// Bengio et al. (2015) let the probability of the *true* token, εᵢ, decay over training, so the
/// model first learns from true prefixes (its own predictions are noise at the start) and meets its
/// own predictions once they are worth reading. Here pᵢ = 1 − εᵢ is the probability of the model's
/// own token at update i of n (i = 0 … n − 1):
///
///     "linear"   (the default)  pᵢ = p · i / (n − 1)   from 0 at the first update to p at the last
///     "constant"                pᵢ = p                  from the first update on
///
/// (Their exponential and inverse-sigmoid decays are smoother versions of the same ramp.)
/// An update with pᵢ = 0 is plain teacher forcing, the fast pass over all steps at once. The coins
/// come from their own generator, seeded from `seed:`, so the shuffling is the same with and
/// without scheduled sampling and a run is repeatable.
struct SamplingSchedule {
    enum Shape: String { case linear, constant }

    let probability: Double
    let shape: Shape
    /// Updates in the run: the linear ramp reaches `probability` at the last one.
    let updates: Int
    var generator: RandomGenerator
    /// Updates taken so far.
    private(set) var taken = 0

    init(probability: Double, shape: Shape, updates: Int, seed: UInt64) {
        self.probability = probability; self.shape = shape; self.updates = updates
        // A stream of its own, seeded by the first number of the stream `seed` starts (the
        // shuffling uses that stream itself), so the two do not repeat each other's draws.
        var g = RandomGenerator(seed: seed)
        generator = RandomGenerator(seed: g.next())
    }

    /// pᵢ for update i.
    func probability(at i: Int) -> Double {
        switch shape {
        case .constant: return probability
        case .linear: return updates <= 1 ? probability : probability * Double(min(i, updates - 1)) / Double(updates - 1)
        }
    }

    /// The probability for the next update, counting it as taken.
    mutating func next() -> Double {
        defer { taken += 1 }
        return probability(at: taken)
    }
}
