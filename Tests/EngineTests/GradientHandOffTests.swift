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
        // Another walk finds nothing (a walk interrupted between the two nodes leaves a value behind).
        #expect(BackwardWalk.$current.withValue(second) { handOff.take() } == nil)
        // The walk that left it takes it, once.
        #expect(BackwardWalk.$current.withValue(first) { handOff.take() } == [1, 2])
        #expect(BackwardWalk.$current.withValue(first) { handOff.take() } == nil)
        // Outside any walk nothing is kept.
        handOff.put([5])
        #expect(BackwardWalk.$current.withValue(first) { handOff.take() } == nil)
        #expect(handOff.take() == nil)
    }

    /// Two hand-offs in one walk keep their own values; a later put replaces an earlier one.
    @Test func handOffsAreKeptApartAndReplaced() {
        let a = GradientHandOff(), b = GradientHandOff(), walk = BackwardWalk()
        BackwardWalk.$current.withValue(walk) {
            a.put([1]); b.put([2]); a.put([3])
            #expect(b.take() == [2])
            #expect(a.take() == [3])
        }
    }

    /// Walks on several threads at once, each over its own graph through c_T, get the gradients
    /// a walk alone gets.
    @Test func concurrentWalksDoNotMix() async throws {
        func gradients() throws -> [[Double]] {
            let layer = try RecurrentLayer(.lstm, inputSize: 2, hiddenSize: 3, seed: 9)
            let out = try layer(try Tensor.randn([4, 2, 2], seed: 10))
            try (try (try #require(out.cn)).sum() + out.output.sum()).backward()
            return layer.parameters.map { $0.grad!.storage }
        }
        let alone = try gradients()
        try await withThrowingTaskGroup(of: [[Double]].self) { group in
            for _ in 0..<8 { group.addTask { try gradients() } }
            for try await result in group { #expect(result == alone) }
        }
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

    /// `output.retainGrad()` holds what reached the outputs alone, as in PyTorch: nothing when the
    /// loss uses only h_n or only c_n (h_T and c_T are taken from the sequence, not from `output`),
    /// and exactly ∂L/∂output when it uses the outputs.
    @Test func theOutputsGradientIsOnlyWhatReachedTheOutputs() throws {
        let layer = try RecurrentLayer(.lstm, inputSize: 2, hiddenSize: 3, seed: 11)
        let x = try Tensor.randn([4, 2, 2], seed: 12)
        for use in ["hn", "cn", "output"] {
            let out = try layer(x)
            out.output.retainGrad()
            let loss: Tensor
            switch use {
            case "hn": loss = try out.hn.sum()
            case "cn": loss = try (try #require(out.cn)).sum()
            default: loss = try (out.output * 2).sum()
            }
            try loss.backward()
            if use == "output" {
                #expect(out.output.grad?.storage == [Double](repeating: 2, count: 4 * 2 * 3))
            } else {
                #expect(out.output.grad == nil, "loss on \(use)")
            }
        }
    }

    /// A graph walked twice, first through c_T and then not: the second walk's gradients equal a
    /// fresh graph's. (What an interrupted walk leaves behind is the first test's case.)
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
