import Testing
@testable import Engine

/// Products just above OpenBLAS's 10⁶ multiply-add small-matrix limit are computed in column
/// slices (GEMM.blas); every layout of the operands must still give the textbook product.
@Suite struct GEMMSlicingTests {
    @Test(arguments: [(16, 512, 128), (16, 128, 512), (32, 100, 400), (1, 3000, 500), (64, 130, 160)])
    func slicedProductsEqualTheReference(_ shape: (Int, Int, Int)) throws {
        let (m, n, k) = shape
        for (transA, transB) in [(false, false), (false, true), (true, false), (true, true)] {
            let a = try Tensor.randn([m * k], seed: 1).storage, b = try Tensor.randn([k * n], seed: 2).storage
            let c0 = try Tensor.randn([m * n], seed: 3).storage
            var fast = c0, slow = c0
            let lda = transA ? m : k, ldb = transB ? k : n
            GEMM.blas(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.5, a: a, lda: lda, b: b, ldb: ldb,
                      beta: 2, c: &fast, ldc: n)
            GEMM.reference(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.5, a: a, lda: lda, b: b, ldb: ldb,
                           beta: 2, c: &slow, ldc: n)
            let worst = zip(fast, slow).map { Swift.abs($0 - $1) / Swift.max(1, Swift.abs($1)) }.max() ?? 0
            #expect(worst < 1e-12, "m \(m) n \(n) k \(k) transA \(transA) transB \(transB): relative difference \(worst)")
        }
    }
}
