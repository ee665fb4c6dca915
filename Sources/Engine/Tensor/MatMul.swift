/// The matrix product `a @ b` with NumPy's rules, and its gradient.
///
/// 2-D × 2-D is the textbook product; higher ranks are stacks of matrices whose leading (batch)
/// axes broadcast; a 1-D operand is a row (on the left) or a column (on the right) vector and that
/// axis is dropped from the result. For C = A·B the chain rule gives ∂L/∂A = ∂L/∂C·Bᵀ and
/// ∂L/∂B = Aᵀ·∂L/∂C — both computed by the same GEMM with transposition flags, no copies.
extension Tensor {
    public func matmul(_ other: Tensor) throws -> Tensor {
        let a = self, b = other
        try DType.requireSame([a, b], op: "matmul", hint: "convert one with .float() or .double()")
        guard a.rank >= 1, b.rank >= 1 else {
            throw TensorError.invalidArgument(op: "matmul", message: "operands must have at least one axis, got shapes \(formatShape(a.shape)) and \(formatShape(b.shape))")
        }
        // Promote vectors to matrices and remember to drop the added axis.
        let aShape = a.rank == 1 ? [1, a.shape[0]] : a.shape
        let bShape = b.rank == 1 ? [b.shape[0], 1] : b.shape
        let (m, k) = (aShape[aShape.count - 2], aShape[aShape.count - 1])
        let (k2, n) = (bShape[bShape.count - 2], bShape[bShape.count - 1])
        guard k == k2 else { throw TensorError.shapeMismatch(op: "matmul", lhs: a.shape, rhs: b.shape) }
        let batchA = Array(aShape.dropLast(2)), batchB = Array(bShape.dropLast(2))
        let batch: BroadcastPlan
        do { batch = try BroadcastPlan(batchA, batchB, op: "matmul") } catch TensorError.shapeMismatch {
            throw TensorError.shapeMismatch(op: "matmul", lhs: a.shape, rhs: b.shape)
        }
        // (2⁴⁰, 0) @ (0, 2⁴⁰) has empty operands but a 2⁸⁰-element result: check before allocating.
        try Shape.checkAllocatable(batch.shape + [m, n], op: "matmul")
        var outShape = batch.shape + [m, n]
        if a.rank == 1 { outShape.remove(at: outShape.count - 2) }
        if b.rank == 1 { outShape.removeLast() }

        // float32 operands are multiplied in float32 (the packed float kernels), as PyTorch does.
        let shape = ProductShape(batch: batch, m: m, n: n, k: k)
        let av = a.storage, bv = b.storage
        let out = a.dtype == .float32 ? shape.forward(Float.self, av, bv) : shape.forward(Double.self, av, bv)
        // GEMM returns early, the product partly computed, when Ctrl-C is pending: discard it.
        try Cancellation.check()
        let (needA, needB, float32) = (a.requiresGrad, b.requiresGrad, a.dtype == .float32)
        return Tensor.result(shape: outShape, storage: out, op: "matmul", inputs: [a, b], backward: { g in
            float32 ? shape.backward(Float.self, g, av, bv, needA: needA, needB: needB)
                    : shape.backward(Double.self, g, av, bv, needA: needA, needB: needB)
        })
    }
}

/// The sizes of a (batched) product C = A·B, and its forward and backward in one precision.
struct ProductShape {
    let batch: BroadcastPlan
    let m: Int, n: Int, k: Int

    /// C for each broadcast pair of matrices, in `Scalar` (for Double the storage itself, no copy).
    func forward<Scalar: KernelScalar>(_: Scalar.Type, _ av: [Double], _ bv: [Double]) -> [Double] {
        let (m, n, k) = (m, n, k)
        var out = [Scalar](repeating: 0, count: Shape.count(batch.shape) * m * n)
        // An empty operand (k = 0 or no rows) leaves the zero result; the kernel is not called with no memory.
        guard !av.isEmpty, !bv.isEmpty, !out.isEmpty else { return Scalar.doubles(out) }
        let sa = Scalar.array(fromDoubles: av), sb = Scalar.array(fromDoubles: bv)
        out.withUnsafeMutableBufferPointer { pc in
            sa.withUnsafeBufferPointer { pa in
                sb.withUnsafeBufferPointer { pb in
                    batch.forEach { o, i, j in
                        // A stack of many small products: skip the rest once Ctrl-C is pending.
                        if Cancellation.isRequested { return }
                        GEMM.product(transA: false, transB: false, m: m, n: n, k: k,
                                     a: pa.baseAddress! + i * m * k, lda: k,
                                     b: pb.baseAddress! + j * k * n, ldb: n,
                                     c: pc.baseAddress! + o * m * n, ldc: n)
                    }
                }
            }
        }
        return Scalar.doubles(out)
    }

    /// ∂L/∂A = ∂L/∂C·Bᵀ and ∂L/∂B = Aᵀ·∂L/∂C, each summed over the batches that broadcast it.
    func backward<Scalar: KernelScalar>(_: Scalar.Type, _ g: [Double], _ av: [Double], _ bv: [Double],
                                         needA: Bool, needB: Bool) -> [[Double]?] {
        let (m, n, k) = (m, n, k)
        var ga: [Scalar]? = needA ? [Scalar](repeating: 0, count: av.count) : nil
        var gb: [Scalar]? = needB ? [Scalar](repeating: 0, count: bv.count) : nil
        if !av.isEmpty, !bv.isEmpty, !g.isEmpty {
            let sg = Scalar.array(fromDoubles: g), sa = Scalar.array(fromDoubles: av), sb = Scalar.array(fromDoubles: bv)
            sg.withUnsafeBufferPointer { pg in
                sa.withUnsafeBufferPointer { pa in
                    sb.withUnsafeBufferPointer { pb in
                        batch.forEach { o, i, j in
                            if Cancellation.isRequested { return }  // the backward walk then throws
                            let gOut = pg.baseAddress! + o * m * n
                            if needA {  // ∂L/∂A = ∂L/∂C · Bᵀ, summed over broadcast batches (β = 1)
                                ga!.withUnsafeMutableBufferPointer { p in
                                    GEMM.product(transA: false, transB: true, m: m, n: k, k: n,
                                                 a: gOut, lda: n, b: pb.baseAddress! + j * k * n, ldb: n,
                                                 beta: 1, c: p.baseAddress! + i * m * k, ldc: k)
                                }
                            }
                            if needB {  // ∂L/∂B = Aᵀ · ∂L/∂C
                                gb!.withUnsafeMutableBufferPointer { p in
                                    GEMM.product(transA: true, transB: false, m: k, n: n, k: m,
                                                 a: pa.baseAddress! + i * m * k, lda: k, b: gOut, ldb: n,
                                                 beta: 1, c: p.baseAddress! + j * k * n, ldc: n)
                                }
                            }
                        }
                    }
                }
            }
        }
        return [ga.map(Scalar.doubles), gb.map(Scalar.doubles)]
    }
}
