/// NumPy-style indexing: `x[2]`, `x[-1]`, `x[1:3]`, `x[::-1]`, `x[:, 0]`, and picking rows by a list.
public enum TensorIndex: Equatable, Sendable {
    /// One position; the axis disappears from the result (`x[t]` is step t of a sequence).
    case at(Int)
    /// A slice `start:stop:step` with Python's rules for omitted and negative values.
    case slice(start: Int? = nil, stop: Int? = nil, step: Int? = nil)
    /// A new axis of size 1 (NumPy's `None`).
    case newAxis

    /// `:` — the whole axis.
    public static let all = TensorIndex.slice()
}

extension Tensor {
    /// Selects with one index per leading axis; axes not mentioned are kept whole.
    public func index(_ indices: [TensorIndex]) throws -> Tensor {
        var consumed = 0
        for index in indices where index != .newAxis { consumed += 1 }
        guard consumed <= rank else {
            throw TensorError.invalidArgument(op: "index", message: "too many indices (\(consumed)) for a tensor of shape \(formatShape(shape))")
        }
        let own = Shape.strides(shape)
        var outShape: [Int] = [], outStrides: [Int] = [], offset = 0, axis = 0
        outShape.reserveCapacity(rank + indices.count)
        outStrides.reserveCapacity(rank + indices.count)
        for index in indices {
            switch index {
            case let .at(i):
                let size = shape[axis]
                let j = i < 0 ? i + size : i
                guard j >= 0, j < size else { throw TensorError.indexOutOfRange(op: "index", index: i, axis: axis, size: size) }
                offset += j * own[axis]
                axis += 1
            case let .slice(start, stop, step):
                let (first, n, by) = try Tensor.resolveSlice(start: start, stop: stop, step: step, size: shape[axis])
                offset += first * own[axis]
                outShape.append(n)
                // The step only matters between two taken positions; with fewer it may be as large
                // as Int.max, and multiplying it by the stride would overflow.
                outStrides.append(n > 1 ? own[axis] * by : 0)
                axis += 1
            case .newAxis:
                outShape.append(1)
                outStrides.append(0)
            }
        }
        for rest in axis..<rank {
            outShape.append(shape[rest])
            outStrides.append(own[rest])
        }
        return viewCopy(StridedView(shape: outShape, strides: outStrides, offset: offset), op: "index")
    }

    /// `x[i]`: position i along the first axis (negative counts from the end).
    public subscript(_ i: Int) -> Tensor {
        get throws { try index([.at(i)]) }
    }

    /// Python's `slice.indices`: first position, number of positions and step for a slice of an axis of `size`.
    public static func resolveSlice(start: Int?, stop: Int?, step: Int?, size: Int) throws -> (first: Int, count: Int, step: Int) {
        // Python clamps the step to −Int.max as well, so that −step never overflows.
        let step = Swift.max(step ?? 1, -Int.max)
        guard step != 0 else { throw TensorError.invalidArgument(op: "slice", message: "slice step cannot be zero") }
        let (lower, upper) = step > 0 ? (0, size) : (-1, size - 1)
        func clamp(_ v: Int?, default d: Int) -> Int {
            guard let v else { return d }
            return v < 0 ? Swift.max(v + size, lower) : Swift.min(v, upper)
        }
        let first = clamp(start, default: step > 0 ? lower : upper)
        let last = clamp(stop, default: step > 0 ? upper : lower)
        // CPython's PySlice_AdjustIndices; written as (distance − 1)/|step| + 1 so that a step near
        // Int.max (x[::9223372036854775807]) cannot overflow the way distance + step − 1 would.
        let n: Int
        if step > 0 { n = first < last ? (last - first - 1) / step + 1 : 0 }
        else { n = last < first ? (first - last - 1) / -step + 1 : 0 }
        return (first, n, step)
    }

    /// Rows (or slices along `axis`) at the given positions, repeats allowed: the lookup behind
    /// embeddings and teacher forcing. The gradient of a repeated row is the sum of its uses.
    public func select(_ positions: [Int], axis: Int = 0) throws -> Tensor {
        let a = try Shape.normalize(axis: axis, rank: rank, op: "select")
        let size = shape[a]
        let resolved = try positions.map { p in
            let q = p < 0 ? p + size : p
            guard q >= 0, q < size else { throw TensorError.indexOutOfRange(op: "select", index: p, axis: a, size: size) }
            return q
        }
        let outer = shape[..<a].reduce(1, *), inner = shape[(a + 1)...].reduce(1, *)
        var outShape = shape
        outShape[a] = resolved.count
        // Repeats make the result larger than the input: 10⁶ positions of 10⁶-element rows is 8 TB.
        try Shape.checkAllocatable(outShape, op: "select")
        let src = storage, n = count
        var out = [Double](repeating: 0, count: outer * resolved.count * inner)
        for o in 0..<outer {
            for (k, p) in resolved.enumerated() {
                let from = (o * size + p) * inner, to = (o * resolved.count + k) * inner
                for i in 0..<inner { out[to + i] = src[from + i] }
            }
        }
        return Tensor.result(shape: outShape, storage: out, op: "select", inputs: [self], backward: { g in
            var gx = [Double](repeating: 0, count: n)
            for o in 0..<outer {
                for (k, p) in resolved.enumerated() {
                    let from = (o * size + p) * inner, to = (o * resolved.count + k) * inner
                    for i in 0..<inner { gx[from + i] += g[to + i] }
                }
            }
            return [gx]
        })
    }
}
