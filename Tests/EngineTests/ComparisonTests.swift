import Testing
@testable import Engine

// Comparison.swift: the six comparisons (0/1 masks) with broadcasting, and `where`.

@Suite struct ComparisonValueTests {
    let a: Tensor

    init() throws { a = try literal([[1, 2, 3], [4, 5, 6]]) }

    /// a (2, 3) against [2, 5, 3] broadcast over the rows, worked element by element.
    @Test(arguments: [
        (Tensor.Comparison.equal, [0.0, 0, 1, 0, 1, 0]),
        (.notEqual, [1, 1, 0, 1, 0, 1]),
        (.less, [1, 1, 0, 0, 0, 0]),
        (.lessOrEqual, [1, 1, 1, 0, 1, 0]),
        (.greater, [0, 0, 0, 1, 0, 1]),
        (.greaterOrEqual, [0, 0, 1, 1, 1, 1]),
    ])
    func rowBroadcast(comparison: Tensor.Comparison, expected: [Double]) throws {
        expectTensor(try a.compare(Tensor([2, 5, 3]), comparison), shape: [2, 3], expected)
    }

    /// A column (2, 1) against a row (3,) gives a (2, 3) grid: [[1], [5]] vs [0, 1, 5].
    @Test(arguments: [
        (Tensor.Comparison.equal, [0.0, 1, 0, 0, 0, 1]),
        (.notEqual, [1, 0, 1, 1, 1, 0]),
        (.less, [0, 0, 1, 0, 0, 0]),
        (.lessOrEqual, [0, 1, 1, 0, 0, 1]),
        (.greater, [1, 0, 0, 1, 1, 0]),
        (.greaterOrEqual, [1, 1, 0, 1, 1, 1]),
    ])
    func columnAgainstRow(comparison: Tensor.Comparison, expected: [Double]) throws {
        expectTensor(try literal([[1], [5]]).compare(Tensor([0, 1, 5]), comparison), shape: [2, 3], expected)
    }

    @Test func againstAScalar() throws {
        expectTensor(try a.compare(Tensor(3), .greater), shape: [2, 3], [0, 0, 0, 1, 1, 1])
        expectTensor(try Tensor(3).compare(a, .greater), shape: [2, 3], [1, 1, 0, 0, 0, 0])
    }

    /// IEEE 754: every comparison with NaN is false except ≠.
    @Test func nanComparesUnequalToEverything() throws {
        let n = Tensor([.nan]), one = Tensor([1])
        for c in Tensor.Comparison.allCases {
            let expected: Double = c == .notEqual ? 1 : 0
            #expect(try n.compare(one, c).storage == [expected], "NaN \(c.rawValue) 1")
            #expect(try n.compare(n, c).storage == [expected], "NaN \(c.rawValue) NaN")
        }
    }

    @Test func masksAreConstants() throws {
        let x = Tensor([1, 2], requiresGrad: true)
        let mask = try x.compare(Tensor(1.5), .greater)
        #expect(!mask.requiresGrad)
        #expect(mask.gradNode == nil)
    }

    @Test func incompatibleShapesAreNamed() throws {
        let error = tensorError { try a.compare(Tensor([1, 2]), .less) }
        #expect(error == .shapeMismatch(op: "compare <", lhs: [2, 3], rhs: [2]))
        #expect(error?.description == "compare <: shapes (2, 3) and (2,) do not match")
    }
}

@Suite struct WhereTests {
    @Test func picksElementwise() throws {
        let condition = try literal([[1, 0, 1], [0, 1, 0]])
        let a = try literal([[1, 2, 3], [4, 5, 6]]), b = try literal([[-1, -2, -3], [-4, -5, -6]])
        expectTensor(try Tensor.where(condition, a, b), shape: [2, 3], [1, -2, 3, -4, 5, -6])
        // Any non-zero counts as true (NaN too: NaN ≠ 0).
        expectTensor(try Tensor.where(Tensor([-2, 0, 0.5, .nan]), Tensor([1, 1, 1, 1]), Tensor([0, 0, 0, 0])), shape: [4], [1, 0, 1, 1])
    }

    @Test func allThreeBroadcast() throws {
        // np.where([True, False, True], [[1, 2, 3], [4, 5, 6]], 0)
        let a = try literal([[1, 2, 3], [4, 5, 6]])
        expectTensor(try Tensor.where(Tensor([1, 0, 1]), a, Tensor(0)), shape: [2, 3], [1, 0, 3, 4, 0, 6])
        // np.where([[1], [0]], [10, 20], [[7], [8]]) → [[10, 20], [8, 8]]
        expectTensor(try Tensor.where(literal([[1], [0]]), Tensor([10, 20]), literal([[7], [8]])), shape: [2, 2], [10, 20, 8, 8])
        // The condition alone can set the shape: np.where(np.ones((2, 2)), 1, 0).shape == (2, 2)
        expectTensor(try Tensor.where(Tensor.ones([2, 2]), Tensor(1), Tensor(0)), shape: [2, 2], [1, 1, 1, 1])
    }

    /// A typical use: ReLU written with a mask, relu(x) = where(x > 0, x, 0).
    @Test func reluByMask() throws {
        let x = Tensor([-1, 2, -3, 4])
        expectTensor(try Tensor.where(x.compare(Tensor(0), .greater), x, Tensor(0)), shape: [4], x.relu().storage)
    }

    @Test func incompatibleShapesAreRefused() throws {
        #expect(tensorError { try Tensor.where(Tensor([1, 0]), Tensor([1, 2, 3]), Tensor(0)) } == .shapeMismatch(op: "where", lhs: [2], rhs: [3]))
        #expect(tensorError { try Tensor.where(Tensor(1), Tensor([1, 2, 3]), Tensor([1, 2])) } == .shapeMismatch(op: "where", lhs: [3], rhs: [2]))
    }

    /// The gradient goes to the branch each element came from; a broadcast branch receives the sum.
    @Test func gradientByHand() throws {
        let a = try Tensor(shape: [3], storage: [1, 2, 3], requiresGrad: true)
        let b = Tensor(0, requiresGrad: true)
        let condition = try Tensor(shape: [3], storage: [1, 0, 0], requiresGrad: true)
        try Tensor.where(condition, a, b).backward(gradient: Tensor([10, 20, 30]))
        #expect(a.grad?.storage == [10, 0, 0])
        #expect(b.grad?.storage == [50])
        #expect(condition.grad == nil)  // a step function: no gradient
    }

    @Test func gradcheckWithBroadcastBranches() throws {
        let condition = try gaussian([2, 3], seed: 81).compare(Tensor(0), .greater)
        let a = try gaussian([2, 3], seed: 82), b = try gaussian([3], seed: 83), c = try gaussian([2, 1], seed: 84)
        try expectGradcheck([a, b]) { try Tensor.where(condition, $0[0], $0[1]) }
        try expectGradcheck([c, b]) { try Tensor.where(condition, $0[0], $0[1]) }
        try expectGradcheck([b, a]) { try Tensor.where(condition, $0[0] * $0[0], $0[1].tanh()) }
    }
}
