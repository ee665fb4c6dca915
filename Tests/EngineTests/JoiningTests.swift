import Testing
@testable import Engine

// Joining.swift: concat, stack and split, values, errors and gradients.

@Suite struct ConcatTests {
    @Test func alongTheFirstAxis() throws {
        let a = try literal([[1, 2], [3, 4]]), b = try literal([[5, 6]])
        expectTensor(try Tensor.concat([a, b]), shape: [3, 2], [1, 2, 3, 4, 5, 6])
        expectTensor(try Tensor.concat([b, a, b]), shape: [4, 2], [5, 6, 1, 2, 3, 4, 5, 6])
        expectTensor(try Tensor.concat([Tensor([1, 2]), Tensor([]), Tensor([3])]), shape: [3], [1, 2, 3])
        expectTensor(try Tensor.concat([a]), shape: [2, 2], [1, 2, 3, 4])
    }

    /// Along the last axis the rows interleave: [[1], [2]] ++ [[3, 4], [5, 6]] = [[1, 3, 4], [2, 5, 6]].
    @Test func alongAnInnerAxis() throws {
        let a = try literal([[1], [2]]), b = try literal([[3, 4], [5, 6]])
        expectTensor(try Tensor.concat([a, b], axis: 1), shape: [2, 3], [1, 3, 4, 2, 5, 6])
        expectTensor(try Tensor.concat([b, a], axis: -1), shape: [2, 3], [3, 4, 1, 5, 6, 2])
        // (2, 1, 2) ++ (2, 2, 2) on axis 1: the middle axis grows, the outer one is walked.
        let c = try Tensor.arange(0, 4).reshape([2, 1, 2]), d = try Tensor.arange(10, 18).reshape([2, 2, 2])
        expectTensor(try Tensor.concat([c, d], axis: 1), shape: [2, 3, 2], [0, 1, 10, 11, 12, 13, 2, 3, 14, 15, 16, 17])
    }

    @Test func misuseIsRefused() throws {
        #expect(tensorError { try Tensor.concat([]) } == .invalidArgument(op: "concat", message: "needs at least one tensor"))
        #expect(tensorError { try Tensor.concat([Tensor(1), Tensor(2)]) }
            == .invalidArgument(op: "concat", message: "cannot concatenate rank-0 tensors; use stack"))
        let a = try Tensor.zeros([2, 3])
        #expect(tensorError { try Tensor.concat([a, Tensor.zeros([2, 4])]) } == .shapeMismatch(op: "concat", lhs: [2, 3], rhs: [2, 4]))
        #expect(tensorError { try Tensor.concat([a, Tensor.zeros([3])]) } == .shapeMismatch(op: "concat", lhs: [2, 3], rhs: [3]))
        #expect(tensorError { try Tensor.concat([a, a], axis: 2) } == .axisOutOfRange(op: "concat", axis: 2, rank: 2))
        #expect(try Tensor.concat([a, Tensor.zeros([2, 4])], axis: 1).shape == [2, 7])
    }

    /// The pieces fit in memory, but the joined result need not: refused before allocating, and an
    /// axis whose sizes add up past Int.max (it used to trap) is refused too.
    @Test func hugeResultsAreRefused() throws {
        let block = try Tensor.zeros([1000, 1000])
        let error = tensorError { try Tensor.concat([Tensor](repeating: block, count: 1001)) }
        #expect(error == .invalidArgument(op: "concat", message: "shape (1001000, 1000) is too large (more than 1000000000 elements)"))
        // Empty pieces whose joined axis is too long (an empty tensor's other sizes are bounded too).
        let wide = try Tensor(shape: [0, 600_000_000], storage: [])
        #expect(tensorError { try Tensor.concat([wide, wide], axis: 1) }
            == .invalidArgument(op: "concat", message: "shape (0, 1200000000) is too large (it holds no elements, but its other sizes multiply to more than 1000000000)"))
    }
}

@Suite struct StackTests {
    @Test func stackAddsAnAxis() throws {
        let a = Tensor([1, 2]), b = Tensor([3, 4])
        expectTensor(try Tensor.stack([a, b]), shape: [2, 2], [1, 2, 3, 4])
        expectTensor(try Tensor.stack([a, b], axis: 1), shape: [2, 2], [1, 3, 2, 4])
        expectTensor(try Tensor.stack([a, b, a], axis: -1), shape: [2, 3], [1, 3, 1, 2, 4, 2])
        expectTensor(try Tensor.stack([Tensor(1), Tensor(2), Tensor(3)]), shape: [3], [1, 2, 3])
        // Per-step states h_t of shape (B, H) become a (T, B, H) sequence.
        let steps = try (0..<3).map { t in try Tensor.full([2, 2], Double(t)) }
        expectTensor(try Tensor.stack(steps), shape: [3, 2, 2], [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2])
    }

    /// One tensor gains its axis without a joined copy, and behaves as the general path does:
    /// the values at every axis, the gradient passed back whole, the dtype kept.
    @Test func oneTensorIsItselfWithANewAxis() throws {
        let a = try Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6], dtype: .float32, requiresGrad: true)
        for axis in [0, 1, 2, -1] {
            let one = try Tensor.stack([a], axis: axis), joined = try Tensor.concat([try a.unsqueeze(axis)], axis: axis)
            #expect(one.shape == joined.shape && one.storage == joined.storage && one.dtype == .float32, "axis \(axis)")
            #expect(one.gradNode?.op == "reshape")
        }
        let weights = try Tensor(shape: [2, 1, 3], storage: [1, 2, 3, 4, 5, 6])
        try (try Tensor.stack([a], axis: 1) * weights).sum().backward()
        #expect(a.grad?.storage == [1, 2, 3, 4, 5, 6])
    }

    @Test func misuseIsRefused() throws {
        #expect(tensorError { try Tensor.stack([]) } == .invalidArgument(op: "stack", message: "needs at least one tensor"))
        #expect(tensorError { try Tensor.stack([Tensor([1, 2]), Tensor([1, 2, 3])]) } == .shapeMismatch(op: "stack", lhs: [2], rhs: [3]))
        #expect(tensorError { try Tensor.stack([Tensor([1, 2])], axis: 2) } == .axisOutOfRange(op: "stack", axis: 2, rank: 2))
        #expect(tensorError { try Tensor.stack([Tensor([1, 2])], axis: -3) } == .axisOutOfRange(op: "stack", axis: -3, rank: 2))
    }
}

@Suite struct SplitTests {
    @Test func splitBySizes() throws {
        let pieces = try Tensor.arange(0, 10).split(sizes: [3, 7])
        #expect(pieces.count == 2)
        expectTensor(pieces[0], shape: [3], [0, 1, 2])
        expectTensor(pieces[1], shape: [7], [3, 4, 5, 6, 7, 8, 9])
        let m = try Tensor.arange(0, 10).reshape([2, 5])
        let columns = try m.split(sizes: [2, 0, 3], axis: 1)
        expectTensor(columns[0], shape: [2, 2], [0, 1, 5, 6])
        expectTensor(columns[1], shape: [2, 0], [])
        expectTensor(columns[2], shape: [2, 3], [2, 3, 4, 7, 8, 9])
    }

    /// An LSTM's stacked gate weights, (4H, I), cut into its four (H, I) blocks.
    @Test func splitIntoEqualParts() throws {
        let w = try Tensor.arange(0, 16).reshape([8, 2])
        let gates = try w.split(parts: 4)
        #expect(gates.map(\.shape) == [[2, 2], [2, 2], [2, 2], [2, 2]])
        expectTensor(gates[3], shape: [2, 2], [12, 13, 14, 15])
        let halves = try Tensor.arange(0, 12).reshape([2, 6]).split(parts: 3, axis: -1)
        expectTensor(halves[1], shape: [2, 2], [2, 3, 8, 9])
    }

    @Test func misuseIsRefused() throws {
        let v = try Tensor.arange(0, 10)
        #expect(tensorError { try v.split(sizes: [3, 6]) }
            == .invalidArgument(op: "split", message: "sizes [3, 6] do not add up to 10, the length of axis 0"))
        #expect(tensorError { try v.split(sizes: [12, -2]) } != nil)
        // Used to trap: the sizes were summed without an overflow check.
        #expect(tensorError { try v.split(sizes: [Int.max, 1]) }
            == .invalidArgument(op: "split", message: "sizes [\(Int.max), 1] do not add up to 10, the length of axis 0"))
        #expect(tensorError { try v.split(sizes: [Int.max, Int.max, 12]) } != nil)
        #expect(tensorError { try v.split(parts: 3) }
            == .invalidArgument(op: "split", message: "axis 0 of length 10 does not divide into 3 equal parts"))
        #expect(tensorError { try v.split(parts: 0) } != nil)
        #expect(tensorError { try v.split(parts: -2) } != nil)
        #expect(tensorError { try v.split(parts: 2, axis: 1) } == .axisOutOfRange(op: "split", axis: 1, rank: 1))
    }
}

@Suite struct JoiningGradientTests {
    @Test func gradcheckConcat() throws {
        let a = try gaussian([2, 3], seed: 51), b = try gaussian([2, 1], seed: 52), c = try gaussian([1, 3], seed: 53)
        try expectGradcheck([a, b]) { try Tensor.concat([$0[0], $0[1]], axis: 1) }
        try expectGradcheck([a, c]) { try Tensor.concat([$0[1], $0[0], $0[1]]) }
        let constant = try gaussian([2, 2], seed: 54)
        try expectGradcheck([a]) { try Tensor.concat([constant, $0[0]], axis: -1).tanh() }
    }

    @Test func gradcheckStack() throws {
        let a = try gaussian([2, 3], seed: 55), b = try gaussian([2, 3], seed: 56)
        try expectGradcheck([a, b]) { try Tensor.stack([$0[0], $0[1], $0[0]]) }
        try expectGradcheck([a, b]) { try Tensor.stack([$0[0], $0[1]], axis: 2) }
    }

    @Test func gradcheckSplitPieces() throws {
        let x = try gaussian([3, 8], seed: 57)
        for k in 0..<4 {
            try expectGradcheck([x]) { try $0[0].split(parts: 4, axis: 1)[k].sigmoid() }
        }
        try expectGradcheck([x]) { xs in
            let p = try xs[0].split(sizes: [1, 2], axis: 0)
            return try p[0] * p[1]  // (1, 8) ⊙ (2, 8)
        }
    }

    /// The gradient of a concatenation is cut back into the pieces' shapes.
    @Test func concatGradientIsSplitBack() throws {
        let a = try Tensor.zeros([2, 1], requiresGrad: true), b = try Tensor.zeros([2, 2], requiresGrad: true)
        try Tensor.concat([a, b], axis: 1).backward(gradient: Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6]))
        expectTensor(try #require(a.grad), shape: [2, 1], [1, 4])
        expectTensor(try #require(b.grad), shape: [2, 2], [2, 3, 5, 6])
    }
}
