import Foundation

/// Choosing the next token from a model's scores (logits): greedy, with a temperature, and with
/// the tail cut off by top-k or nucleus (top-p) filtering.
///
/// **Temperature.** With τ > 0 the token is drawn from
///
///     pᵢ = softmax(z / τ)ᵢ = exp((zᵢ − m)/τ) / Σⱼ exp((zⱼ − m)/τ),   m = maxⱼ zⱼ
///
/// *Why a temperature*: τ = 1 samples the model's own distribution; τ < 1 sharpens it (the
/// likeliest tokens gain, text gets safer and more repetitive); τ > 1 flattens it towards uniform
/// (more variety, more mistakes). As τ → 0 all mass goes to the largest logit, so τ = 0 is defined
/// as greedy decoding, argmax z, which draws no random number at all.
///
/// **Top-k** keeps the k tokens with the largest logits and renormalises:
///
///     K = { i : zᵢ ≥ z₍ₖ₎ }   (z₍ₖ₎ the k-th largest logit),   p′ᵢ = pᵢ / Σ_{j∈K} pⱼ for i ∈ K, else 0
///
/// **Top-p** (nucleus sampling, Holtzman et al. 2020, "The Curious Case of Neural Text
/// Degeneration") keeps the smallest set of most probable tokens whose probability reaches p:
/// with p₍₁₎ ≥ p₍₂₎ ≥ … sorted, n the first index with p₍₁₎ + … + p₍ₙ₎ ≥ p,
///
///     N = { i : pᵢ ≥ p₍ₙ₎ },   p′ᵢ = pᵢ / Σ_{j∈N} pⱼ for i ∈ N, else 0
///
/// *Why filter*: a trained model puts a little probability on each of many wrong tokens; one at a
/// time they are unlikely, but together the tail is drawn often enough that, over a long text,
/// errors creep in and compound (the state then reads a word it never saw in training). Cutting
/// the tail removes those draws while keeping the variety among the plausible tokens, which greedy
/// decoding and a low temperature lose. Top-k cuts at a fixed number of tokens, which is too many
/// when the model is sure (one token holds nearly all the mass) and too few when it is not;
/// top-p cuts at a fixed mass, so the kept set shrinks and grows with the model's confidence.
///
/// **Ties.** A filter never separates tokens of equal score: every token tied with the last one
/// kept is kept too, so the set may hold more than k tokens (or more than the smallest nucleus).
/// This is the rule of Hugging Face's `TopKLogitsWarper` (it removes only scores *below* the k-th
/// largest), and it makes the result independent of the order of the vocabulary. A sum that
/// reaches p on paper may fall a rounding error short in floating point, so "reaches" means
/// ≥ p − 10⁻¹²; p = 1 keeps every token.
///
/// **Order.** Temperature first, then top-k, then top-p on the renormalised top-k distribution —
/// the order of Hugging Face's `generate` (its logits warpers: `TemperatureLogitsWarper`,
/// `TopKLogitsWarper`, `TopPLogitsWarper`), so settings carry over. Temperature does not change
/// the order of the logits, so top-k keeps the same tokens at any τ; it does change the
/// probabilities, so the nucleus depends on τ (a low τ gives a small nucleus). Both filters always
/// keep the most probable token, so with τ = 0 (greedy) they change nothing; k = 1, and p at most
/// the largest probability, are greedy too when the largest logit is unique (with tied maxima they
/// draw evenly among them, where greedy takes the first).
///
/// **The draw** is by inverse CDF: one uniform u ∈ [0, 1) from the seeded generator, and the first
/// token i with p′₀ + … + p′ᵢ > u. One number per token, so a seed fixes the whole generated text.
public enum Sampling {
    /// The distribution sampled at temperature τ: softmax(z/τ), or one-hot on argmax z for τ = 0;
    /// then, if given, the top-k and top-p filters, each followed by renormalisation.
    public static func probabilities(_ logits: [Double], temperature: Double, topK: Int? = nil, topP: Double? = nil) throws -> [Double] {
        try check(logits, temperature: temperature)
        try checkFilters(topK: topK, topP: topP)
        if temperature == 0 {
            var p = [Double](repeating: 0, count: logits.count)
            p[argmax(logits)] = 1
            return p
        }
        let m = logits.max()!
        let e = logits.map { Foundation.exp(($0 - m) / temperature) }
        let total = e.reduce(0, +)  // ≥ 1: the maximum contributes exp(0)
        var p = e.map { $0 / total }
        if let topK, topK < logits.count {
            let threshold = logits.sorted(by: >)[topK - 1]
            p = renormalised(p) { logits[$0] >= threshold }
        }
        if let topP, topP < 1 {
            let sorted = p.sorted(by: >)
            var cumulative = 0.0, threshold = sorted[0]
            for q in sorted {
                cumulative += q
                threshold = q
                if cumulative >= topP - 1e-12 { break }
            }
            let kept = p
            p = renormalised(p) { kept[$0] >= threshold }
        }
        return p
    }

    /// Zero outside `keep`, the rest divided by its sum. The kept set always holds the most
    /// probable token, so the sum is positive.
    static func renormalised(_ p: [Double], keep: (Int) -> Bool) -> [Double] {
        var q = p.indices.map { keep($0) ? p[$0] : 0 }
        let total = q.reduce(0, +)
        for i in q.indices { q[i] /= total }
        return q
    }

    /// Position of the largest logit; the first one on ties (as `torch.argmax`).
    public static func argmax(_ logits: [Double]) -> Int {
        var best = 0
        for i in logits.indices where logits[i] > logits[best] { best = i }
        return best
    }

    /// One token: argmax for τ = 0, otherwise a draw from the (filtered) distribution of
    /// ``probabilities(_:temperature:topK:topP:)`` using one uniform from `generator`.
    public static func sample(_ logits: [Double], temperature: Double, topK: Int? = nil, topP: Double? = nil,
                              generator: inout RandomGenerator) throws -> Int {
        if temperature == 0 {
            try check(logits, temperature: temperature)
            try checkFilters(topK: topK, topP: topP)
            return argmax(logits)
        }
        let p = try probabilities(logits, temperature: temperature, topK: topK, topP: topP)
        let u = generator.uniform()
        var cumulative = 0.0
        for (i, pi) in p.enumerated() {
            cumulative += pi
            if u < cumulative { return i }
        }
        // Rounding can leave the total a hair below u; the answer is then the last possible token.
        return p.lastIndex { $0 > 0 } ?? argmax(logits)
    }

    /// τ must be a finite number ≥ 0.
    public static func checkTemperature(_ temperature: Double) throws {
        guard temperature >= 0, temperature.isFinite else {
            throw TensorError.invalidArgument(op: "sample", message: "temperature must be a finite number ≥ 0 (0 = greedy), got \(temperature)")
        }
    }

    /// k must be at least 1 (k ≥ the vocabulary keeps every token); p must lie in (0, 1] (1 keeps
    /// every token). Both may be given: top-k is applied first.
    public static func checkFilters(topK: Int?, topP: Double?) throws {
        if let topK, topK < 1 {
            throw TensorError.invalidArgument(op: "sample", message: "top_k must be at least 1 (the number of likeliest tokens kept), got \(topK)")
        }
        if let topP, !(topP > 0 && topP <= 1) {
            throw TensorError.invalidArgument(op: "sample", message: "top_p must be more than 0 and at most 1 (the probability the kept tokens must reach), got \(topP)")
        }
    }

    static func check(_ logits: [Double], temperature: Double) throws {
        try checkTemperature(temperature)
        guard !logits.isEmpty else { throw TensorError.invalidArgument(op: "sample", message: "no logits to choose from") }
        // −∞ is a legitimate "never" (a masked token); NaN and +∞ mean the model has diverged.
        guard logits.allSatisfy({ !$0.isNaN && $0 < .infinity }), logits.contains(where: { $0.isFinite }) else {
            throw TensorError.invalidArgument(op: "sample", message: "the logits contain NaN or infinity (has training diverged?)")
        }
    }
}
