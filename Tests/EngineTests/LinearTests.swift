import Foundation
import Testing
@testable import Engine

/// ``Linear`` (Linear.swift): PyTorch parity on the `linear` fixture, its initialisation range and
/// its error messages.
@Suite struct LinearTests {
    /// Weights loaded by state_dict name; forward y and the gradients of L = Σ y⊙dy match PyTorch.
    @Test func matchesPyTorchFixture() throws {
        let f = try TorchFixture.load("linear")
        let layer = try Linear(inFeatures: try f.int("in_features"), outFeatures: try f.int("out_features"),
                               bias: try f.bool("bias"))
        #expect(layer.namedParameters.map(\.name) == ["weight", "bias"])
        try layer.loadStateDict(["weight": try f.tensor("weight"), "bias": try f.tensor("bias")])

        let x = try f.tensor("x", requiresGrad: true)
        #expect(x.shape == [2, 5, 4])
        let y = try layer(x)
        f.expectClose(y, to: "y")
        try (y * f.tensor("dy")).sum().backward()
        f.expectClose(try #require(layer.weight.grad), to: "grad.weight")
        f.expectClose(try #require(layer.bias?.grad), to: "grad.bias")
        f.expectClose(try #require(x.grad), to: "grad.x")
    }

    /// Any leading shape: (…, in) → (…, out), the same map on every row.
    @Test func mapsEveryLeadingPosition() throws {
        let layer = try Linear(inFeatures: 3, outFeatures: 2, seed: 1)
        let x = try randomTensor([4, 3], seed: 2)
        let batched = try layer(try x.reshape([2, 2, 3]))
        #expect(batched.shape == [2, 2, 2])
        expectClose(try batched.reshape([4, 2]), try layer(x), tol: 0, "(2, 2, 3) vs (4, 3)")
        let single = try layer(try x[1])
        #expect(single.shape == [2])
        expectClose(single, try layer(x)[1], tol: 1e-15, "rank-1 input")
    }

    @Test func withoutBias() throws {
        let layer = try Linear(inFeatures: 3, outFeatures: 2, bias: false)
        #expect(layer.bias == nil)
        #expect(layer.namedParameters.map(\.name) == ["weight"])
        #expect(layer.parameterCount == 6)
        let x = try randomTensor([5, 3], seed: 3)
        expectClose(try layer(x), try x.matmul(layer.weight.T), tol: 0, "x·Wᵀ")
    }

    /// PyTorch's default: weight and bias ~ U(−1/√in, 1/√in); the same seed gives the same numbers.
    @Test(arguments: zip([16, 100, 1], [32, 7, 300]))
    func initialisationIsUniformInPlusMinusOneOverRootIn(_ inFeatures: Int, _ outFeatures: Int) throws {
        let layer = try Linear(inFeatures: inFeatures, outFeatures: outFeatures, seed: 9)
        let bound = 1 / Double(inFeatures).squareRoot()
        #expect(layer.weight.shape == [outFeatures, inFeatures])
        #expect(layer.bias?.shape == [outFeatures])
        #expect(layer.weight.requiresGrad && layer.bias!.requiresGrad)
        for p in layer.parameters {
            #expect(p.storage.allSatisfy { Swift.abs($0) <= bound }, "a value outside ±\(bound)")
        }
        // The weights fill the range (not, say, a tenth of it) and are centred.
        let w = layer.weight.storage
        #expect(w.max()! > 0.8 * bound && w.min()! < -0.8 * bound)
        let mean = w.reduce(0, +) / Double(w.count)
        #expect(Swift.abs(mean) < 0.2 * bound)
        let variance = w.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(w.count)
        #expect(Swift.abs(variance - bound * bound / 3) < 0.25 * bound * bound / 3, "variance \(variance) vs b²/3")

        let again = try Linear(inFeatures: inFeatures, outFeatures: outFeatures, seed: 9)
        #expect(again.weight.storage == layer.weight.storage && again.bias!.storage == layer.bias!.storage)
        let other = try Linear(inFeatures: inFeatures, outFeatures: outFeatures, seed: 10)
        #expect(other.weight.storage != layer.weight.storage)
    }

    @Test func errorsNameTheShape() throws {
        let layer = try Linear(inFeatures: 4, outFeatures: 3)
        expectError(containing: ["4", "(2, 5, 3)"], "wrong feature count") { _ = try layer(try Tensor.zeros([2, 5, 3])) }
        expectError(containing: ["4", "()"], "scalar input") { _ = try layer(Tensor(1.0)) }
        expectError(containing: ["positive", "0"], "zero input size") { _ = try Linear(inFeatures: 0, outFeatures: 3) }
        expectError(containing: ["positive", "-2"], "negative output size") { _ = try Linear(inFeatures: 3, outFeatures: -2) }
        expectError(containing: ["missing bias"], "state dict without bias") {
            try layer.loadStateDict(["weight": try Tensor.zeros([3, 4])])
        }
        expectError(containing: ["weight", "(3, 4)", "(4, 3)"], "state dict with a transposed weight") {
            try layer.loadStateDict(["weight": try Tensor.zeros([4, 3]), "bias": try Tensor.zeros([3])])
        }
    }
}
