import Foundation

/// The seeded generator behind every random tensor and every weight initialisation.
///
/// xoshiro256** (Blackman & Vigna, 2018) seeded through SplitMix64, as recommended by its authors.
/// It uses only 64-bit integer arithmetic, so the same seed gives the same bits on every machine;
/// uniforms take the top 53 bits (`x >> 11` × 2⁻⁵³, exactly representable, in [0, 1)), and
/// normals come from the Box–Muller transform, both values of each pair used in turn.
/// (Lessons print seeded numbers and check them in CI, so reproducibility is part of the contract.)
public struct RandomGenerator: Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)
    private var spareNormal: Double?

    public init(seed: UInt64) {
        var sm = seed
        func splitMix() -> UInt64 {
            sm &+= 0x9E37_79B9_7F4A_7C15
            var z = sm
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = rotl(s.3, 45)
        return result
    }

    /// Uniform in [0, 1).
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in [low, high).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * uniform() }

    /// Standard normal N(0, 1) by Box–Muller.
    public mutating func normal() -> Double {
        if let spare = spareNormal { spareNormal = nil; return spare }
        var u1 = uniform()
        while u1 == 0 { u1 = uniform() }  // log(0) is −∞
        let u2 = uniform()
        let r = Foundation.sqrt(-2 * Foundation.log(u1))
        spareNormal = r * Foundation.sin(2 * .pi * u2)
        return r * Foundation.cos(2 * .pi * u2)
    }

    /// A uniformly chosen integer in `0..<n` (n > 0), without modulo bias: draws at or above the
    /// largest multiple of n that fits in 64 bits are rejected, so every residue is equally likely.
    ///
    /// An empty range (n ≤ 0) has no integer to give; callers that take n from user input (a
    /// vocabulary size, a dataset length) check it and report it. Here it yields 0 rather than
    /// trapping — release builds drop preconditions, and a modulo by zero would end the session.
    public mutating func int(below n: Int) -> Int {
        guard n > 0 else { return 0 }
        let bound = UInt64(n)
        let limit = UInt64.max - UInt64.max % bound
        var x = next()
        while x >= limit { x = next() }
        return Int(x % bound)
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

extension Tensor {
    /// Samples from N(mean, std²) drawn from `generator`.
    public static func randn(_ shape: [Int], mean: Double = 0, std: Double = 1, generator: inout RandomGenerator) throws -> Tensor {
        try checkShape(shape, op: "randn")
        // Drawn in order, chunk by chunk (the same numbers as one loop), so Ctrl-C can stop a huge draw.
        return Tensor(uncheckedShape: shape, storage: try Cancellation.array(count: Shape.count(shape)) { p, range in
            for i in range { p[i] = mean + std * generator.normal() }
        })
    }

    /// Samples from N(mean, std²) with a fresh generator seeded with `seed`.
    public static func randn(_ shape: [Int], mean: Double = 0, std: Double = 1, seed: UInt64) throws -> Tensor {
        var g = RandomGenerator(seed: seed)
        return try randn(shape, mean: mean, std: std, generator: &g)
    }

    /// Samples from U[low, high) drawn from `generator`.
    public static func rand(_ shape: [Int], low: Double = 0, high: Double = 1, generator: inout RandomGenerator) throws -> Tensor {
        try checkShape(shape, op: "rand")
        guard low <= high else {
            throw TensorError.invalidArgument(op: "rand", message: "low (\(low)) must not exceed high (\(high))")
        }
        return Tensor(uncheckedShape: shape, storage: try Cancellation.array(count: Shape.count(shape)) { p, range in
            for i in range { p[i] = generator.uniform(low, high) }
        })
    }

    /// Samples from U[low, high) with a fresh generator seeded with `seed`.
    public static func rand(_ shape: [Int], low: Double = 0, high: Double = 1, seed: UInt64) throws -> Tensor {
        var g = RandomGenerator(seed: seed)
        return try rand(shape, low: low, high: high, generator: &g)
    }
}
