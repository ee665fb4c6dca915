import Testing
import CSupport
@testable import Engine
import TestSupport

// PackedOperand.swift (and CSupport/packed_gemm.c): the packed-weight kernel held to the three-loop
// reference, and each vector path (AVX2, AVX-512 where the CPU has them) held bit for bit to the
// scalar path, on every edge of its tiling — row counts that are not multiples of 8 (blocks of 4, 2
// and 1), widths that are not multiples of 16 (a partial last panel), k = 0 and 1, β = 0 over NaN,
// β = 1 and a general β, strided A and C, and more rows than one pass of the workspace holds.

/// A (m × k, row stride lda), B (k × n, or n × k when transposed), C (m × n, row stride ldc).
private struct PackedProblem {
    var m: Int, n: Int, k: Int
    var transposed = false
    var beta = 0.0
    var padding = 0
    var seed: UInt64 = 1

    var lda: Int { k + padding }
    var ldb: Int { (transposed ? k : n) + padding }
    var ldc: Int { n + padding }

    func inputs() -> (a: [Double], b: [Double], c: [Double]) {
        var g = RandomGenerator(seed: seed)
        let a = (0..<Swift.max(m * lda, 1)).map { _ in g.normal() }
        let b = (0..<Swift.max((transposed ? n : k) * ldb, 1)).map { _ in g.normal() }
        // β = 0 must not read C: NaN there would show.
        let c = (0..<Swift.max(m * ldc, 1)).map { _ in beta == 0 ? Double.nan : g.normal() }
        return (a, b, c)
    }

    /// C after the packed product (on `path`, or the best one here), and after the reference loops;
    /// `ran` is false when this CPU cannot take the path.
    func run(path: Int? = nil) -> (packed: [Double], reference: [Double], ran: Bool) {
        let (a, b, c0) = inputs()
        var c = c0, expected = c0
        var ran = false
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                let operand = PackedOperand(pb.baseAddress!, ldb: ldb, k: k, n: n, transposed: transposed)
                c.withUnsafeMutableBufferPointer { pc in
                    ran = operand.multiply(m: m, a: pa.baseAddress!, lda: lda, beta: beta, c: pc.baseAddress!, ldc: ldc, path: path)
                }
                expected.withUnsafeMutableBufferPointer { pc in
                    GEMM.reference(transA: false, transB: transposed, m: m, n: n, k: k, alpha: 1, a: pa.baseAddress!, lda: lda,
                                   b: pb.baseAddress!, ldb: ldb, beta: beta, c: pc.baseAddress!, ldc: ldc)
                }
            }
        }
        return (c, expected, ran)
    }
}

/// Every element within 1e-12 relative (absolute below magnitude 1); padding columns untouched.
@Suite struct PackedOperandTests {
    /// 0 scalar, 1 AVX2, 2 AVX-512: the paths this CPU runs (the scalar one always).
    static var paths: [Int] { (0...Int(rnnlab_gemm_vector_path())).map { $0 } }

    @Test func everyPathThisCPURunsGivesTheScalarPathsBits() {
        // The rule that makes results the same on every machine: whichever kernel runs, each element
        // is the same chain of fused multiply-adds. Held here for every path this CPU has.
        for (m, n, k, beta) in [(9, 40, 64, 0.0), (16, 512, 128, 1.0), (300, 24, 37, 0.5), (5, 17, 600, -2.0)] {
            let p = PackedProblem(m: m, n: n, k: k, beta: beta, padding: 2, seed: UInt64(m + n + k))
            let scalar = p.run(path: 0)
            #expect(scalar.ran)
            for path in Self.paths.dropFirst() {
                let vector = p.run(path: path)
                #expect(vector.ran)
                #expect(vector.packed.elementsEqual(scalar.packed) { $0 == $1 || ($0.isNaN && $1.isNaN) },
                        "path \(path) m=\(m) n=\(n) k=\(k) β=\(beta)")
            }
        }
        // A path the CPU lacks is refused, not run.
        if rnnlab_gemm_vector_path() < 2 { #expect(!PackedProblem(m: 2, n: 2, k: 2).run(path: 2).ran) }
    }

    @Test(arguments: [false, true])
    func edgesOfTheTilingAgreeWithTheReference(transposed: Bool) {
        var seed: UInt64 = 1
        for m in [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31] {
            for n in [1, 7, 16, 17, 40] {
                for k in [1, 5, 64, 600] {  // m·k ≤ 8192 reads A in place, more packs it
                    let p = PackedProblem(m: m, n: n, k: k, transposed: transposed, seed: seed)
                    seed += 1
                    for path in Self.paths {
                        let r = p.run(path: path)
                        #expect(valuesClose(r.packed, r.reference), "m=\(m) n=\(n) k=\(k) transposed=\(transposed) path \(path)")
                    }
                }
            }
        }
    }

    @Test(arguments: [0.0, 1.0, 0.5, -2.0])
    func betaScalesTheOldC(beta: Double) {
        for (m, n, k) in [(16, 48, 32), (3, 17, 9), (8, 16, 0), (40, 33, 300)] {
            let p = PackedProblem(m: m, n: n, k: k, beta: beta, padding: 3, seed: 7)
            for path in Self.paths {
                let r = p.run(path: path)
                #expect(valuesClose(r.packed, r.reference), "β=\(beta) m=\(m) n=\(n) k=\(k) path \(path)")
                #expect(!r.packed.enumerated().contains { i, v in v.isNaN && i % p.ldc < n }, "β=\(beta): C was read")
            }
        }
    }

    @Test func moreRowsThanOnePassOfTheWorkspace() {
        let p = PackedProblem(m: 1_030, n: 20, k: 9, transposed: true, beta: 1, seed: 3)
        let r = p.run()
        #expect(valuesClose(r.packed, r.reference))
    }

    @Test(arguments: PackedOperandTests.paths)
    func eachElementIsTheSameSumWhereverItsRowFallsInTheTiling(path: Int) {
        // Row i of A·B must not depend on how many rows are multiplied with it (8-, 4-, 2- or 1-row
        // blocks): a sequence's numbers must not change with the batch it is in.
        // 300 rows (m·k > 8192) take the packed-A path, the first few rows alone read A in place.
        let full = PackedProblem(m: 300, n: 24, k: 37, seed: 5)
        let (a, b, _) = full.inputs()
        func product(rows: Int) -> [Double] {
            var c = [Double](repeating: 0, count: rows * 24)
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    let operand = PackedOperand(pb.baseAddress!, ldb: 24, k: 37, n: 24, transposed: false)
                    c.withUnsafeMutableBufferPointer { operand.multiply(m: rows, a: pa.baseAddress!, lda: 37, beta: 0, c: $0.baseAddress!, ldc: 24, path: path) }
                }
            }
            return c
        }
        let all = product(rows: 300)
        for rows in [1, 2, 3, 5, 9, 15] {
            #expect(Array(all.prefix(rows * 24)) == product(rows: rows), "first \(rows) rows")
        }
    }
}

@Suite struct PackedOperandBiasTests {
    /// A·B + bias in every row must be exactly what filling C with the bias and adding A·B gives
    /// (how the input projection was computed before the bias moved into the kernel).
    @Test(arguments: PackedOperandTests.paths)
    func aBiasRowIsTheSameAsFillingCFirst(path: Int) {
        for (m, n, k) in [(16, 48, 32), (3, 17, 9), (9, 40, 0), (1, 5, 3), (70, 20, 200)] {
            var g = RandomGenerator(seed: UInt64(m * 100 + n))
            let a = (0..<Swift.max(m * k, 1)).map { _ in g.normal() }
            let b = (0..<Swift.max(k * n, 1)).map { _ in g.normal() }
            let bias = (0..<n).map { _ in g.normal() }
            var withBias = [Double](repeating: .nan, count: m * n)  // C must not be read
            var filled = (0..<m).flatMap { _ in bias }
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    let operand = PackedOperand(pb.baseAddress!, ldb: n, k: k, n: n, transposed: false)
                    bias.withUnsafeBufferPointer { pbias in
                        withBias.withUnsafeMutableBufferPointer {
                            operand.multiply(m: m, a: pa.baseAddress!, lda: k, beta: 0, bias: pbias.baseAddress!, c: $0.baseAddress!, ldc: n, path: path)
                        }
                    }
                    filled.withUnsafeMutableBufferPointer {
                        operand.multiply(m: m, a: pa.baseAddress!, lda: k, beta: 1, c: $0.baseAddress!, ldc: n, path: path)
                    }
                }
            }
            #expect(withBias == filled, "m=\(m) n=\(n) k=\(k) path \(path)")
        }
    }
}
