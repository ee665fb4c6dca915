import Foundation

/// Reductions over one axis or all elements: sum, mean, max, min, argmax, argmin and the Euclidean norm.
///
/// Each views the tensor as (outer, length, inner) around the reduced axis, so one loop shape
/// serves every rank. With `keepdims` the reduced axis stays with size 1, ready to broadcast back.
struct ReductionLayout {
    let outer: Int, length: Int, inner: Int
    let outShape: [Int]

    init(_ shape: [Int], axis: Int?, keepdims: Bool, op: String) throws {
        guard let axis else {
            (outer, length, inner) = (1, Shape.count(shape), 1)
            outShape = keepdims ? shape.map { _ in 1 } : []
            return
        }
        let a = try Shape.normalize(axis: axis, rank: shape.count, op: op)
        outer = shape[..<a].reduce(1, *)
        length = shape[a]
        inner = shape[(a + 1)...].reduce(1, *)
        var s = shape
        if keepdims { s[a] = 1 } else { s.remove(at: a) }
        // Dropping an empty axis can leave a large result: (0, 10⁹⁰) would sum to (10⁹⁰,). Every
        // tensor's shape passed `Shape.checkedCount`, so this holds already; checked here so that
        // a reduction can never allocate less than its shape claims.
        try Shape.checkAllocatable(s, op: op)
        outShape = s
    }

    /// Offset of element `k` along the axis for output position (o, i).
    @inline(__always) func offset(_ o: Int, _ k: Int, _ i: Int) -> Int { (o * length + k) * inner + i }

    /// Calls `body(o, ks)` for every o and consecutive ranges of k (in order, so sums keep their
    /// order), each range covering about ``Cancellation/chunk`` elements; stops before the next
    /// range and returns false once Ctrl-C is pending (see ``Cancellation``).
    @inline(__always) @discardableResult
    func forEachBlock(_ body: (Int, Range<Int>) -> Void) -> Bool {
        let step = Swift.max(1, Cancellation.chunk / Swift.max(inner, 1))
        for o in 0..<outer {
            var k0 = 0
            while k0 < length {
                if Cancellation.isRequested { return false }
                let k1 = length - k0 > step ? k0 + step : length
                body(o, k0..<k1)
                k0 = k1
            }
        }
        return true
    }
}

extension Tensor {
    /// Σ over `axis` (or everything). Backward: every element receives the gradient of its sum.
    public func sum(axis: Int? = nil, keepdims: Bool = false) throws -> Tensor {
        let L = try ReductionLayout(shape, axis: axis, keepdims: keepdims, op: "sum")
        let x = storage, n = count
        var out = [Double](repeating: 0, count: L.outer * L.inner)
        L.forEachBlock { o, ks in for k in ks { for i in 0..<L.inner { out[o * L.inner + i] += x[L.offset(o, k, i)] } } }
        try Cancellation.check()
        return Tensor.result(shape: L.outShape, storage: out, op: "sum", inputs: [self], backward: { g in
            var gx = [Double](repeating: 0, count: n)
            L.forEachBlock { o, ks in for k in ks { for i in 0..<L.inner { gx[L.offset(o, k, i)] = g[o * L.inner + i] } } }
            return [gx]
        })
    }

    /// Arithmetic mean over `axis` (or everything); NaN for an empty axis, as NumPy.
    public func mean(axis: Int? = nil, keepdims: Bool = false) throws -> Tensor {
        let L = try ReductionLayout(shape, axis: axis, keepdims: keepdims, op: "mean")
        return try sum(axis: axis, keepdims: keepdims) / Double(L.length)
    }

    public func max(axis: Int? = nil, keepdims: Bool = false) throws -> Tensor {
        try extremum(axis: axis, keepdims: keepdims, op: "max", better: >)
    }

    public func min(axis: Int? = nil, keepdims: Bool = false) throws -> Tensor {
        try extremum(axis: axis, keepdims: keepdims, op: "min", better: <)
    }

    /// Position of the largest element along `axis` (flat position when nil); first one on ties.
    /// Not differentiable: positions are integers, returned as Doubles.
    public func argmax(axis: Int? = nil, keepdims: Bool = false) throws -> Tensor {
        let L = try ReductionLayout(shape, axis: axis, keepdims: keepdims, op: "argmax")
        let winners = try Tensor.extremePositions(storage, L, op: "argmax", better: >)
        // The winners are flat offsets (what max's backward needs); the position along the axis is
        // the k in offset = (o·length + k)·inner + i. Over everything (inner 1, length count) it is the offset.
        return Tensor(uncheckedShape: L.outShape, storage: winners.map { Double(($0 / L.inner) % L.length) })
    }

    /// Position of the smallest element along `axis` (flat position when nil); first one on ties.
    /// Not differentiable, like ``argmax(axis:keepdims:)``.
    public func argmin(axis: Int? = nil, keepdims: Bool = false) throws -> Tensor {
        let L = try ReductionLayout(shape, axis: axis, keepdims: keepdims, op: "argmin")
        let winners = try Tensor.extremePositions(storage, L, op: "argmin", better: <)
        return Tensor(uncheckedShape: L.outShape, storage: winners.map { Double(($0 / L.inner) % L.length) })
    }

    /// ‖x‖₂ = √(Σ x²) over `axis` (or everything: the Frobenius norm). Backward x/‖x‖, and 0 where ‖x‖ = 0.
    public func norm(axis: Int? = nil, keepdims: Bool = false) throws -> Tensor {
        let L = try ReductionLayout(shape, axis: axis, keepdims: keepdims, op: "norm")
        let x = storage, n = count
        var out = [Double](repeating: 0, count: L.outer * L.inner)
        L.forEachBlock { o, ks in for k in ks { for i in 0..<L.inner {
            let v = x[L.offset(o, k, i)]; out[o * L.inner + i] += v * v
        } } }
        try Cancellation.check()
        for j in out.indices { out[j] = Foundation.sqrt(out[j]) }
        return Tensor.result(shape: L.outShape, storage: out, op: "norm", inputs: [self], backward: { [out] g in
            var gx = [Double](repeating: 0, count: n)
            L.forEachBlock { o, ks in for k in ks { for i in 0..<L.inner {
                let r = o * L.inner + i, j = L.offset(o, k, i)
                gx[j] = out[r] == 0 ? 0 : g[r] * x[j] / out[r]
            } } }
            return [gx]
        })
    }

    /// Max or min; the gradient goes to the element that won (the first on ties), as `torch.max(dim)`.
    private func extremum(axis: Int?, keepdims: Bool, op: String, better: @escaping (Double, Double) -> Bool) throws -> Tensor {
        let L = try ReductionLayout(shape, axis: axis, keepdims: keepdims, op: op)
        let winners = try Tensor.extremePositions(storage, L, op: op, better: better)
        let x = storage, n = count
        let out = winners.map { x[$0] }
        return Tensor.result(shape: L.outShape, storage: out, op: op, inputs: [self], backward: { g in
            var gx = [Double](repeating: 0, count: n)
            for (r, j) in winners.enumerated() { gx[j] += g[r] }
            return [gx]
        })
    }

    /// Flat offsets of the winning element for each output position; NaN wins, as in NumPy.
    private static func extremePositions(_ x: [Double], _ L: ReductionLayout, op: String, better: (Double, Double) -> Bool) throws -> [Int] {
        guard L.length > 0 else {
            throw TensorError.invalidArgument(op: op, message: "cannot reduce an empty axis (no elements to compare)")
        }
        var winners = [Int](repeating: 0, count: L.outer * L.inner)
        var sinceCheck = 0
        for o in 0..<L.outer {
            for i in 0..<L.inner {
                var best = L.offset(o, 0, i)
                // The axis in blocks of ``Cancellation/chunk``, with a Ctrl-C check between blocks.
                var k0 = 1
                scan: while k0 < L.length {
                    let k1 = L.length - k0 > Cancellation.chunk ? k0 + Cancellation.chunk : L.length
                    sinceCheck += k1 - k0
                    if sinceCheck >= Cancellation.chunk { try Cancellation.check(); sinceCheck = 0 }
                    for k in k0..<k1 {
                        let j = L.offset(o, k, i)
                        if x[best].isNaN { break scan }
                        if x[j].isNaN || better(x[j], x[best]) { best = j }
                    }
                    k0 = k1
                }
                winners[o * L.inner + i] = best
            }
        }
        return winners
    }
}
