/// A strided window onto a row-major buffer: `offset + Σ indexᵢ·strideᵢ`.
///
/// Transposes, permutations and NumPy slices (with steps, negative ones included) are all such
/// windows. The forward pass copies the window out (``gather(_:)``); the backward pass adds the
/// gradient back through the same window (``scatterAdd(_:sourceCount:)``), so each of those operations is
/// described once, by its view, and differentiates itself.
struct StridedView {
    let shape: [Int]
    let strides: [Int]
    let offset: Int

    /// Calls `body(o, s)` for output offset `o` (row-major over `shape`) and source offset `s`.
    @inline(__always)
    func forEach(_ body: (Int, Int) -> Void) {
        let n = Shape.count(shape)
        if n == 0 { return }
        let rank = shape.count
        if rank == 0 { body(0, offset); return }
        let inner = shape[rank - 1], innerStride = strides[rank - 1]
        var index = [Int](repeating: 0, count: rank)
        var src = offset, o = 0
        while o < n {
            for k in 0..<inner { body(o + k, src + k * innerStride) }
            o += inner
            var d = rank - 2
            while d >= 0 {
                index[d] += 1
                src += strides[d]
                if index[d] < shape[d] { break }
                src -= strides[d] * shape[d]
                index[d] = 0
                d -= 1
            }
        }
    }

    /// Whether the window is one run of consecutive elements in row-major order (a leading index,
    /// or a slice of rows): axes of one element aside, each stride is the size of what lies inside it.
    var isContiguous: Bool {
        var inner = 1
        for d in stride(from: shape.count - 1, through: 0, by: -1) where shape[d] != 1 {
            if strides[d] != inner { return false }
            inner *= shape[d]
        }
        return true
    }

    func gather(_ source: [Double]) -> [Double] {
        let n = Shape.count(shape)
        if n > 0, isContiguous {
            // One copy of the run (`x[t]` of a sequence, the last step's state) instead of a walk.
            return [Double](unsafeUninitializedCapacity: n) { out, initialized in
                source.withUnsafeBufferPointer { out.baseAddress!.initialize(from: $0.baseAddress! + offset, count: n) }
                initialized = n
            }
        }
        var out = [Double](repeating: 0, count: n)
        out.withUnsafeMutableBufferPointer { po in
            source.withUnsafeBufferPointer { ps in forEach { o, s in po[o] = ps[s] } }
        }
        return out
    }

    func scatterAdd(_ grad: [Double], sourceCount: Int) -> [Double] {
        var out = [Double](repeating: 0, count: sourceCount)
        out.withUnsafeMutableBufferPointer { po in
            grad.withUnsafeBufferPointer { pg in forEach { o, s in po[s] += pg[o] } }
        }
        return out
    }
}

extension Tensor {
    /// The result of reading `self` through `view`, differentiable.
    func viewCopy(_ view: StridedView, resultShape: [Int]? = nil, op: String) -> Tensor {
        let n = count
        return Tensor.result(shape: resultShape ?? view.shape, storage: view.gather(storage), op: op, inputs: [self],
                             backward: { g in [view.scatterAdd(g, sourceCount: n)] })
    }
}
