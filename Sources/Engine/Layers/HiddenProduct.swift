/// The one matrix product a recurrent step must wait for: hₜ₋₁·W_hhᵀ forwards, ∂L/∂aₜ·W_hh
/// backwards. Everything else in BPTT is batched over all steps at once; these T products are the
/// serial spine of the computation, so they get a layout prepared once per sequence.
///
/// - A batch of several sequences (B ≥ 2) multiplies by W_hh laid out as a ``PackedOperand``:
///   packed once, then every step runs the register-tiled kernel without re-packing
///   (measured on a 16 × 128 · 128 × 512 step: 37 µs against OpenBLAS's 54 µs).
/// - A single sequence (B = 1) is a vector–matrix product, bound by reading W_hh from cache; it
///   streams the rows of a row-major matrix (W_hhᵀ forwards, W_hh itself backwards).
struct HiddenProduct<Scalar: KernelScalar> {
    enum Direction {
        /// gates (B × G·H) += h (B × H)·W_hhᵀ
        case forward
        /// ∂L/∂hₜ₋₁ (B × H) += ∂L/∂aₜ (B × G·H)·W_hh
        case backward
    }

    private let packed: PackedOperand<Scalar>?
    private let rows: [Scalar]
    private let weights: UnsafePointer<Scalar>
    private let k: Int, n: Int, batch: Int
    private let transposedCopy: Bool

    /// `weightHH` is W_hh, (G·H) × H row-major; it must stay alive while the product is used.
    init(_ weightHH: UnsafePointer<Scalar>, gateRows: Int, hiddenSize: Int, batch: Int, direction: Direction) {
        self.batch = batch
        (k, n) = direction == .forward ? (hiddenSize, gateRows) : (gateRows, hiddenSize)
        weights = weightHH
        if batch >= 2 {
            packed = PackedOperand(weightHH, ldb: hiddenSize, k: k, n: n, transposed: direction == .forward)
            rows = []; transposedCopy = false
        } else {
            packed = nil
            transposedCopy = direction == .forward
            // W_hhᵀ, H × (G·H), so that the forward product streams it row by row.
            rows = transposedCopy ? transposedMatrix(weightHH, rows: gateRows, columns: hiddenSize) : []
        }
    }

    /// c (B × n) ← a (B × k)·op(W) + β·c, rows contiguous.
    func multiply(_ a: UnsafePointer<Scalar>, beta: Scalar, into c: UnsafeMutablePointer<Scalar>) {
        if let packed {
            packed.multiply(m: batch, a: a, lda: k, beta: beta, c: c, ldc: n)
        } else if transposedCopy {
            rows.withUnsafeBufferPointer { r in
                GEMM.product(transA: false, transB: false, m: batch, n: n, k: k, a: a, lda: k,
                             b: r.baseAddress!, ldb: n, beta: beta, c: c, ldc: n)
            }
        } else {
            GEMM.product(transA: false, transB: false, m: batch, n: n, k: k, a: a, lda: k,
                         b: weights, ldb: n, beta: beta, c: c, ldc: n)
        }
    }
}

/// The transpose of a row-major rows × columns matrix.
func transposedMatrix<Scalar: KernelScalar>(_ m: UnsafePointer<Scalar>, rows: Int, columns: Int) -> [Scalar] {
    var out: [Scalar] = uninitializedArray(rows * columns)
    out.withUnsafeMutableBufferPointer { Scalar.transpose(rows: rows, cols: columns, src: m, dst: $0.baseAddress!) }
    return out
}
