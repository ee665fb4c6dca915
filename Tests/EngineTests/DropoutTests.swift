import Foundation
import Testing
@testable import Engine

/// Inverted dropout (Dropout.swift): survivors scaled by 1/(1 − p), the dropped fraction close to
/// p, p = 0 the identity, gradients through the same mask, and invalid probabilities rejected.
@Suite struct DropoutTests {
    @Test(arguments: [0.1, 0.5, 0.8])
    func survivorsAreScaledAndTheDroppedFractionIsCloseToP(_ p: Double) throws {
        let n = 100_000
        let x = try Tensor.rand([n], low: 0.5, high: 1.5, seed: 1)
        var generator = RandomGenerator(seed: 2)
        let y = try Dropout.apply(x, probability: p, generator: &generator)
        #expect(y.shape == x.shape)
        var dropped = 0
        for (a, b) in zip(x.storage, y.storage) {
            if b == 0 { dropped += 1 } else {
                #expect(Swift.abs(b - a / (1 - p)) <= 1e-12 * Swift.abs(b), "survivor \(b) is not \(a)/(1 − \(p))")
            }
        }
        let fraction = Double(dropped) / Double(n)
        // Binomial standard deviation √(p(1−p)/n) ≤ 0.0016; allow about 5σ.
        #expect(Swift.abs(fraction - p) < 0.008, "dropped fraction \(fraction) for p = \(p)")
        // The expected activation is unchanged.
        let ratio = y.storage.reduce(0, +) / x.storage.reduce(0, +)
        #expect(Swift.abs(ratio - 1) < 0.03, "mean ratio \(ratio)")
    }

    @Test func zeroProbabilityIsTheIdentity() throws {
        let x = try randomTensor([3, 4], seed: 3, requiresGrad: true)
        var generator = RandomGenerator(seed: 4)
        let before = generator
        let y = try Dropout.apply(x, probability: 0, generator: &generator)
        #expect(y.storage == x.storage)
        var a = generator, b = before
        #expect(a.next() == b.next(), "p = 0 should not consume random numbers")
    }

    /// The gradient passes through the same mask: 0 where dropped, 1/(1 − p) where kept.
    @Test func gradientUsesTheSameMask() throws {
        let x = try randomTensor([50], seed: 5, requiresGrad: true)
        var generator = RandomGenerator(seed: 6)
        let y = try Dropout.apply(x, probability: 0.4, generator: &generator)
        try y.sum().backward()
        let g = try #require(x.grad)
        for k in 0..<50 {
            let expected = y.storage[k] == 0 ? 0 : 1 / 0.6
            #expect(Swift.abs(g.storage[k] - expected) < 1e-12)
        }
    }

    /// The same seed gives the same mask; another seed a different one.
    @Test func seededMasksRepeat() throws {
        let x = try Tensor.ones([200])
        var g1 = RandomGenerator(seed: 7), g2 = RandomGenerator(seed: 7), g3 = RandomGenerator(seed: 8)
        let a = try Dropout.apply(x, probability: 0.5, generator: &g1)
        #expect(try Dropout.apply(x, probability: 0.5, generator: &g2).storage == a.storage)
        #expect(try Dropout.apply(x, probability: 0.5, generator: &g3).storage != a.storage)
        // Successive calls draw fresh masks.
        #expect(try Dropout.apply(x, probability: 0.5, generator: &g1).storage != a.storage)
    }

    @Test(arguments: [-0.1, 1.0, 1.5, Double.nan])
    func invalidProbabilityIsAnError(_ p: Double) throws {
        var generator = RandomGenerator(seed: 0)
        let x = try Tensor.ones([4])
        expectError(containing: ["dropout", "[0, 1)", "\(p)"], "dropout p = \(p)") {
            _ = try Dropout.apply(x, probability: p, generator: &generator)
        }
    }
}
