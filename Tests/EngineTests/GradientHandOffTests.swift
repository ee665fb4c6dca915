import Testing
@testable import Engine

/// The LSTM's final cell state is a node computed from the sequence's outputs, whose gradient
/// reaches the sequence's backward sideways (GradientHandOff). These tests hold that hand-off to
/// the walk that made it, and check the gradient through c_T alone against finite differences.
@Suite struct GradientHandOffTests {
    @Test func aGradientIsTakenOnlyByTheWalkThatLeftIt() {
        let handOff = GradientHandOff()
        let first = BackwardWalk(), second = BackwardWalk()
        BackwardWalk.$current.withValue(first) { handOff.put([1, 2]) }
        // A later walk finds nothing (a walk interrupted between the two nodes leaves a value behind).
        #expect(BackwardWalk.$current.withValue(second) { handOff.take() } == nil)
        // Taking empties it, even when the walk did not match.
        #expect(BackwardWalk.$current.withValue(first) { handOff.take() } == nil)

        let taken = BackwardWalk.$current.withValue(first) { () -> [Double]? in
            handOff.put([3, 4])
            return handOff.take()
        }
        #expect(taken == [3, 4])
        #expect(BackwardWalk.$current.withValue(first) { handOff.take() } == nil)
        // Outside any walk nothing is taken.
        handOff.put([5])
        #expect(handOff.take() == nil)
    }

    /// A later put replaces an earlier one: the walk's own value wins over one left behind.
    @Test func aLaterPutReplacesALeftOverValue() {
        let handOff = GradientHandOff()
        let stale = BackwardWalk(), current = BackwardWalk()
        BackwardWalk.$current.withValue(stale) { handOff.put([9, 9]) }
        let taken = BackwardWalk.$current.withValue(current) { () -> [Double]? in
            handOff.put([1, 1])
            return handOff.take()
        }
        #expect(taken == [1, 1])
    }

    /// A loss on c_T alone: the outputs are not used, yet the sequence's backward must run (the
    /// final-cell node sends it a zero gradient) and start from ∂L/∂c_T. Checked by central
    /// differences, with every input receiving a non-zero gradient.
    @Test(arguments: [false, true])
    func aLossOnTheFinalCellAloneReachesEveryInput(bidirectional: Bool) throws {
        let layer = try RecurrentLayer(.lstm, inputSize: 2, hiddenSize: 3, bidirectional: bidirectional, seed: 4)
        let x = try Tensor.randn([4, 2, 2], seed: 5)
        x.requiresGrad = true
        let weights = try Tensor.randn([layer.directions, 2, 3], seed: 6)
        let inputs = [x] + layer.parameters
        let result = try gradcheck(inputs) { xs in
            let out = try layer(xs[0])
            return try (try #require(out.cn) * weights).sum()
        }
        #expect(result.passed, "\(result)")
        for (n, t) in inputs.enumerated() {
            let g = try #require(t.grad, "input \(n) has no gradient")
            #expect(g.storage.contains { $0 != 0 }, "input \(n): gradient is identically zero")
        }
    }

    /// Two walks over one graph, the first through c_T and the second not: the second's gradients
    /// equal those of a fresh graph. (A value left behind by an interrupted walk is the first test's.)
    @Test func aSecondWalkWithoutTheCellIgnoresTheFirstWalksGradient() throws {
        let layer = try RecurrentLayer(.lstm, inputSize: 2, hiddenSize: 3, seed: 7)
        let x = try Tensor.randn([3, 2, 2], seed: 8)
        let out = try layer(x)
        try (try #require(out.cn)).sum().backward()
        layer.zeroGrad()
        try out.output.sum().backward()
        let reused = layer.parameters.map { $0.grad!.storage }

        layer.zeroGrad()
        try layer(x).output.sum().backward()
        let fresh = layer.parameters.map { $0.grad!.storage }
        #expect(reused == fresh)
    }
}
