import CSupport

/// A right-hand matrix laid out once for many products with it: W_hhᵀ at every step of a sequence.
///
/// A recurrent layer multiplies each step's small batch of states by the same weight matrix, T
/// times forwards and T times backwards. OpenBLAS re-packs its operands on every call, which at a
/// step's shapes costs it about a third of its speed; packing the weights once per sequence and
/// running a register-tiled kernel over them (CSupport/packed_gemm.c) gets the product to 90–95%
/// of the FMA units' peak. On a CPU without that kernel (no AVX-512), or when tests
/// route products through ``GEMM/reference(transA:transB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``,
/// the operand is kept as a plain row-major copy and ``GEMM/multiply(transA:transB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)`` does the work.
final class PackedOperand {
    /// op(B) is k × n.
    let k: Int, n: Int
    /// Whether products go through the packed kernel (else: `storage` is op(B), row-major, k × n).
    let usesKernel: Bool
    private let storage: UnsafeMutablePointer<Double>
    private var workspace: UnsafeMutablePointer<Double>
    private var workspaceCount: Int

    /// Whether this CPU runs the packed kernel and no test switch routes around it.
    static var kernelAvailable: Bool { !GEMM.useReference && kernelSupported }
    static let kernelSupported = rnnlab_packed_gemm_supported() != 0

    /// Lays out op(B) (k × n) from B stored row-major with row stride `ldb`: k × n, or n × k when
    /// `transposed`. `useKernel: false` keeps the plain layout (tests compare the two).
    init(_ b: UnsafePointer<Double>, ldb: Int, k: Int, n: Int, transposed: Bool, useKernel: Bool = PackedOperand.kernelAvailable) {
        self.k = k; self.n = n
        usesKernel = useKernel && PackedOperand.kernelSupported
        if usesKernel {
            storage = .allocate(capacity: rnnlab_packed_size(k, n))
            rnnlab_pack_b(transposed ? 1 : 0, k, n, b, ldb, storage)
        } else {
            storage = .allocate(capacity: Swift.max(k * n, 1))
            for p in 0..<k {
                for j in 0..<n { storage[p * n + j] = transposed ? b[j * ldb + p] : b[p * ldb + j] }
            }
        }
        workspaceCount = 0
        workspace = .allocate(capacity: 1)
    }

    deinit {
        storage.deallocate()
        workspace.deallocate()
    }

    /// C (m × n, row stride `ldc`) ← A·op(B) + β·C for a row-major A (m × k, row stride `lda`);
    /// with a `bias` (n values), every row becomes A·op(B) + bias instead and C is not read.
    func multiply(m: Int, a: UnsafePointer<Double>, lda: Int, beta: Double, bias: UnsafePointer<Double>? = nil,
                  c: UnsafeMutablePointer<Double>, ldc: Int) {
        guard m > 0, n > 0 else { return }
        guard usesKernel else {
            return Self.blas(m: m, n: n, k: k, a: a, lda: lda, b: storage, ldb: Swift.max(n, 1), transposedB: false,
                             beta: beta, bias: bias, c: c, ldc: ldc)
        }
        let needed = rnnlab_packed_workspace(m, k)
        if needed > workspaceCount {
            workspace.deallocate()
            workspace = .allocate(capacity: needed)
            workspaceCount = needed
        }
        rnnlab_gemm_packed(m, n, k, a, lda, storage, beta, bias, c, ldc, workspace)
    }

    /// C ← A·op(B) + β·C (or + bias) once, through the packed kernel where it wins over OpenBLAS —
    /// products of many rows by a matrix at least one panel wide, like a layer's input projection
    /// over all time steps (3200 × 64 · 64 × 2048: 25 ms against OpenBLAS's 29) — and through BLAS
    /// otherwise.
    static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                         transposedB: Bool, beta: Double, bias: UnsafePointer<Double>? = nil,
                         c: UnsafeMutablePointer<Double>, ldc: Int) {
        if kernelAvailable, m >= 2, n >= 16, k >= 8 {
            PackedOperand(b, ldb: ldb, k: k, n: n, transposed: transposedB)
                .multiply(m: m, a: a, lda: lda, beta: beta, bias: bias, c: c, ldc: ldc)
        } else {
            blas(m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, transposedB: transposedB, beta: beta, bias: bias, c: c, ldc: ldc)
        }
    }

    /// The same contract through ``GEMM/multiply(transA:transB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``:
    /// a bias is written into every row first and the product added to it.
    private static func blas(m: Int, n: Int, k: Int, a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                             transposedB: Bool, beta: Double, bias: UnsafePointer<Double>?,
                             c: UnsafeMutablePointer<Double>, ldc: Int) {
        if let bias { fillRows(c, rows: m, stride: ldc, with: bias, count: n) }
        GEMM.multiply(transA: false, transB: transposedB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb,
                      beta: bias == nil ? beta : 1, c: c, ldc: ldc)
    }
}

/// Copies one row of `count` values into each of `rows` rows `stride` apart (a bias into every
/// row of a product's C, before BLAS adds the product to it).
@inline(__always)
func fillRows(_ c: UnsafeMutablePointer<Double>, rows: Int, stride: Int, with row: UnsafePointer<Double>, count: Int) {
    for i in 0..<rows { (c + i * stride).update(from: row, count: count) }
}
