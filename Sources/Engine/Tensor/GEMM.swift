import CBLAS
import CSupport

/// General matrix multiply, C ← α·op(A)·op(B) + β·C on row-major matrices, where op(X) is X or Xᵀ.
///
/// Three kernels with one contract. ``multiply(transA:transB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``,
/// the one every engine operation calls, runs rnnlab's own kernels (CSupport/packed_gemm.c): every
/// element is one dot product summed in order p = 0 … k−1 as a chain of fused multiply-adds, on
/// AVX-512, AVX2 or the scalar reference alike, so a product — and so a whole training run — has
/// the same bits on every x86-64 CPU with FMA. That is what lets a lesson print "exact match 0.965"
/// and the learner's machine compute 0.965 too. ``blas(transA:transB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``
/// is OpenBLAS's `cblas_dgemm`, kept for comparison (`make bench`, tests): it picks a kernel per CPU
/// family with its own summation order, so its last bits differ from machine to machine.
/// ``reference(transA:transB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)`` is the three loops of the
/// definition. `m × k` is the shape of op(A), `k × n` that of op(B); `lda`, `ldb`, `ldc` are row strides.
public enum GEMM {
    /// The kernel every engine operation calls.
    ///
    /// A large product returns early, C partly written, when cancellation is requested (see
    /// ``Cancellation``): the flag stays raised, and the operation that called it checks it with
    /// ``Cancellation/check()`` before it returns anything computed from C.
    public static func multiply(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double = 1,
        a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        beta: Double = 0, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        product(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                beta: beta, c: c, ldc: ldc)
    }

    /// ``multiply(transA:transB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)`` in either precision (see
    /// ``KernelScalar``): the float32 kernels follow the same one rule, so they too give the same
    /// bits on every CPU.
    static func product<Scalar: KernelScalar>(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Scalar = 1,
        a: UnsafePointer<Scalar>, lda: Int, b: UnsafePointer<Scalar>, ldb: Int,
        beta: Scalar = 0, c: UnsafeMutablePointer<Scalar>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        if m == 1, k > 0, !transB {
            // A single row (a batch of one sequence): a vector–matrix product, bound by reading B;
            // rows of B are streamed with y held in registers (same roundings on every CPU with FMA).
            let incA = transA ? Swift.max(lda, 1) : 1
            Scalar.rowTimesMatrix(rows: k, cols: n, alpha: alpha, x: a, incx: incA, a: b, lda: Swift.max(ldb, 1), beta: beta, y: c)
            return
        }
        let done = Scalar.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: Swift.max(lda, 1),
                               b: b, ldb: Swift.max(ldb, 1), beta: beta, c: c, ldc: Swift.max(ldc, 1))
        if done == -1 {
            // The packing buffers could not be had: the definition's loops need none.
            referenceProduct(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        }
    }

    /// Two products that share their right operand, packed once: rows 0..<m1 of C ← α·op(A1)·op(B)
    /// + β·C and rows m1..<m1+m2 ← α·op(A2)·op(B) + β·C (C has m1 + m2 rows at stride `ldc`). Each
    /// element has the bits ``product(transA:transB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)`` gives it:
    /// where that takes a single row to the vector–matrix loop (other roundings), so does this.
    static func productStacked<Scalar: KernelScalar>(
        transA: Bool, transB: Bool, m1: Int, m2: Int, n: Int, k: Int, alpha: Scalar = 1,
        a1: UnsafePointer<Scalar>, lda1: Int, a2: UnsafePointer<Scalar>, lda2: Int,
        b: UnsafePointer<Scalar>, ldb: Int, beta: Scalar = 0, c: UnsafeMutablePointer<Scalar>, ldc: Int
    ) {
        // `product` takes a single row of A to the vector–matrix loop (when B is not transposed).
        func vectorRow(_ m: Int) -> Bool { m == 1 && k > 0 && !transB }
        guard m1 > 0, m2 > 0, n > 0, k > 0, !vectorRow(m1), !vectorRow(m2) else {
            // Nothing to share, or a side that `product` computes another way: the two products.
            product(transA: transA, transB: transB, m: m1, n: n, k: k, alpha: alpha, a: a1, lda: lda1, b: b, ldb: ldb,
                    beta: beta, c: c, ldc: ldc)
            product(transA: transA, transB: transB, m: m2, n: n, k: k, alpha: alpha, a: a2, lda: lda2, b: b, ldb: ldb,
                    beta: beta, c: c + m1 * ldc, ldc: ldc)
            return
        }
        let done = Scalar.gemmStacked(transA: transA, transB: transB, m1: m1, m2: m2, n: n, k: k, alpha: alpha,
                                      a1: a1, lda1: Swift.max(lda1, 1), a2: a2, lda2: Swift.max(lda2, 1),
                                      b: b, ldb: Swift.max(ldb, 1), beta: beta, c: c, ldc: Swift.max(ldc, 1))
        if done == -1 {
            referenceProduct(transA: transA, transB: transB, m: m1, n: n, k: k, alpha: alpha, a: a1, lda: lda1, b: b, ldb: ldb,
                             beta: beta, c: c, ldc: ldc)
            referenceProduct(transA: transA, transB: transB, m: m2, n: n, k: k, alpha: alpha, a: a2, lda: lda2, b: b, ldb: ldb,
                             beta: beta, c: c + m1 * ldc, ldc: ldc)
        }
    }

    /// OpenBLAS `cblas_dgemm` in row-major mode.
    public static func blas(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
        a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        // blasint is 32-bit in Debian's OpenBLAS, and converting a larger size traps; such a product
        // is better slow than fatal.
        let limit = Int(blasint.max)
        guard m <= limit, n <= limit, k <= limit, lda <= limit, ldb <= limit, ldc <= limit else {
            return reference(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        }
        // (Not for k = 0: dgemv returns at once on an empty dimension, leaving C unscaled by β,
        // where dgemm — and the definition — set C ← β·C.)
        if m == 1, k > 0 {
            // A single row (a batch of one sequence): a vector–matrix product. BLAS's set-up costs
            // more than the arithmetic at recurrent sizes, so rows of B are streamed directly.
            let incA = transA ? Swift.max(lda, 1) : 1
            if transB {  // cⱼ = Σₚ aₚ·Bⱼₚ = (B·a)ⱼ with B stored n × k
                cblas_dgemv(CblasRowMajor, CblasNoTrans, blasint(n), blasint(k), alpha, b, blasint(Swift.max(ldb, 1)), a, blasint(incA), beta, c, 1)
            } else {     // cⱼ = Σₚ aₚ·Bₚⱼ: row p of B scaled by aₚ, summed
                rnnlab_row_times_matrix(k, n, alpha, a, incA, b, Swift.max(ldb, 1), beta, c)
            }
            return
        }
        // OpenBLAS multiplies products of up to 10⁶ multiply-adds with an unpacked "small matrix"
        // kernel and packs both operands above that. Just above the limit, with the few rows of a
        // recurrent step (the batch), packing costs more than it saves, so such products go in a
        // few column slices that each stay under it (measured: 'small' LSTM step 32 → 25 ms). Far
        // above it, packing wins, and the product is left whole. Each element is one dot product.
        let smallLimit = 1_000_000
        if m * n * k > smallLimit, m * n * k <= 4 * smallLimit, m <= 64, m * k * 16 <= smallLimit {
            // Equal slices (multiples of 8 columns where the limit allows), not a full one and a sliver.
            let slices = (m * n * k + smallLimit - 1) / smallLimit
            var width = ((n + slices - 1) / slices + 7) / 8 * 8
            if m * width * k > smallLimit { width = Swift.max(8, width - 8) }
            var j = 0
            while j < n {
                let w = Swift.min(width, n - j)
                cblas_dgemm(
                    CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    blasint(m), blasint(w), blasint(k), alpha,
                    a, blasint(Swift.max(lda, 1)), b + (transB ? j * ldb : j), blasint(Swift.max(ldb, 1)),
                    beta, c + j, blasint(Swift.max(ldc, 1)))
                j += w
            }
            return
        }
        cblas_dgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k), alpha,
            a, blasint(Swift.max(lda, 1)), b, blasint(Swift.max(ldb, 1)), beta, c, blasint(Swift.max(ldc, 1)))
    }

    /// Cᵢⱼ ← α·Σₚ op(A)ᵢₚ·op(B)ₚⱼ + β·Cᵢⱼ, straight from the definition.
    public static func reference(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
        a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        referenceProduct(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                         beta: beta, c: c, ldc: ldc)
    }

    /// ``reference(transA:transB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)`` in either precision.
    static func referenceProduct<Scalar: KernelScalar>(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Scalar,
        a: UnsafePointer<Scalar>, lda: Int, b: UnsafePointer<Scalar>, ldb: Int,
        beta: Scalar, c: UnsafeMutablePointer<Scalar>, ldc: Int
    ) {
        for i in 0..<m {
            for j in 0..<n {
                var sum: Scalar = 0
                for p in 0..<k {
                    let aip = transA ? a[p * lda + i] : a[i * lda + p]
                    let bpj = transB ? b[j * ldb + p] : b[p * ldb + j]
                    sum += aip * bpj
                }
                c[i * ldc + j] = alpha * sum + (beta == 0 ? 0 : beta * c[i * ldc + j])
            }
        }
    }

    /// Number of threads OpenBLAS may use. Small recurrent products run fastest on one.
    /// (Clamped to the C `int` range: `Int32(n)` would trap on a mistyped count.)
    public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(clamping: n)) }
}
