import CSupport
import Foundation
import Testing
@testable import Engine
import TestSupport

/// ``GEMM/productStacked(transA:transB:m1:m2:n:k:alpha:a1:lda1:a2:lda2:b:ldb:beta:c:ldc:)``: two
/// products sharing their right operand, which is packed once (a recurrent layer's two weight
/// gradients Xᵀ·∂A and H₋₁ᵀ·∂A), give every element the bits the two separate products give it —
/// whichever side of the boundary between A1 and A2 its row block starts, in both precisions, for
/// long sums split into blocks of p, with α, β and leading dimensions wider than the rows.
@Suite struct GEMMStackedTests {
    static let shapes: [(m1: Int, m2: Int, n: Int, k: Int)] = [
        (1, 1, 5, 3), (3, 5, 33, 7), (8, 8, 64, 40), (13, 70, 17, 300), (32, 128, 96, 600), (0, 9, 40, 20), (9, 0, 40, 20),
        (1, 6, 24, 300), (6, 1, 24, 300), (1, 0, 24, 30), (0, 1, 24, 30), (4, 6, 24, 0), (4, 6, 0, 5), (5, 7, 40, 1600),
    ]

    func check<Scalar: KernelScalar & BinaryFloatingPoint>(_: Scalar.Type, transA: Bool, transB: Bool, alpha: Scalar, beta: Scalar) {
        var g = RandomGenerator(seed: transA ? 41 : 42)
        for (m1, m2, n, k) in Self.shapes {
            let pad = 3
            // op(A1) is m1 × k: stored k × m1 when transposed; likewise A2 and B (k × n, stored n × k).
            let (lda1, lda2) = transA ? (m1 + pad, m2 + pad) : (k + pad, k + pad)
            let ldb = transB ? k + pad : n + pad, ldc = n + pad
            func values(_ count: Int) -> [Scalar] { (0..<Swift.max(count, 1)).map { _ in Scalar(g.normal()) } }
            let a1 = values((transA ? k : m1) * lda1), a2 = values((transA ? k : m2) * lda2)
            let b = values((transB ? n : k) * ldb), c0 = values((m1 + m2) * ldc)
            var stacked = c0, separate = c0
            GEMM.productStacked(transA: transA, transB: transB, m1: m1, m2: m2, n: n, k: k, alpha: alpha,
                                a1: a1, lda1: lda1, a2: a2, lda2: lda2, b: b, ldb: ldb, beta: beta, c: &stacked, ldc: ldc)
            // The two products as the engine forms them one at a time (a single row of A, where B is
            // not transposed, goes to the vector–matrix loop, whose roundings differ: so must the
            // stacked product's).
            separate.withUnsafeMutableBufferPointer { c in
                GEMM.product(transA: transA, transB: transB, m: m1, n: n, k: k, alpha: alpha, a: a1, lda: lda1, b: b, ldb: ldb,
                             beta: beta, c: c.baseAddress!, ldc: ldc)
                GEMM.product(transA: transA, transB: transB, m: m2, n: n, k: k, alpha: alpha, a: a2, lda: lda2, b: b, ldb: ldb,
                             beta: beta, c: c.baseAddress! + m1 * ldc, ldc: ldc)
            }
            let same = zip(stacked, separate).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
            #expect(same, "\(Scalar.self) m1=\(m1) m2=\(m2) n=\(n) k=\(k) transA=\(transA) transB=\(transB) α=\(alpha) β=\(beta)")
            // The padding between rows of C is left as it was.
            for i in 0..<(m1 + m2) { for j in n..<ldc { #expect(stacked[i * ldc + j] == c0[i * ldc + j]) } }
            // And the products are the products: against the definition's loops, to rounding.
            var reference = c0
            reference.withUnsafeMutableBufferPointer { c in
                GEMM.referenceProduct(transA: transA, transB: transB, m: m1, n: n, k: k, alpha: alpha, a: a1, lda: lda1, b: b, ldb: ldb,
                                      beta: beta, c: c.baseAddress!, ldc: ldc)
                GEMM.referenceProduct(transA: transA, transB: transB, m: m2, n: n, k: k, alpha: alpha, a: a2, lda: lda2, b: b, ldb: ldb,
                                      beta: beta, c: c.baseAddress! + m1 * ldc, ldc: ldc)
            }
            let scale = Scalar(Double(k).squareRoot() * 8) * Scalar.ulpOfOne * Swift.max(1, abs(alpha) + abs(beta))
            let worst = zip(stacked, reference).map { abs($0 - $1) }.max() ?? 0
            #expect(worst <= scale * 10, "\(Scalar.self) m1=\(m1) m2=\(m2): \(worst) from the definition")
        }
    }

    /// On every path this CPU runs (scalar, AVX2, AVX-512), in both precisions: the stacked product
    /// is the scalar path's two separate products to the bit, for blocks of rows on either side of
    /// the boundary between A1 and A2 and sums split into blocks (256 rows of p in double, 768 in float).
    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func everyPathStacksToTheScalarChain(transA: Bool, transB: Bool) {
        var g = RandomGenerator(seed: 43)
        let paths = 0...Int(rnnlab_gemm_vector_path())
        for (m1, m2, n, k) in [(1, 6, 24, 30), (5, 11, 33, 7), (7, 9, 64, 300), (13, 3, 17, 600), (16, 0, 40, 9), (0, 2, 40, 9), (6, 5, 40, 1600)] {
            let pad = 2
            let (lda1, lda2) = transA ? (m1 + pad, m2 + pad) : (k + pad, k + pad)
            let ldb = transB ? k + pad : n + pad, ldc = n + pad
            let a1 = (0..<Swift.max((transA ? k : m1) * lda1, 1)).map { _ in g.normal() }
            let a2 = (0..<Swift.max((transA ? k : m2) * lda2, 1)).map { _ in g.normal() }
            let b = (0..<Swift.max((transB ? n : k) * ldb, 1)).map { _ in g.normal() }
            let c0 = (0..<Swift.max((m1 + m2) * ldc, 1)).map { _ in g.normal() }
            let (ta, tb): (Int32, Int32) = (transA ? 1 : 0, transB ? 1 : 0)
            // The reference: the scalar path, one product at a time.
            var expected = c0
            _ = rnnlab_gemm_on(0, ta, tb, m1, n, k, 0.5, a1, lda1, b, ldb, 0.25, &expected, ldc)
            expected.withUnsafeMutableBufferPointer { c in
                _ = rnnlab_gemm_on(0, ta, tb, m2, n, k, 0.5, a2, lda2, b, ldb, 0.25, c.baseAddress! + m1 * ldc, ldc)
            }
            let (f1, f2, fb, fc0) = (a1.map(Float.init), a2.map(Float.init), b.map(Float.init), c0.map(Float.init))
            var expected32 = fc0
            _ = rnnlab_gemm_on_f32(0, ta, tb, m1, n, k, 0.5, f1, lda1, fb, ldb, 0.25, &expected32, ldc)
            expected32.withUnsafeMutableBufferPointer { c in
                _ = rnnlab_gemm_on_f32(0, ta, tb, m2, n, k, 0.5, f2, lda2, fb, ldb, 0.25, c.baseAddress! + m1 * ldc, ldc)
            }
            for path in paths {
                var c = c0
                #expect(rnnlab_gemm_stacked_on(Int32(path), ta, tb, m1, m2, n, k, 0.5, a1, lda1, a2, lda2, b, ldb, 0.25, &c, ldc) == 1)
                #expect(zip(c, expected).allSatisfy { $0.bitPattern == $1.bitPattern }, "double path \(path) m1=\(m1) m2=\(m2) n=\(n) k=\(k)")
                var c32 = fc0
                #expect(rnnlab_gemm_stacked_on_f32(Int32(path), ta, tb, m1, m2, n, k, 0.5, f1, lda1, f2, lda2, fb, ldb, 0.25, &c32, ldc) == 1)
                #expect(zip(c32, expected32).allSatisfy { $0.bitPattern == $1.bitPattern }, "float path \(path) m1=\(m1) m2=\(m2) n=\(n) k=\(k)")
            }
        }
        // A path this CPU lacks is refused, C untouched.
        if rnnlab_gemm_vector_path() < 2 {
            var c = [1.0]
            #expect(rnnlab_gemm_stacked_on(2, 0, 0, 1, 0, 1, 1, 1, [1.0], 1, [1.0], 1, [1.0], 1, 0, &c, 1) == 0 && c == [1.0])
        }
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func stackedProductsHaveTheBitsOfSeparateOnes(transA: Bool, transB: Bool) {
        for (alpha, beta) in [(1.0, 0.0), (0.5, 1.0), (-2.0, 0.25)] {
            check(Double.self, transA: transA, transB: transB, alpha: alpha, beta: beta)
            check(Float.self, transA: transA, transB: transB, alpha: Float(alpha), beta: Float(beta))
        }
    }
}
