/// A right-hand matrix laid out once for many products with it: W_hhᵀ at every step of a sequence.
///
/// A recurrent layer multiplies each step's small batch of states by the same weight matrix, T
/// times forwards and T times backwards. A general product packs its operands on every call, which
/// at a step's shapes costs about a third of its speed; packing the weights once per sequence and
/// running the register-tiled kernel over them (CSupport/packed_gemm.c) gets the product near the
/// FMA units' peak. The kernel follows the same rule as ``GEMM/multiply(transA:transB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``
/// (one fused multiply-add chain per element), so packing changes the speed, never a bit of the result.
/// `Scalar` is the precision of the operands and the product (see ``KernelScalar``).
final class PackedOperand<Scalar: KernelScalar> {
    /// op(B) is k × n.
    let k: Int, n: Int
    private let storage: UnsafeMutablePointer<Scalar>
    private var workspace: UnsafeMutablePointer<Scalar>
    private var workspaceCount: Int

    /// Lays out op(B) (k × n) from B stored row-major with row stride `ldb`: k × n, or n × k when
    /// `transposed`.
    init(_ b: UnsafePointer<Scalar>, ldb: Int, k: Int, n: Int, transposed: Bool) {
        self.k = k; self.n = n
        storage = .allocate(capacity: Scalar.packedSize(k: k, n: n))
        Scalar.packB(transposed: transposed, k: k, n: n, b: b, ldb: ldb, into: storage)
        workspaceCount = 0
        workspace = .allocate(capacity: 1)
    }

    deinit {
        storage.deallocate()
        workspace.deallocate()
    }

    /// C (m × n, row stride `ldc`) ← A·op(B) + β·C for a row-major A (m × k, row stride `lda`);
    /// with a `bias` (n values), every row becomes A·op(B) + bias instead and C is not read.
    /// `path` (tests only) picks 0 scalar, 1 AVX2, 2 AVX-512; returns false when this CPU cannot run it.
    @discardableResult
    func multiply(m: Int, a: UnsafePointer<Scalar>, lda: Int, beta: Scalar, bias: UnsafePointer<Scalar>? = nil,
                  c: UnsafeMutablePointer<Scalar>, ldc: Int, path: Int? = nil) -> Bool {
        guard m > 0, n > 0 else { return true }
        let needed = Scalar.packedWorkspace(m: m, k: k)
        if needed > workspaceCount {
            workspace.deallocate()
            workspace = .allocate(capacity: needed)
            workspaceCount = needed
        }
        if let path {
            return Scalar.gemmPacked(path: path, m: m, n: n, k: k, a: a, lda: lda, packed: storage, beta: beta, bias: bias,
                                     c: c, ldc: ldc, workspace: workspace)
        }
        Scalar.gemmPacked(m: m, n: n, k: k, a: a, lda: lda, packed: storage, beta: beta, bias: bias, c: c, ldc: ldc,
                          workspace: workspace)
        return true
    }

    /// C ← A·op(B) + β·C (or + bias) once: products of many rows by a matrix at least one panel
    /// wide, like a layer's input projection over all time steps, are packed (into scratch memory
    /// the C side keeps between calls) and run with the bias added in the kernel (no pass writing
    /// the bias into C first); the rest go through
    /// ``GEMM/multiply(transA:transB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)`` onto C holding the
    /// bias. Both give the same bits: s + bias either way.
    static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Scalar>, lda: Int, b: UnsafePointer<Scalar>, ldb: Int,
                         transposedB: Bool, beta: Scalar, bias: UnsafePointer<Scalar>? = nil,
                         c: UnsafeMutablePointer<Scalar>, ldc: Int) {
        if m >= 2, n >= 16, k >= 8,
           Scalar.gemmPackingB(m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, transposed: transposedB, beta: beta,
                               bias: bias, c: c, ldc: ldc) {
            return
        } else {
            if let bias { fillRows(c, rows: m, stride: ldc, with: bias, count: n) }
            GEMM.product(transA: false, transB: transposedB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb,
                         beta: bias == nil ? beta : 1, c: c, ldc: ldc)
        }
    }
}

/// Copies one row of `count` values into each of `rows` rows `stride` apart (a bias into every
/// row of a product's C, before BLAS adds the product to it).
@inline(__always)
func fillRows<Scalar>(_ c: UnsafeMutablePointer<Scalar>, rows: Int, stride: Int, with row: UnsafePointer<Scalar>, count: Int) {
    for i in 0..<rows { (c + i * stride).update(from: row, count: count) }
}
