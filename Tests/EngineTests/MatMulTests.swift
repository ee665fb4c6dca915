import Testing
@testable import Engine
import TestSupport

// MatMul.swift: NumPy's matmul rules (2-D, stacks with broadcast batch axes, 1-D vectors) and the gradient.

/// An independent product for checking the op: the definition Σₚ A[…, i, p]·B[…, p, j] with both
/// operands already of rank 3 and the same batch size (no BLAS, no broadcasting machinery).
private func naiveBatchedProduct(_ a: [Double], _ b: [Double], batch: Int, m: Int, k: Int, n: Int) -> [Double] {
    var c = [Double](repeating: 0, count: batch * m * n)
    for t in 0..<batch { for i in 0..<m { for j in 0..<n {
        var s = 0.0
        for p in 0..<k { s += a[(t * m + i) * k + p] * b[(t * k + p) * n + j] }
        c[(t * m + i) * n + j] = s
    } } }
    return c
}

@Suite struct MatMulValueTests {
    @Test func twoByTwoAndNonSquare() throws {
        expectTensor(try literal([[1, 2], [3, 4]]).matmul(literal([[5, 6], [7, 8]])), shape: [2, 2], [19, 22, 43, 50])
        // [[1,2,3],[4,5,6]]·[[7,8],[9,10],[11,12]]: 1·7 + 2·9 + 3·11 = 58, … (worked by hand).
        let a = try literal([[1, 2, 3], [4, 5, 6]]), b = try literal([[7, 8], [9, 10], [11, 12]])
        expectTensor(try a.matmul(b), shape: [2, 2], [58, 64, 139, 154])
        // (3,2)·(2,3) is 3×3: its (0,0) entry is 7·1 + 8·4 = 39.
        let ba = try b.matmul(a)
        #expect(ba.shape == [3, 3])
        #expect(try ba.element([0, 0]) == 39)
    }

    /// NumPy 2.4: X = np.arange(8.).reshape(2,2,2); Y = (np.arange(8.) - 3).reshape(2,2,2); (X @ Y).ravel().
    @Test func batchedThreeD() throws {
        let x = try Tensor.arange(0, 8).reshape([2, 2, 2])
        let y = try (Tensor.arange(0, 8) - 3).reshape([2, 2, 2])
        expectTensor(try x.matmul(y), shape: [2, 2, 2], [-1.0, 0.0, -9.0, -4.0, 19.0, 28.0, 27.0, 40.0])
    }

    /// NumPy 2.4: A = np.arange(24.).reshape(2,3,4); B = np.arange(20.).reshape(4,5); (A @ B).ravel().
    @Test func broadcastBatchAgainstAMatrix() throws {
        let a = try Tensor.arange(0, 24).reshape([2, 3, 4])
        let b = try Tensor.arange(0, 20).reshape([4, 5])
        expectTensor(try a.matmul(b), shape: [2, 3, 5], [
            70, 76, 82, 88, 94, 190, 212, 234, 256, 278, 310, 348, 386, 424, 462,
            430, 484, 538, 592, 646, 550, 620, 690, 760, 830, 670, 756, 842, 928, 1014,
        ])
    }

    /// NumPy 2.4: P = np.arange(12.).reshape(1,3,4); Q = (np.arange(40.)/10).reshape(2,4,5); P @ Q has shape (2,3,5).
    @Test func sizeOneBatchBroadcasts() throws {
        let p = try Tensor.arange(0, 12).reshape([1, 3, 4])
        let q = try (Tensor.arange(0, 40) / 10).reshape([2, 4, 5])
        expectTensor(try p.matmul(q), shape: [2, 3, 5], [
            7.0, 7.6000000000000005, 8.2, 8.8, 9.399999999999999, 19.0, 21.2, 23.4, 25.6, 27.8,
            31.0, 34.800000000000004, 38.6, 42.4, 46.2, 19.0, 19.6, 20.200000000000003, 20.799999999999997, 21.4,
            63.0, 65.2, 67.4, 69.6, 71.8, 107.0, 110.8, 114.60000000000001, 118.39999999999999, 122.2,
        ], tolerance: 1e-13)
    }

    /// NumPy's vector rules, values from NumPy 2.4 with v = [1, -1, 2, 0.5], B and A as above, w = [1, 2, 3].
    @Test func vectorOperandsDropTheirAxis() throws {
        let v = Tensor([1, -1, 2, 0.5])
        let b = try Tensor.arange(0, 20).reshape([4, 5])
        let a = try Tensor.arange(0, 24).reshape([2, 3, 4])
        expectTensor(try v.matmul(b), shape: [5], [22.5, 25.0, 27.5, 30.0, 32.5])          // (4,) @ (4,5) → (5,)
        expectTensor(try a.matmul(v), shape: [2, 3], [4.5, 14.5, 24.5, 34.5, 44.5, 54.5])  // (2,3,4) @ (4,) → (2,3)
        expectTensor(try v.matmul(v), shape: [], [6.25])                                   // (4,) @ (4,) → ()
        expectTensor(try Tensor([1, 2, 3]).matmul(a), shape: [2, 4], [32, 38, 44, 50, 104, 110, 116, 122])  // (3,) @ (2,3,4) → (2,4)
    }

    @Test func emptyInnerDimensionGivesZeros() throws {
        // np.zeros((2, 0)) @ np.zeros((0, 3)) == np.zeros((2, 3))
        expectTensor(try Tensor.zeros([2, 0]).matmul(Tensor.zeros([0, 3])), shape: [2, 3], [0, 0, 0, 0, 0, 0])
        expectTensor(try Tensor.zeros([0, 4]).matmul(Tensor.ones([4, 3])), shape: [0, 3], [])
        expectTensor(try Tensor.zeros([0]).matmul(Tensor.zeros([0])), shape: [], [0])
    }

    /// The op through BLAS against the definition, on random stacks of several sizes.
    @Test(arguments: [(1, 1, 1, 1), (2, 3, 4, 5), (3, 7, 1, 2), (2, 17, 33, 9), (1, 64, 64, 64)])
    func agreesWithTheDefinition(batch: Int, m: Int, k: Int, n: Int) throws {
        let a = try gaussian([batch, m, k], seed: UInt64(m * 100 + k)), b = try gaussian([batch, k, n], seed: UInt64(n * 100 + k))
        let product = try a.matmul(b)
        #expect(product.shape == [batch, m, n])
        let expected = naiveBatchedProduct(a.storage, b.storage, batch: batch, m: m, k: k, n: n)
        #expect(valuesClose(product.storage, expected, tolerance: 1e-12))
    }

    @Test func innerSizeMismatchNamesBothShapes() throws {
        let error = tensorError { try Tensor.zeros([2, 3]).matmul(Tensor.zeros([2, 3])) }
        #expect(error == .shapeMismatch(op: "matmul", lhs: [2, 3], rhs: [2, 3]))
        #expect(error?.description == "matmul: shapes (2, 3) and (2, 3) do not match")
        // Vectors are named as given, not as the promoted matrices.
        #expect(tensorError { try Tensor.zeros([3]).matmul(Tensor.zeros([4, 5])) } == .shapeMismatch(op: "matmul", lhs: [3], rhs: [4, 5]))
        #expect(tensorError { try Tensor.zeros([4, 5]).matmul(Tensor.zeros([4])) } == .shapeMismatch(op: "matmul", lhs: [4, 5], rhs: [4]))
    }

    @Test func batchMismatchNamesBothShapes() throws {
        let error = tensorError { try Tensor.zeros([2, 3, 4]).matmul(Tensor.zeros([3, 4, 5])) }
        #expect(error == .shapeMismatch(op: "matmul", lhs: [2, 3, 4], rhs: [3, 4, 5]))
    }

    @Test func scalarsAreRefused() throws {
        let error = tensorError { try Tensor(2).matmul(Tensor([1, 2])) }
        #expect(error == .invalidArgument(op: "matmul", message: "operands must have at least one axis, got shapes () and (2,)"))
    }

    /// Empty operands, but a 2⁴⁰-element result: refused before allocating (it used to overflow Int).
    @Test func hugeResultIsRefused() throws {
        let a = try Tensor(shape: [1 << 20, 0], storage: []), b = try Tensor(shape: [0, 1 << 20], storage: [])
        #expect(tensorError { try a.matmul(b) } == .invalidArgument(op: "matmul", message: "shape (1048576, 1048576) is too large (more than 1000000000 elements)"))
    }
}

@Suite struct MatMulGradientTests {
    /// L = Σ (A·B): ∂L/∂A = 1·Bᵀ (each row is B's row sums), ∂L/∂B = Aᵀ·1 (each column is A's column sums).
    @Test func gradientByHand() throws {
        let a = try literal([[1, 2, 3], [4, 5, 6]], requiresGrad: true)
        let b = try literal([[7, 8], [9, 10], [11, 12]], requiresGrad: true)
        try a.matmul(b).sum().backward()
        expectTensor(try #require(a.grad), shape: [2, 3], [15, 19, 23, 15, 19, 23])
        expectTensor(try #require(b.grad), shape: [3, 2], [5, 5, 7, 7, 9, 9])
    }

    /// A matrix shared by a batch receives the sum over the batch: with A all ones, each of the two
    /// batch items contributes Aᵢᵀ·1, so ∂L/∂B = 2·(column sums of a 3×4 ones block) = 6 everywhere.
    @Test func broadcastOperandGradientSumsOverTheBatch() throws {
        let a = try Tensor.ones([2, 3, 4]), b = try Tensor.ones([4, 5], requiresGrad: true)
        try a.matmul(b).sum().backward()
        expectTensor(try #require(b.grad), shape: [4, 5], [Double](repeating: 6, count: 20))
    }

    @Test func gradcheckTwoD() throws {
        try expectGradcheck([gaussian([3, 4], seed: 1), gaussian([4, 2], seed: 2)]) { try $0[0].matmul($0[1]) }
        try expectGradcheck([gaussian([1, 5], seed: 3), gaussian([5, 1], seed: 4)]) { try $0[0].matmul($0[1]) }
    }

    @Test func gradcheckBatched() throws {
        try expectGradcheck([gaussian([2, 3, 4], seed: 5), gaussian([2, 4, 2], seed: 6)]) { try $0[0].matmul($0[1]) }
    }

    @Test func gradcheckBroadcastBatch() throws {
        try expectGradcheck([gaussian([2, 3, 4], seed: 7), gaussian([4, 5], seed: 8)]) { try $0[0].matmul($0[1]) }
        try expectGradcheck([gaussian([3, 4], seed: 9), gaussian([2, 4, 5], seed: 10)]) { try $0[0].matmul($0[1]) }
        try expectGradcheck([gaussian([1, 3, 4], seed: 11), gaussian([2, 4, 5], seed: 12)]) { try $0[0].matmul($0[1]) }
        try expectGradcheck([gaussian([2, 1, 2, 3], seed: 13), gaussian([3, 3, 2], seed: 14)]) { try $0[0].matmul($0[1]) }
    }

    @Test func gradcheckVectors() throws {
        let v = try gaussian([4], seed: 15)
        try expectGradcheck([v, gaussian([4, 5], seed: 16)]) { try $0[0].matmul($0[1]) }
        try expectGradcheck([gaussian([2, 3, 4], seed: 17), v]) { try $0[0].matmul($0[1]) }
        try expectGradcheck([v, gaussian([4], seed: 18)]) { try $0[0].matmul($0[1]) }
        try expectGradcheck([gaussian([3], seed: 19), gaussian([2, 3, 4], seed: 20)]) { try $0[0].matmul($0[1]) }
    }

    @Test func gradcheckOnlyOneOperandNeedsGradient() throws {
        let constant = try gaussian([4, 3], seed: 21)
        try expectGradcheck([gaussian([2, 4], seed: 22)]) { try $0[0].matmul(constant) }
        try expectGradcheck([gaussian([3, 2], seed: 23)]) { try constant.matmul($0[0]) }
    }
}
