import Foundation
import Testing
import CSupport
@testable import Engine
import TestSupport

// The float twins of the C kernels (CSupport: packed_gemm, vector_math, lstm_kernels, gru_kernels,
// optimizer_kernels, precision_conversion), generated from the same sources as the double ones.
//
// - Products: every path this CPU runs gives the bits of the rule written out in plain Swift Float
//   (each element one chain of fused multiply-adds p = 0…k−1, then α, bias or β), on every edge of
//   the tiling (sizes 1…67, partial panels of 32 columns, blocks of 768 along k, trans combinations,
//   k = 0) — and the numbers agree with a Double product to float accuracy. Packed and unpacked
//   products give the same bits; packing from doubles is narrowing then packing.
// - exp, sigmoid, tanh: within 2 ulp of the correctly rounded float over a sweep of the whole float
//   line (every 2¹³-th bit pattern of either sign) and a dense sweep of [−25, 25], with ±0, tiny
//   values, ±∞ and NaN.
// - The cells' steps against a plain Swift Float step of LSTMCell.swift's and GRUCell.swift's
//   formulas; the optimizers against plain Swift Float loops of optimizer_kernels.h's, to the bit.
// - Narrowing rounds to nearest even, widening is exact.

// MARK: - Helpers (Float only)

/// The distance in floats between two finite floats of any signs: 0 when equal (±0 are equal),
/// 1 between neighbours, through zero and the subnormals.
private func ulpDistance(_ a: Float, _ b: Float) -> Int {
    func ordered(_ x: Float) -> Int {
        let magnitude = Int(x.bitPattern & 0x7FFF_FFFF)
        return x.sign == .minus ? -magnitude : magnitude
    }
    return abs(ordered(a) - ordered(b))
}

private func floats(_ count: Int, _ g: inout RandomGenerator, scale: Double = 1) -> [Float] {
    (0..<Swift.max(count, 1)).map { _ in Float(scale * g.normal()) }
}

/// The paths this CPU runs: 0 scalar, 1 AVX2, 2 AVX-512.
private var paths: [Int] { (0...Int(rnnlab_gemm_vector_path())).map { $0 } }

/// One float product C ← α·op(A)·op(B) + β·C with row-major storage at the given leading dimensions.
private struct FloatProblem {
    var transA = false, transB = false
    var m: Int, n: Int, k: Int
    var alpha: Float = 1, beta: Float = 0
    var padding = 0
    var seed: UInt64 = 1

    var lda: Int { (transA ? m : k) + padding }
    var ldb: Int { (transB ? k : n) + padding }
    var ldc: Int { n + padding }

    func inputs() -> (a: [Float], b: [Float], c: [Float]) {
        var g = RandomGenerator(seed: seed)
        let a = floats((transA ? k : m) * lda, &g), b = floats((transB ? n : k) * ldb, &g)
        // β = 0 must not read C: NaN there would show.
        let c = beta == 0 ? [Float](repeating: .nan, count: Swift.max(m * ldc, 1)) : floats(m * ldc, &g)
        return (a, b, c)
    }

    func elementA(_ a: [Float], _ i: Int, _ p: Int) -> Float { transA ? a[p * lda + i] : a[i * lda + p] }
    func elementB(_ b: [Float], _ p: Int, _ j: Int) -> Float { transB ? b[j * ldb + p] : b[p * ldb + j] }

    /// The rule in plain Swift Float: s = fma(aᵢₚ, bₚⱼ, s) from 0 in order p = 0…k−1; then α·s when
    /// α ≠ 1; then s + bias, s (β = 0), s + c (β = 1) or fma(β, c, s).
    func chain(bias: [Float]? = nil) -> [Float] {
        let (a, b, c) = inputs()
        var out = c
        for i in 0..<m {
            for j in 0..<n {
                var s: Float = 0
                for p in 0..<k { s = s.addingProduct(elementA(a, i, p), elementB(b, p, j)) }
                if alpha != 1 { s = alpha * s }
                let old = c[i * ldc + j]
                out[i * ldc + j] = bias.map { s + $0[j] } ?? (beta == 0 ? s : beta == 1 ? s + old : s.addingProduct(beta, old))
            }
        }
        return out
    }

    /// Whether `out` is the product in Double to float accuracy: |out − exact| ≤ 1e-5·(|α|·Σₚ|aᵢₚ·bₚⱼ| + |β·cᵢⱼ|),
    /// floored at 1e-5 — a relative bound on the sum's terms, which a sum that cancels cannot beat.
    func agreesWithDouble(_ out: [Float]) -> Bool {
        let (a, b, c) = inputs()
        for i in 0..<m {
            for j in 0..<n {
                var exact = 0.0, size = 0.0
                for p in 0..<k {
                    let term = Double(elementA(a, i, p)) * Double(elementB(b, p, j))
                    exact += term; size += Swift.abs(term)
                }
                exact *= Double(alpha); size *= Swift.abs(Double(alpha))
                if beta != 0 { exact += Double(beta) * Double(c[i * ldc + j]); size += Swift.abs(Double(beta) * Double(c[i * ldc + j])) }
                if !(Swift.abs(Double(out[i * ldc + j]) - exact) <= 1e-5 * Swift.max(1, size)) { return false }
            }
        }
        return true
    }

    /// C after rnnlab_gemm_on_f32 on `path` (nil when the CPU cannot run it).
    func general(path: Int) -> [Float]? {
        let (a, b, c0) = inputs()
        var c = c0
        let done = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
            rnnlab_gemm_on_f32(Int32(path), transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, pa.baseAddress!, Swift.max(lda, 1),
                               pb.baseAddress!, Swift.max(ldb, 1), beta, pc.baseAddress!, ldc)
        } } }
        return done == 1 ? c : nil
    }

    /// C after packing op(B) with rnnlab_pack_b_f32 and rnnlab_gemm_packed_on_f32 on `path` (A not
    /// transposed, α = 1).
    func packed(path: Int, bias: [Float]? = nil, c given: [Float]? = nil) -> [Float]? {
        precondition(!transA && alpha == 1)
        let (a, b, c0) = inputs()
        var c = given ?? c0
        var panels = [Float](repeating: .nan, count: rnnlab_packed_size_f32(k, n))
        var workspace = [Float](repeating: .nan, count: rnnlab_packed_workspace_f32(m, k))
        b.withUnsafeBufferPointer { rnnlab_pack_b_f32(transB ? 1 : 0, k, n, $0.baseAddress!, Swift.max(ldb, 1), &panels) }
        let done = a.withUnsafeBufferPointer { pa in c.withUnsafeMutableBufferPointer { pc in
            if let bias {
                return bias.withUnsafeBufferPointer { pbias in
                    rnnlab_gemm_packed_on_f32(Int32(path), m, n, k, pa.baseAddress!, Swift.max(lda, 1), panels, beta, pbias.baseAddress!,
                                              pc.baseAddress!, ldc, &workspace)
                }
            }
            return rnnlab_gemm_packed_on_f32(Int32(path), m, n, k, pa.baseAddress!, Swift.max(lda, 1), panels, beta, nil,
                                             pc.baseAddress!, ldc, &workspace)
        } }
        return done == 1 ? c : nil
    }
}

/// Equal to the bit, NaN to NaN (the padding of an untouched C holds NaN when β = 0).
private func sameBits(_ x: [Float], _ y: [Float]) -> Bool {
    x.count == y.count && zip(x, y).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
}

// MARK: - Products

@Suite struct Float32GEMMTests {
    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func everyPathIsTheChainToTheLastBit(transA: Bool, transB: Bool) {
        // Sizes on both sides of the tile edges: rows in blocks of 8/4/2/1, columns in panels of 32.
        var seed: UInt64 = 1
        for m in [1, 3, 8, 9, 17, 67] {
            for n in [1, 7, 16, 31, 32, 33, 67] {
                for k in [1, 2, 5, 67] {
                    let p = FloatProblem(transA: transA, transB: transB, m: m, n: n, k: k, padding: seed % 2 == 0 ? 1 : 0, seed: seed)
                    seed += 1
                    let expected = p.chain()
                    #expect(p.agreesWithDouble(expected), "the chain itself m=\(m) n=\(n) k=\(k)")
                    for path in paths {
                        let out = p.general(path: path)
                        #expect(out.map { sameBits($0, expected) } == true, "path \(path) m=\(m) n=\(n) k=\(k) transA=\(transA) transB=\(transB)")
                    }
                }
            }
        }
    }

    @Test(arguments: [(Float(1), Float(0)), (0.5, 1), (-2, 0.25), (1, -3), (0, 2)])
    func alphaAndBetaAndLongSumsInBlocksOf768(alpha: Float, beta: Float) {
        // k = 769, 1000 and 1600 cross the blocks of 768 along p (1600 twice, the last block short);
        // 768 fills one exactly; m = 70 is more than one chunk of 64 rows.
        for (i, (m, n, k, transA, transB)) in [(3, 33, 769, false, true), (70, 40, 1600, true, false), (9, 65, 1000, true, true),
                                              (1, 20, 300, false, false), (16, 32, 768, false, false), (5, 7, 257, true, true)].enumerated() {
            let p = FloatProblem(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, beta: beta, padding: 2, seed: UInt64(100 + i))
            let expected = p.chain()
            #expect(p.agreesWithDouble(expected), "the chain itself m=\(m) n=\(n) k=\(k) α=\(alpha) β=\(beta)")
            for path in paths {
                #expect(p.general(path: path).map { sameBits($0, expected) } == true, "path \(path) m=\(m) n=\(n) k=\(k) α=\(alpha) β=\(beta)")
            }
        }
    }

    /// k = 0: an empty sum, C ← β·C (0 for β = 0, NaN in C not read), or the bias.
    @Test func emptyInnerDimension() {
        for beta: Float in [0, 1, 0.5] {
            let p = FloatProblem(transA: true, transB: false, m: 3, n: 40, k: 0, alpha: 2, beta: beta, seed: 7)
            let c = p.inputs().c
            let expected = c.map { beta == 0 ? 0 : beta == 1 ? $0 : beta * $0 }
            for path in paths {
                #expect(p.general(path: path).map { sameBits($0, expected) } == true, "general β=\(beta) path \(path)")
                var q = p; q.transA = false; q.alpha = 1
                #expect(q.packed(path: path).map { sameBits($0, expected) } == true, "packed β=\(beta) path \(path)")
            }
        }
        let bias: [Float] = (0..<40).map { Float($0) - 0.5 }
        let p = FloatProblem(m: 2, n: 40, k: 0, seed: 8)
        #expect(p.packed(path: 0, bias: bias).map { sameBits($0, bias + bias) } == true)
    }

    /// The Double reference catches a wrong product: one element of B changed by 1e-3 shows.
    @Test func theDoubleComparisonCanFail() {
        let p = FloatProblem(m: 5, n: 9, k: 7, seed: 3)
        var out = p.chain()
        #expect(p.agreesWithDouble(out))
        out[4] += 1e-3
        #expect(!p.agreesWithDouble(out))
    }

    /// A path the CPU lacks is refused, not run.
    @Test func aPathThisCPULacksIsRefused() {
        let p = FloatProblem(m: 2, n: 2, k: 2)
        if rnnlab_gemm_vector_path() < 2 {
            #expect(p.general(path: 2) == nil)
            #expect(p.packed(path: 2) == nil)
        }
        #expect(p.general(path: 0) != nil)
    }
}

@Suite struct Float32PackedGEMMTests {
    @Test(arguments: [false, true])
    func packedIsTheChainOnEveryPath(transposed: Bool) {
        // m·k ≤ 16384 floats reads A in place, more packs it (m = 300, k = 67); 1030 rows take more than
        // one chunk of the workspace; β over NaN, 1 and general.
        var seed: UInt64 = 500
        for (m, n, k) in [(1, 1, 1), (3, 33, 5), (8, 32, 64), (9, 67, 67), (17, 31, 300), (300, 40, 67), (1030, 20, 9), (5, 65, 600)] {
            for beta: Float in [0, 1, -0.75] {
                let p = FloatProblem(transB: transposed, m: m, n: n, k: k, beta: beta, padding: 3, seed: seed)
                seed += 1
                let expected = p.chain()
                for path in paths {
                    #expect(p.packed(path: path).map { sameBits($0, expected) } == true,
                            "path \(path) m=\(m) n=\(n) k=\(k) β=\(beta) transposed=\(transposed)")
                }
            }
        }
    }

    /// Packing changes the speed, never a bit: the packed product equals rnnlab_gemm_f32's.
    @Test func packedAndUnpackedGiveTheSameBits() {
        for (i, (m, n, k)) in [(4, 50, 33), (64, 96, 128), (300, 33, 70), (2, 2048, 40)].enumerated() {
            for transposed in [false, true] {
                let p = FloatProblem(transB: transposed, m: m, n: n, k: k, beta: 1, seed: UInt64(600 + i))
                let (a, b, c0) = p.inputs()
                var c = c0
                _ = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
                    rnnlab_gemm_f32(0, transposed ? 1 : 0, m, n, k, 1, pa.baseAddress!, p.lda, pb.baseAddress!, p.ldb, 1, pc.baseAddress!, p.ldc)
                } } }
                for path in paths {
                    #expect(p.packed(path: path).map { sameBits($0, c) } == true, "path \(path) m=\(m) n=\(n) k=\(k) transposed=\(transposed)")
                }
            }
        }
    }

    /// A·B + bias in every row is filling C with the bias and adding A·B (β = 1), and C is not read.
    @Test func aBiasRowIsTheSameAsFillingCFirst() {
        for (i, (m, n, k)) in [(16, 48, 32), (3, 17, 9), (1, 5, 3), (300, 70, 67)].enumerated() {
            var g = RandomGenerator(seed: UInt64(700 + i))
            let bias = floats(n, &g)
            let withBias = FloatProblem(m: m, n: n, k: k, seed: UInt64(i))  // β = 0: C holds NaN, must not be read
            let filled = FloatProblem(m: m, n: n, k: k, beta: 1, seed: UInt64(i))
            let rows = (0..<m).flatMap { _ in bias }
            let expected = withBias.chain(bias: bias)
            for path in paths {
                let direct = withBias.packed(path: path, bias: bias), viaC = filled.packed(path: path, c: rows)
                #expect(direct.map { sameBits($0, expected) } == true, "m=\(m) n=\(n) k=\(k) path \(path)")
                #expect(viaC.map { sameBits($0, expected) } == true, "m=\(m) n=\(n) k=\(k) path \(path), C filled with the bias")
            }
        }
    }

    /// Packing a layer's double weights converts while packing: the same panels as narrowing them
    /// first and packing the floats.
    @Test(arguments: [false, true])
    func packingFromDoublesIsNarrowingThenPacking(transposed: Bool) {
        for (k, n) in [(1, 1), (5, 31), (9, 32), (67, 33), (300, 70)] {
            var g = RandomGenerator(seed: UInt64(k * 1000 + n))
            let ld = (transposed ? k : n) + 1
            let rows = transposed ? n : k
            let weights = (0..<rows * ld).map { _ in g.normal() }  // doubles, nearly all between two floats
            var narrowed = [Float](repeating: .nan, count: weights.count)
            rnnlab_narrow_f64(weights, &narrowed, weights.count)
            var viaFloats = [Float](repeating: .nan, count: rnnlab_packed_size_f32(k, n))
            var direct = [Float](repeating: .nan, count: rnnlab_packed_size_f32(k, n))
            rnnlab_pack_b_f32(transposed ? 1 : 0, k, n, narrowed, ld, &viaFloats)
            rnnlab_pack_b_from_f64_f32(transposed ? 1 : 0, k, n, weights, ld, &direct)
            #expect(sameBits(direct, viaFloats), "k=\(k) n=\(n) transposed=\(transposed)")
            #expect(!direct.contains { $0.isNaN }, "every slot of the panels written")
            #expect(narrowed.elementsEqual(weights.map { Float($0) }))
        }
        #expect(rnnlab_packed_size_f32(10, 33) == 10 * 64)  // two panels of 32 columns
    }
}

@Suite struct Float32RowTimesMatrixTests {
    /// y ← β·y + α·x·A for widths on both sides of every register block (16, 32, 64, 128 floats) and
    /// of the wide-row loop above 256, against the product in Double.
    @Test func agreesWithTheDoubleProduct() {
        for (rows, cols) in [(1, 1), (3, 15), (5, 16), (7, 33), (64, 128), (9, 200), (6, 256), (10, 257), (129, 700)] {
            for (alpha, beta) in [(Float(1), Float(0)), (-0.5, 2), (1, 1)] {
                var g = RandomGenerator(seed: UInt64(rows * 31 + cols))
                let lda = cols + 2, incx = 2
                let x = floats(rows * incx, &g), a = floats(rows * lda, &g), y0 = floats(cols, &g)
                var y = y0
                rnnlab_row_times_matrix_f32(rows, cols, alpha, x, incx, a, lda, beta, &y)
                for j in 0..<cols {
                    var exact = Double(beta) * Double(y0[j]), size = Swift.abs(exact)
                    for r in 0..<rows {
                        let term = Double(alpha) * Double(x[r * incx]) * Double(a[r * lda + j])
                        exact += term; size += Swift.abs(term)
                    }
                    #expect(Swift.abs(Double(y[j]) - exact) <= 1e-5 * Swift.max(1, size), "rows=\(rows) cols=\(cols) j=\(j) α=\(alpha) β=\(beta)")
                }
            }
        }
    }

    /// α = 1 with a contiguous row takes a copy of the body with both folded in (the form every
    /// single-sequence recurrent product takes); it must give the general body's bits, which a
    /// strided row (incx = 2) and an α that is 1 only at run time still take. Both precisions.
    @Test func theUnitStrideUnitScaleFormGivesTheGeneralBits() {
        for (rows, cols) in [(1, 1), (3, 15), (7, 33), (32, 128), (128, 32), (64, 256), (256, 64), (10, 257), (129, 700)] {
            for beta in [Float(0), 1, 2] {
                var g = RandomGenerator(seed: UInt64(rows * 37 + cols))
                let x = floats(rows, &g), a = floats(rows * cols, &g), y0 = floats(cols, &g)
                var spread = [Float](repeating: .nan, count: 2 * rows)
                for r in 0..<rows { spread[2 * r] = x[r] }
                var fast = y0, general = y0
                rnnlab_row_times_matrix_f32(rows, cols, 1, x, 1, a, cols, beta, &fast)
                rnnlab_row_times_matrix_f32(rows, cols, 1, spread, 2, a, cols, beta, &general)
                #expect(fast.map(\.bitPattern) == general.map(\.bitPattern), "float rows=\(rows) cols=\(cols) β=\(beta)")
                let (xd, ad, spreadD) = (x.map(Double.init), a.map(Double.init), spread.map(Double.init))
                var fastD = y0.map(Double.init), generalD = y0.map(Double.init)
                rnnlab_row_times_matrix(rows, cols, 1, xd, 1, ad, cols, Double(beta), &fastD)
                rnnlab_row_times_matrix(rows, cols, 1, spreadD, 2, ad, cols, Double(beta), &generalD)
                #expect(fastD.map(\.bitPattern) == generalD.map(\.bitPattern), "double rows=\(rows) cols=\(cols) β=\(beta)")
            }
        }
    }

    @Test func transposeMovesEveryElement() {
        // Whole 8 × 8 blocks, blocks with leftover rows and columns, and shapes smaller than a block.
        for (rows, cols) in [(1, 1), (3, 17), (8, 8), (33, 9), (16, 24), (17, 23), (128, 32), (65, 256), (7, 40)] {
            let src = (0..<rows * cols).map { Float($0) }
            var dst = [Float](repeating: .nan, count: rows * cols)
            rnnlab_transpose_f32(rows, cols, src, &dst)
            for r in 0..<rows { for c in 0..<cols { #expect(dst[c * rows + r] == src[r * cols + c], "\(rows)×\(cols) at \(r), \(c)") } }
            // Both precisions come from one source; the double one moves its 8 × 8 blocks in 64-byte vectors.
            let wide = src.map(Double.init)
            var wideDst = [Double](repeating: .nan, count: rows * cols)
            rnnlab_transpose(rows, cols, wide, &wideDst)
            #expect(wideDst == dst.map(Double.init), "double \(rows)×\(cols)")
            // Transposed and widened in one pass: the same places, every float exactly as a double
            // (values that need all 24 bits, ±0, subnormals, ±∞ and NaN among them).
            let varied = (0..<rows * cols).map { k -> Float in
                let specials: [Float] = [-0.0, .leastNonzeroMagnitude, -.greatestFiniteMagnitude, .infinity, 1 + .ulpOfOne, .nan]
                return k % 7 == 3 ? specials[(k / 7) % specials.count] : Float(k) * (1 + .ulpOfOne) / 3
            }
            var widened = [Double](repeating: .nan, count: rows * cols)
            rnnlab_transposed_widen_f32(rows, cols, varied, &widened)
            for r in 0..<rows {
                for c in 0..<cols {
                    #expect(widened[c * rows + r].bitPattern == Double(varied[r * cols + c]).bitPattern, "widened \(rows)×\(cols) at \(r), \(c)")
                }
            }
        }
    }
}

// MARK: - exp, sigmoid, tanh

@Suite struct Float32NonlinearityTests {
    /// The float line: every 2¹³-th bit pattern of each sign (±0 to ±∞, subnormals included), a
    /// dense sweep of [−25, 25], and the named points.
    static let sweep: [Float] = {
        var xs: [Float] = []
        for bits in stride(from: UInt32(0), through: 0x7F80_0000, by: 1 << 13) {
            xs.append(Float(bitPattern: bits)); xs.append(-Float(bitPattern: bits))
        }
        for i in 0...200_000 { xs.append(Float(-25 + 50 * Double(i) / 200_000)) }
        xs += [0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude, 1e-30, -1e-30, 1e-7, -1e-7,
               0.0625, -0.0625, 0.0624, 20, -20, 90, -90, 88.72, 88.73, -87.3, -103.9, -104, .greatestFiniteMagnitude,
               -.greatestFiniteMagnitude, .infinity, -.infinity]
        return xs
    }()

    /// The worst distance in ulp of `f` over the sweep from the correctly rounded value (the double
    /// function rounded to float) and the first argument where it exceeds 2 ulp, if any. NaN and
    /// infinities must match exactly.
    static func worst(_ f: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void, _ exact: (Double) -> Double) -> (ulps: Int, bad: Float?) {
        let xs = sweep
        var ys = [Float](repeating: .nan, count: xs.count)
        xs.withUnsafeBufferPointer { px in ys.withUnsafeMutableBufferPointer { py in f(px.baseAddress!, py.baseAddress!, xs.count) } }
        var worst = 0
        var bad: Float?
        for (x, y) in zip(xs, ys) {
            let e = Float(exact(Double(x)))
            if e.isNaN || e.isInfinite || y.isNaN || y.isInfinite {
                if !(e.isNaN && y.isNaN) && e != y && bad == nil { bad = x }
                continue
            }
            let d = ulpDistance(y, e)
            if d > 2 && bad == nil { bad = x }
            worst = Swift.max(worst, d)
        }
        return (worst, bad)
    }

    @Test func expIsWithinTwoUlp() {
        let (ulps, bad) = Self.worst({ rnnlab_vexp_f32($0, $1, $2) }, { Foundation.exp($0) })
        #expect(bad == nil, "exp(\(bad ?? 0)) is off")
        #expect(ulps <= 2)
    }

    @Test func sigmoidIsWithinTwoUlp() {
        let (ulps, bad) = Self.worst({ rnnlab_vsigmoid_f32($0, $1, $2) }, { sigmoidScalar($0) })
        #expect(bad == nil, "sigmoid(\(bad ?? 0)) is off")
        #expect(ulps <= 2)
    }

    @Test func tanhIsWithinTwoUlp() {
        let (ulps, bad) = Self.worst({ rnnlab_vtanh_f32($0, $1, $2) }, { Foundation.tanh($0) })
        #expect(bad == nil, "tanh(\(bad ?? 0)) is off")
        #expect(ulps <= 2)
    }

    @Test func specialValues() {
        func run(_ f: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void, _ xs: [Float]) -> [Float] {
            var ys = [Float](repeating: 7, count: xs.count)
            xs.withUnsafeBufferPointer { px in ys.withUnsafeMutableBufferPointer { f(px.baseAddress!, $0.baseAddress!, xs.count) } }
            return ys
        }
        let xs: [Float] = [0, -0.0, .infinity, -.infinity, .nan, 1e-30, -1e-30]
        let e = run({ rnnlab_vexp_f32($0, $1, $2) }, xs)
        #expect(e[0] == 1 && e[1] == 1 && e[2] == .infinity && e[3] == 0 && e[4].isNaN && e[5] == 1 && e[6] == 1)
        let s = run({ rnnlab_vsigmoid_f32($0, $1, $2) }, xs)
        #expect(s[0] == 0.5 && s[1] == 0.5 && s[2] == 1 && s[3] == 0 && s[4].isNaN && s[5] == 0.5)
        let t = run({ rnnlab_vtanh_f32($0, $1, $2) }, xs)
        #expect(t[0] == 0 && t[0].sign == .plus && t[1] == 0 && t[1].sign == .minus)
        #expect(t[2] == 1 && t[3] == -1 && t[4].isNaN && t[5] == 1e-30 && t[6] == -1e-30)
        // In place, and through the subnormals: σ(−90) = e⁻⁹⁰/(1 + e⁻⁹⁰) ≈ 8.2·10⁻⁴⁰ is below float's least normal.
        var inPlace: [Float] = [-90, 90, -20, 20]
        inPlace.withUnsafeMutableBufferPointer { rnnlab_vsigmoid_f32($0.baseAddress!, $0.baseAddress!, 4) }
        #expect(inPlace[0] > 0 && inPlace[0] < .leastNormalMagnitude && ulpDistance(inPlace[0], Float(sigmoidScalar(-90))) <= 1)
        #expect(inPlace[1] == 1 && ulpDistance(inPlace[2], Float(sigmoidScalar(-20))) <= 1 && inPlace[3] == 1)
    }
}

// MARK: - Narrowing and widening

@Suite struct Float32ConversionTests {
    @Test func narrowingRoundsToNearestEven() {
        let ulp = 0x1p-23  // of 1 as a float
        let xs: [Double] = [1 + ulp / 2, 1 + 3 * ulp / 2, -(1 + ulp / 2), 1 + ulp / 2 + 0x1p-40, 0.1, -0.0, 1e39, -1e39,
                            1e-40, 1e-50, .infinity, -.infinity, Double(Float.greatestFiniteMagnitude), 0x1p128 - 0x1p103]
        var ys = [Float](repeating: 7, count: xs.count)
        rnnlab_narrow_f64(xs, &ys, xs.count)
        #expect(ys[0] == 1)                       // 1 + 2⁻²⁴, halfway: to the even neighbour, 1
        #expect(ys[1] == 1 + 0x1p-22)             // 1 + 3·2⁻²⁴, halfway: to the even neighbour, 1 + 2⁻²²
        #expect(ys[2] == -1)
        #expect(ys[3] == 1 + 0x1p-23)             // just past halfway: up
        #expect(ys[4] == Float(0.1) && ys[5] == 0 && ys[5].sign == .minus)
        #expect(ys[6] == .infinity && ys[7] == -.infinity)
        #expect(ys[8] == Float(1e-40) && ys[8] < .leastNormalMagnitude && ys[9] == 0)
        #expect(ys[10] == .infinity && ys[11] == -.infinity && ys[12] == .greatestFiniteMagnitude)
        #expect(ys[13] == .infinity)              // past the halfway point above the largest float
        var nan: Float = 0
        rnnlab_narrow_f64([Double.nan], &nan, 1)
        #expect(nan.isNaN)
        // Random doubles: Swift's Float(x) is the same rounding.
        var g = RandomGenerator(seed: 11)
        let many = (0..<10_001).map { _ in g.normal() * Foundation.pow(10, Double(g.int(below: 80)) - 40) }
        var narrowed = [Float](repeating: .nan, count: many.count)
        rnnlab_narrow_f64(many, &narrowed, many.count)
        #expect(narrowed.elementsEqual(many.map { Float($0) }) { $0.bitPattern == $1.bitPattern })
    }

    /// ∂L/∂hₜ of a float32 layer: the output gradient arrives as doubles and is rounded where it is
    /// added to what the next step sent back. It must give the bits of rounding first, then adding in
    /// float — at every length (vector blocks and the tail), through halfway cases, ±0, ±∞ and NaN.
    @Test func narrowingWhileAddingIsNarrowingThenAdding() {
        var g = RandomGenerator(seed: 13)
        let ulp = 0x1p-23
        let specials: [Double] = [1 + ulp / 2, 1 + 3 * ulp / 2, -0.0, 0, 1e39, -1e39, 1e-40, .infinity, -.infinity, .nan]
        for n in [0, 1, 7, 15, 16, 17, 33, 64, 100, 1_001] {
            let src = (0..<n).map { k in k % 5 == 2 ? specials[(k / 5) % specials.count] : g.normal() * Foundation.pow(10, Double(g.int(below: 20)) - 10) }
            let add = (0..<n).map { k in k % 7 == 3 ? Float(specials[(k / 7) % specials.count]) : Float(g.normal()) }
            var fused = [Float](repeating: 7, count: n)
            var narrowed = [Float](repeating: 7, count: n)
            rnnlab_narrow_add_f64(src, add, &fused, n)
            rnnlab_narrow_f64(src, &narrowed, n)
            let expected = zip(narrowed, add).map { $0 + $1 }
            #expect(fused.elementsEqual(expected) { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }, "n = \(n)")
        }
    }

    @Test func wideningIsExact() {
        var g = RandomGenerator(seed: 12)
        var xs = (0..<10_001).map { _ in Float(bitPattern: UInt32(truncatingIfNeeded: g.next())) }.filter { !$0.isNaN }
        xs += [0, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        var ys = [Double](repeating: .nan, count: xs.count)
        rnnlab_widen_f32(xs, &ys, xs.count)
        #expect(zip(xs, ys).allSatisfy { Double($0).bitPattern == $1.bitPattern && Float($1).bitPattern == $0.bitPattern })
    }

    /// The exactness test that lets a float kernel's widened results skip the rounding pass: true
    /// exactly when every value is a float held as a double (NaN counting as one), wherever the
    /// first inexact value sits — inside a block of 64, at its edges, or in the tail after the
    /// last whole vector — and for every length.
    @Test func allFloat32FindsTheFirstInexactValueAnywhere() {
        var g = RandomGenerator(seed: 13)
        for n in [0, 1, 7, 8, 9, 63, 64, 65, 127, 128, 200, 1000] {
            let exact = (0..<n).map { _ in Double(Float(g.normal())) }
            #expect(rnnlab_all_float32(exact, n) == 1, "n = \(n), all exact")
            var special = exact
            for (k, v) in [Double.nan, .infinity, -.infinity, -0.0, Double(Float.greatestFiniteMagnitude), 0x1p-149].enumerated()
            where k < n { special[k * n / 6] = v }
            #expect(rnnlab_all_float32(special, n) == 1, "n = \(n), with NaN, ±∞, −0 and the extremes")
            for position in Set([0, 7, 8, 63, 64, n / 2, n - 1]) where position >= 0 && position < n {
                for bad in [0.1, 1 + 0x1p-30, 1e39, 0x1p-150 * 3] {
                    var values = special
                    values[position] = bad
                    #expect(rnnlab_all_float32(values, n) == 0, "n = \(n): \(bad) at \(position)")
                    #expect(values.allSatisfy { Double(Float($0)) == $0 || $0.isNaN } == false)
                }
            }
        }
    }

    /// Float column sums kept in double: the same bits as the plain loop, row after row in order.
    @Test func columnSumsAddTheRowsInOrderInDouble() {
        var g = RandomGenerator(seed: 14)
        for (rows, width) in [(1, 1), (3, 17), (100, 64), (37, 130)] {
            let p = (0..<(rows * width)).map { _ in Float(g.normal() * 1e3) }
            let start = (0..<width).map { Double($0) * 0.25 }
            var sums = start
            rnnlab_column_sums_f32(p, rows, width, &sums)
            var expected = start
            for i in 0..<rows { for k in 0..<width { expected[k] += Double(p[i * width + k]) } }
            #expect(sums.elementsEqual(expected) { $0.bitPattern == $1.bitPattern }, "\(rows) × \(width)")
            // The sums are not the float ones: they keep what a float running sum would round off.
            var floatSums = start.map(Float.init)
            for i in 0..<rows { for k in 0..<width { floatSums[k] += p[i * width + k] } }
            if rows >= 100 { #expect(zip(sums, floatSums).contains { $0 != Double($1) }) }
        }
    }
}

// MARK: - The cells' steps

/// The LSTM and GRU steps in plain Swift Float: LSTMCell.swift's and GRUCell.swift's reference
/// steps unit by unit, with the nonlinearities rounded once from double.
private enum FloatReference {
    static func sigmoid(_ x: Float) -> Float { Float(sigmoidScalar(Double(x))) }
    static func tanh(_ x: Float) -> Float { Float(Foundation.tanh(Double(x))) }

    static func lstmForward(B: Int, H: Int, gates: inout [Float], cPrev: [Float], c: inout [Float], tanhC: inout [Float], h: inout [Float]) {
        for b in 0..<B {
            for j in 0..<H {
                let g0 = b * 4 * H, s = b * H + j
                let i = sigmoid(gates[g0 + j]), f = sigmoid(gates[g0 + H + j])
                let g = tanh(gates[g0 + 2 * H + j]), o = sigmoid(gates[g0 + 3 * H + j])
                let cell = f * cPrev[s] + i * g                                   // cₜ = fₜ ⊙ cₜ₋₁ + iₜ ⊙ gₜ
                gates[g0 + j] = i; gates[g0 + H + j] = f; gates[g0 + 2 * H + j] = g; gates[g0 + 3 * H + j] = o
                c[s] = cell; tanhC[s] = tanh(cell); h[s] = o * tanh(cell)        // hₜ = oₜ ⊙ tanh(cₜ)
            }
        }
    }

    static func lstmBackward(B: Int, H: Int, gates: [Float], cPrev: [Float], tanhC: [Float], dh: [Float], dc: inout [Float], dGates: inout [Float]) {
        for b in 0..<B {
            for j in 0..<H {
                let g0 = b * 4 * H, s = b * H + j
                let i = gates[g0 + j], f = gates[g0 + H + j], g = gates[g0 + 2 * H + j], o = gates[g0 + 3 * H + j]
                let dO = dh[s] * tanhC[s]
                let dC = dc[s] + dh[s] * o * (1 - tanhC[s] * tanhC[s])
                dc[s] = dC * f
                dGates[g0 + j] = dC * g * i * (1 - i)
                dGates[g0 + H + j] = dC * cPrev[s] * f * (1 - f)
                dGates[g0 + 2 * H + j] = dC * i * (1 - g * g)
                dGates[g0 + 3 * H + j] = dO * o * (1 - o)
            }
        }
    }

    static func gruForward(B: Int, H: Int, gates: inout [Float], hidden: [Float], hPrev: [Float], candidate: inout [Float], h: inout [Float]) {
        for b in 0..<B {
            for j in 0..<H {
                let g0 = b * 3 * H, s = b * H + j
                let r = sigmoid(gates[g0 + j] + hidden[g0 + j])
                let z = sigmoid(gates[g0 + H + j] + hidden[g0 + H + j])
                let hn = hidden[g0 + 2 * H + j]
                let n = tanh(gates[g0 + 2 * H + j] + r * hn)
                gates[g0 + j] = r; gates[g0 + H + j] = z; gates[g0 + 2 * H + j] = n
                candidate[s] = hn
                h[s] = (1 - z) * n + z * hPrev[s]                                 // hₜ = (1 − zₜ) ⊙ nₜ + zₜ ⊙ hₜ₋₁
            }
        }
    }

    static func gruBackward(B: Int, H: Int, gates: [Float], hPrev: [Float], candidate: [Float], dh: [Float],
                            dInput: inout [Float], dHidden: inout [Float], direct: inout [Float]) {
        for b in 0..<B {
            for j in 0..<H {
                let g0 = b * 3 * H, s = b * H + j
                let r = gates[g0 + j], z = gates[g0 + H + j], n = gates[g0 + 2 * H + j]
                let dN = dh[s] * (1 - z), dZ = dh[s] * (hPrev[s] - n)
                let dAn = dN * (1 - n * n)
                let dR = dAn * candidate[s]
                let dAr = dR * r * (1 - r), dAz = dZ * z * (1 - z)
                dInput[g0 + j] = dAr; dInput[g0 + H + j] = dAz; dInput[g0 + 2 * H + j] = dAn
                dHidden[g0 + j] = dAr; dHidden[g0 + H + j] = dAz; dHidden[g0 + 2 * H + j] = dAn * r
                direct[s] = dh[s] * z
            }
        }
    }
}

@Suite struct Float32CellKernelTests {
    static let sizes: [(batch: Int, hidden: Int)] = [(1, 1), (1, 3), (2, 8), (3, 7), (1, 16), (4, 17), (2, 32), (5, 33), (1, 67)]

    /// Within 4 ulp of float at max(1, |reference|): the nonlinearities may round 1 ulp apart.
    static func close(_ a: [Float], _ b: [Float]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { !$0.isNaN && Swift.abs($0 - $1) <= 4 * Float.ulpOfOne * Swift.max(1, Swift.abs($1)) }
    }

    /// Pre-activations: mostly N(0, 3²), every seventh saturating (±20, ±90).
    static func preActivations(_ count: Int, _ g: inout RandomGenerator) -> [Float] {
        (0..<count).map { _ in g.int(below: 7) == 0 ? Float([20, -20, 90, -90][g.int(below: 4)]) : Float(3 * g.normal()) }
    }

    @Test func theLSTMStepIsItsFloatReference() {
        for (k, (B, H)) in Self.sizes.enumerated() {
            var g = RandomGenerator(seed: UInt64(200 + k))
            let pre = Self.preActivations(B * 4 * H, &g), cPrev = floats(B * H, &g, scale: 2)
            var gates = pre, c = [Float](repeating: .nan, count: B * H), tanhC = c, h = c
            var rGates = pre, rc = c, rTanhC = c, rh = c
            rnnlab_lstm_forward_step_f32(B, H, &gates, cPrev, &c, &tanhC, &h)
            FloatReference.lstmForward(B: B, H: H, gates: &rGates, cPrev: cPrev, c: &rc, tanhC: &rTanhC, h: &rh)
            #expect(Self.close(gates, rGates) && Self.close(c, rc) && Self.close(tanhC, rTanhC) && Self.close(h, rh), "forward B=\(B) H=\(H)")

            let dh = floats(B * H, &g), dc0 = floats(B * H, &g)
            var dc = dc0, dGates = [Float](repeating: .nan, count: B * 4 * H)
            var rdc = dc0, rdGates = dGates
            // Both from the C forward's tape, so that the two read the same numbers.
            rnnlab_lstm_backward_step_f32(B, H, gates, cPrev, tanhC, dh, &dc, &dGates)
            FloatReference.lstmBackward(B: B, H: H, gates: gates, cPrev: cPrev, tanhC: tanhC, dh: dh, dc: &rdc, dGates: &rdGates)
            #expect(sameBits(dc, rdc) && sameBits(dGates, rdGates), "backward B=\(B) H=\(H): the same arithmetic, the same bits")
        }
    }

    @Test func theGRUStepIsItsFloatReference() {
        for (k, (B, H)) in Self.sizes.enumerated() {
            var g = RandomGenerator(seed: UInt64(300 + k))
            let pre = Self.preActivations(B * 3 * H, &g), hidden = Self.preActivations(B * 3 * H, &g)
            let hPrev = (0..<B * H).map { _ in Float(g.uniform(-1, 1)) }
            var gates = pre, candidate = [Float](repeating: .nan, count: B * H), h = candidate
            var rGates = pre, rCandidate = candidate, rh = candidate
            rnnlab_gru_forward_step_f32(B, H, &gates, hidden, hPrev, &candidate, &h)
            FloatReference.gruForward(B: B, H: H, gates: &rGates, hidden: hidden, hPrev: hPrev, candidate: &rCandidate, h: &rh)
            #expect(Self.close(gates, rGates) && Self.close(h, rh) && sameBits(candidate, rCandidate), "forward B=\(B) H=\(H)")

            let dh = floats(B * H, &g)
            var dInput = [Float](repeating: .nan, count: B * 3 * H), dHidden = dInput, direct = [Float](repeating: .nan, count: B * H)
            var rdInput = dInput, rdHidden = dHidden, rDirect = direct
            rnnlab_gru_backward_step_f32(B, H, gates, hPrev, candidate, dh, &dInput, &dHidden, &direct)
            FloatReference.gruBackward(B: B, H: H, gates: gates, hPrev: hPrev, candidate: candidate, dh: dh,
                                       dInput: &rdInput, dHidden: &rdHidden, direct: &rDirect)
            #expect(sameBits(dInput, rdInput) && sameBits(dHidden, rdHidden) && sameBits(direct, rDirect), "backward B=\(B) H=\(H)")
        }
    }

    /// The comparison sees a unit: one pre-activation changed by 0.5 shows in h.
    @Test func aStepThatDiffersInOneUnitIsCaught() {
        let (B, H) = (2, 9)
        var g = RandomGenerator(seed: 9)
        let pre = Self.preActivations(B * 4 * H, &g).map { Swift.min(Swift.max($0, -3), 3) }, cPrev = floats(B * H, &g)
        var gates = pre, c = [Float](repeating: 0, count: B * H), tanhC = c, h = c
        var rGates = pre, rc = c, rTanhC = c, rh = c
        gates[B * 4 * H - 1] += 0.5  // the last unit's output gate, the loops' remainder lane
        rnnlab_lstm_forward_step_f32(B, H, &gates, cPrev, &c, &tanhC, &h)
        FloatReference.lstmForward(B: B, H: H, gates: &rGates, cPrev: cPrev, c: &rc, tanhC: &rTanhC, h: &rh)
        #expect(!Self.close(h, rh))
    }
}

// MARK: - Optimizers

@Suite struct Float32OptimizerKernelTests {
    static func state(_ n: Int, seed: UInt64) -> (p: [Float], g: [Float], m: [Float], v: [Float]) {
        var r = RandomGenerator(seed: seed)
        return (floats(n, &r), floats(n, &r), floats(n, &r, scale: 0.1), floats(n, &r).map { $0 * $0 })
    }

    @Test(arguments: [Float(0), 0.01])
    func sgdIsThePlainLoop(weightDecay: Float) {
        for n in [1, 7, 16, 17, 33, 1000] {
            let s = Self.state(n, seed: UInt64(n))
            let lr: Float = 0.1
            var p = widened(s.p)
            rnnlab_sgd_update_f32(n, &p, widened(s.g), lr, weightDecay)
            let expected = zip(s.p, s.g).map { p, g in
                weightDecay != 0 ? p.addingProduct(-lr, g.addingProduct(weightDecay, p)) : p.addingProduct(-lr, g)
            }
            #expect(sameBits(narrowed(p), expected) && p == widened(narrowed(p)), "n=\(n) wd=\(weightDecay)")
        }
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func momentumIsThePlainLoop(nesterov: Bool, first: Bool) {
        for n in [1, 17, 1000] {
            let s = Self.state(n, seed: UInt64(n + 50))
            let (lr, wd, mu, keep): (Float, Float, Float, Float) = (0.05, 1e-3, 0.9, 0.8)
            var p = widened(s.p), buffer = widened(s.m)
            rnnlab_sgd_momentum_update_f32(n, &p, widened(s.g), &buffer, lr, wd, mu, keep, nesterov ? 1 : 0, first ? 1 : 0)
            var ep = s.p, eb = s.m
            for k in 0..<n {
                let grad = s.g[k].addingProduct(wd, ep[k])
                let b = first ? grad : (eb[k] * mu).addingProduct(keep, grad)
                eb[k] = b
                let step = nesterov ? grad.addingProduct(mu, b) : b
                ep[k] = ep[k].addingProduct(-lr, step)
            }
            #expect(sameBits(narrowed(p), ep) && sameBits(narrowed(buffer), eb), "n=\(n) nesterov=\(nesterov) first=\(first)")
        }
    }

    @Test(arguments: [(true, false, Float(0.1)), (false, true, 0.1), (false, false, 0.6)])
    func adamIsThePlainLoop(decoupled: Bool, coupled: Bool, w1: Float) {
        for n in [1, 15, 16, 1000] {
            let s = Self.state(n, seed: UInt64(n + 90))
            let (decay, wd, beta2, w2, stepSize, c2, eps): (Float, Float, Float, Float, Float, Float, Float) = (0.999, 0.01, 0.999, 0.001, 1e-3, 0.05, 1e-8)
            var p = widened(s.p), m = widened(s.m), v = widened(s.v)
            rnnlab_adam_update_f32(n, &p, widened(s.g), &m, &v, decoupled ? 1 : 0, decay, coupled ? 1 : 0, wd, w1, beta2, w2, stepSize, c2, eps)
            var ep = s.p, em = s.m, ev = s.v
            for k in 0..<n {
                var grad = s.g[k]
                if decoupled { ep[k] *= decay }
                if coupled { grad = grad.addingProduct(wd, ep[k]) }
                let d = grad - em[k]
                em[k] = w1.magnitude < 0.5 ? em[k].addingProduct(w1, d) : grad.addingProduct(w1 - 1, d)
                ev[k] = (ev[k] * beta2).addingProduct(w2 * grad, grad)
                let denom = ev[k].squareRoot() / c2 + eps
                ep[k] += -stepSize * em[k] / denom
            }
            #expect(sameBits(narrowed(p), ep) && sameBits(narrowed(m), em) && sameBits(narrowed(v), ev),
                    "n=\(n) decoupled=\(decoupled) coupled=\(coupled) w1=\(w1)")
        }
    }

    /// The kernels read double storage: a value that is not a float32 (a gradient set by hand in
    /// float64) is rounded to the nearest float as it is read, so stepping with it gives the bits
    /// of stepping with that float, and every stored result is a float32.
    @Test func aFloat64GradientIsRoundedToNearestAsItIsRead() {
        let n = 1000
        var r = RandomGenerator(seed: 77)
        let p = widened(floats(n, &r))
        let g = (0..<n).map { _ in r.uniform(-1, 1) }
        let rounded = g.map { Double(Float($0)) }
        #expect(zip(g, rounded).filter { $0 != $1 }.count > n / 2)
        func steps(_ g: [Double]) -> [[Double]] {
            var plain = p, momentum = p, buffer = [Double](repeating: 0.25, count: n)
            var adam = p, m = [Double](repeating: 0, count: n), v = m
            rnnlab_sgd_update_f32(n, &plain, g, 0.1, 0.01)
            rnnlab_sgd_momentum_update_f32(n, &momentum, g, &buffer, 0.1, 0, 0.9, 1, 1, 0)
            rnnlab_adam_update_f32(n, &adam, g, &m, &v, 0, 1, 0, 0, 0.1, 0.999, 0.001, 1e-3, 0.05, 1e-8)
            return [plain, momentum, buffer, adam, m, v]
        }
        let fromDoubles = steps(g), fromFloats = steps(rounded)
        for (a, b) in zip(fromDoubles, fromFloats) {
            #expect(a == b)
            #expect(a == widened(narrowed(a)))
        }
    }
}

private func widened(_ x: [Float]) -> [Double] { x.map(Double.init) }
private func narrowed(_ x: [Double]) -> [Float] { x.map(Float.init) }
