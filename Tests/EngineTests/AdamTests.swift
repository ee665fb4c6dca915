import Foundation
import Testing
@testable import Engine

@Suite struct AdamTests {
    /// Moments made for a parameter whose storage was later replaced by one of another size are
    /// refused with a message naming it, in both precisions, before any parameter moves or any
    /// step count rises.
    @Test(arguments: [DType.float64, .float32])
    func momentsOfAnotherSizeAreAnError(dtype: DType) throws {
        let first = try Tensor(shape: [2], storage: [7, 8], dtype: dtype, requiresGrad: true)
        let p = try Tensor(shape: [2], storage: [1, 2], dtype: dtype, requiresGrad: true)
        let adam = try Adam([first, p])
        first.gradStorage = [1, 1]
        p.gradStorage = [0.5, -0.5]
        try adam.step()
        let firstAfterOneStep = first.storage
        p.storage = [1, 2, 3]
        p.gradStorage = [1, 1, 1]
        #expect {
            try adam.step()
        } throws: { "\($0)".contains("parameter 1 has 3 elements but its optimizer state has 2") }
        #expect(p.storage == [1, 2, 3] && first.storage == firstAfterOneStep)
        #expect(adam.state(of: first)["step"]!.storage == [1] && adam.state(of: p)["step"]!.storage == [1])
    }

    @Test func defaultsAreTorchs() throws {
        let p = [Tensor([1.0], requiresGrad: true)]
        let adam = try Adam(p)
        #expect(adam.lr == 1e-3 && adam.betas == (0.9, 0.999) && adam.eps == 1e-8 && adam.weightDecay == 0)
        #expect(!adam.decoupledWeightDecay)
        let adamW = try AdamW(p)
        #expect(adamW.lr == 1e-3 && adamW.betas == (0.9, 0.999) && adamW.eps == 1e-8 && adamW.weightDecay == 0.01)
        #expect(adamW.decoupledWeightDecay)
    }

    @Test func firstStepMovesEveryWeightByAboutLr() throws {
        // t = 1: m̂ = g and v̂ = g² after bias correction, so the step is η·g/(|g| + ε) ≈ ±η
        // whatever the size of g.
        let p = Tensor([0, 0, 0], requiresGrad: true)
        p.gradStorage = [2, -0.5, 1e-3]
        let adam = try Adam([p], lr: 0.01)
        try adam.step()
        for (x, g) in zip(p.storage, [2, -0.5, 1e-3]) {
            #expect(abs(x - -0.01 * g / (abs(g) + 1e-8)) < 1e-15)
        }
        let state = adam.state(of: p)
        #expect(try state["step"]!.item() == 1)
        // m = (1 − β₁)·g, v = (1 − β₂)·g², to rounding.
        #expect(zip(state["exp_avg"]!.storage, [0.2, -0.05, 1e-4]).allSatisfy { abs($0 - $1) <= 1e-15 * abs($1) })
        #expect(zip(state["exp_avg_sq"]!.storage, [4e-3, 2.5e-4, 1e-9]).allSatisfy { abs($0 - $1) <= 1e-12 * abs($1) })
    }

    @Test func stepsAreInsensitiveToTheGradientScale() throws {
        let small = Tensor([1, 1], requiresGrad: true), large = Tensor([1, 1], requiresGrad: true)
        let a = try Adam([small], lr: 0.1), b = try Adam([large], lr: 0.1)
        for g in [[1.0, -2], [0.5, 3], [-1, 1]] {
            small.gradStorage = g
            large.gradStorage = g.map { $0 * 1000 }
            try a.step()
            try b.step()
        }
        #expect(zip(small.storage, large.storage).allSatisfy { abs($0 - $1) < 1e-8 })
    }

    @Test func adamWDecaysTheWeightsDirectly() throws {
        // A zero gradient isolates the decay: p ← p·(1 − ηλ), and the moments stay 0.
        let p = Tensor([2, -4], requiresGrad: true)
        p.gradStorage = [0, 0]
        let adamW = try AdamW([p], lr: 0.1, weightDecay: 0.5)
        try adamW.step()
        #expect(p.storage == [2 * (1 - 0.1 * 0.5), -4 * (1 - 0.1 * 0.5)])
        #expect(adamW.state(of: p)["exp_avg"]!.storage == [0, 0])
    }

    @Test func adamAddsTheDecayToTheGradient() throws {
        // The same set-up with Adam's L2 term: g = 0 + λp, which then goes through the moments,
        // so the first step is again ≈ η·sign(p) and m holds (1 − β₁)·λp.
        let p = Tensor([2, -4], requiresGrad: true)
        p.gradStorage = [0, 0]
        let adam = try Adam([p], lr: 0.1, weightDecay: 0.5)
        try adam.step()
        #expect(abs(p.storage[0] - 1.9) < 1e-8 && abs(p.storage[1] - -3.9) < 1e-8)
        let m = adam.state(of: p)["exp_avg"]!.storage
        #expect(abs(m[0] - 0.1) < 1e-16 && abs(m[1] - -0.2) < 1e-16)
        #expect(p.gradStorage! == [0, 0])
    }

    @Test func eachParameterCountsItsOwnSteps() throws {
        let p = Tensor([0], requiresGrad: true), q = Tensor([0], requiresGrad: true)
        let adam = try Adam([p, q], lr: 0.01)
        p.gradStorage = [1]
        try adam.step()
        #expect(adam.state(of: q).isEmpty && q.storage == [0])
        q.gradStorage = [1]
        try adam.step()
        #expect(try adam.state(of: p)["step"]!.item() == 2 && adam.state(of: q)["step"]!.item() == 1)
        #expect(abs(q.storage[0] - -0.01) < 1e-9)  // q's first step, fully bias-corrected
        adam.zeroGrad()
        #expect(p.gradStorage == nil && q.gradStorage == nil)
    }

    @Test func invalidHyperparametersAreNamed() throws {
        let p = [Tensor([1], requiresGrad: true)]
        #expect(messageThrown { _ = try Adam(p, lr: -1) } == "Adam: invalid learning rate lr = -1.0: it must be a finite number ≥ 0")
        #expect(messageThrown { _ = try Adam(p, betas: (1, 0.999)) } == "Adam: invalid betas.0 = 1.0: it must be in [0, 1)")
        #expect(messageThrown { _ = try Adam(p, betas: (0.9, -0.1)) } == "Adam: invalid betas.1 = -0.1: it must be in [0, 1)")
        #expect(messageThrown { _ = try Adam(p, betas: (.nan, 0.9)) } == "Adam: invalid betas.0 = nan: it must be in [0, 1)")
        #expect(messageThrown { _ = try Adam(p, eps: -1e-8) } == "Adam: invalid eps = -1e-08: it must be ≥ 0")
        #expect(messageThrown { _ = try Adam(p, weightDecay: -0.1) } == "Adam: invalid weight_decay = -0.1: it must be ≥ 0")
        #expect(messageThrown { _ = try AdamW(p, weightDecay: -0.1) } == "AdamW: invalid weight_decay = -0.1: it must be ≥ 0")
        #expect(messageThrown { _ = try AdamW([]) } == "AdamW: got an empty parameter list (did the model register its parameters?)")
        let adam = try Adam(p)
        p[0].gradStorage = [1]
        adam.betas = (0.9, 1)
        #expect(messageThrown { try adam.step() } == "Adam: invalid betas.1 = 1.0: it must be in [0, 1)")
        #expect(p[0].storage == [1] && adam.state(of: p[0]).isEmpty)
    }

    @Test func stepsInPlaceWithoutReallocating() throws {
        let p = Tensor([1, 2, 3], requiresGrad: true)
        let adam = try AdamW([p], lr: 0.1)
        p.gradStorage = [1, -1, 0.5]
        try adam.step()
        let moments = adam.moments[0]!
        let addresses = (baseAddress(p.storage), baseAddress(moments.m), baseAddress(moments.v))
        for _ in 0..<10 { try adam.step() }
        #expect(baseAddress(p.storage) == addresses.0 && baseAddress(moments.m) == addresses.1)
        #expect(baseAddress(moments.v) == addresses.2 && adam.moments[0]! === moments)
    }

    // MARK: PyTorch fixtures

    @Test(arguments: ["adam_default", "adam_weight_decay", "adamw"])
    func matchesPyTorch(_ name: String) throws {
        #expect(try TorchFixture.load(name).string("optimizer") != "SGD")
        try replayOptimizerFixture(name)
    }
}
