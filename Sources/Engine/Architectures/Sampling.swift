import Foundation

/// Choosing the next token from a model's scores (logits) — greedy or with a temperature.
///
/// With temperature τ > 0 the token is drawn from
///
///     pᵢ = softmax(z / τ)ᵢ = exp((zᵢ − m)/τ) / Σⱼ exp((zⱼ − m)/τ),   m = maxⱼ zⱼ
///
/// *Why a temperature*: τ = 1 samples the model's own distribution; τ < 1 sharpens it (the
/// likeliest tokens gain, text gets safer and more repetitive); τ > 1 flattens it towards uniform
/// (more variety, more mistakes). As τ → 0 all mass goes to the largest logit, so τ = 0 is defined
/// as greedy decoding, argmax z, which draws no random number at all.
///
/// The draw is by inverse CDF: one uniform u ∈ [0, 1) from the seeded generator, and the first
/// token i with p₀ + … + pᵢ > u. One number per token, so a seed fixes the whole generated text.
public enum Sampling {
    /// The distribution sampled at temperature τ: softmax(z/τ), or one-hot on argmax z for τ = 0.
    public static func probabilities(_ logits: [Double], temperature: Double) throws -> [Double] {
        try check(logits, temperature: temperature)
        if temperature == 0 {
            var p = [Double](repeating: 0, count: logits.count)
            p[argmax(logits)] = 1
            return p
        }
        let m = logits.max()!
        let e = logits.map { Foundation.exp(($0 - m) / temperature) }
        let total = e.reduce(0, +)  // ≥ 1: the maximum contributes exp(0)
        return e.map { $0 / total }
    }

    /// Position of the largest logit; the first one on ties (as `torch.argmax`).
    public static func argmax(_ logits: [Double]) -> Int {
        var best = 0
        for i in logits.indices where logits[i] > logits[best] { best = i }
        return best
    }

    /// One token: argmax for τ = 0, otherwise a draw from softmax(z/τ) using one uniform from `generator`.
    public static func sample(_ logits: [Double], temperature: Double, generator: inout RandomGenerator) throws -> Int {
        if temperature == 0 {
            try check(logits, temperature: temperature)
            return argmax(logits)
        }
        let p = try probabilities(logits, temperature: temperature)
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

    static func check(_ logits: [Double], temperature: Double) throws {
        try checkTemperature(temperature)
        guard !logits.isEmpty else { throw TensorError.invalidArgument(op: "sample", message: "no logits to choose from") }
        // −∞ is a legitimate "never" (a masked token); NaN and +∞ mean the model has diverged.
        guard logits.allSatisfy({ !$0.isNaN && $0 < .infinity }), logits.contains(where: { $0.isFinite }) else {
            throw TensorError.invalidArgument(op: "sample", message: "the logits contain NaN or infinity (has training diverged?)")
        }
    }
}
