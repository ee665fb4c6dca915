/// Shape arithmetic shared by every operation: element counts, row-major strides,
/// NumPy broadcasting and axis normalisation.
public enum Shape {
    /// Number of elements of a tensor of this shape (1 for a scalar).
    @inlinable public static func count(_ shape: [Int]) -> Int {
        var n = 1
        for d in shape { n &*= d }
        return n
    }

    /// Most elements an operation will allocate (8 GB of Doubles). A typo such as `zeros([100000, 100000])`
    /// or a broadcast of a long column against a long row would otherwise end the session in an
    /// allocation failure instead of an error message.
    static let maxCount = 1_000_000_000

    /// Number of elements, or nil when a size is negative or the shape is larger than any tensor
    /// rnnlab makes.
    ///
    /// Zero sizes are left out of the size test: a shape like `(0, 2⁴⁰, 2⁴⁰)` holds no elements, but
    /// its strides and the partial products that reductions and matmul take would still overflow,
    /// and summing `(0, 2⁶²)` over axis 0 gives `(2⁶²,)`, which must be allocated. So the product of
    /// the *nonzero* sizes must itself stay within ``maxCount``. With this check passed, every
    /// stride and partial product fits an `Int`, and every shape an operation derives from this one
    /// by dropping or shrinking axes can be allocated.
    static func checkedCount(_ shape: [Int]) -> Int? {
        var nonZero = 1
        for d in shape {
            guard d >= 0 else { return nil }
            if d == 0 { continue }
            let (p, overflow) = nonZero.multipliedReportingOverflow(by: d)
            if overflow || p > maxCount { return nil }
            nonZero = p
        }
        return shape.contains(0) ? 0 : nonZero
    }

    /// Throws unless a result of `shape` can be allocated: sizes non-negative, no overflow, at most
    /// ``maxCount`` elements, and room for it in the ``MemoryBudget``.
    static func checkAllocatable(_ shape: [Int], op: String) throws {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw TensorError.invalidArgument(op: op, message: "sizes must be non-negative, got \(formatShape(shape))")
        }
        guard let count = checkedCount(shape) else {
            throw TensorError.invalidArgument(op: op, message: tooLarge(shape))
        }
        // The one place results of a user-chosen size are vetted, so the budget is checked here.
        try MemoryBudget.check(doubles: count, for: op)
    }

    /// Why ``checkedCount(_:)`` refused `shape`, in words (an empty shape with huge sizes is explained).
    static func tooLarge(_ shape: [Int]) -> String {
        shape.contains(0)
            ? "shape \(formatShape(shape)) is too large (it holds no elements, but its other sizes multiply to more than \(maxCount))"
            : "shape \(formatShape(shape)) is too large (more than \(maxCount) elements)"
    }

    /// Row-major strides: the last axis is contiguous.
    public static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var s = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[i] = s
            s *= shape[i]
        }
        return strides
    }

    /// NumPy broadcasting: align shapes on the right; each pair of sizes must be equal or one of them 1.
    public static func broadcast(_ a: [Int], _ b: [Int], op: String) throws -> [Int] {
        let rank = max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if da == db || db == 1 { out[i] = da }
            else if da == 1 { out[i] = db }
            else { throw TensorError.shapeMismatch(op: op, lhs: a, rhs: b) }
        }
        // Two small operands can broadcast to a huge result: (10⁶, 1) + (1, 10⁶) has 10¹² elements.
        try checkAllocatable(out, op: op)
        return out
    }

    /// Strides to read an operand of `shape` as if it had the broadcast shape `target`:
    /// broadcast axes get stride 0 so the same element is read repeatedly.
    public static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        let own = strides(shape)
        let offset = target.count - shape.count
        var out = [Int](repeating: 0, count: target.count)
        for i in 0..<shape.count where shape[i] != 1 || target[i + offset] == 1 {
            out[i + offset] = shape[i] == 1 ? 0 : own[i]
        }
        return out
    }

    /// Maps a possibly negative axis into `0..<rank`, or throws naming the operation.
    public static func normalize(axis: Int, rank: Int, op: String) throws -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0, a < rank else { throw TensorError.axisOutOfRange(op: op, axis: axis, rank: rank) }
        return a
    }
}

/// The row-major multi-index of flat offset `flat` in `shape`: the inverse of
/// offset = Σᵢ indexᵢ · Πⱼ>ᵢ shapeⱼ. Error messages use it to name an element the way a learner
/// indexes it (`y[2, 0]`), not by its flat position. Axes of length 0 hold no element and stay 0.
extension Shape {
    public static func multiIndex(_ flat: Int, shape: [Int]) -> [Int] {
        var rest = flat
        var index = [Int](repeating: 0, count: shape.count)
        for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] > 0 {
            index[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return index
    }
}
