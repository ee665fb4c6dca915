import Foundation
import Testing
@testable import Engine

/// A parameter whose gradient is already `grad` (as if backward had run).
private func parameter(grad: [Double]?) -> Tensor {
    let p = Tensor([Double](repeating: 1, count: grad?.count ?? 2), requiresGrad: true)
    p.gradStorage = grad
    return p
}

@Suite struct ClippingTests {
    @Test func clipGradNormByHand() throws {
        // ‖(3, 4)‖ = 5 and ‖(12)‖ = 12, so the total is ‖(5, 12)‖ = 13.
        let a = parameter(grad: [3, 4]), b = parameter(grad: [12]), none = parameter(grad: nil)
        let total = try clipGradNorm([a, b, none], maxNorm: 6.5)
        #expect(total == 13)
        let coef = 6.5 / (13 + 1e-6)
        #expect(a.gradStorage! == [3 * coef, 4 * coef] && b.gradStorage! == [12 * coef])
        #expect(none.gradStorage == nil)
        #expect(try totalGradNorm([a, b]) < 6.5)  // just under maxNorm, because of the 1e-6
        #expect(try abs(totalGradNorm([a, b]) - 6.5) < 1e-6)
    }

    @Test func clipGradNormLeavesSmallGradientsAlone() throws {
        // ‖(0.375, −0.5)‖ = 0.625 exactly (3-4-5 scaled by a power of two).
        let a = parameter(grad: [0.375, -0.5])
        #expect(try clipGradNorm([a], maxNorm: 0.625) == 0.625)  // coef 0.625/(0.625 + 1e-6) < 1 …
        #expect(a.gradStorage! != [0.375, -0.5])
        let b = parameter(grad: [0.375, -0.5])
        #expect(try clipGradNorm([b], maxNorm: 1) == 0.625)  // … coef ≈ 1.6 ≥ 1: untouched, bit for bit
        #expect(b.gradStorage! == [0.375, -0.5])
        #expect(try clipGradNorm([parameter(grad: nil)], maxNorm: 1) == 0)  // no gradients: norm 0
        #expect(try clipGradNorm([], maxNorm: 1) == 0)
    }

    @Test func infinityNormIsTheLargestMagnitude() throws {
        let a = parameter(grad: [1, -7]), b = parameter(grad: [2])
        #expect(try totalGradNorm([a, b], normType: .infinity) == 7)
        #expect(try clipGradNorm([a, b], maxNorm: 3.5, normType: .infinity) == 7)
        let coef = 3.5 / (7 + 1e-6)
        #expect(a.gradStorage! == [coef, -7 * coef] && b.gradStorage! == [2 * coef])
        #expect(try totalGradNorm([parameter(grad: [1, .nan, 3])], normType: .infinity).isNaN)
    }

    @Test func nonFiniteNormsAreReturnedAndAppliedAsInPyTorch() throws {
        // NaN: the total is NaN and, with errorIfNonfinite false, every gradient becomes NaN.
        let a = parameter(grad: [1, .nan]), b = parameter(grad: [2])
        let total = try clipGradNorm([a, b], maxNorm: 1)
        #expect(total.isNaN)
        #expect(a.gradStorage!.allSatisfy(\.isNaN) && b.gradStorage!.allSatisfy(\.isNaN))
        // inf: the coefficient is 1/inf = 0, so finite entries become 0 and infinite ones NaN.
        let c = parameter(grad: [.infinity, 5])
        #expect(try clipGradNorm([c], maxNorm: 1) == .infinity)
        #expect(c.gradStorage![0].isNaN && c.gradStorage![1] == 0)
        // errorIfNonfinite: throws before touching anything.
        let d = parameter(grad: [-.infinity, 5])
        #expect(messageThrown { try clipGradNorm([d], maxNorm: 1, errorIfNonfinite: true) }!
            .hasPrefix("clipGradNorm: the total gradient norm is inf, so it cannot be clipped"))
        #expect(d.gradStorage! == [-.infinity, 5])
    }

    @Test func clipGradNormRejectsBadArguments() throws {
        let a = parameter(grad: [1])
        #expect(messageThrown { try clipGradNorm([a], maxNorm: 1, normType: 1) }
            == "clip_grad_norm: norm_type = 1.0: only 2 and infinity are supported")
        #expect(messageThrown { try clipGradNorm([a], maxNorm: -1) } == "clip_grad_norm: max_norm = -1.0: it must be ≥ 0")
        #expect(messageThrown { try clipGradNorm([a], maxNorm: .nan) } != nil)
        #expect(a.gradStorage! == [1])
    }

    @Test func clipGradValueClampsEachElement() throws {
        let a = parameter(grad: [-3, -0.5, 0, 0.5, 3, .nan]), none = parameter(grad: nil)
        try clipGradValue([a, none], 1)
        #expect(Array(a.gradStorage![..<5]) == [-1, -0.5, 0, 0.5, 1])
        #expect(a.gradStorage![5].isNaN)
        #expect(none.gradStorage == nil)
        #expect(messageThrown { try clipGradValue([a], -0.1) } == "clipGradValue: value = -0.1: it must be ≥ 0")
    }

    // MARK: PyTorch fixtures (the gradients of lstm_2layer_bidir)

    /// One tensor per `grad.<name>` of the fixture, with that gradient set; keyed by name.
    private func parameters(_ f: TorchFixture) throws -> [(name: String, tensor: Tensor)] {
        try f.names(withPrefix: "grad.").map { key in
            let g = try f.tensor(key)
            let p = try Tensor.zeros(g.shape, requiresGrad: true)
            p.gradStorage = g.storage
            return (String(key.dropFirst("grad.".count)), p)
        }
    }

    @Test func clipGradNormMatchesPyTorch() throws {
        let f = try TorchFixture.load("clip_grad_norm")
        #expect(try f.double("norm_type") == 2 && f.double("eps") == 1e-6)
        let named = try parameters(f)
        #expect(named.count == 16)
        let total = try clipGradNorm(named.map(\.tensor), maxNorm: f.double("max_norm"))
        f.expectClose(Tensor(total), to: "total_norm")
        for (name, p) in named { f.expectClose(p.grad!, to: "clipped.\(name)") }
    }

    @Test func clipGradValueMatchesPyTorch() throws {
        let f = try TorchFixture.load("clip_grad_value")
        let named = try parameters(f)
        #expect(named.count == 16)
        try clipGradValue(named.map(\.tensor), f.double("clip_value"))
        for (name, p) in named { f.expectClose(p.grad!, to: "valueclipped.\(name)", tol: 0) }
    }
}
