import Testing
@testable import Engine

// Shaping.swift: reshape, flatten, permute, transpose, .T, squeeze and unsqueeze.

@Suite struct ReshapeTests {
    let x: Tensor

    init() throws { x = try literal([[1, 2, 3], [4, 5, 6]]) }

    @Test func keepsRowMajorOrder() throws {
        expectTensor(try x.reshape([3, 2]), shape: [3, 2], [1, 2, 3, 4, 5, 6])
        expectTensor(try x.reshape([6]), shape: [6], [1, 2, 3, 4, 5, 6])
        expectTensor(try x.reshape([1, 2, 1, 3]), shape: [1, 2, 1, 3], [1, 2, 3, 4, 5, 6])
        expectTensor(x.flatten(), shape: [6], [1, 2, 3, 4, 5, 6])
    }

    @Test func minusOneIsInferred() throws {
        #expect(try x.reshape([-1]).shape == [6])
        #expect(try x.reshape([3, -1]).shape == [3, 2])
        #expect(try x.reshape([-1, 1, 3]).shape == [2, 1, 3])
        #expect(try Tensor.zeros([0, 4]).reshape([-1, 2]).shape == [0, 2])
    }

    @Test func scalarsAndSingletons() throws {
        expectTensor(try Tensor(5).reshape([1, 1]), shape: [1, 1], [5])
        expectTensor(try Tensor([7]).reshape([]), shape: [], [7])
        expectTensor(try Tensor(7).reshape([-1]), shape: [1], [7])
    }

    @Test func wrongElementCountNamesBothShapes() throws {
        let error = tensorError { try x.reshape([4, 2]) }
        #expect(error == .invalidReshape(from: [2, 3], to: [4, 2]))
        #expect(error?.description == "reshape: cannot reshape (2, 3) (6 elements) into (4, 2)")
        #expect(tensorError { try x.reshape([]) } == .invalidReshape(from: [2, 3], to: []))
    }

    @Test func malformedTargetsAreRefused() throws {
        #expect(tensorError { try x.reshape([-1, -1]) } == .invalidReshape(from: [2, 3], to: [-1, -1]))
        #expect(tensorError { try x.reshape([-2, -3]) } == .invalidReshape(from: [2, 3], to: [-2, -3]))
        #expect(tensorError { try x.reshape([-1, 4]) } == .invalidReshape(from: [2, 3], to: [-1, 4]))
        // NumPy also refuses np.zeros(0).reshape(-1, 0): the inferred size is ambiguous.
        #expect(tensorError { try x.reshape([-1, 0]) } == .invalidReshape(from: [2, 3], to: [-1, 0]))
        #expect(tensorError { try Tensor.zeros([0]).reshape([-1, 0]) } == .invalidReshape(from: [0], to: [-1, 0]))
    }

    /// Sizes typed at a prompt can be anything: products that overflow Int used to trap (with -1)
    /// or wrap to a "matching" count (2³²·2³² wraps to 0, the count of an empty tensor).
    @Test func overflowingTargetsAreRefused() throws {
        #expect(tensorError { try x.reshape([Int.max, 2, -1]) } == .invalidReshape(from: [2, 3], to: [Int.max, 2, -1]))
        let empty = try Tensor.zeros([0])
        #expect(try empty.reshape([1 << 10, 1 << 10, 0]).shape == [1 << 10, 1 << 10, 0])  // 0 elements, sizes fit: fine
        // 0 elements, but summing over the empty axis would need 2⁴⁰: refused.
        #expect(tensorError { try empty.reshape([1 << 20, 1 << 20, 0]) } == .invalidReshape(from: [0], to: [1 << 20, 1 << 20, 0]))
        #expect(tensorError { try empty.reshape([1 << 32, 1 << 32, 0]) } == .invalidReshape(from: [0], to: [1 << 32, 1 << 32, 0]))
        #expect(tensorError { try empty.reshape([0, 1 << 32, 1 << 32]) } == .invalidReshape(from: [0], to: [0, 1 << 32, 1 << 32]))
        #expect(tensorError { try x.reshape([1 << 62, 4, 6]) } == .invalidReshape(from: [2, 3], to: [1 << 62, 4, 6]))
    }
}

@Suite struct PermuteTests {
    /// x = arange(24).reshape(2,3,4); permute([2,0,1]) puts x[i,j,k] at [k,i,j].
    @Test func permuteMovesEveryElement() throws {
        let x = try Tensor.arange(0, 24).reshape([2, 3, 4])
        let y = try x.permute([2, 0, 1])
        #expect(y.shape == [4, 2, 3])
        for i in 0..<2 { for j in 0..<3 { for k in 0..<4 {
            #expect(try y.element([k, i, j]) == x.element([i, j, k]))
        } } }
        #expect(try x.permute([-1, 0, 1]).storage == y.storage)
        #expect(try x.permute([0, 1, 2]).storage == x.storage)
    }

    /// NumPy 2.4: np.arange(24).reshape(2,3,4).transpose(1,0,2).ravel().tolist().
    @Test func permuteMatchesNumPy() throws {
        let x = try Tensor.arange(0, 24).reshape([2, 3, 4])
        #expect(try x.permute([1, 0, 2]).storage
            == [0, 1, 2, 3, 12, 13, 14, 15, 4, 5, 6, 7, 16, 17, 18, 19, 8, 9, 10, 11, 20, 21, 22, 23])
    }

    @Test func transposeSwapsTwoAxes() throws {
        let m = try literal([[1, 2, 3], [4, 5, 6]])
        expectTensor(try m.transpose(0, 1), shape: [3, 2], [1, 4, 2, 5, 3, 6])
        expectTensor(try m.transpose(-1, -2), shape: [3, 2], [1, 4, 2, 5, 3, 6])
        expectTensor(try m.transpose(1, 1), shape: [2, 3], [1, 2, 3, 4, 5, 6])
        let x = try Tensor.arange(0, 24).reshape([2, 3, 4])
        let y = try x.transpose(0, 2)
        #expect(y.shape == [4, 3, 2])
        #expect(try y.element([3, 1, 0]) == x.element([0, 1, 3]))
    }

    @Test func capitalTReversesAllAxesLikeNumPy() throws {
        expectTensor(try literal([[1, 2, 3], [4, 5, 6]]).T, shape: [3, 2], [1, 4, 2, 5, 3, 6])
        let x = try Tensor.arange(0, 24).reshape([2, 3, 4])
        #expect(x.T.shape == [4, 3, 2])
        #expect(try x.T.element([3, 2, 1]) == x.element([1, 2, 3]))
        expectTensor(Tensor([1, 2, 3]).T, shape: [3], [1, 2, 3])
        expectTensor(Tensor(4).T, shape: [], [4])
    }

    @Test func badAxesAreRefused() throws {
        let x = try Tensor.zeros([2, 3, 4])
        #expect(tensorError { try x.permute([0, 1]) } == .invalidArgument(op: "permute", message: "need 3 axes for shape (2, 3, 4), got 2"))
        #expect(tensorError { try x.permute([0, 1, 1]) } == .invalidArgument(op: "permute", message: "axes [0, 1, 1] repeat an axis"))
        #expect(tensorError { try x.permute([0, 1, -2]) } == .invalidArgument(op: "permute", message: "axes [0, 1, -2] repeat an axis"))
        #expect(tensorError { try x.permute([0, 1, 3]) } == .axisOutOfRange(op: "permute", axis: 3, rank: 3))
        #expect(tensorError { try x.transpose(0, -4) } == .axisOutOfRange(op: "transpose", axis: -4, rank: 3))
    }
}

@Suite struct SqueezeTests {
    let x: Tensor

    init() throws { x = try Tensor.arange(0, 6).reshape([1, 3, 1, 2]) }

    @Test func squeezeAllOrOne() throws {
        expectTensor(try x.squeeze(), shape: [3, 2], [0, 1, 2, 3, 4, 5])
        #expect(try x.squeeze(0).shape == [3, 1, 2])
        #expect(try x.squeeze(2).shape == [1, 3, 2])
        #expect(try x.squeeze(-2).shape == [1, 3, 2])
        #expect(try Tensor.ones([1, 1]).squeeze().shape == [])
        #expect(try Tensor.ones([2, 3]).squeeze().shape == [2, 3])
    }

    @Test func squeezingALongAxisIsRefused() throws {
        #expect(tensorError { try x.squeeze(1) } == .invalidArgument(op: "squeeze", message: "axis 1 has size 3, not 1"))
        #expect(tensorError { try x.squeeze(4) } == .axisOutOfRange(op: "squeeze", axis: 4, rank: 4))
    }

    @Test func unsqueezeInsertsASizeOneAxis() throws {
        let v = Tensor([1, 2, 3])
        expectTensor(try v.unsqueeze(0), shape: [1, 3], [1, 2, 3])
        expectTensor(try v.unsqueeze(1), shape: [3, 1], [1, 2, 3])
        expectTensor(try v.unsqueeze(-1), shape: [3, 1], [1, 2, 3])
        expectTensor(try v.unsqueeze(-2), shape: [1, 3], [1, 2, 3])
        #expect(try Tensor(2).unsqueeze(0).shape == [1])
        #expect(tensorError { try v.unsqueeze(2) } == .axisOutOfRange(op: "unsqueeze", axis: 2, rank: 2))
        #expect(tensorError { try v.unsqueeze(-3) } == .axisOutOfRange(op: "unsqueeze", axis: -3, rank: 2))
    }
}

@Suite struct ShapingGradientTests {
    let x: Tensor

    init() throws { x = try gaussian([2, 3, 4], seed: 31) }

    @Test func gradcheckReshapeAndFlatten() throws {
        try expectGradcheck([x]) { try $0[0].reshape([4, -1]) }
        try expectGradcheck([x]) { $0[0].flatten() }
        // Through a nonlinearity, so that a misplaced gradient would change the numbers.
        try expectGradcheck([x]) { try $0[0].reshape([6, 4]).tanh().reshape([24]) * Tensor.arange(0, 24) }
    }

    @Test func gradcheckPermuteAndTranspose() throws {
        try expectGradcheck([x]) { try $0[0].permute([2, 0, 1]) }
        try expectGradcheck([x]) { try $0[0].transpose(0, 2).sigmoid() }
        try expectGradcheck([x]) { $0[0].T }
        let m = try gaussian([3, 5], seed: 32)
        try expectGradcheck([m]) { try $0[0].T.matmul($0[0]) }
    }

    @Test func gradcheckSqueezeAndUnsqueeze() throws {
        let y = try gaussian([1, 3, 1, 2], seed: 33)
        try expectGradcheck([y]) { try $0[0].squeeze() }
        try expectGradcheck([y]) { try $0[0].squeeze(2) }
        try expectGradcheck([x]) { try $0[0].unsqueeze(1) }
    }

    /// The gradient of a permutation is the inverse permutation of the output gradient: check one element by hand.
    @Test func permuteGradientGoesBackToTheSourceElement() throws {
        let a = try Tensor.zeros([2, 3], requiresGrad: true)
        let b = a.T  // (3, 2); b[2, 1] is a[1, 2]
        var seed = [Double](repeating: 0, count: 6)
        seed[2 * 2 + 1] = 1
        try b.backward(gradient: Tensor(shape: [3, 2], storage: seed))
        expectTensor(try #require(a.grad), shape: [2, 3], [0, 0, 0, 0, 0, 1])
    }
}
