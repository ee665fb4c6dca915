import Testing
@testable import Engine

/// `requires_grad = false` freezes a parameter: backward gives it no gradient, and an optimizer
/// leaves it alone even when a gradient from before it was frozen is still stored.
@Suite struct FrozenParameterTests {
    static var optimizers: [(String, ([Tensor]) throws -> any Optimizer)] {
        [("SGD", { try SGD($0, lr: 0.5, momentum: 0.9, weightDecay: 0.1) }),
         ("Adam", { try Adam($0, lr: 0.5, weightDecay: 0.1) }),
         ("AdamW", { try AdamW($0, lr: 0.5) })]
    }

    func frozenAfterBackward(_ make: ([Tensor]) throws -> any Optimizer) throws -> (frozen: Tensor, live: Tensor) {
        let frozen = try Tensor(shape: [2], storage: [1, 2], requiresGrad: true)
        let live = try Tensor(shape: [2], storage: [3, 4], requiresGrad: true)
        let optimizer = try make([frozen, live])
        try ((frozen * live).sum()).backward()
        frozen.requiresGrad = false
        try optimizer.step()
        return (frozen, live)
    }

    @Test func optimizersSkipAFrozenParameterWithAStaleGradient() throws {
        for (name, make) in Self.optimizers {
            let (frozen, live) = try frozenAfterBackward(make)
            #expect(frozen.storage == [1, 2], "\(name) moved a frozen parameter")
            #expect(live.storage != [3, 4], "\(name) did not move the live one")
        }
    }

    @Test func backwardGivesAFrozenParameterNoGradient() throws {
        let frozen = try Tensor(shape: [2], storage: [1, 2], requiresGrad: false)
        let live = try Tensor(shape: [2], storage: [3, 4], requiresGrad: true)
        try ((frozen * live).sum()).backward()
        #expect(frozen.gradStorage == nil)
        #expect(live.gradStorage == [1, 2])
        for (name, make) in Self.optimizers {
            let optimizer = try make([frozen, live])
            try optimizer.step()
            #expect(frozen.storage == [1, 2], "\(name)")
        }
    }
}
