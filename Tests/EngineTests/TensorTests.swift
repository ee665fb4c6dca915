import Testing
@testable import Engine

// Tensor.swift and Creation.swift: construction, literals, constant and range constructors, item, element.

@Suite struct TensorConstructionTests {
    @Test func shapeAndStorageAreKeptRowMajor() throws {
        let t = try Tensor(shape: [2, 3], storage: [0, 1, 2, 3, 4, 5])
        #expect(t.shape == [2, 3])
        #expect(t.rank == 2)
        #expect(t.count == 6)
        // Row-major: element (i, j) sits at 3i + j.
        #expect(try t.element([0, 2]) == 2)
        #expect(try t.element([1, 0]) == 3)
        #expect(try t.element([1, 2]) == 5)
        #expect(t.isLeaf)
        #expect(!t.requiresGrad)
    }

    @Test func scalarAndVectorInitialisers() throws {
        let s = Tensor(2.5, requiresGrad: true)
        #expect(s.shape == [])
        #expect(s.rank == 0)
        #expect(s.count == 1)
        #expect(s.requiresGrad)
        #expect(try s.element([]) == 2.5)
        let v = Tensor([1, 2, 3])
        #expect(v.shape == [3])
        #expect(v.storage == [1, 2, 3])
        let empty = Tensor([Double]())
        #expect(empty.shape == [0])
        #expect(empty.count == 0)
    }

    @Test func storageCountMustMatchShape() throws {
        let error = tensorError { try Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5]) }
        #expect(error == .invalidArgument(op: "tensor", message: "shape (2, 3) needs 6 elements, got 5"))
    }

    @Test func negativeSizeIsRefused() throws {
        let error = tensorError { try Tensor(shape: [2, -1], storage: []) }
        #expect(error?.description == "tensor: negative size in shape (2, -1)")
    }

    /// (2⁶², 4) has 2⁶⁴ elements, which wraps to 0 in Int arithmetic; it used to be accepted with an
    /// empty storage and trap later when strides were computed.
    @Test func shapesWhoseCountOverflowsAreRefused() throws {
        for shape in [[1 << 62, 4], [0, 1 << 62, 4], [1 << 32, 1 << 32], [Int.max, 2, 0]] {
            let error = tensorError { try Tensor(shape: shape, storage: []) }
            #expect(error == .invalidArgument(op: "tensor", message: Shape.tooLarge(shape)))
        }
        // A zero-size axis beside a large one is fine while the non-zero sizes stay allocatable:
        // reducing over the empty axis gives a tensor of those sizes.
        let wide = try Tensor(shape: [0, 1 << 20], storage: [])
        #expect(wide.count == 0)
        #expect(wide.T.shape == [1 << 20, 0])
        #expect(try wide.sum(axis: 0).count == 1 << 20)
        #expect(tensorError { try Tensor(shape: [0, 1 << 40], storage: []) } != nil)
    }

    @Test func gradStartsNilAndDetachCutsTheGraph() throws {
        let x = try Tensor(shape: [2], storage: [1, 2], requiresGrad: true)
        #expect(x.grad == nil)
        let d = x.detach()
        #expect(d.storage == x.storage)
        #expect(!d.requiresGrad)
        #expect(d.isLeaf)
    }
}

@Suite struct TensorLiteralTests {
    @Test func nestedLiteralGivesShapeAndRowMajorStorage() throws {
        let t = try Tensor(literal: [[1, 2, 3], [4, 5, 6]])
        #expect(t.shape == [2, 3])
        #expect(t.storage == [1, 2, 3, 4, 5, 6])
        let cube = try Tensor(literal: [[[1, 2], [3, 4]], [[5, 6], [7, 8]]])
        #expect(cube.shape == [2, 2, 2])
        #expect(try cube.element([1, 0, 1]) == 6)
    }

    @Test func scalarEmptyAndMixedLiterals() throws {
        let s = try Tensor(literal: 3)
        #expect(s.shape == [])
        #expect(s.storage == [3])
        let f = try Tensor(literal: [0.5, 2])
        #expect(f.storage == [0.5, 2])
        // NumPy: np.array([]).shape == (0,), np.array([[], []]).shape == (2, 0).
        #expect(try Tensor(literal: []).shape == [0])
        #expect(try Tensor(literal: [[], []]).shape == [2, 0])
    }

    @Test func requiresGradIsPassedThrough() throws {
        #expect(try Tensor(literal: [1, 2], requiresGrad: true).requiresGrad)
    }

    @Test func raggedRowIsRefusedNamingThePosition() throws {
        let error = tensorError { try Tensor(literal: [[1, 2], [3]]) }
        #expect(error == .badLiteral("ragged nesting: element [1] has 1 entries, expected 2 like the first one"))
        #expect(error?.description.hasPrefix("tensor literal: ragged nesting") == true)
    }

    @Test func numberWhereAListIsExpected() throws {
        let error = tensorError { try Tensor(literal: [[1, 2], 3]) }
        #expect(error == .badLiteral("ragged nesting: element [1] is a number where a list of 2 was expected"))
    }

    @Test func listWhereANumberIsExpected() throws {
        let error = tensorError { try Tensor(literal: [[1, 2], [3, [4]]]) }
        #expect(error == .badLiteral("ragged nesting: element [1][1] is a list where a number was expected"))
    }

    @Test func raggedDeepInsideIsFound() throws {
        let error = tensorError { try Tensor(literal: [[[1], [2]], [[3], [4, 5]]]) }
        #expect(error == .badLiteral("ragged nesting: element [1][1] has 2 entries, expected 1 like the first one"))
    }
}

@Suite struct ConstantConstructorTests {
    @Test func zerosOnesFull() throws {
        let z = try Tensor.zeros([2, 3])
        #expect(z.shape == [2, 3])
        #expect(z.storage == [Double](repeating: 0, count: 6))
        let o = try Tensor.ones([4], requiresGrad: true)
        #expect(o.storage == [1, 1, 1, 1])
        #expect(o.requiresGrad)
        let f = try Tensor.full([1, 2], -7.5)
        #expect(f.shape == [1, 2])
        #expect(f.storage == [-7.5, -7.5])
        let s = try Tensor.zeros([])
        #expect(s.shape == [])
        #expect(s.storage == [0])
        let e = try Tensor.ones([0, 3])
        #expect(e.shape == [0, 3])
        #expect(e.count == 0)
    }

    @Test func badShapesAreRefused() throws {
        #expect(tensorError { try Tensor.zeros([2, -3]) }
            == .invalidArgument(op: "zeros", message: "sizes must be non-negative, got (2, -3)"))
        // 10¹⁰ elements would be 80 GB: refused before allocating.
        #expect(tensorError { try Tensor.ones([100_000, 100_000]) }
            == .invalidArgument(op: "ones", message: "shape (100000, 100000) is too large (more than 1000000000 elements)"))
        // Zero elements, but the strides of (0, 2⁶², 4) overflow: refused too.
        #expect(tensorError { try Tensor.zeros([0, 1 << 62, 4]) } != nil)
    }

    @Test func eyeSquareAndRectangular() throws {
        // np.eye(3), np.eye(2, 3), np.eye(3, 2)
        expectTensor(try Tensor.eye(3), shape: [3, 3], [1, 0, 0, 0, 1, 0, 0, 0, 1])
        expectTensor(try Tensor.eye(2, 3), shape: [2, 3], [1, 0, 0, 0, 1, 0])
        expectTensor(try Tensor.eye(3, 2), shape: [3, 2], [1, 0, 0, 1, 0, 0])
        expectTensor(try Tensor.eye(0), shape: [0, 0], [])
        #expect(tensorError { try Tensor.eye(-1) } == .invalidArgument(op: "eye", message: "sizes must be non-negative, got (-1, -1)"))
    }
}

@Suite struct RangeConstructorTests {
    @Test func arangeIntegerSteps() throws {
        expectTensor(try Tensor.arange(0, 5), shape: [5], [0, 1, 2, 3, 4])
        expectTensor(try Tensor.arange(5, 0, step: -1), shape: [5], [5, 4, 3, 2, 1])
        expectTensor(try Tensor.arange(-1, 1, step: 0.25), shape: [8], [-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75])
        // Step past the stop: one element. Wrong direction or empty interval: none.
        expectTensor(try Tensor.arange(0, 1, step: 3), shape: [1], [0])
        expectTensor(try Tensor.arange(0, 5, step: -1), shape: [0], [])
        expectTensor(try Tensor.arange(2, 1), shape: [0], [])
        expectTensor(try Tensor.arange(0, 0), shape: [0], [])
    }

    /// NumPy's famous edge cases, pasted from NumPy 2.4 (`np.arange(...).tolist()`), compared exactly:
    /// the count is ceil((stop − start)/step), which can include a value at or past `stop`, and the
    /// values are start + i·((start + step) − start), not start + i·step.
    @Test func arangeMatchesNumPyBitForBit() throws {
        // np.arange(0, 1, 0.1): 10 elements.
        #expect(try Tensor.arange(0, 1, step: 0.1).storage
            == [0.0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6000000000000001, 0.7000000000000001, 0.8, 0.9])
        // np.arange(1, 1.3, 0.1): 4 elements, the last one past the stop.
        #expect(try Tensor.arange(1, 1.3, step: 0.1).storage == [1.0, 1.1, 1.2000000000000002, 1.3000000000000003])
        // np.arange(1, 2, 0.1)
        #expect(try Tensor.arange(1, 2, step: 0.1).storage == [
            1.0, 1.1, 1.2000000000000002, 1.3000000000000003, 1.4000000000000004, 1.5000000000000004,
            1.6000000000000005, 1.7000000000000006, 1.8000000000000007, 1.9000000000000008,
        ])
        // np.arange(0.5, 3.2, 0.3): 10 elements, ending exactly at the stop.
        #expect(try Tensor.arange(0.5, 3.2, step: 0.3).storage == [
            0.5, 0.8, 1.1, 1.4000000000000001, 1.7000000000000002, 2.0, 2.3000000000000003,
            2.6000000000000005, 2.9000000000000004, 3.2,
        ])
        // np.arange(0, -1, -0.1)
        #expect(try Tensor.arange(0, -1, step: -0.1).storage
            == [0.0, -0.1, -0.2, -0.30000000000000004, -0.4, -0.5, -0.6000000000000001, -0.7000000000000001, -0.8, -0.9])
    }

    @Test func arangeRefusesBadArguments() throws {
        #expect(tensorError { try Tensor.arange(0, 1, step: 0) }
            == .invalidArgument(op: "arange", message: "step must be a non-zero finite number and the bounds finite"))
        #expect(tensorError { try Tensor.arange(0, .infinity) } != nil)
        #expect(tensorError { try Tensor.arange(.nan, 1) } != nil)
        #expect(tensorError { try Tensor.arange(0, 1, step: .nan) } != nil)
        #expect(tensorError { try Tensor.arange(0, 1e9) } == .invalidArgument(op: "arange", message: "1000000000.0 elements is too many (at most 10⁸)"))
        // These used to trap converting a huge or infinite Double to Int.
        #expect(tensorError { try Tensor.arange(0, 1e300) } == .invalidArgument(op: "arange", message: "1e+300 elements is too many (at most 10⁸)"))
        // NumPy: np.arange(1e308, -1e308, 1) raises too (the length is -inf).
        #expect(tensorError { try Tensor.arange(1e308, -1e308) }
            == .invalidArgument(op: "arange", message: "the number of elements from 1e+308 to -1e+308 by 1.0 overflows"))
        #expect(tensorError { try Tensor.arange(-1e308, 1e308, step: 1e-300) } != nil)
    }

    /// Values from NumPy 2.4, `np.linspace(...).tolist()`, compared exactly.
    @Test func linspaceMatchesNumPy() throws {
        #expect(try Tensor.linspace(0, 1, count: 5).storage == [0.0, 0.25, 0.5, 0.75, 1.0])
        #expect(try Tensor.linspace(0, 1, count: 7).storage
            == [0.0, 0.16666666666666666, 0.3333333333333333, 0.5, 0.6666666666666666, 0.8333333333333333, 1.0])
        #expect(try Tensor.linspace(1, -1, count: 4).storage == [1.0, 0.33333333333333337, -0.33333333333333326, -1.0])
        #expect(try Tensor.linspace(0.1, 0.7, count: 7).storage == [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7])
        // np.linspace(2, 3, 1) == [2.]; np.linspace(2, 3, 0).shape == (0,)
        expectTensor(try Tensor.linspace(2, 3, count: 1), shape: [1], [2])
        expectTensor(try Tensor.linspace(2, 3, count: 0), shape: [0], [])
        expectTensor(try Tensor.linspace(4, 4, count: 3), shape: [3], [4, 4, 4])
    }

    @Test func linspaceRefusesNegativeCount() throws {
        #expect(tensorError { try Tensor.linspace(0, 1, count: -1) }
            == .invalidArgument(op: "linspace", message: "count must be between 0 and 10⁸, got -1"))
    }
}

@Suite struct TensorAccessTests {
    @Test func itemOfOneElementTensors() throws {
        #expect(try Tensor(4).item() == 4)
        #expect(try Tensor(literal: [[7]]).item() == 7)
        let error = tensorError { try Tensor([1, 2]).item() }
        #expect(error == .invalidArgument(op: "item", message: "tensor of shape (2,) has 2 elements, not 1"))
        #expect(tensorError { try Tensor([]).item() } != nil)
    }

    @Test func elementChecksEveryIndex() throws {
        let t = try literal([[1, 2, 3], [4, 5, 6]])
        #expect(try t.element([1, 1]) == 5)
        #expect(tensorError { try t.element([1]) } == .invalidArgument(op: "element", message: "need 2 indices, got 1"))
        #expect(tensorError { try t.element([0, 3]) } == .indexOutOfRange(op: "element", index: 3, axis: 1, size: 3))
        // element takes no negative indices (index(_:) does).
        #expect(tensorError { try t.element([-1, 0]) } == .indexOutOfRange(op: "element", index: -1, axis: 0, size: 2))
    }

    @Test func descriptionShowsNestedValuesAndShape() throws {
        #expect(try literal([[1, 2], [3, 4]]).description == "tensor([[1.0, 2.0], [3.0, 4.0]], shape: (2, 2))")
        #expect(Tensor(0.5).description == "tensor(0.5, shape: ())")
        #expect(Tensor([1, 2, 3]).description == "tensor([1.0, 2.0, 3.0], shape: (3,))")
        #expect(try Tensor.zeros([2, 0]).description == "tensor([[], []], shape: (2, 0))")
    }

    @Test func formatShapeFollowsNumPy() {
        #expect(formatShape([]) == "()")
        #expect(formatShape([3]) == "(3,)")
        #expect(formatShape([2, 3, 4]) == "(2, 3, 4)")
    }
}
