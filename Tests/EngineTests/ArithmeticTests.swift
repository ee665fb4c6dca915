import Foundation
import Testing
@testable import Engine
import TestSupport

// Arithmetic.swift and Broadcast.swift: + − × ÷ pow neg, NumPy broadcasting, and their gradients.

@Suite struct ArithmeticValueTests {
    let a: Tensor
    let b: Tensor

    init() throws {
        a = try literal([[1, 2, 3], [4, 5, 6]])
        b = try literal([[6, 5, 4], [3, 2, 1]])
    }

    @Test func sameShapeOperations() throws {
        expectTensor(try a + b, shape: [2, 3], [7, 7, 7, 7, 7, 7])
        expectTensor(try a - b, shape: [2, 3], [-5, -3, -1, 1, 3, 5])
        expectTensor(try a * b, shape: [2, 3], [6, 10, 12, 12, 10, 6])
        expectTensor(try a / b, shape: [2, 3], [1.0 / 6, 2.0 / 5, 3.0 / 4, 4.0 / 3, 5.0 / 2, 6])
        expectTensor(-a, shape: [2, 3], [-1, -2, -3, -4, -5, -6])
    }

    @Test func columnPlusRowBroadcastsToAGrid() throws {
        // (3,1) + (1,4) → (3,4): entry (i, j) = column[i] + row[j].
        let column = try literal([[0], [10], [20]])
        let row = try literal([[1, 2, 3, 4]])
        expectTensor(try column + row, shape: [3, 4], [1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 24])
        expectTensor(try row + column, shape: [3, 4], [1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 24])
        expectTensor(try column * row, shape: [3, 4], [0, 0, 0, 0, 10, 20, 30, 40, 20, 40, 60, 80])
        expectTensor(try row - column, shape: [3, 4], [1, 2, 3, 4, -9, -8, -7, -6, -19, -18, -17, -16])
    }

    @Test func matrixPlusVectorBroadcastsOverRows() throws {
        // (2,3) + (3,): the vector is added to each row.
        let v = Tensor([10, 20, 30])
        expectTensor(try a + v, shape: [2, 3], [11, 22, 33, 14, 25, 36])
        expectTensor(try v - a, shape: [2, 3], [9, 18, 27, 6, 15, 24])
        expectTensor(try a / v, shape: [2, 3], [0.1, 0.1, 0.1, 0.4, 0.25, 0.2])
    }

    @Test func rankThreeBroadcasting() throws {
        // (2,1,3) * (2,1): result (2,2,3); entry (i, j, k) = x[i, 0, k] · y[j, 0].
        let x = try literal([[[1, 2, 3]], [[4, 5, 6]]])
        let y = try literal([[1], [-1]])
        expectTensor(try x * y, shape: [2, 2, 3], [1, 2, 3, -1, -2, -3, 4, 5, 6, -4, -5, -6])
    }

    @Test func scalarOperands() throws {
        expectTensor(try a * 2, shape: [2, 3], [2, 4, 6, 8, 10, 12])
        expectTensor(try 2 * a, shape: [2, 3], [2, 4, 6, 8, 10, 12])
        expectTensor(try 1 - a, shape: [2, 3], [0, -1, -2, -3, -4, -5])
        expectTensor(try a - 1, shape: [2, 3], [0, 1, 2, 3, 4, 5])
        expectTensor(try a + 0.5, shape: [2, 3], [1.5, 2.5, 3.5, 4.5, 5.5, 6.5])
        expectTensor(try 0.5 + a, shape: [2, 3], [1.5, 2.5, 3.5, 4.5, 5.5, 6.5])
        expectTensor(try a / 4, shape: [2, 3], [0.25, 0.5, 0.75, 1, 1.25, 1.5])
        expectTensor(try 12 / a, shape: [2, 3], [12, 6, 4, 3, 2.4, 2])
        // A rank-0 tensor with a rank-0 tensor stays rank 0.
        expectTensor(try Tensor(3) * Tensor(4), shape: [], [12])
    }

    @Test func powerWithNumberAndTensorExponents() throws {
        expectTensor(try a.pow(2), shape: [2, 3], [1, 4, 9, 16, 25, 36])
        expectTensor(try Tensor([4, 9]).pow(0.5), shape: [2], [2, 3])
        expectTensor(try Tensor([2, 3]).pow(Tensor([3, 0])), shape: [2], [8, 1])
        expectTensor(try Tensor([2, 8]).pow(-1), shape: [2], [0.5, 0.125])
        // Broadcast exponent: (2,1) ** (3,) → (2,3).
        expectTensor(try literal([[2], [3]]).pow(Tensor([0, 1, 2])), shape: [2, 3], [1, 2, 4, 1, 3, 9])
    }

    @Test func ieeeSpecialValuesFollowNumPy() throws {
        // np.array([1., -1., 0.]) / 0 → [inf, -inf, nan]
        expectTensor(try Tensor([1, -1, 0]) / 0, shape: [3], [.infinity, -.infinity, .nan])
    }

    @Test func zeroSizeAxesBroadcast() throws {
        // np.zeros((0, 3)) + np.ones((1, 3)) has shape (0, 3); np.zeros((2, 1)) + np.zeros(0) has shape (2, 0).
        expectTensor(try Tensor.zeros([0, 3]) + Tensor.ones([1, 3]), shape: [0, 3], [])
        expectTensor(try Tensor.zeros([2, 1]) + Tensor.zeros([0]), shape: [2, 0], [])
    }

    @Test func incompatibleShapesNameBothOperands() throws {
        let error = tensorError { try a + Tensor([1, 2]) }
        #expect(error == .shapeMismatch(op: "add", lhs: [2, 3], rhs: [2]))
        #expect(error?.description == "add: shapes (2, 3) and (2,) do not match")
        #expect(tensorError { try a * b.T } == .shapeMismatch(op: "multiply", lhs: [2, 3], rhs: [3, 2]))
        #expect(tensorError { try a.pow(Tensor([1, 2])) } == .shapeMismatch(op: "pow", lhs: [2, 3], rhs: [2]))
    }

    /// A long column against a long row broadcasts to a result too large to allocate: an error,
    /// not a crash (or, before the check, an Int overflow).
    @Test func hugeBroadcastResultIsRefused() throws {
        let column = try Tensor.zeros([100_000, 1]), row = try Tensor.zeros([1, 100_000])
        let error = tensorError { try column + row }
        #expect(error == .invalidArgument(op: "add", message: "shape (100000, 100000) is too large (more than 1000000000 elements)"))
        // Empty operands whose broadcast shape is huge: the largest empty operands that can exist.
        let p = try Tensor(shape: [0, 1 << 29, 1], storage: []), q = try Tensor(shape: [0, 1, 1 << 29], storage: [])
        #expect(tensorError { try p * q } != nil)
    }
}

@Suite struct ArithmeticGradientTests {
    /// d(Σ column ⊙ row)/d column[i] = Σⱼ row[j] and d/d row[j] = Σᵢ column[i]: the broadcast axis is summed.
    @Test func broadcastGradientIsSummedOverTheBroadcastAxis() throws {
        let column = try literal([[1], [2], [3]], requiresGrad: true)
        let row = try literal([[1, 2, 3, 4]], requiresGrad: true)
        try (column * row).sum().backward()
        expectTensor(try #require(column.grad), shape: [3, 1], [10, 10, 10])
        expectTensor(try #require(row.grad), shape: [1, 4], [6, 6, 6, 6])
    }

    /// y = a / b: ∂y/∂a = 1/b, ∂y/∂b = −a/b² at a = 3, b = 2.
    @Test func divisionGradientByHand() throws {
        let a = Tensor(3, requiresGrad: true), b = Tensor(2, requiresGrad: true)
        try (a / b).backward()
        #expect(a.grad?.storage == [0.5])
        #expect(b.grad?.storage == [-0.75])
    }

    /// y = aᵇ at a = 2, b = 3: ∂y/∂a = b·aᵇ⁻¹ = 12, ∂y/∂b = aᵇ·ln a = 8 ln 2.
    @Test func powerGradientByHand() throws {
        let a = Tensor(2, requiresGrad: true), b = Tensor(3, requiresGrad: true)
        try a.pow(b).backward()
        #expect(a.grad?.storage == [12])
        #expect(valuesClose(try #require(b.grad).storage, [8 * Foundation.log(2.0)]))
    }

    /// At a = 0 the ln a factor is taken as 0 (PyTorch's convention), and a⁰ has derivative 0 in a.
    @Test func powerGradientAtZeroBase() throws {
        let a = try Tensor(shape: [2], storage: [0, 0], requiresGrad: true)
        let b = try Tensor(shape: [2], storage: [2, 0], requiresGrad: true)
        try a.pow(b).backward(gradient: Tensor.ones([2]))
        expectTensor(try #require(a.grad), shape: [2], [0, 0])
        expectTensor(try #require(b.grad), shape: [2], [0, 0])
    }

    @Test func onlyOperandsThatRequireGradReceiveOne() throws {
        let a = Tensor([1, 2]), b = Tensor([3, 4], requiresGrad: true)
        try (a * b).sum().backward()
        #expect(a.grad == nil)
        #expect(b.grad?.storage == [1, 2])
    }

    @Test func gradcheckSameShape() throws {
        let a = try gaussian([2, 3], seed: 1), b = try gaussian([2, 3], seed: 2)
        try expectGradcheck([a, b]) { try $0[0] + $0[1] }
        try expectGradcheck([a, b]) { try $0[0] - $0[1] }
        try expectGradcheck([a, b]) { try $0[0] * $0[1] }
        let denominator = try b.abs() + 0.5  // away from 0
        try expectGradcheck([a, denominator.detach()]) { try $0[0] / $0[1] }
        try expectGradcheck([a]) { -$0[0] }
    }

    @Test func gradcheckColumnAgainstRow() throws {
        let column = try gaussian([3, 1], seed: 3), row = try gaussian([1, 4], seed: 4)
        try expectGradcheck([column, row]) { try $0[0] + $0[1] }
        try expectGradcheck([column, row]) { try $0[0] - $0[1] }
        try expectGradcheck([column, row]) { try $0[0] * $0[1] }
        let positiveRow = try (row.abs() + 0.5).detach()
        try expectGradcheck([column, positiveRow]) { try $0[0] / $0[1] }
        try expectGradcheck([positiveRow, column]) { try $0[1] / $0[0] }
    }

    @Test func gradcheckMatrixAgainstVectorAndScalar() throws {
        let m = try gaussian([2, 3], seed: 5), v = try gaussian([3], seed: 6), s = Tensor(0.7)
        try expectGradcheck([m, v]) { try $0[0] + $0[1] }
        try expectGradcheck([m, v]) { try $0[1] - $0[0] }
        try expectGradcheck([m, v]) { try $0[0] * $0[1] }
        try expectGradcheck([m, s]) { try $0[0] * $0[1] }
        try expectGradcheck([s, m]) { try $0[0] - $0[1] }
        try expectGradcheck([m, s]) { try $0[0] / $0[1] }
        try expectGradcheck([m]) { try $0[0] * 3 - 2 }
        try expectGradcheck([m]) { try 1 / ($0[0] * $0[0] + 1) }
    }

    @Test func gradcheckPower() throws {
        let base = try (gaussian([2, 3], seed: 7).abs() + 0.5).detach()
        let exponent = try gaussian([2, 3], seed: 8)
        try expectGradcheck([base, exponent]) { try $0[0].pow($0[1]) }
        try expectGradcheck([base]) { try $0[0].pow(3) }
        try expectGradcheck([base]) { try $0[0].pow(-1.5) }
        // Broadcast exponent (3,) against a (2,3) base, and a (2,1) base against a (3,) exponent.
        let e3 = try gaussian([3], seed: 9)
        try expectGradcheck([base, e3]) { try $0[0].pow($0[1]) }
        let b21 = try (gaussian([2, 1], seed: 10).abs() + 0.5).detach()
        try expectGradcheck([b21, e3]) { try $0[0].pow($0[1]) }
    }
}
