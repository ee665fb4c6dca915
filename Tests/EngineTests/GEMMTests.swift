import Testing
import CSupport
import Dispatch
import Synchronization
@testable import Engine
import TestSupport

// GEMM.swift: rnnlab's own products (GEMM.multiply, what the engine runs) and OpenBLAS's dgemm (kept
// for comparison) held to the three-loop reference kernel on every layout, α, β and edge; and the
// engine's products held bit for bit to their scalar path on every vector path this CPU runs.

private typealias Kernel = @Sendable (
    _ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Double,
    _ a: UnsafePointer<Double>, _ lda: Int, _ b: UnsafePointer<Double>, _ ldb: Int,
    _ beta: Double, _ c: UnsafeMutablePointer<Double>, _ ldc: Int
) -> Void

private let blas: Kernel = { GEMM.blas(transA: $0, transB: $1, m: $2, n: $3, k: $4, alpha: $5, a: $6, lda: $7, b: $8, ldb: $9, beta: $10, c: $11, ldc: $12) }
private let engine: Kernel = { GEMM.multiply(transA: $0, transB: $1, m: $2, n: $3, k: $4, alpha: $5, a: $6, lda: $7, b: $8, ldb: $9, beta: $10, c: $11, ldc: $12) }
/// The fast kernels, each held to the reference.
private let kernels: [(name: String, run: Kernel)] = [("rnnlab", engine), ("OpenBLAS", blas)]
private let reference: Kernel = { GEMM.reference(transA: $0, transB: $1, m: $2, n: $3, k: $4, alpha: $5, a: $6, lda: $7, b: $8, ldb: $9, beta: $10, c: $11, ldc: $12) }

/// One GEMM problem with row-major storage for A, B and C at the given leading dimensions.
private struct Problem {
    var transA = false, transB = false
    var m: Int, n: Int, k: Int
    var alpha = 1.0, beta = 0.0
    var padding = 0  // extra columns in every leading dimension, to exercise lda/ldb/ldc > minimum
    var seed: UInt64 = 1

    // Stored shapes: A is m×k (k×m when transposed), B is k×n (n×k when transposed), C is m×n.
    var lda: Int { (transA ? m : k) + padding }
    var ldb: Int { (transB ? k : n) + padding }
    var ldc: Int { n + padding }

    func inputs() -> (a: [Double], b: [Double], c: [Double]) {
        var g = RandomGenerator(seed: seed)
        let rowsA = transA ? k : m, rowsB = transB ? n : k
        let a = (0..<Swift.max(rowsA * lda, 1)).map { _ in g.normal() }
        let b = (0..<Swift.max(rowsB * ldb, 1)).map { _ in g.normal() }
        let c = (0..<Swift.max(m * ldc, 1)).map { _ in g.normal() }
        return (a, b, c)
    }

    func run(_ kernel: Kernel) -> [Double] {
        var (a, b, c) = inputs()
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    kernel(transA, transB, m, n, k, alpha, pa.baseAddress!, lda, pb.baseAddress!, ldb, beta, pc.baseAddress!, ldc)
                }
            }
        }
        return c
    }
}

/// The same doubles, bit for bit (±0 told apart).
private func sameBits(_ x: [Double], _ y: [Double]) -> Bool {
    x.count == y.count && zip(x, y).allSatisfy { $0.bitPattern == $1.bitPattern }
}

/// |x − y| ≤ 1e-12 relative (absolute below magnitude 1), element by element.
@Suite struct GEMMTests {
    static let shapes: [(m: Int, n: Int, k: Int)] = [(1, 1, 1), (3, 5, 4), (7, 2, 9), (16, 16, 16), (33, 17, 65), (1, 40, 3), (40, 1, 3)]

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func blasAgreesWithReferenceOnRandomMatrices(transA: Bool, transB: Bool) {
        for (i, s) in Self.shapes.enumerated() {
            let p = Problem(transA: transA, transB: transB, m: s.m, n: s.n, k: s.k, seed: UInt64(i + 1))
            for kernel in kernels {
                let (fast, slow) = (p.run(kernel.run), p.run(reference))
                #expect(valuesClose(fast, slow), "\(kernel.name) m=\(s.m) n=\(s.n) k=\(s.k) transA=\(transA) transB=\(transB)")
            }
        }
    }

    @Test(arguments: [(0.5, 0.0), (1.0, 1.0), (-2.0, 0.25), (0.0, 3.0)])
    func alphaAndBetaScaleTheProductAndTheOldC(alpha: Double, beta: Double) {
        for transA in [false, true] {
            let p = Problem(transA: transA, transB: !transA, m: 6, n: 5, k: 7, alpha: alpha, beta: beta, seed: 9)
            for kernel in kernels {
                #expect(valuesClose(p.run(kernel.run), p.run(reference)), "\(kernel.name) alpha=\(alpha) beta=\(beta) transA=\(transA)")
            }
        }
    }

    @Test func leadingDimensionsLargerThanTheRows() {
        for (transA, transB) in [(false, false), (true, true), (true, false)] {
            let p = Problem(transA: transA, transB: transB, m: 4, n: 3, k: 5, alpha: 1.5, beta: 0.5, padding: 3, seed: 4)
            for kernel in kernels {
                let fast = p.run(kernel.run), slow = p.run(reference)
                #expect(valuesClose(fast, slow), "\(kernel.name)")
                // The padding columns of C are not part of the matrix and must be left alone.
                let original = p.inputs().c
                for row in 0..<p.m { for col in p.n..<p.ldc {
                    #expect(fast[row * p.ldc + col] == original[row * p.ldc + col])
                    #expect(slow[row * p.ldc + col] == original[row * p.ldc + col])
                } }
            }
        }
    }

    /// With k = 0 the product is an empty sum: C ← β·C (so C = 0 for β = 0), in both kernels —
    /// for a single row too, which BLAS runs as a matrix–vector product.
    @Test(arguments: [0.0, 1.0, 0.5], [1, 3])
    func emptyInnerDimension(beta: Double, m: Int) {
        for (transA, transB) in [(false, false), (true, true)] {
            let p = Problem(transA: transA, transB: transB, m: m, n: 4, k: 0, alpha: 2, beta: beta, seed: 5)
            let expected = p.inputs().c.map { beta == 0 ? 0 : beta * $0 }
            #expect(valuesClose(p.run(reference), expected), "reference m=\(m) transA=\(transA)")
            for kernel in kernels {
                #expect(valuesClose(p.run(kernel.run), expected), "\(kernel.name) m=\(m) transA=\(transA)")
            }
        }
    }

    /// A single row (a batch of one) streams rows of B (BLAS: dgemv); every transposition, with α and β.
    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func singleRowAgreesWithReference(transA: Bool, transB: Bool) {
        // n covers every register width of the narrow-row loop (8, 16, 32, 64 columns and tails)
        // and the wide-row loop above 128; k leaves 0–3 rows after the blocks of four.
        for (n, k) in [(1, 1), (5, 3), (17, 33), (8, 4), (16, 5), (32, 6), (64, 7), (127, 64), (128, 9), (129, 10), (300, 3)] {
            for (alpha, beta) in [(1.0, 0.0), (-0.5, 2.0), (1.0, 1.0)] {
                for padding in [0, 2] {
                    let p = Problem(transA: transA, transB: transB, m: 1, n: n, k: k, alpha: alpha, beta: beta, padding: padding, seed: UInt64(n + k))
                    for kernel in kernels {
                        #expect(valuesClose(p.run(kernel.run), p.run(reference)), "\(kernel.name) n=\(n) k=\(k) alpha=\(alpha) beta=\(beta) padding=\(padding)")
                    }
                }
            }
        }
    }

    /// The reference kernel itself, against a product worked by hand:
    /// [[1, 2], [3, 4]]·[[5, 6], [7, 8]] = [[19, 22], [43, 50]]; with Bᵀ: [[17, 23], [39, 53]].
    @Test func referenceKernelByHand() {
        let a: [Double] = [1, 2, 3, 4], b: [Double] = [5, 6, 7, 8]
        for (transB, expected) in [(false, [19.0, 22, 43, 50]), (true, [17.0, 23, 39, 53])] {
            var c = [Double](repeating: 0, count: 4)
            GEMM.reference(transA: false, transB: transB, m: 2, n: 2, k: 2, alpha: 1, a: a, lda: 2, b: b, ldb: 2, beta: 0, c: &c, ldc: 2)
            #expect(c == expected)
            var d = [Double](repeating: 0, count: 4)
            GEMM.blas(transA: false, transB: transB, m: 2, n: 2, k: 2, alpha: 1, a: a, lda: 2, b: b, ldb: 2, beta: 0, c: &d, ldc: 2)
            #expect(d == expected)
        }
        // Aᵀ·B = [[1, 3], [2, 4]]·[[5, 6], [7, 8]] = [[26, 30], [38, 44]].
        var c = [Double](repeating: 0, count: 4)
        GEMM.reference(transA: true, transB: false, m: 2, n: 2, k: 2, alpha: 1, a: a, lda: 2, b: b, ldb: 2, beta: 0, c: &c, ldc: 2)
        #expect(c == [26, 30, 38, 44])
    }

    /// Sizes beyond OpenBLAS's 32-bit `blasint` used to trap in the conversion; they now take the
    /// reference loops. A one-row A with a 2³² leading dimension reads only its first row, so the
    /// case can be built without the memory a real 2³²-wide matrix would need.
    @Test func leadingDimensionBeyondThirtyTwoBitsFallsBackToTheReference() {
        let a: [Double] = [1, 2], b: [Double] = [3, 4, 5, 6]
        var c = [Double](repeating: 0, count: 2)
        GEMM.blas(transA: false, transB: false, m: 1, n: 2, k: 2, alpha: 1, a: a, lda: 1 << 32, b: b, ldb: 2, beta: 0, c: &c, ldc: 2)
        #expect(c == [13, 16])  // [1, 2]·[[3, 4], [5, 6]]
    }

    /// A zero-row or zero-column result is a no-op for both kernels.
    @Test func emptyResultIsANoOp() {
        for (m, n) in [(0, 3), (3, 0)] {
            let p = Problem(m: m, n: n, k: 2, beta: 2, seed: 6)
            for kernel in kernels { #expect(p.run(kernel.run) == p.inputs().c, "\(kernel.name)") }
            #expect(p.run(reference) == p.inputs().c)
        }
    }
}

/// The rule behind GEMM.multiply: each element is one chain of fused multiply-adds in order p = 0 … k−1,
/// whatever the path, the tiling, the blocks of p or the other rows.
@Suite struct EngineProductRuleTests {
    /// Element (i, j) computed as the rule says, by hand: s = fma(aᵢₚ, bₚⱼ, s) from 0, then α, then β.
    private static func chain(_ p: Problem, _ a: [Double], _ b: [Double], _ c: [Double]) -> [Double] {
        var out = c
        for i in 0..<p.m {
            for j in 0..<p.n {
                var s = 0.0
                for q in 0..<p.k {
                    let x = p.transA ? a[q * p.lda + i] : a[i * p.lda + q]
                    let y = p.transB ? b[j * p.ldb + q] : b[q * p.ldb + j]
                    s = s.addingProduct(x, y)   // one rounding: fma(x, y, s)
                }
                if p.alpha != 1 { s = p.alpha * s }
                let old = c[i * p.ldc + j]
                out[i * p.ldc + j] = p.beta == 0 ? s : p.beta == 1 ? s + old : s.addingProduct(p.beta, old)
            }
        }
        return out
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func everyPathIsTheChainToTheLastBit(transA: Bool, transB: Bool) {
        // k = 600 and 1000 cross the blocks of 256 that long sums are split into; m > 64 crosses a
        // chunk of rows; n = 17, 40 leave partial panels. On the AVX-512 path, with α = 1, a whole
        // panel is finished in the registers (every β), a partial one through memory.
        for (i, (m, n, k)) in [(3, 17, 5), (9, 40, 600), (70, 33, 1000), (1, 20, 300), (16, 16, 256)].enumerated() {
            for (alpha, beta) in [(1.0, 0.0), (1.0, 1.0), (1.0, 0.25), (0.5, 1.0), (-2.0, 0.25)] {
                let p = Problem(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, beta: beta, padding: 1, seed: UInt64(40 + i))
                let (a, b, c) = p.inputs()
                let expected = Self.chain(p, a, b, c)
                for path in 0...Int(rnnlab_gemm_vector_path()) {
                    var out = c
                    let ran = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in out.withUnsafeMutableBufferPointer { pc in
                        rnnlab_gemm_on(Int32(path), transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, pa.baseAddress!, p.lda,
                                       pb.baseAddress!, p.ldb, beta, pc.baseAddress!, p.ldc)
                    } } }
                    #expect(ran == 1)
                    #expect(sameBits(out, expected), "path \(path) m=\(m) n=\(n) k=\(k) α=\(alpha) β=\(beta) transA=\(transA) transB=\(transB)")
                }
                if m > 1 || transB {  // GEMM.multiply itself (a single row without Bᵀ streams rows instead)
                    #expect(sameBits(p.run(engine), expected), "GEMM.multiply m=\(m) n=\(n) k=\(k)")
                }
            }
        }
    }

    /// The packing buffers come from scratch that each thread keeps between its products
    /// (packed_gemm.c): products that grow and shrink — the larger ones beyond what is kept, so
    /// from malloc — on four threads at once, each held to the chain; among them the product that
    /// packs its right operand once and adds a bias (rnnlab_gemm_packing_b), held to chain + bias.
    @Test func productsOnSeveralThreadsEachKeepTheirOwnScratch() {
        let shapes = [(3, 17, 5), (40, 200, 300), (9, 40, 600), (70, 300, 1000), (2, 16, 8), (64, 100, 160)]
        let cases = shapes.enumerated().map { i, shape -> (Problem, [Double], bias: [Double], withBias: [Double]) in
            let p = Problem(transA: i % 2 == 1, transB: i % 3 == 0, m: shape.0, n: shape.1, k: shape.2, alpha: 1, beta: 0.5, seed: UInt64(90 + i))
            let (a, b, c) = p.inputs()
            var g = RandomGenerator(seed: UInt64(190 + i))
            let bias = (0..<p.n).map { _ in g.normal() }
            var plain = p; plain.beta = 0
            let s = Self.chain(plain, a, b, c)
            let withBias = (0..<p.m * p.ldc).map { e in e % p.ldc < p.n ? s[e] + bias[e % p.ldc] : c[e] }
            return (p, Self.chain(p, a, b, c), bias, withBias)
        }
        let wrong = Mutex([Int](repeating: 0, count: 4))
        do {
            DispatchQueue.concurrentPerform(iterations: 4) { t in
                for round in 0..<4 {
                    for j in 0..<cases.count {
                        let (p, expected, bias, withBias) = cases[(j + t + round) % cases.count]
                        var (a, b, c) = p.inputs()
                        var biased = c
                        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
                            c.withUnsafeMutableBufferPointer { pc in
                                _ = rnnlab_gemm(p.transA ? 1 : 0, p.transB ? 1 : 0, p.m, p.n, p.k, p.alpha, pa.baseAddress!, p.lda,
                                                pb.baseAddress!, p.ldb, p.beta, pc.baseAddress!, p.ldc)
                            }
                            if !p.transA {
                                biased.withUnsafeMutableBufferPointer { pc in
                                    _ = rnnlab_gemm_packing_b(p.m, p.n, p.k, pa.baseAddress!, p.lda, pb.baseAddress!, p.ldb, p.transB ? 1 : 0,
                                                              0, bias, pc.baseAddress!, p.ldc)
                                }
                            }
                        } }
                        if c != expected || (!p.transA && biased != withBias) { wrong.withLock { $0[t] += 1 } }
                    }
                }
            }
        }
        #expect(wrong.withLock { $0 } == [0, 0, 0, 0])
    }

    /// A·B + bias with B packed, on every path this CPU runs: each row the chain plus the bias, bit
    /// for bit, with whole panels (finished in the registers on AVX-512) and a partial one; C is
    /// not read (it holds NaN).
    @Test func aBiasRowIsTheChainPlusTheBiasOnEveryPath() {
        for (i, (m, n, k)) in [(16, 32, 40), (9, 48, 7), (3, 17, 300)].enumerated() {
            let p = Problem(m: m, n: n, k: k, seed: UInt64(300 + i))
            let (a, b, c) = p.inputs()
            var g = RandomGenerator(seed: UInt64(310 + i))
            let bias = (0..<n).map { _ in g.normal() }
            let s = Self.chain(p, a, b, c)  // β = 0
            let expected = (0..<m * n).map { s[$0] + bias[$0 % n] }
            var packed = [Double](repeating: .nan, count: rnnlab_packed_size(k, n))
            rnnlab_pack_b(0, k, n, b, n, &packed)
            var workspace = [Double](repeating: .nan, count: rnnlab_packed_workspace(m, k))
            for path in 0...Int(rnnlab_gemm_vector_path()) {
                var out = [Double](repeating: .nan, count: m * n)
                let ran = rnnlab_gemm_packed_on(Int32(path), m, n, k, a, k, packed, 0, bias, &out, n, &workspace)
                #expect(ran == 1)
                #expect(sameBits(out, expected), "path \(path) m=\(m) n=\(n) k=\(k)")
            }
        }
    }

    @Test func aRowsNumbersDoNotDependOnTheRowsAroundIt() {
        // The same sequence in a batch of 2, 7 or 70: its row of the product is the same bits.
        let p = Problem(transA: false, transB: true, m: 70, n: 48, k: 300, seed: 77)
        let all = p.run(engine)
        for rows in [2, 7, 33] {
            let q = Problem(transA: false, transB: true, m: rows, n: 48, k: 300, seed: 77)
            // Same inputs for the first rows: A's first rows, all of B (B is drawn after A: rebuild it).
            var (a, b, _) = p.inputs()
            a = Array(a.prefix(rows * q.lda))
            var c = [Double](repeating: 0, count: rows * q.ldc)
            a.withUnsafeBufferPointer { pa in b.withUnsafeMutableBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
                GEMM.multiply(transA: false, transB: true, m: rows, n: 48, k: 300, a: pa.baseAddress!, lda: q.lda,
                              b: UnsafePointer(pb.baseAddress!), ldb: q.ldb, c: pc.baseAddress!, ldc: q.ldc)
            } } }
            #expect(Array(all.prefix(rows * p.ldc)) == c, "first \(rows) rows")
        }
    }
}
