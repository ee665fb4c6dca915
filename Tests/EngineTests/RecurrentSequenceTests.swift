import Testing
@testable import Engine

// RecurrentSequence runs a bidirectional layer's two directions into one node whose result holds
// both directions' outputs side by side. Held here to an independent composition: two one-way
// layers with the same weights — the reverse one fed the input backwards in time and its outputs
// turned back — joined with `concat`, exactly what a bidirectional layer means (PyTorch's
// definition). The two graphs sum in different orders only where a weight gradient adds over
// time (the reverse direction's rows come in the other order), so they agree to rounding:
// 1e-12 in float64, 1e-5 in float32 (relative to each tensor's largest value, as in
// Float32RecurrentTests). A direction's block in the wrong half, outputs left in reverse time
// order, or a gradient read from the other direction's columns differ by O(1).
@Suite struct RecurrentSequenceTests {
    static let (T, B, I, H) = (5, 2, 3, 4)

    enum Loss: CaseIterable { case everything, finalHiddenOnly, finalCellOnly }

    /// A one-way layer holding direction `d` of `bi`'s weights.
    static func oneWay(_ bi: RecurrentLayer, direction d: Int) throws -> RecurrentLayer {
        let layer = try RecurrentLayer(bi.kind, inputSize: bi.inputSize, hiddenSize: bi.hiddenSize, seed: 99, dtype: bi.weights[0][0].weightIH.dtype)
        let from = bi.weights[0][d], to = layer.weights[0][0]
        for (a, b) in [(from.weightIH, to.weightIH), (from.weightHH, to.weightHH), (from.biasIH!, to.biasIH!), (from.biasHH!, to.biasHH!)] {
            b.storage = a.storage
        }
        return layer
    }

    static func leaf(_ t: Tensor) -> Tensor {
        let copy = t.detach()
        copy.requiresGrad = true
        return copy
    }

    static func loss(_ output: Tensor, _ hn: Tensor, _ cn: Tensor?, _ kind: Loss, dtype: DType) throws -> Tensor {
        let r = try Tensor.randn(output.shape, seed: 11).to(dtype), s = try Tensor.randn(hn.shape, seed: 12).to(dtype)
        let hidden = try (hn * s).sum()
        switch kind {
        case .everything:
            var total = try (try (output * r).sum()) + hidden
            if let cn { total = try total + (try (cn * (try Tensor.randn(cn.shape, seed: 13).to(dtype))).sum()) }
            return total
        case .finalHiddenOnly: return hidden
        case .finalCellOnly: return try (cn! * (try Tensor.randn(cn!.shape, seed: 13).to(dtype))).sum()
        }
    }

    /// ``Float32RecurrentTests/difference(_:_:)``, with a missing gradient or a shape that differs
    /// counted as a failure (infinite) rather than stopping the test run.
    static func difference(_ a: Tensor?, _ b: Tensor?) -> Double {
        guard let a, let b, a.shape == b.shape else { return .infinity }
        return Float32RecurrentTests.difference(a, b)
    }

    @Test(arguments: RecurrentKind.allCases, [DType.float64, .float32])
    func aBidirectionalLayerIsTwoOneWayRunsSideBySide(_ kind: RecurrentKind, _ dtype: DType) throws {
        let tolerance = dtype == .float32 ? 1e-5 : 1e-12
        for lossKind in Loss.allCases where kind == .lstm || lossKind != .finalCellOnly {
            let bi = try RecurrentLayer(kind, inputSize: Self.I, hiddenSize: Self.H, bidirectional: true, seed: 7, dtype: dtype)
            let forward = try Self.oneWay(bi, direction: 0), backward = try Self.oneWay(bi, direction: 1)
            let x = try Tensor.randn([Self.T, Self.B, Self.I], seed: 1).to(dtype)
            let h0 = try Tensor.randn([2, Self.B, Self.H], seed: 2).to(dtype)
            let c0 = kind == .lstm ? try Tensor.randn([2, Self.B, Self.H], seed: 3).to(dtype) : nil

            let (x1, h01, c01) = (Self.leaf(x), Self.leaf(h0), c0.map(Self.leaf))
            let run = try bi(x1, h0: h01, c0: c01)
            try Self.loss(run.output, run.hn, run.cn, lossKind, dtype: dtype).backward()

            let (x2, h02, c02) = (Self.leaf(x), Self.leaf(h0), c0.map(Self.leaf))
            let reversed = [TensorIndex.slice(step: -1)]
            let one = try forward(x2, h0: try h02.index([.slice(stop: 1)]), c0: try c02?.index([.slice(stop: 1)]))
            let other = try backward(try x2.index(reversed), h0: try h02.index([.slice(start: 1)]), c0: try c02?.index([.slice(start: 1)]))
            let output = try Tensor.concat([one.output, try other.output.index(reversed)], axis: 2)
            let hn = try Tensor.concat([one.hn, other.hn]), cn = try one.cn.map { try Tensor.concat([$0, other.cn!]) }
            try Self.loss(output, hn, cn, lossKind, dtype: dtype).backward()

            let label = "\(kind) \(dtype) \(lossKind)"
            #expect(Self.difference(run.output, output) <= tolerance, "\(label): output")
            #expect(Self.difference(run.hn, hn) <= tolerance, "\(label): h_n")
            if let cn { #expect(Self.difference(run.cn, cn) <= tolerance, "\(label): c_n") }
            #expect(run.output.dtype == dtype && run.hn.dtype == dtype)
            #expect(Self.difference(x1.grad, x2.grad) <= tolerance, "\(label): ∂x")
            #expect(Self.difference(h01.grad, h02.grad) <= tolerance, "\(label): ∂h0")
            if let c01, let c02 { #expect(Self.difference(c01.grad, c02.grad) <= tolerance, "\(label): ∂c0") }
            for (d, layer) in [forward, backward].enumerated() {
                let mine = bi.weights[0][d], theirs = layer.weights[0][0]
                for (name, a, b) in [("W_ih", mine.weightIH, theirs.weightIH), ("W_hh", mine.weightHH, theirs.weightHH),
                                     ("b_ih", mine.biasIH!, theirs.biasIH!), ("b_hh", mine.biasHH!, theirs.biasHH!)] {
                    #expect(Self.difference(a.grad, b.grad) <= tolerance, "\(label): ∂\(name) of direction \(d)")
                }
            }
        }
    }

    /// The ops of every node reachable from `t`.
    static func ops(_ t: Tensor) -> [String] {
        var seen = Set<ObjectIdentifier>(), stack = [t], ops: [String] = []
        while let next = stack.popLast() {
            guard seen.insert(ObjectIdentifier(next)).inserted, let node = next.gradNode else { continue }
            ops.append(node.op)
            stack += node.inputs
        }
        return ops
    }

    @Test(arguments: [DType.float64, .float32])
    func bothDirectionsWriteIntoOneNodeWithoutAConcatenation(_ dtype: DType) throws {
        let bi = try RecurrentLayer(.lstm, inputSize: Self.I, hiddenSize: Self.H, numLayers: 2, bidirectional: true, seed: 7, dtype: dtype)
        let run = try bi(try Tensor.randn([Self.T, Self.B, Self.I], seed: 1).to(dtype))
        let ops = Self.ops(run.output)
        #expect(!ops.contains("concat"))
        #expect(ops.filter { $0 == "lstm sequence" }.count == 2, "one node per layer, both directions in it: \(ops)")
        #expect(run.output.shape == [Self.T, Self.B, 2 * Self.H])
    }

    /// The one node against the graph it replaced — each direction its own node (the reverse one
    /// with `reverse: true`), joined by `concat`, final states by `stack` — bit for bit: outputs,
    /// h_n, and every gradient, for every cell, both precisions, one and two layers, with and
    /// without initial states, and losses that use the outputs or only the final states.
    @Test(arguments: RecurrentKind.allCases, [DType.float64, .float32])
    func theOneNodeGivesTheBitsOfTwoNodesAndAConcatenation(_ kind: RecurrentKind, _ dtype: DType) throws {
        for (layers, withState, useOutput) in [(1, true, true), (1, false, true), (1, true, false), (2, true, true), (2, false, false)] {
            let (T, B, I, H) = (5, 3, 3, 4)
            let bi = try RecurrentLayer(kind, inputSize: I, hiddenSize: H, numLayers: layers, bidirectional: true, seed: 7, dtype: dtype)
            let twin = try RecurrentLayer(kind, inputSize: I, hiddenSize: H, numLayers: layers, bidirectional: true, seed: 7, dtype: dtype)
            let x = try Tensor.randn([T, B, I], seed: 1).to(dtype)
            let h0 = try Tensor.randn([2 * layers, B, H], seed: 2).to(dtype)
            let c0 = kind == .lstm ? try Tensor.randn([2 * layers, B, H], seed: 3).to(dtype) : nil
            let r = try Tensor.randn([T, B, 2 * H], seed: 11).to(dtype), s = try Tensor.randn([2 * layers, B, H], seed: 12).to(dtype)
            let q = try Tensor.randn([2 * layers, B, H], seed: 13).to(dtype)
            func loss(_ o: Tensor, _ hn: Tensor, _ cn: Tensor?) throws -> Tensor {
                var total = try (hn * s).sum()
                if useOutput { total = try total + (try (o * r).sum()) }
                if let cn { total = try total + (try (cn * q).sum()) }
                return total
            }
            let (x1, h01, c01) = (Self.leaf(x), Self.leaf(h0), c0.map(Self.leaf))
            let run = try bi(x1, h0: withState ? h01 : nil, c0: withState ? c01 : nil)
            try loss(run.output, run.hn, run.cn).backward()

            let (x2, h02, c02) = (Self.leaf(x), Self.leaf(h0), c0.map(Self.leaf))
            var input = x2, hs: [Tensor] = [], cs: [Tensor] = []
            for layer in 0..<layers {
                var outs: [Tensor] = []
                for d in 0..<2 {
                    let k = layer * 2 + d
                    let one = try kind.runSequence(x: input, directions: [.init(
                        parameters: twin.weights[layer][d], h0: try (withState ? h02[k] : nil), c0: try (withState ? c02?[k] : nil),
                        reverse: d == 1, recorder: nil)])
                    let stateShape = [input.shape[1], twin.hiddenSize]
                    outs.append(one.output)
                    hs.append(RecurrentSequence.finalHidden([one], shape: stateShape, op: "one direction h_n"))
                    if let c = RecurrentSequence.finalCell([one], shape: stateShape, op: "one direction c_n") { cs.append(c) }
                }
                input = try Tensor.concat(outs, axis: 2)
            }
            try loss(input, try Tensor.stack(hs), kind == .lstm ? try Tensor.stack(cs) : nil).backward()

            let label = "\(kind) \(dtype) \(layers) layer(s), states \(withState), outputs in the loss \(useOutput)"
            #expect(run.output.storage == input.storage, "\(label): output")
            #expect(run.hn.storage == (try Tensor.stack(hs)).storage, "\(label): h_n")
            #expect(x1.grad?.storage == x2.grad?.storage, "\(label): ∂x")
            if withState {
                #expect(h01.grad?.storage == h02.grad?.storage, "\(label): ∂h0")
                #expect(c01?.grad?.storage == c02?.grad?.storage, "\(label): ∂c0")
            }
            for (a, b) in zip(bi.namedParameters, twin.namedParameters) {
                #expect(a.tensor.grad?.storage == b.tensor.grad?.storage, "\(label): ∂\(a.name)")
                if dtype == .float32 { #expect(Float32RecurrentTests.isFloat32(a.tensor.grad!), "\(label): ∂\(a.name) is float32") }
            }
            if dtype == .float32 { #expect(Float32RecurrentTests.isFloat32(x1.grad!)) }
        }
    }

    /// Ctrl-C during a two-layer bidirectional forward or backward: the backward leaves every
    /// gradient as it was, and run again it gives a fresh graph's bits.
    @Test(arguments: [DType.float64, .float32])
    func anInterruptedBidirectionalBackwardLeavesGradientsAndCanBeRedone(_ dtype: DType) throws {
        let layer = try RecurrentLayer(.lstm, inputSize: 4, hiddenSize: 8, numLayers: 2, bidirectional: true, seed: 0, dtype: dtype)
        let x = Self.leaf(try Tensor.randn([20, 2, 4], seed: 1).to(dtype))
        let flag = Cancellation.Flag()
        #expect(throws: TensorError.interrupted) {
            try Cancellation.watching(flag) { flag.raise(); _ = try layer(x) }
        }
        flag.lower()
        let run = try layer(x)
        let loss = try run.output.sum() + run.cn!.sum()
        flag.raise()
        #expect(throws: TensorError.interrupted) { try Cancellation.watching(flag) { try loss.backward() } }
        #expect(x.grad == nil && layer.namedParameters.allSatisfy { $0.tensor.grad == nil })
        flag.lower()
        try Cancellation.watching(flag) { try loss.backward() }
        let twin = try RecurrentLayer(.lstm, inputSize: 4, hiddenSize: 8, numLayers: 2, bidirectional: true, seed: 0, dtype: dtype)
        let x2 = Self.leaf(x)
        let run2 = try twin(x2)
        try (try run2.output.sum() + run2.cn!.sum()).backward()
        #expect(x.grad?.storage == x2.grad?.storage)
        for (a, b) in zip(layer.namedParameters, twin.namedParameters) { #expect(a.tensor.grad?.storage == b.tensor.grad?.storage, "\(a.name)") }
    }

    /// A cell, like a layer, refuses an input or state of the other precision (PyTorch's rule), so
    /// that no float32 tensor reaches float64 kernels, whose gradients are not rounded for it.
    /// Without an h₀ to receive it, BPTT does not work out ∂L/∂h₀ (the last of its T backward
    /// products); nothing else reads it, so every other gradient keeps its bits: no h₀, a zero h₀
    /// that needs no gradient and a zero h₀ that needs one give the same input, weight and bias
    /// gradients, and only the last has a gradient of its own — the one PyTorch would give.
    @Test(arguments: RecurrentKind.allCases, [DType.float64, .float32])
    func skippingTheInitialStatesGradientMovesNoOtherBit(_ kind: RecurrentKind, _ dtype: DType) throws {
        let layer = try RecurrentLayer(kind, inputSize: 3, hiddenSize: 5, numLayers: 2, bidirectional: true, seed: 4, dtype: dtype)
        let x = try Tensor.randn([6, 2, 3], seed: 5).to(dtype)
        let target = try Tensor.randn([6, 2, 10], seed: 6).to(dtype)
        func gradients(_ h0: Tensor?) throws -> [[Double]] {
            for p in layer.parameters { p.zeroGrad() }
            let input = Self.leaf(x)
            try Engine.Loss.mse(try layer(input, h0: h0).output, target).backward()
            return [input.grad!.storage] + layer.parameters.map { $0.grad!.storage }
        }
        let none = try gradients(nil)
        let zeros = try Tensor.zeros([4, 2, 5]).to(dtype)
        let fixed = try gradients(zeros)
        let learned = Self.leaf(zeros)
        let withGradient = try gradients(learned)
        for (a, (b, c)) in zip(none, zip(fixed, withGradient)) {
            #expect(a.map(\.bitPattern) == b.map(\.bitPattern) && a.map(\.bitPattern) == c.map(\.bitPattern), "\(kind) \(dtype)")
        }
        let h0Gradient = try #require(learned.grad).storage
        #expect(h0Gradient.count == 40 && h0Gradient.contains { $0 != 0 })
    }

    @Test(arguments: RecurrentKind.allCases)
    func aCellRefusesAnotherPrecision(_ kind: RecurrentKind) throws {
        let cell = try RecurrentCell(kind, inputSize: 3, hiddenSize: 4, seed: 1)  // float64
        let x = try Tensor.randn([2, 3], seed: 5), h = try Tensor.randn([2, 4], seed: 6)
        for (input, state) in [(x.to(.float32), h), (x, h.to(.float32))] {
            #expect {
                _ = try cell(input, h: state)
            } throws: { error in
                "\(error)".contains("the cell's weights are float64 but the \(input.dtype == .float32 ? "input" : "h") is float32")
            }
        }
        #expect(try cell(x, h: h).h.dtype == .float64)
    }
}
