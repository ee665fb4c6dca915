import Foundation
import Testing
@testable import Engine

// The optimizers on float32 parameters against PyTorch's own float32 steps
// (scripts/make_float32_fixtures.py: SGD plain, with momentum + dampening + weight decay, Nesterov;
// Adam, Adam with weight decay and other betas/eps, AdamW; 8 steps of mse(X @ Wᵀ + b, Y) with
// W 8×16, b 8, X 32×16). Two checks:
//
// * Stepped with PyTorch's recorded gradient, each optimizer lands on PyTorch's parameters bit for
//   bit at every step, and an update formed in double and rounded once to float32 does not: the
//   fixtures are large enough to tell float arithmetic from it. For Adam and AdamW "PyTorch's
//   parameters" are its step replayed op for op with the square root correctly rounded
//   (`exact_sqrt.*`): torch.sqrt in float32 is MKL's vector square root, 1 ulp away from the
//   correctly rounded one on about a fifth of values, which no IEEE arithmetic reproduces. Against
//   torch.optim's own parameters they stay within a few ulps.
// * The whole float32 loop — forward, loss, backward and step all in the engine — follows PyTorch's
//   losses, gradients and parameters within float32 rounding.

private let float32OptimizerCases = TorchFloat32Fixture.optimizerNames

/// A float32 leaf holding fixture tensor `key` (the values are float32 already, so exactly).
private func float32Tensor(_ f: TorchFixture, _ key: String, requiresGrad: Bool = false) throws -> Tensor {
    let t = try f.tensor(key)
    return try Tensor(shape: t.shape, storage: t.storage, dtype: .float32, requiresGrad: requiresGrad)
}

/// The largest |actual − expected| over fixture tensor `key`, in units of `bound(expected)`.
private func worstRatio(_ actual: [Double], _ f: TorchFixture, _ key: String, bound: (Double) -> Double) throws -> Double {
    zip(actual, try f.tensor(key).storage).map { a, e in abs(a - e) / bound(e) }.max() ?? 0
}

/// How many elements of `actual` differ in their bits from fixture tensor `key`.
private func bitMismatches(_ actual: [Double], _ f: TorchFixture, _ key: String) throws -> Int {
    let expected = try f.tensor(key).storage
    #expect(actual.count == expected.count, "\(f.name).\(key): \(actual.count) values against \(expected.count)")
    return zip(actual, expected).filter { $0.bitPattern != $1.bitPattern }.count
}

@Test func float32OptimizerFixturesAreTheSixCasesInFloat32() throws {
    for name in float32OptimizerCases {
        let f = try TorchFloat32Fixture.load(name)
        let f64 = try TorchFixture.load(name)
        #expect(try f.string("dtype") == "float32")
        // The float64 case's optimizer and hyper-parameters, on a larger problem.
        for key in ["lr", "weight_decay"] { #expect(try f.double(key) == f64.double(key), "\(name).\(key)") }
        #expect(try f.string("optimizer") == f64.string("optimizer"))
        let steps = try f.int("steps")
        #expect(steps == 8)
        #expect(try f.shape("W0") == [8, 16] && f.shape("b0") == [8] && f.shape("X") == [32, 16])
        let adam = try f.string("optimizer") != "SGD"
        for s in 0..<steps {
            #expect(try f.shape("grad.W\(s)") == [8, 16] && f.shape("grad.b\(s)") == [8] && f.shape("loss\(s)") == [])
            #expect(f.has("exact_sqrt.W\(s + 1)") == adam && f.has("exact_sqrt.b\(s + 1)") == adam)
        }
        #expect(try f.scalar("loss\(steps - 1)") < f.scalar("loss0"), "\(name) should descend")
    }
}

@Test(arguments: float32OptimizerCases)
func float32StepsLandOnPyTorchsFloat32ParametersBitForBit(_ name: String) throws {
    let f = try TorchFloat32Fixture.load(name)
    let steps = try f.int("steps")
    let W = try float32Tensor(f, "W0", requiresGrad: true), b = try float32Tensor(f, "b0", requiresGrad: true)
    let optimizer = try makeOptimizer(f, [W, b])
    // The same steps formed in double, the parameters rounded to float32 after each.
    let W64 = try f.tensor("W0", requiresGrad: true), b64 = try f.tensor("b0", requiresGrad: true)
    let optimizer64 = try makeOptimizer(f, [W64, b64])
    // PyTorch's parameters, with the square root correctly rounded for Adam (see the top).
    let reference = f.has("exact_sqrt.W1") ? "exact_sqrt." : ""
    var roundedOnceMismatches = 0, torchMismatches = 0, worst = 0.0
    // How far torch.optim's Adam may drift from the correctly rounded one after s steps, a rough
    // bound: an Adam step is at most lr·(1 − β₁)/√(1 − β₂) (≈ 3.2·lr for the default betas); a
    // square root 1 ulp off, passed through the division and the sum, changes it by a relative
    // ~2 ulps (2⁻²³), and the parameter then rounds at most 1 ulp elsewhere; each step adds one of
    // each (with the decay added to the gradient, a parameter's difference also feeds back into
    // the moments, a second-order effect over 8 steps). The fixtures' worst is a third of it.
    let lr = try f.double("lr")
    for s in 0..<steps {
        W.gradStorage = try f.tensor("grad.W\(s)").storage
        b.gradStorage = try f.tensor("grad.b\(s)").storage
        W64.gradStorage = W.gradStorage
        b64.gradStorage = b.gradStorage
        try optimizer.step()
        try optimizer64.step()
        #expect(W.dtype == .float32 && b.dtype == .float32)
        #expect(try bitMismatches(W.storage, f, "\(reference)W\(s + 1)") == 0, "\(name) \(reference)W\(s + 1)")
        #expect(try bitMismatches(b.storage, f, "\(reference)b\(s + 1)") == 0, "\(name) \(reference)b\(s + 1)")
        func bound(_ e: Double) -> Double { Double(s + 1) * (3 * lr * 0x1p-23 + Double(Float(e).ulp)) }
        worst = max(worst, try worstRatio(W.storage, f, "W\(s + 1)", bound: bound), try worstRatio(b.storage, f, "b\(s + 1)", bound: bound))
        torchMismatches += try bitMismatches(W.storage, f, "W\(s + 1)") + bitMismatches(b.storage, f, "b\(s + 1)")
        for p in [W64, b64] { p.storage = p.storage.map { Double(Float($0)) } }
        roundedOnceMismatches += try bitMismatches(W64.storage, f, "\(reference)W\(s + 1)")
            + bitMismatches(b64.storage, f, "\(reference)b\(s + 1)")
    }
    #expect(roundedOnceMismatches > 0, "\(name): an update formed in double and rounded once should differ somewhere")
    // torch.optim's own parameters: the same for SGD; for Adam, different (MKL's square root) but
    // within the drift above.
    #expect(reference.isEmpty ? torchMismatches == 0 : torchMismatches > 0, "\(name): \(torchMismatches) values differ from torch.optim")
    #expect(worst <= 1, "\(name): \(worst) times the drift bound from torch.optim")
}

@Test(arguments: float32OptimizerCases)
func float32TrainingLoopFollowsPyTorch(_ name: String) throws {
    let f = try TorchFloat32Fixture.load(name)
    let X = try float32Tensor(f, "X"), Y = try float32Tensor(f, "Y")
    let W = try float32Tensor(f, "W0", requiresGrad: true), b = try float32Tensor(f, "b0", requiresGrad: true)
    let optimizer = try makeOptimizer(f, [W, b])
    // 2·10⁻⁶ of the tensor's largest value (16 float32 ulps): the engine and PyTorch sum the
    // products, and the bias gradient's 32 rows, in different orders (measured: up to 5 ulps of a
    // bias gradient), and the difference carries into the later steps.
    func close(_ actual: Tensor, _ key: String) throws {
        let largest = try f.tensor(key).storage.map(abs).max() ?? 0
        f.expectClose(actual, to: key, tol: 2e-6 * Swift.max(largest, 1e-3))
    }
    for s in 0..<(try f.int("steps")) {
        optimizer.zeroGrad()
        let loss = try Loss.mse(X.matmul(W.T) + b, Y)
        #expect(loss.dtype == .float32)
        try close(loss, "loss\(s)")
        try loss.backward()
        try close(try #require(W.grad), "grad.W\(s)")
        try close(try #require(b.grad), "grad.b\(s)")
        try optimizer.step()
        try close(W, "W\(s + 1)")
        try close(b, "b\(s + 1)")
    }
}
