/// Joining and splitting along an axis: how directions are concatenated in a bidirectional layer
/// and how per-step outputs become one sequence tensor.
extension Tensor {
    /// Joins tensors along an existing axis; all other sizes must agree.
    public static func concat(_ tensors: [Tensor], axis: Int = 0) throws -> Tensor {
        guard let first = tensors.first else {
            throw TensorError.invalidArgument(op: "concat", message: "needs at least one tensor")
        }
        guard first.rank > 0 else {
            throw TensorError.invalidArgument(op: "concat", message: "cannot concatenate rank-0 tensors; use stack")
        }
        let a = try Shape.normalize(axis: axis, rank: first.rank, op: "concat")
        for t in tensors.dropFirst() {
            var x = t.shape, y = first.shape
            guard x.count == y.count else { throw TensorError.shapeMismatch(op: "concat", lhs: first.shape, rhs: t.shape) }
            x[a] = 0; y[a] = 0
            guard x == y else { throw TensorError.shapeMismatch(op: "concat", lhs: first.shape, rhs: t.shape) }
        }
        // Checked first: the pieces fit in memory, but repeating one (concat([x, x, …])) or joining
        // empty tensors with huge sizes can add up past memory or past Int.max.
        var length = 0, overflow = false
        for t in tensors where !overflow { (length, overflow) = length.addingReportingOverflow(t.shape[a]) }
        guard !overflow else {
            throw TensorError.invalidArgument(op: "concat", message: "the joined axis \(axis) would be longer than \(Int.max)")
        }
        var outShape = first.shape
        outShape[a] = length
        try Shape.checkAllocatable(outShape, op: "concat")
        let outer = first.shape[..<a].reduce(1, *), inner = first.shape[(a + 1)...].reduce(1, *)
        let widths = tensors.map { $0.shape[a] * inner }
        let total = widths.reduce(0, +)
        // Row o of piece k (w values) goes to columns column…column+w−1 of output row o: one block
        // copy per row, so each piece's storage must hold exactly its shape's count (a storage
        // replaced by hand through the public setter might not; refused rather than read past).
        for (t, w) in zip(tensors, widths) where t.storage.count != outer * w {
            throw TensorError.invalidArgument(
                op: "concat", message: "a tensor of shape \(formatShape(t.shape)) holds \(t.storage.count) values instead of \(outer * w)")
        }
        var out: [Double] = uninitializedArray(outer * total)
        out.withUnsafeMutableBufferPointer { po in
            var column = 0
            for (t, w) in zip(tensors, widths) where w > 0 && outer > 0 {
                t.storage.withUnsafeBufferPointer { ps in
                    for o in 0..<outer { (po.baseAddress! + o * total + column).update(from: ps.baseAddress! + o * w, count: w) }
                }
                column += w
            }
        }
        return result(shape: outShape, storage: out, op: "concat", inputs: tensors, backward: { g in
            var grads: [[Double]?] = []
            var column = 0
            g.withUnsafeBufferPointer { pg in
                for w in widths {
                    var gt: [Double] = uninitializedArray(outer * w)
                    if outer * w > 0 {
                        gt.withUnsafeMutableBufferPointer { pt in
                            for o in 0..<outer { (pt.baseAddress! + o * w).update(from: pg.baseAddress! + o * total + column, count: w) }
                        }
                    }
                    grads.append(gt)
                    column += w
                }
            }
            return grads
        })
    }

    /// Joins same-shaped tensors along a new axis (e.g. per-step states hₜ into a (T, B, H) sequence).
    public static func stack(_ tensors: [Tensor], axis: Int = 0) throws -> Tensor {
        guard let first = tensors.first else {
            throw TensorError.invalidArgument(op: "stack", message: "needs at least one tensor")
        }
        for t in tensors.dropFirst() where t.shape != first.shape {
            throw TensorError.shapeMismatch(op: "stack", lhs: first.shape, rhs: t.shape)
        }
        let a = try Shape.normalize(axis: axis, rank: first.rank + 1, op: "stack")
        // One tensor is itself with a new axis: no joined copy (a generator's or the language's
        // stack of a single step).
        if tensors.count == 1 && first.storage.count == first.count { return try first.unsqueeze(a) }
        return try concat(tensors.map { try $0.unsqueeze(a) }, axis: a)
    }

    /// Cuts along `axis` into pieces of the given sizes (which must add up to the axis length).
    public func split(sizes: [Int], axis: Int = 0) throws -> [Tensor] {
        let a = try Shape.normalize(axis: axis, rank: rank, op: "split")
        // Summed with an overflow check: [Int.max, 1] must be refused, not trap.
        var total = 0, overflow = false
        for s in sizes where !overflow { (total, overflow) = total.addingReportingOverflow(s) }
        guard sizes.allSatisfy({ $0 >= 0 }), !overflow, total == shape[a] else {
            throw TensorError.invalidArgument(op: "split", message: "sizes \(sizes) do not add up to \(shape[a]), the length of axis \(axis)")
        }
        var start = 0
        return try sizes.map { size in
            var idx = [TensorIndex](repeating: .all, count: a)
            idx.append(.slice(start: start, stop: start + size, step: 1))
            start += size
            return try index(idx)
        }
    }

    /// Cuts along `axis` into `parts` equal pieces, as the four gate blocks of an LSTM's weight.
    public func split(parts: Int, axis: Int = 0) throws -> [Tensor] {
        let a = try Shape.normalize(axis: axis, rank: rank, op: "split")
        guard parts > 0, shape[a] % parts == 0 else {
            throw TensorError.invalidArgument(op: "split", message: "axis \(axis) of length \(shape[a]) does not divide into \(parts) equal parts")
        }
        return try split(sizes: [Int](repeating: shape[a] / parts, count: parts), axis: axis)
    }
}
