import Testing
@testable import Engine

// Indexing.swift: positions (negative ones too), Python slices with steps, newAxis, select.

/// One slice of an axis of length n and the positions Python takes: `list(range(n)[start:stop:step])`,
/// printed by CPython 3 for each row (the comment shows the slice as typed).
private struct SliceCase: CustomStringConvertible, Sendable {
    let n: Int, start: Int?, stop: Int?, step: Int?
    let positions: [Int]
    var description: String { "range(\(n))[\(start.map(String.init) ?? ""):\(stop.map(String.init) ?? ""):\(step.map(String.init) ?? "")]" }
}

private let pythonSlices: [SliceCase] = [
    (5, nil, nil, nil, [0, 1, 2, 3, 4]),         // range(5)[::]
    (5, 1, 4, nil, [1, 2, 3]),                   // range(5)[1:4]
    (5, nil, nil, 2, [0, 2, 4]),                 // range(5)[::2]
    (5, 1, nil, 2, [1, 3]),                      // range(5)[1::2]
    (5, nil, nil, -1, [4, 3, 2, 1, 0]),          // range(5)[::-1]
    (5, nil, nil, -2, [4, 2, 0]),                // range(5)[::-2]
    (5, 3, 0, -1, [3, 2, 1]),                    // range(5)[3:0:-1]  (stop excluded)
    (5, 3, nil, -1, [3, 2, 1, 0]),               // range(5)[3::-1]   (omitted stop runs past 0)
    (5, nil, 1, -1, [4, 3, 2]),                  // range(5)[:1:-1]   (omitted start is the last position)
    (5, -1, nil, -2, [4, 2, 0]),                 // range(5)[-1::-2]
    (5, -2, nil, nil, [3, 4]),                   // range(5)[-2:]
    (5, nil, -2, nil, [0, 1, 2]),                // range(5)[:-2]
    (5, -7, 7, nil, [0, 1, 2, 3, 4]),            // range(5)[-7:7]    (clamped at both ends)
    (5, 7, -7, -1, [4, 3, 2, 1, 0]),             // range(5)[7:-7:-1]
    (5, 7, nil, -1, [4, 3, 2, 1, 0]),            // range(5)[7::-1]
    (5, -7, nil, -1, []),                        // range(5)[-7::-1]  (starts before the first position)
    (5, 4, 1, nil, []),                          // range(5)[4:1]
    (5, 1, 4, -1, []),                           // range(5)[1:4:-1]
    (5, 0, 5, 3, [0, 3]),                        // range(5)[0:5:3]
    (5, 4, -6, -3, [4, 1]),                      // range(5)[4:-6:-3]
    (5, 2, 2, nil, []),                          // range(5)[2:2]
    (5, -1, -1, -1, []),                         // range(5)[-1:-1:-1]
    (5, nil, nil, 7, [0]),                       // range(5)[::7]
    (5, nil, nil, -7, [4]),                      // range(5)[::-7]
    (5, 10, 20, nil, []),                        // range(5)[10:20]
    (5, -20, -10, nil, []),                      // range(5)[-20:-10]
    (5, -20, -10, -1, []),                       // range(5)[-20:-10:-1]
    (5, nil, nil, Int.max, [0]),                 // range(5)[::sys.maxsize]           (used to overflow)
    (5, nil, nil, Int.min, [4]),                 // range(5)[::-sys.maxsize-1]        (used to overflow)
    (5, 3, nil, Int.max, [3]),                   // range(5)[3::sys.maxsize]
    (5, Int.min, Int.max, nil, [0, 1, 2, 3, 4]), // range(5)[-sys.maxsize-1:sys.maxsize]
    (5, Int.max, Int.min, -1, [4, 3, 2, 1, 0]),  // range(5)[sys.maxsize:-sys.maxsize-1:-1]
    (0, nil, nil, nil, []),                      // range(0)[::]
    (0, nil, nil, -1, []),                       // range(0)[::-1]
    (1, nil, nil, -1, [0]),                      // range(1)[::-1]
    (1, -1, nil, nil, [0]),                      // range(1)[-1:]
].map { SliceCase(n: $0.0, start: $0.1, stop: $0.2, step: $0.3, positions: $0.4) }

@Suite struct SliceTests {
    @Test(arguments: pythonSlices)
    fileprivate func sliceTakesThePositionsPythonTakes(_ c: SliceCase) throws {
        let x = try Tensor.arange(0, Double(c.n))  // element i is i, so the values are the positions
        let y = try x.index([.slice(start: c.start, stop: c.stop, step: c.step)])
        #expect(y.shape == [c.positions.count])
        #expect(y.storage == c.positions.map(Double.init))
        let resolved = try Tensor.resolveSlice(start: c.start, stop: c.stop, step: c.step, size: c.n)
        #expect(resolved.count == c.positions.count)
        if let first = c.positions.first { #expect(resolved.first == first) }
    }

    @Test func zeroStepIsRefused() throws {
        let error = tensorError { try Tensor([1, 2, 3]).index([.slice(step: 0)]) }
        #expect(error == .invalidArgument(op: "slice", message: "slice step cannot be zero"))
    }

    /// x = np.arange(12).reshape(3, 4); expectations read off that grid:
    /// [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]].
    @Test func slicesOnSeveralAxes() throws {
        let x = try Tensor.arange(0, 12).reshape([3, 4])
        expectTensor(try x.index([.slice(start: 1), .slice(step: 2)]), shape: [2, 2], [4, 6, 8, 10])           // x[1:, ::2]
        expectTensor(try x.index([.slice(step: -1), .slice(step: -1)]), shape: [3, 4], [11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0])  // x[::-1, ::-1]
        expectTensor(try x.index([.all, .slice(start: -1, stop: 0, step: -2)]), shape: [3, 2], [3, 1, 7, 5, 11, 9])  // x[:, -1:0:-2]
        expectTensor(try x.index([.slice(start: 5)]), shape: [0, 4], [])                                   // x[5:]
        expectTensor(try x.index([.all, .slice(stop: 0)]), shape: [3, 0], [])                              // x[:, :0]
    }
}

@Suite struct PositionIndexTests {
    let x: Tensor

    init() throws { x = try Tensor.arange(0, 12).reshape([3, 4]) }

    @Test func positiveAndNegativePositions() throws {
        expectTensor(try x[1], shape: [4], [4, 5, 6, 7])
        expectTensor(try x[-1], shape: [4], [8, 9, 10, 11])
        expectTensor(try x[-3], shape: [4], [0, 1, 2, 3])
        expectTensor(try x.index([.all, .at(0)]), shape: [3], [0, 4, 8])      // x[:, 0]
        expectTensor(try x.index([.all, .at(-1)]), shape: [3], [3, 7, 11])    // x[:, -1]
        expectTensor(try x.index([.at(2), .at(3)]), shape: [], [11])          // x[2, 3]
        expectTensor(try x.index([.at(-1), .slice(start: 1, stop: 3)]), shape: [2], [9, 10])  // x[-1, 1:3]
        expectTensor(try x.index([]), shape: [3, 4], x.storage)
        expectTensor(try x[1][2], shape: [], [6])
    }

    @Test func newAxisInsertsASizeOneAxis() throws {
        #expect(try x.index([.newAxis]).shape == [1, 3, 4])                   // x[None]
        expectTensor(try x.index([.all, .newAxis]), shape: [3, 1, 4], x.storage)  // x[:, None]
        expectTensor(try x.index([.at(1), .newAxis]), shape: [1, 4], [4, 5, 6, 7])  // x[1, None]
        #expect(try x.index([.all, .all, .newAxis]).shape == [3, 4, 1])       // x[:, :, None]
        #expect(try x.index([.newAxis, .at(0), .newAxis, .at(-1)]).shape == [1, 1])  // x[None, 0, None, -1]
        expectTensor(try Tensor(5).index([.newAxis]), shape: [1], [5])
    }

    @Test func outOfRangePositionsNameIndexAxisAndSize() throws {
        let error = tensorError { try x[3] }
        #expect(error == .indexOutOfRange(op: "index", index: 3, axis: 0, size: 3))
        #expect(error?.description == "index 3 is out of range for axis 0 of size 3")
        #expect(tensorError { try x[-4] } == .indexOutOfRange(op: "index", index: -4, axis: 0, size: 3))
        #expect(tensorError { try x.index([.all, .at(-5)]) } == .indexOutOfRange(op: "index", index: -5, axis: 1, size: 4))
        #expect(tensorError { try x.index([.newAxis, .all, .at(4)]) } == .indexOutOfRange(op: "index", index: 4, axis: 1, size: 4))
        #expect(tensorError { try x.index([.at(Int.min)]) } == .indexOutOfRange(op: "index", index: Int.min, axis: 0, size: 3))
        #expect(tensorError { try Tensor.zeros([0])[0] } == .indexOutOfRange(op: "index", index: 0, axis: 0, size: 0))
    }

    @Test func tooManyIndicesAreRefused() throws {
        let error = tensorError { try x.index([.at(0), .at(0), .at(0)]) }
        #expect(error == .invalidArgument(op: "index", message: "too many indices (3) for a tensor of shape (3, 4)"))
        #expect(tensorError { try Tensor(1)[0] } == .invalidArgument(op: "index", message: "too many indices (1) for a tensor of shape ()"))
    }
}

@Suite struct SelectTests {
    let x: Tensor

    init() throws { x = try Tensor.arange(0, 12).reshape([3, 4]) }

    @Test func selectRowsWithRepeats() throws {
        // np.take(x, [2, 0, 2, -1], axis=0)
        expectTensor(try x.select([2, 0, 2, -1]), shape: [4, 4], [8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11, 8, 9, 10, 11])
        // np.take(x, [3, 3, 0], axis=1)
        expectTensor(try x.select([3, 3, 0], axis: 1), shape: [3, 3], [3, 3, 0, 7, 7, 4, 11, 11, 8])
        expectTensor(try x.select([1], axis: -1), shape: [3, 1], [1, 5, 9])
        expectTensor(try x.select([]), shape: [0, 4], [])
    }

    /// Each use of a row sends its gradient back to it: row 2 picked twice gets 2, row 1 never picked gets 0.
    @Test func repeatedPositionsSumTheirGradients() throws {
        let table = try Tensor.zeros([3, 2], requiresGrad: true)
        let picked = try table.select([2, 0, 2])
        try picked.sum().backward()
        expectTensor(try #require(table.grad), shape: [3, 2], [1, 1, 0, 0, 2, 2])
        let columns = try Tensor.zeros([2, 3], requiresGrad: true)
        try columns.select([0, 0, 0, 2], axis: 1).backward(gradient: Tensor(shape: [2, 4], storage: [1, 2, 3, 4, 5, 6, 7, 8]))
        expectTensor(try #require(columns.grad), shape: [2, 3], [6, 0, 4, 18, 0, 8])
    }

    @Test func outOfRangePositionsAreRefused() throws {
        #expect(tensorError { try x.select([0, 3]) } == .indexOutOfRange(op: "select", index: 3, axis: 0, size: 3))
        #expect(tensorError { try x.select([-5], axis: 1) } == .indexOutOfRange(op: "select", index: -5, axis: 1, size: 4))
        #expect(tensorError { try x.select([0], axis: 2) } == .axisOutOfRange(op: "select", axis: 2, rank: 2))
        #expect(tensorError { try Tensor(1).select([0]) } == .axisOutOfRange(op: "select", axis: 0, rank: 0))
    }

    /// Repeats can make the result far larger than the input: refused before allocating.
    @Test func hugeSelectionIsRefused() throws {
        let rows = try Tensor.zeros([10, 1_000_000])
        let error = tensorError { try rows.select([Int](repeating: 0, count: 2000)) }
        #expect(error == .invalidArgument(op: "select", message: "shape (2000, 1000000) is too large (more than 1000000000 elements)"))
    }
}

@Suite struct IndexingGradientTests {
    let x: Tensor

    init() throws { x = try gaussian([4, 5], seed: 41) }

    @Test func gradcheckPositionsAndSlices() throws {
        try expectGradcheck([x]) { try $0[0][2] }
        try expectGradcheck([x]) { try $0[0].index([.all, .at(-1)]) }
        try expectGradcheck([x]) { try $0[0].index([.slice(start: 1, stop: 4), .slice(step: 2)]) }
        try expectGradcheck([x]) { try $0[0].index([.slice(step: -1), .slice(start: -1, stop: 0, step: -3)]) }
        try expectGradcheck([x]) { try $0[0].index([.newAxis, .slice(step: -2), .newAxis]) }
    }

    @Test func sliceGradientLandsOnTheTakenPositions() throws {
        let v = try Tensor.zeros([5], requiresGrad: true)
        try v.index([.slice(step: -2)]).backward(gradient: Tensor([1, 2, 3]))  // positions 4, 2, 0
        expectTensor(try #require(v.grad), shape: [5], [3, 0, 2, 0, 1])
    }

    @Test func gradcheckSelectWithRepeats() throws {
        try expectGradcheck([x]) { try $0[0].select([3, 1, 3, 3, -4]) }
        try expectGradcheck([x]) { try $0[0].select([0, 4, 4], axis: 1).tanh() }
        let cube = try gaussian([2, 3, 4], seed: 42)
        try expectGradcheck([cube]) { try $0[0].select([2, 2, 0], axis: 1) }
    }
}

/// StridedView.swift: a window that is one run of consecutive elements is copied out in one piece;
/// every other is walked. Both must read the same elements.
@Suite struct StridedViewContiguityTests {
    /// (shape, strides, offset) over a buffer of 60, and whether the window is one run.
    static let views: [([Int], [Int], Int, Bool)] = [
        ([3, 4, 5], [20, 5, 1], 0, true),      // the whole (3, 4, 5) tensor
        ([4, 5], [5, 1], 40, true),            // x[2]
        ([2, 4, 5], [20, 5, 1], 20, true),     // x[1:3]
        ([5], [1], 45, true),                  // x[2, 1]
        ([1, 4, 5], [0, 5, 1], 20, true),      // x[1, None]: a size-one axis, any stride
        ([4, 1, 5], [5, 0, 1], 20, true),      // x[1, :, None]
        ([3, 5], [20, 1], 5, false),           // x[:, 1]: rows 20 apart
        ([3, 4], [20, 5], 0, false),           // x[..., 0]
        ([3, 4, 5], [-20, 5, 1], 40, false),   // x[::-1]
        ([2, 5], [10, 1], 0, false),           // x.reshape(6, 10)[::1, :5]-like: 5 of every 10
        ([5], [0], 7, false),                  // one element read 5 times (a broadcast)
        ([], [], 13, true),                    // one element
        ([0, 5], [5, 1], 0, true),             // nothing
    ]

    @Test func contiguityIsRecognised() {
        for (shape, strides, offset, contiguous) in Self.views {
            #expect(StridedView(shape: shape, strides: strides, offset: offset).isContiguous == contiguous, "\(shape) \(strides)")
        }
    }

    @Test func gatherReadsTheSameElementsEitherWay() {
        let source = (0..<60).map { Double($0) * 1.5 - 7 }
        for (shape, strides, offset, _) in Self.views {
            let view = StridedView(shape: shape, strides: strides, offset: offset)
            var walked: [Double] = []
            view.forEach { _, s in walked.append(source[s]) }
            #expect(view.gather(source) == walked, "\(shape) \(strides) from \(offset)")
        }
    }
}
