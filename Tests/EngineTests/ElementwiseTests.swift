import Foundation
import Testing
@testable import Engine
import TestSupport

// Elementwise.swift: the activations and the usual math functions, values and gradients.

@Suite struct ElementwiseValueTests {
    let x = Tensor([-2, -0.5, 0, 0.5, 2])
    let positive = Tensor([0.25, 1, 2, 10])

    // Expected values from NumPy 2.4: np.tanh(x), 1/(1+np.exp(-x)), np.exp(x), np.log(p), np.sqrt(p)
    // with x = [-2, -0.5, 0, 0.5, 2] and p = [0.25, 1, 2, 10], printed with .tolist().

    @Test func tanh() {
        expectTensor(x.tanh(), shape: [5], [-0.9640275800758169, -0.46211715726000974, 0.0, 0.46211715726000974, 0.9640275800758169])
    }

    // np.sin(x), np.cos(x) with the same x.
    @Test func sinAndCos() {
        expectTensor(x.sin(), shape: [5], [-0.9092974268256817, -0.479425538604203, 0.0, 0.479425538604203, 0.9092974268256817])
        expectTensor(x.cos(), shape: [5], [-0.4161468365471424, 0.8775825618903728, 1.0, 0.8775825618903728, -0.4161468365471424])
    }

    @Test func sigmoid() {
        expectTensor(x.sigmoid(), shape: [5], [0.11920292202211755, 0.3775406687981454, 0.5, 0.6224593312018546, 0.8807970779778823])
    }

    @Test func exp() {
        expectTensor(x.exp(), shape: [5], [0.1353352832366127, 0.6065306597126334, 1.0, 1.6487212707001282, 7.38905609893065])
    }

    @Test func log() {
        expectTensor(positive.log(), shape: [4], [-1.3862943611198906, 0.0, 0.6931471805599453, 2.302585092994046])
        // As NumPy: log 0 = −∞, log of a negative number is NaN.
        expectTensor(Tensor([0, -1]).log(), shape: [2], [-.infinity, .nan])
    }

    @Test func sqrt() {
        expectTensor(positive.sqrt(), shape: [4], [0.5, 1.0, 1.4142135623730951, 3.1622776601683795])
        expectTensor(Tensor([-1]).sqrt(), shape: [1], [.nan])
    }

    @Test func reluAndAbs() {
        expectTensor(x.relu(), shape: [5], [0, 0, 0, 0.5, 2])
        expectTensor(x.abs(), shape: [5], [2, 0.5, 0, 0.5, 2])
    }

    @Test func shapeIsKept() throws {
        let m = try literal([[1, -1], [2, -2]])
        expectTensor(m.relu(), shape: [2, 2], [1, 0, 2, 0])
        expectTensor(Tensor(-3).abs(), shape: [], [3])
    }

    /// The naive e^x/(1 + e^x) is ∞/∞ = NaN at x = 800; the stable form gives exactly 1 and 0.
    @Test func sigmoidIsStableAtExtremes() throws {
        let extremes = try Tensor(shape: [4], storage: [800, -800, 40, -40], requiresGrad: true)
        let y = extremes.sigmoid()
        #expect(y.storage.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
        #expect(y.storage[0] == 1)
        #expect(y.storage[1] == 0)
        // σ(−40) = e⁻⁴⁰/(1 + e⁻⁴⁰) ≈ 4.248354255291589e-18: tiny but not rounded to 0 (NumPy: 1/(1+np.exp(40))).
        #expect(Swift.abs(y.storage[3] / 4.248354255291589e-18 - 1) < 1e-12, "σ(−40) = \(y.storage[3])")
        try y.backward(gradient: Tensor.ones([4]))
        let g = try #require(extremes.grad).storage
        #expect(g.allSatisfy { $0.isFinite })
        #expect(g[0] == 0 && g[1] == 0)
        #expect(sigmoidScalar(-800) == 0 && sigmoidScalar(800) == 1)
        #expect(!sigmoidScalar(-1000).isNaN && !sigmoidScalar(1000).isNaN)
    }

    @Test func tanhSaturatesWithoutNaN() {
        expectTensor(Tensor([800, -800]).tanh(), shape: [2], [1, -1])
    }
}

@Suite struct ElementwiseGradientTests {
    let x: Tensor
    let positive: Tensor

    init() throws {
        x = try gaussian([3, 4], seed: 11)
        positive = try (gaussian([3, 4], seed: 12).abs() + 0.3).detach()
    }

    @Test func derivativesByHand() throws {
        // At x = 0.5: tanh′ = 1 − tanh², σ′ = σ(1 − σ), exp′ = exp, log′ = 1/x, sqrt′ = 1/(2√x).
        let checks: [(String, (Tensor) -> Tensor, Double)] = [
            ("tanh", { $0.tanh() }, 1 - Foundation.tanh(0.5) * Foundation.tanh(0.5)),
            ("sigmoid", { $0.sigmoid() }, 0.6224593312018546 * (1 - 0.6224593312018546)),
            ("exp", { $0.exp() }, Foundation.exp(0.5)),
            ("log", { $0.log() }, 2),
            ("sqrt", { $0.sqrt() }, 1 / (2 * Foundation.sqrt(0.5))),
            ("relu", { $0.relu() }, 1),
            ("abs", { $0.abs() }, 1),
            ("sin", { $0.sin() }, Foundation.cos(0.5)),
            ("cos", { $0.cos() }, -Foundation.sin(0.5)),
        ]
        for (name, f, expected) in checks {
            let v = Tensor(0.5, requiresGrad: true)
            try f(v).backward()
            #expect(valuesClose(try #require(v.grad).storage, [expected]), "\(name)′(0.5) = \(String(describing: v.grad)), expected \(expected)")
        }
    }

    @Test func kinksFollowPyTorch() throws {
        // relu′ is 0 for x ≤ 0; |x|′ is sign(x), 0 at 0.
        let v = try Tensor(shape: [3], storage: [-1, 0, 1], requiresGrad: true)
        try v.relu().backward(gradient: Tensor.ones([3]))
        #expect(v.grad?.storage == [0, 0, 1])
        v.zeroGrad()
        try v.abs().backward(gradient: Tensor.ones([3]))
        #expect(v.grad?.storage == [-1, 0, 1])
    }

    @Test func gradcheckActivations() throws {
        try expectGradcheck([x]) { $0[0].tanh() }
        try expectGradcheck([x]) { $0[0].sigmoid() }
        try expectGradcheck([x]) { $0[0].relu() }
        try expectGradcheck([x]) { $0[0].abs() }
    }

    @Test func gradcheckMathFunctions() throws {
        try expectGradcheck([x]) { $0[0].exp() }
        try expectGradcheck([positive]) { $0[0].log() }
        try expectGradcheck([positive]) { $0[0].sqrt() }
        try expectGradcheck([x]) { $0[0].sin() }
        try expectGradcheck([x]) { $0[0].cos() }
        try expectGradcheck([x]) { try $0[0].sin() * $0[0].cos() + $0[0].cos().tanh() }
        // Compositions, as in a GRU's (1 − z) ⊙ tanh(…).
        try expectGradcheck([x]) { try (1 - $0[0].sigmoid()) * $0[0].tanh() }
        try expectGradcheck([positive]) { try $0[0].log().exp() * $0[0].sqrt() }
    }
}
