import Foundation
import Testing
@testable import Engine

/// Where an array's elements live: equal before and after means it was updated in place.
func baseAddress(_ a: [Double]) -> UnsafeRawPointer {
    a.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress!) }
}

/// y = a·x + b as a Module, to train with an optimizer built from `parameters`.
private final class Line: Module {
    let a = Tensor([0.0], requiresGrad: true), b = Tensor([0.0], requiresGrad: true)
    var namedParameters: [(name: String, tensor: Tensor)] { [("a", a), ("b", b)] }
    func callAsFunction(_ x: Tensor) throws -> Tensor { try x * a + b }
}

@Suite struct SGDTests {
    @Test func defaultsAreTorchs() throws {
        let sgd = try SGD([Tensor([1.0], requiresGrad: true)])
        #expect(sgd.lr == 1e-3 && sgd.momentum == 0 && sgd.dampening == 0 && sgd.weightDecay == 0 && !sgd.nesterov)
    }

    @Test func oneStepByHand() throws {
        let p = Tensor([1, 2], requiresGrad: true)
        p.gradStorage = [0.5, -1]
        try SGD([p], lr: 0.125).step()
        #expect(p.storage == [0.9375, 2.125])  // p − η·g
        #expect(p.gradStorage! == [0.5, -1])  // the gradient is left as it was
    }

    @Test func weightDecayIsAddedToATemporaryGradient() throws {
        let p = Tensor([2], requiresGrad: true)
        p.gradStorage = [1]
        try SGD([p], lr: 0.25, weightDecay: 0.5).step()
        #expect(p.storage == [1.5])  // g = 1 + 0.5·2 = 2; p = 2 − 0.25·2
        #expect(p.gradStorage! == [1])
    }

    @Test func momentumStartsAtTheFirstGradientThenDampens() throws {
        let p = Tensor([0], requiresGrad: true)
        let sgd = try SGD([p], lr: 1, momentum: 0.5, dampening: 0.5)
        #expect(sgd.state(of: p).isEmpty)
        p.gradStorage = [1]
        try sgd.step()
        #expect(p.storage == [-1])  // b = g = 1 (dampening does not touch the first step)
        #expect(sgd.state(of: p)["momentum_buffer"]!.storage == [1])
        p.gradStorage = [2]
        try sgd.step()
        #expect(sgd.state(of: p)["momentum_buffer"]!.storage == [1.5])  // 0.5·1 + (1 − 0.5)·2
        #expect(p.storage == [-2.5])
    }

    @Test func nesterovLooksAhead() throws {
        let p = Tensor([0], requiresGrad: true)
        let sgd = try SGD([p], lr: 1, momentum: 0.5, nesterov: true)
        p.gradStorage = [1]
        try sgd.step()
        #expect(p.storage == [-1.5])  // b = 1; g + μ·b = 1.5
        p.gradStorage = [2]
        try sgd.step()
        #expect(p.storage == [-4.75])  // b = 0.5 + 2 = 2.5; g + μ·b = 3.25
    }

    @Test func parametersWithoutGradientsAreSkipped() throws {
        let p = Tensor([1], requiresGrad: true), q = Tensor([1], requiresGrad: true)
        let sgd = try SGD([p, q], lr: 1, momentum: 0.5)
        p.gradStorage = [1]
        try sgd.step()
        #expect(p.storage == [0] && q.storage == [1])
        #expect(sgd.state(of: q).isEmpty)
        q.gradStorage = [4]
        try sgd.step()  // q's first step: its buffer starts at its own gradient
        #expect(sgd.state(of: q)["momentum_buffer"]!.storage == [4] && q.storage == [-3])
        #expect(sgd.state(of: Tensor([1])).isEmpty)
        sgd.zeroGrad()
        #expect(p.gradStorage == nil && q.gradStorage == nil)
    }

    @Test func invalidHyperparametersAreNamed() throws {
        let p = [Tensor([1], requiresGrad: true)]
        #expect(messageThrown { _ = try SGD(p, lr: -0.1) } == "SGD: invalid learning rate lr = -0.1: it must be a finite number ≥ 0")
        #expect(messageThrown { _ = try SGD(p, lr: .nan) } == "SGD: invalid learning rate lr = nan: it must be a finite number ≥ 0")
        // An infinite step size would turn every weight into ±inf or NaN on the first update.
        #expect(messageThrown { _ = try SGD(p, lr: .infinity) } == "SGD: invalid learning rate lr = inf: it must be a finite number ≥ 0")
        #expect(messageThrown { _ = try SGD(p, momentum: -1) } == "SGD: invalid momentum = -1.0: it must be ≥ 0")
        #expect(messageThrown { _ = try SGD(p, weightDecay: -1) } == "SGD: invalid weight_decay = -1.0: it must be ≥ 0")
        #expect(messageThrown { _ = try SGD(p, nesterov: true) }
            == "SGD: Nesterov momentum requires momentum > 0 and dampening = 0 (got momentum = 0.0, dampening = 0.0)")
        #expect(messageThrown { _ = try SGD(p, momentum: 0.9, dampening: 0.1, nesterov: true) } != nil)
        #expect(messageThrown { _ = try SGD([], lr: 0.1) } == "SGD: got an empty parameter list (did the model register its parameters?)")
        #expect(messageThrown { _ = try SGD(p + p, lr: 0.1) } == "SGD: parameter 1 (shape (1,)) appears more than once in the list")
        let computed = try p[0] * 2.0
        #expect(messageThrown { _ = try SGD([computed], lr: 0.1) }!.hasPrefix("SGD: parameter 0 (shape (1,)) is the result of an operation"))
    }

    @Test func aFailingStepChangesNothing() throws {
        let p = Tensor([1], requiresGrad: true), q = Tensor([1, 1], requiresGrad: true)
        let sgd = try SGD([p, q], lr: 0.5)
        p.gradStorage = [1]
        q.gradStorage = [1]
        sgd.lr = -1
        #expect(messageThrown { try sgd.step() } == "SGD: invalid learning rate lr = -1.0: it must be a finite number ≥ 0")
        sgd.lr = 0.5
        q.gradStorage = [1, 1, 1]
        #expect(messageThrown { try sgd.step() } == "SGD: parameter 1 has 2 elements but its gradient has 3")
        #expect(p.storage == [1] && q.storage == [1, 1])
    }

    @Test func stepsInPlaceWithoutReallocating() throws {
        let p = Tensor([1, 2, 3], requiresGrad: true)
        let sgd = try SGD([p], lr: 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true)
        p.gradStorage = [1, -1, 0.5]
        try sgd.step()
        let (storage, buffer) = (baseAddress(p.storage), baseAddress(sgd.momentumBuffers[0]!))
        for _ in 0..<10 { try sgd.step() }
        #expect(baseAddress(p.storage) == storage && baseAddress(sgd.momentumBuffers[0]!) == buffer)
    }

    @Test func trainsAModule() throws {
        let line = Line()
        let sgd = try SGD(line.parameters, lr: 0.1, momentum: 0.9)
        let x = Tensor([-1, 0, 1, 2]), y = Tensor([-1, 1, 3, 5])  // y = 2x + 1
        for _ in 0..<400 {  // heavy-ball momentum converges like √μ ≈ 0.95 per step
            sgd.zeroGrad()
            try Loss.mse(line(x), y).backward()
            try sgd.step()
        }
        #expect(abs(line.a.storage[0] - 2) < 1e-6 && abs(line.b.storage[0] - 1) < 1e-6)
    }

    /// A parameter whose storage was replaced by one of another size after its momentum buffer was
    /// made is refused with a message naming it, in both precisions, before any parameter moves
    /// (the update loops would otherwise run past the buffer's end).
    @Test(arguments: [DType.float64, .float32])
    func aMomentumBufferOfAnotherSizeIsAnError(dtype: DType) throws {
        let first = try Tensor(shape: [2], storage: [7, 8], dtype: dtype, requiresGrad: true)
        let p = try Tensor(shape: [3], storage: [1, 2, 3], dtype: dtype, requiresGrad: true)
        let sgd = try SGD([first, p], lr: 0.1, momentum: 0.9)
        first.gradStorage = [1, 1]
        p.gradStorage = [1, -1, 0.5]
        try sgd.step()
        let firstAfterOneStep = first.storage
        p.storage = [1, 2, 3, 4, 5]
        p.gradStorage = [1, 1, 1, 1, 1]
        #expect {
            try sgd.step()
        } throws: { "\($0)".contains("parameter 1 has 5 elements but its optimizer state has 3") }
        #expect(p.storage == [1, 2, 3, 4, 5] && first.storage == firstAfterOneStep)
    }

    /// An empty parameter steps as a no-op in both precisions, with and without momentum, and
    /// keeps an (empty) momentum buffer as a non-empty one would.
    @Test(arguments: [DType.float64, .float32])
    func anEmptyParameterStepsAsANoOp(dtype: DType) throws {
        for momentum in [0.0, 0.9] {
            let empty = try Tensor(shape: [0], storage: [], dtype: dtype, requiresGrad: true)
            let sgd = try SGD([empty], lr: 0.1, momentum: momentum)
            empty.gradStorage = []
            try sgd.step(); try sgd.step()
            #expect(empty.storage.isEmpty)
            #expect(sgd.state(of: empty)["momentum_buffer"]?.storage == (momentum == 0 ? nil : []))
        }
    }

    // MARK: PyTorch fixtures

    @Test(arguments: ["sgd_plain", "sgd_momentum", "sgd_nesterov"])
    func matchesPyTorch(_ name: String) throws {
        #expect(try TorchFixture.load(name).string("optimizer") == "SGD")
        try replayOptimizerFixture(name)
    }
}
