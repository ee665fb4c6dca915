/// Changing how elements are arranged: reshape, permute, transpose, squeeze and unsqueeze.
extension Tensor {
    /// Same elements in the same row-major order, another shape; one size may be -1 (inferred).
    public func reshape(_ newShape: [Int]) throws -> Tensor {
        var resolved = newShape
        let unknown = newShape.indices.filter { newShape[$0] == -1 }
        guard unknown.count <= 1, newShape.allSatisfy({ $0 >= -1 }) else {
            throw TensorError.invalidReshape(from: shape, to: newShape)
        }
        if let u = unknown.first {
            var others = newShape
            others.remove(at: u)
            // Overflow-checked: sizes typed at the prompt can be anything, and a product that
            // overflows cannot equal the element count anyway.
            guard let known = Shape.checkedCount(others), known > 0, count % known == 0 else {
                throw TensorError.invalidReshape(from: shape, to: newShape)
            }
            resolved[u] = count / known
        }
        // Checked rather than wrapping, or (2³², 2³²) would "match" an empty tensor's 0 elements.
        guard Shape.checkedCount(resolved) == count else { throw TensorError.invalidReshape(from: shape, to: newShape) }
        let original = shape
        return Tensor.result(shape: resolved, storage: storage, op: "reshape", inputs: [self],
                             backward: { g in _ = original; return [g] })
    }

    /// All elements as one axis.
    public func flatten() -> Tensor {
        Tensor.result(shape: [count], storage: storage, op: "flatten", inputs: [self], backward: { g in [g] })
    }

    /// Reorders the axes: result axis i is `self`'s axis `axes[i]` (PyTorch's `permute`, NumPy's `transpose(axes)`).
    public func permute(_ axes: [Int]) throws -> Tensor {
        guard axes.count == rank else {
            throw TensorError.invalidArgument(op: "permute", message: "need \(rank) axes for shape \(formatShape(shape)), got \(axes.count)")
        }
        let normalized = try axes.map { try Shape.normalize(axis: $0, rank: rank, op: "permute") }
        guard Set(normalized).count == rank else {
            throw TensorError.invalidArgument(op: "permute", message: "axes \(axes) repeat an axis")
        }
        let own = Shape.strides(shape)
        let view = StridedView(shape: normalized.map { shape[$0] }, strides: normalized.map { own[$0] }, offset: 0)
        return viewCopy(view, op: "permute")
    }

    /// Swaps two axes.
    public func transpose(_ a: Int, _ b: Int) throws -> Tensor {
        let i = try Shape.normalize(axis: a, rank: rank, op: "transpose")
        let j = try Shape.normalize(axis: b, rank: rank, op: "transpose")
        var axes = Array(0..<rank)
        axes.swapAt(i, j)
        return try permute(axes)
    }

    /// All axes reversed, as NumPy's `.T`: the matrix transpose for 2-D, unchanged for 0-D and 1-D.
    public var T: Tensor {
        // A permutation of all axes cannot fail.
        (try? permute(Array((0..<rank).reversed()))) ?? self
    }

    /// Inserts an axis of size 1 at `axis` (which may be `rank`, or negative counting from the end).
    public func unsqueeze(_ axis: Int) throws -> Tensor {
        let a = try Shape.normalize(axis: axis, rank: rank + 1, op: "unsqueeze")
        var s = shape
        s.insert(1, at: a)
        return try reshape(s)
    }

    /// Removes `axis` if it has size 1, or every size-1 axis when `axis` is nil.
    public func squeeze(_ axis: Int? = nil) throws -> Tensor {
        if let axis {
            let a = try Shape.normalize(axis: axis, rank: rank, op: "squeeze")
            guard shape[a] == 1 else {
                throw TensorError.invalidArgument(op: "squeeze", message: "axis \(axis) has size \(shape[a]), not 1")
            }
            var s = shape
            s.remove(at: a)
            return try reshape(s)
        }
        return try reshape(shape.filter { $0 != 1 })
    }
}
