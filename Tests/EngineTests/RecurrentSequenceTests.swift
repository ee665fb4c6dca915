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

    static func difference(_ a: Tensor?, _ b: Tensor?) -> Double {
        guard let a, let b, a.shape == b.shape else { return .infinity }
        var worst = 0.0, scale = 0.0
        for (x, y) in zip(a.storage, b.storage) {
            if x.isNaN || y.isNaN { return .infinity }
            worst = Swift.max(worst, Swift.abs(x - y))
            scale = Swift.max(scale, Swift.abs(y))
        }
        return scale == 0 ? worst : worst / scale
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
}
