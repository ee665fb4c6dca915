import CSupport
import Foundation

/// The precision a hot path computes in: `Double` (float64) or `Float` (float32).
///
/// Tensors hold their elements as `Double` whatever their dtype (a float32 tensor's values are
/// exactly representable as `Float`), but the recurrent layers — the input projection, the T
/// serial hidden products, the pointwise cell steps, the weight-gradient GEMMs — are where
/// training spends its time, and there float32 halves the bytes moved and doubles the lanes of
/// every vector instruction. So those paths are written once, generic over `Scalar`, and run on
/// buffers of `Scalar`: inputs and weights are narrowed on the way in (``fromDouble(_:into:count:)``)
/// and results widened on the way out (``toDouble(_:into:count:)``). For `Double` both are plain
/// copies and every kernel is the one the engine always called, so the float64 path keeps its bits
/// and its speed.
///
/// Each requirement is one C kernel (CSupport): `Double` calls `rnnlab_x`, `Float` calls
/// `rnnlab_x_f32`, the same source compiled for the other precision (``transposedDoubles``, which
/// ends in double either way, is the plain transpose for `Double` and a widening one for `Float`).
/// See those headers for what each computes; the argument names here are theirs.
protocol KernelScalar: BinaryFloatingPoint, SIMDScalar {
    /// The tensors' name for this precision.
    static var dtype: DType { get }

    // MARK: Packed products (CSupport/packed_gemm.h)

    /// Elements a packed k × n operand occupies.
    static func packedSize(k: Int, n: Int) -> Int
    /// Elements of workspace a packed product with an m × k left operand needs.
    static func packedWorkspace(m: Int, k: Int) -> Int
    /// Packs op(B) (k × n; B stored n × k when `transposed`) for ``gemmPacked(m:n:k:a:lda:packed:beta:bias:c:ldc:workspace:)``.
    static func packB(transposed: Bool, k: Int, n: Int, b: UnsafePointer<Self>, ldb: Int, into packed: UnsafeMutablePointer<Self>)
    /// C ← A·B + β·C (or A·B + bias) with B packed.
    static func gemmPacked(m: Int, n: Int, k: Int, a: UnsafePointer<Self>, lda: Int, packed: UnsafePointer<Self>,
                           beta: Self, bias: UnsafePointer<Self>?, c: UnsafeMutablePointer<Self>, ldc: Int,
                           workspace: UnsafeMutablePointer<Self>)
    /// The same on a given path (0 scalar, 1 AVX2, 2 AVX-512); false when this CPU cannot run it.
    static func gemmPacked(path: Int, m: Int, n: Int, k: Int, a: UnsafePointer<Self>, lda: Int, packed: UnsafePointer<Self>,
                           beta: Self, bias: UnsafePointer<Self>?, c: UnsafeMutablePointer<Self>, ldc: Int,
                           workspace: UnsafeMutablePointer<Self>) -> Bool
    /// Packs op(B) (B stored n × k when `transposed`) into scratch kept between calls and runs
    /// ``gemmPacked(m:n:k:a:lda:packed:beta:bias:c:ldc:workspace:)``; false when no memory could be had.
    static func gemmPackingB(m: Int, n: Int, k: Int, a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                             transposed: Bool, beta: Self, bias: UnsafePointer<Self>?, c: UnsafeMutablePointer<Self>, ldc: Int) -> Bool
    /// C ← α·op(A)·op(B) + β·C; 1 done, −1 no memory for packing (C untouched), 2 cancelled.
    static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
                     b: UnsafePointer<Self>, ldb: Int, beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int) -> Int
    /// Rows 0..<m1 of C ← α·op(A1)·op(B) + β·C, rows m1..<m1+m2 ← α·op(A2)·op(B) + β·C, op(B) packed
    /// once; returns as ``gemm(transA:transB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``.
    static func gemmStacked(transA: Bool, transB: Bool, m1: Int, m2: Int, n: Int, k: Int, alpha: Self,
                            a1: UnsafePointer<Self>, lda1: Int, a2: UnsafePointer<Self>, lda2: Int,
                            b: UnsafePointer<Self>, ldb: Int, beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int) -> Int

    // MARK: Vector math (CSupport/vector_math.h)

    /// y[0..<cols] ← β·y + α·Σᵣ x[r·incx]·A[r, 0..<cols].
    static func rowTimesMatrix(rows: Int, cols: Int, alpha: Self, x: UnsafePointer<Self>, incx: Int,
                               a: UnsafePointer<Self>, lda: Int, beta: Self, y: UnsafeMutablePointer<Self>)
    /// dst (cols × rows) ← srcᵀ.
    static func transpose(rows: Int, cols: Int, src: UnsafePointer<Self>, dst: UnsafeMutablePointer<Self>)
    static func vtanh(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count: Int)

    // MARK: Cell steps (CSupport/lstm_kernels.h, gru_kernels.h)

    static func lstmForwardStep(batch: Int, hidden: Int, gates: UnsafeMutablePointer<Self>, cPrev: UnsafePointer<Self>,
                                c: UnsafeMutablePointer<Self>, tanhC: UnsafeMutablePointer<Self>, h: UnsafeMutablePointer<Self>)
    static func lstmBackwardStep(batch: Int, hidden: Int, gates: UnsafePointer<Self>, cPrev: UnsafePointer<Self>,
                                 tanhC: UnsafePointer<Self>, dh: UnsafePointer<Self>, dc: UnsafeMutablePointer<Self>,
                                 dGates: UnsafeMutablePointer<Self>)
    static func gruForwardStep(batch: Int, hidden: Int, gates: UnsafeMutablePointer<Self>, hiddenSide: UnsafePointer<Self>,
                               hPrev: UnsafePointer<Self>, candidateHidden: UnsafeMutablePointer<Self>, h: UnsafeMutablePointer<Self>)
    static func gruBackwardStep(batch: Int, hidden: Int, gates: UnsafePointer<Self>, hPrev: UnsafePointer<Self>,
                                candidateHidden: UnsafePointer<Self>, dh: UnsafePointer<Self>, dGates: UnsafeMutablePointer<Self>,
                                dHidden: UnsafeMutablePointer<Self>, dhPrevDirect: UnsafeMutablePointer<Self>)

    // MARK: Between the tensors' storage and the kernels' buffers

    /// Each value rounded to `Self` (to nearest, ties to even); for `Double` a copy.
    static func fromDouble(_ p: UnsafePointer<Double>, into: UnsafeMutablePointer<Self>, count: Int)
    /// Each value widened to `Double` (exact); for `Double` a copy.
    static func toDouble(_ p: UnsafePointer<Self>, into: UnsafeMutablePointer<Double>, count: Int)
    /// into[i] = p[i] rounded to `Self` (as ``fromDouble(_:into:count:)``) + add[i], in `Self`.
    static func fromDouble(_ p: UnsafePointer<Double>, plus add: UnsafePointer<Self>, into: UnsafeMutablePointer<Self>, count: Int)
    /// A tensor's storage as an array of `Self`: for `Double` the same array (no copy at all).
    static func array(fromDoubles a: [Double]) -> [Self]
    /// An array of `Self` as a tensor's storage: for `Double` the same array (no copy at all).
    static func doubles(_ a: [Self]) -> [Double]
    /// The transpose of a row-major rows × columns matrix, as doubles (a weight gradient formed
    /// transposed, into the tensor's storage): one pass in float32, the transpose itself in float64.
    static func transposedDoubles(_ m: UnsafePointer<Self>, rows: Int, columns: Int) -> [Double]

    // MARK: The plain Swift references the cell steps are held to

    static func referenceExp(_ x: Self) -> Self
    static func referenceTanh(_ x: Self) -> Self
}

extension KernelScalar {
    /// σ(x) computed without overflow for large |x| (``sigmoidScalar(_:)``, in this precision).
    @inline(__always) static func referenceSigmoid(_ x: Self) -> Self {
        if x >= 0 { return 1 / (1 + referenceExp(-x)) }
        let e = referenceExp(x)
        return e / (1 + e)
    }
}

extension Double: KernelScalar {
    static var dtype: DType { .float64 }

    @inline(__always) static func packedSize(k: Int, n: Int) -> Int { rnnlab_packed_size(k, n) }
    @inline(__always) static func packedWorkspace(m: Int, k: Int) -> Int { rnnlab_packed_workspace(m, k) }
    @inline(__always) static func packB(transposed: Bool, k: Int, n: Int, b: UnsafePointer<Double>, ldb: Int,
                                        into packed: UnsafeMutablePointer<Double>) {
        rnnlab_pack_b(transposed ? 1 : 0, k, n, b, ldb, packed)
    }
    @inline(__always) static func gemmPacked(m: Int, n: Int, k: Int, a: UnsafePointer<Double>, lda: Int, packed: UnsafePointer<Double>,
                                             beta: Double, bias: UnsafePointer<Double>?, c: UnsafeMutablePointer<Double>, ldc: Int,
                                             workspace: UnsafeMutablePointer<Double>) {
        rnnlab_gemm_packed(m, n, k, a, lda, packed, beta, bias, c, ldc, workspace)
    }
    @inline(__always) static func gemmPacked(path: Int, m: Int, n: Int, k: Int, a: UnsafePointer<Double>, lda: Int,
                                             packed: UnsafePointer<Double>, beta: Double, bias: UnsafePointer<Double>?,
                                             c: UnsafeMutablePointer<Double>, ldc: Int, workspace: UnsafeMutablePointer<Double>) -> Bool {
        rnnlab_gemm_packed_on(Int32(path), m, n, k, a, lda, packed, beta, bias, c, ldc, workspace) != 0
    }
    @inline(__always) static func gemmPackingB(m: Int, n: Int, k: Int, a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>,
                                               ldb: Int, transposed: Bool, beta: Double, bias: UnsafePointer<Double>?,
                                               c: UnsafeMutablePointer<Double>, ldc: Int) -> Bool {
        rnnlab_gemm_packing_b(m, n, k, a, lda, b, ldb, transposed ? 1 : 0, beta, bias, c, ldc) == 1
    }
    @inline(__always) static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>,
                                       lda: Int, b: UnsafePointer<Double>, ldb: Int, beta: Double,
                                       c: UnsafeMutablePointer<Double>, ldc: Int) -> Int {
        Int(rnnlab_gemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc))
    }
    @inline(__always) static func gemmStacked(transA: Bool, transB: Bool, m1: Int, m2: Int, n: Int, k: Int, alpha: Double,
                                              a1: UnsafePointer<Double>, lda1: Int, a2: UnsafePointer<Double>, lda2: Int,
                                              b: UnsafePointer<Double>, ldb: Int, beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) -> Int {
        Int(rnnlab_gemm_stacked(transA ? 1 : 0, transB ? 1 : 0, m1, m2, n, k, alpha, a1, lda1, a2, lda2, b, ldb, beta, c, ldc))
    }

    @inline(__always) static func rowTimesMatrix(rows: Int, cols: Int, alpha: Double, x: UnsafePointer<Double>, incx: Int,
                                                 a: UnsafePointer<Double>, lda: Int, beta: Double, y: UnsafeMutablePointer<Double>) {
        rnnlab_row_times_matrix(rows, cols, alpha, x, incx, a, lda, beta, y)
    }
    @inline(__always) static func transpose(rows: Int, cols: Int, src: UnsafePointer<Double>, dst: UnsafeMutablePointer<Double>) {
        rnnlab_transpose(rows, cols, src, dst)
    }
    @inline(__always) static func vtanh(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, count: Int) { rnnlab_vtanh(x, y, count) }

    @inline(__always) static func lstmForwardStep(batch: Int, hidden: Int, gates: UnsafeMutablePointer<Double>, cPrev: UnsafePointer<Double>,
                                                  c: UnsafeMutablePointer<Double>, tanhC: UnsafeMutablePointer<Double>,
                                                  h: UnsafeMutablePointer<Double>) {
        rnnlab_lstm_forward_step(batch, hidden, gates, cPrev, c, tanhC, h)
    }
    @inline(__always) static func lstmBackwardStep(batch: Int, hidden: Int, gates: UnsafePointer<Double>, cPrev: UnsafePointer<Double>,
                                                   tanhC: UnsafePointer<Double>, dh: UnsafePointer<Double>, dc: UnsafeMutablePointer<Double>,
                                                   dGates: UnsafeMutablePointer<Double>) {
        rnnlab_lstm_backward_step(batch, hidden, gates, cPrev, tanhC, dh, dc, dGates)
    }
    @inline(__always) static func gruForwardStep(batch: Int, hidden: Int, gates: UnsafeMutablePointer<Double>, hiddenSide: UnsafePointer<Double>,
                                                 hPrev: UnsafePointer<Double>, candidateHidden: UnsafeMutablePointer<Double>,
                                                 h: UnsafeMutablePointer<Double>) {
        rnnlab_gru_forward_step(batch, hidden, gates, hiddenSide, hPrev, candidateHidden, h)
    }
    @inline(__always) static func gruBackwardStep(batch: Int, hidden: Int, gates: UnsafePointer<Double>, hPrev: UnsafePointer<Double>,
                                                  candidateHidden: UnsafePointer<Double>, dh: UnsafePointer<Double>,
                                                  dGates: UnsafeMutablePointer<Double>, dHidden: UnsafeMutablePointer<Double>,
                                                  dhPrevDirect: UnsafeMutablePointer<Double>) {
        rnnlab_gru_backward_step(batch, hidden, gates, hPrev, candidateHidden, dh, dGates, dHidden, dhPrevDirect)
    }

    @inline(__always) static func fromDouble(_ p: UnsafePointer<Double>, into: UnsafeMutablePointer<Double>, count: Int) {
        into.update(from: p, count: count)
    }
    @inline(__always) static func toDouble(_ p: UnsafePointer<Double>, into: UnsafeMutablePointer<Double>, count: Int) {
        into.update(from: p, count: count)
    }
    @inline(__always) static func fromDouble(_ p: UnsafePointer<Double>, plus add: UnsafePointer<Double>,
                                             into: UnsafeMutablePointer<Double>, count: Int) {
        for k in 0..<count { into[k] = p[k] + add[k] }
    }
    @inline(__always) static func array(fromDoubles a: [Double]) -> [Double] { a }
    @inline(__always) static func doubles(_ a: [Double]) -> [Double] { a }
    @inline(__always) static func transposedDoubles(_ m: UnsafePointer<Double>, rows: Int, columns: Int) -> [Double] {
        transposedMatrix(m, rows: rows, columns: columns)
    }

    @inline(__always) static func referenceExp(_ x: Double) -> Double { Foundation.exp(x) }
    @inline(__always) static func referenceTanh(_ x: Double) -> Double { Foundation.tanh(x) }
}

extension Float: KernelScalar {
    static var dtype: DType { .float32 }

    @inline(__always) static func packedSize(k: Int, n: Int) -> Int { rnnlab_packed_size_f32(k, n) }
    @inline(__always) static func packedWorkspace(m: Int, k: Int) -> Int { rnnlab_packed_workspace_f32(m, k) }
    @inline(__always) static func packB(transposed: Bool, k: Int, n: Int, b: UnsafePointer<Float>, ldb: Int,
                                        into packed: UnsafeMutablePointer<Float>) {
        rnnlab_pack_b_f32(transposed ? 1 : 0, k, n, b, ldb, packed)
    }
    @inline(__always) static func gemmPacked(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, packed: UnsafePointer<Float>,
                                             beta: Float, bias: UnsafePointer<Float>?, c: UnsafeMutablePointer<Float>, ldc: Int,
                                             workspace: UnsafeMutablePointer<Float>) {
        rnnlab_gemm_packed_f32(m, n, k, a, lda, packed, beta, bias, c, ldc, workspace)
    }
    @inline(__always) static func gemmPacked(path: Int, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                                             packed: UnsafePointer<Float>, beta: Float, bias: UnsafePointer<Float>?,
                                             c: UnsafeMutablePointer<Float>, ldc: Int, workspace: UnsafeMutablePointer<Float>) -> Bool {
        rnnlab_gemm_packed_on_f32(Int32(path), m, n, k, a, lda, packed, beta, bias, c, ldc, workspace) != 0
    }
    @inline(__always) static func gemmPackingB(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>,
                                               ldb: Int, transposed: Bool, beta: Float, bias: UnsafePointer<Float>?,
                                               c: UnsafeMutablePointer<Float>, ldc: Int) -> Bool {
        rnnlab_gemm_packing_b_f32(m, n, k, a, lda, b, ldb, transposed ? 1 : 0, beta, bias, c, ldc) == 1
    }
    @inline(__always) static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>,
                                       lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
                                       c: UnsafeMutablePointer<Float>, ldc: Int) -> Int {
        Int(rnnlab_gemm_f32(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc))
    }
    @inline(__always) static func gemmStacked(transA: Bool, transB: Bool, m1: Int, m2: Int, n: Int, k: Int, alpha: Float,
                                              a1: UnsafePointer<Float>, lda1: Int, a2: UnsafePointer<Float>, lda2: Int,
                                              b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) -> Int {
        Int(rnnlab_gemm_stacked_f32(transA ? 1 : 0, transB ? 1 : 0, m1, m2, n, k, alpha, a1, lda1, a2, lda2, b, ldb, beta, c, ldc))
    }

    @inline(__always) static func rowTimesMatrix(rows: Int, cols: Int, alpha: Float, x: UnsafePointer<Float>, incx: Int,
                                                 a: UnsafePointer<Float>, lda: Int, beta: Float, y: UnsafeMutablePointer<Float>) {
        rnnlab_row_times_matrix_f32(rows, cols, alpha, x, incx, a, lda, beta, y)
    }
    @inline(__always) static func transpose(rows: Int, cols: Int, src: UnsafePointer<Float>, dst: UnsafeMutablePointer<Float>) {
        rnnlab_transpose_f32(rows, cols, src, dst)
    }
    @inline(__always) static func vtanh(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) { rnnlab_vtanh_f32(x, y, count) }

    @inline(__always) static func lstmForwardStep(batch: Int, hidden: Int, gates: UnsafeMutablePointer<Float>, cPrev: UnsafePointer<Float>,
                                                  c: UnsafeMutablePointer<Float>, tanhC: UnsafeMutablePointer<Float>,
                                                  h: UnsafeMutablePointer<Float>) {
        rnnlab_lstm_forward_step_f32(batch, hidden, gates, cPrev, c, tanhC, h)
    }
    @inline(__always) static func lstmBackwardStep(batch: Int, hidden: Int, gates: UnsafePointer<Float>, cPrev: UnsafePointer<Float>,
                                                   tanhC: UnsafePointer<Float>, dh: UnsafePointer<Float>, dc: UnsafeMutablePointer<Float>,
                                                   dGates: UnsafeMutablePointer<Float>) {
        rnnlab_lstm_backward_step_f32(batch, hidden, gates, cPrev, tanhC, dh, dc, dGates)
    }
    @inline(__always) static func gruForwardStep(batch: Int, hidden: Int, gates: UnsafeMutablePointer<Float>, hiddenSide: UnsafePointer<Float>,
                                                 hPrev: UnsafePointer<Float>, candidateHidden: UnsafeMutablePointer<Float>,
                                                 h: UnsafeMutablePointer<Float>) {
        rnnlab_gru_forward_step_f32(batch, hidden, gates, hiddenSide, hPrev, candidateHidden, h)
    }
    @inline(__always) static func gruBackwardStep(batch: Int, hidden: Int, gates: UnsafePointer<Float>, hPrev: UnsafePointer<Float>,
                                                  candidateHidden: UnsafePointer<Float>, dh: UnsafePointer<Float>,
                                                  dGates: UnsafeMutablePointer<Float>, dHidden: UnsafeMutablePointer<Float>,
                                                  dhPrevDirect: UnsafeMutablePointer<Float>) {
        rnnlab_gru_backward_step_f32(batch, hidden, gates, hPrev, candidateHidden, dh, dGates, dHidden, dhPrevDirect)
    }

    @inline(__always) static func fromDouble(_ p: UnsafePointer<Double>, into: UnsafeMutablePointer<Float>, count: Int) {
        rnnlab_narrow_f64(p, into, count)
    }
    @inline(__always) static func toDouble(_ p: UnsafePointer<Float>, into: UnsafeMutablePointer<Double>, count: Int) {
        rnnlab_widen_f32(p, into, count)
    }
    @inline(__always) static func fromDouble(_ p: UnsafePointer<Double>, plus add: UnsafePointer<Float>,
                                             into: UnsafeMutablePointer<Float>, count: Int) {
        rnnlab_narrow_add_f64(p, add, into, count)
    }
    static func array(fromDoubles a: [Double]) -> [Float] {
        [Float](unsafeUninitializedCapacity: a.count) { out, initialized in
            a.withUnsafeBufferPointer { if let p = $0.baseAddress { rnnlab_narrow_f64(p, out.baseAddress!, a.count) } }
            initialized = a.count
        }
    }
    static func transposedDoubles(_ m: UnsafePointer<Float>, rows: Int, columns: Int) -> [Double] {
        [Double](unsafeUninitializedCapacity: rows * columns) { out, initialized in
            if let p = out.baseAddress { rnnlab_transposed_widen_f32(rows, columns, m, p) }
            initialized = rows * columns
        }
    }
    static func doubles(_ a: [Float]) -> [Double] {
        [Double](unsafeUninitializedCapacity: a.count) { out, initialized in
            a.withUnsafeBufferPointer { if let p = $0.baseAddress { rnnlab_widen_f32(p, out.baseAddress!, a.count) } }
            initialized = a.count
        }
    }

    @inline(__always) static func referenceExp(_ x: Float) -> Float { Foundation.exp(x) }
    @inline(__always) static func referenceTanh(_ x: Float) -> Float { Foundation.tanh(x) }
}

extension Allocator {
    /// Uninitialised room for `count` values of `Scalar` from ``doubles(_:)`` (so a large float32
    /// tape is kept for reuse like a float64 one); give it back with ``release(scalars:count:)``.
    @inline(__always) static func scalars<Scalar: KernelScalar>(_ count: Int) -> UnsafeMutablePointer<Scalar> {
        if Scalar.self == Double.self { return UnsafeMutableRawPointer(doubles(count)).assumingMemoryBound(to: Scalar.self) }
        let raw = UnsafeMutableRawPointer(doubles(doublesHolding(Scalar.self, count)))
        return raw.bindMemory(to: Scalar.self, capacity: Swift.max(count, 1))
    }

    /// Frees a block from ``scalars(_:)`` (`count` as asked for).
    @inline(__always) static func release<Scalar: KernelScalar>(scalars p: UnsafeMutablePointer<Scalar>, count: Int) {
        if Scalar.self == Double.self { return release(UnsafeMutableRawPointer(p).assumingMemoryBound(to: Double.self), count: count) }
        let doubles = doublesHolding(Scalar.self, count)
        release(UnsafeMutableRawPointer(p).bindMemory(to: Double.self, capacity: Swift.max(doubles, 1)), count: doubles)
    }

    @inline(__always) private static func doublesHolding<Scalar>(_: Scalar.Type, _ count: Int) -> Int {
        (count * MemoryLayout<Scalar>.stride + MemoryLayout<Double>.stride - 1) / MemoryLayout<Double>.stride
    }
}
