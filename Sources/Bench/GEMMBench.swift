import Engine

/// Double-precision matrix multiply, C = A·B with A m×k and B k×n (2·m·k·n flops), through the
/// three ways the engine can do it:
///
/// * `GEMM.blas`: OpenBLAS's `cblas_dgemm` into a preallocated C, the ceiling for everything else;
/// * `Tensor.matmul`: the engine operation a layer calls; it also allocates (and zeroes) the
///   result array and wraps it in a tensor, so the gap to `GEMM.blas` is the op's own overhead;
/// * `GEMM.reference`: the textbook triple loop the tests compare BLAS with (256³ only: it is slow).
///
/// Beside them, NumPy's and PyTorch's single-thread float64 figures from `shared/bench/BASELINE.md`
/// (numpy uses OpenBLAS 0.3.31 with its AVX-512 `SkylakeX` kernels, torch uses MKL).
enum GEMMBench {
    struct Case {
        let label: String
        let m: Int, k: Int, n: Int
        /// GFLOP/s on one thread, float64, from BASELINE.md §1.
        let numpy: Double, torch: Double
        var flops: Double { 2 * Double(m) * Double(k) * Double(n) }
    }

    static let cases = [
        Case(label: "64³", m: 64, k: 64, n: 64, numpy: 50.9, torch: 31.1),
        Case(label: "256³", m: 256, k: 256, n: 256, numpy: 52.1, torch: 47.7),
        Case(label: "1024³", m: 1024, k: 1024, n: 1024, numpy: 52.9, torch: 47.9),
        Case(label: "32×512×2048 (LSTM step)", m: 32, k: 512, n: 2048, numpy: 45.0, torch: 38.9),
    ]

    /// The issue's target: `Tensor.matmul` at 1024³ within 10% of ~50 GFLOP/s (NumPy's 52.9).
    static let target = 0.9 * 50.0

    static func run(_ config: BenchConfig) throws {
        Swift.print("## dgemm, 1 OpenBLAS thread (GFLOP/s = 2·m·k·n / median time)\n")
        var table = Table([
            ("m×k×n", .left), ("path", .left), ("runs", .right), ("median ms", .right), ("min–max ms", .right),
            ("IQR", .right), ("GFLOP/s", .right), ("numpy f64 1t", .right), ("torch f64 1t", .right),
            ("÷ numpy", .right), ("faults/call", .right), ("cpu", .right), ("other load", .right),
        ])
        var notes: [String] = []
        for c in cases {
            let a = try Tensor.randn([c.m, c.k], seed: 1), b = try Tensor.randn([c.k, c.n], seed: 2)
            var rows: [(String, Stats)] = []

            // Raw BLAS into a buffer allocated once: no allocation inside the timed call.
            let pa = copyToBuffer(a.storage), pb = copyToBuffer(b.storage)
            let pc = UnsafeMutablePointer<Double>.allocate(capacity: c.m * c.n)
            pc.initialize(repeating: 0, count: c.m * c.n)
            defer { pa.deallocate(); pb.deallocate(); pc.deallocate() }
            rows.append(("GEMM.blas", config.measure("blas \(c.label)") {
                GEMM.blas(transA: false, transB: false, m: c.m, n: c.n, k: c.k, alpha: 1,
                          a: pa, lda: c.k, b: pb, ldb: c.n, beta: 0, c: pc, ldc: c.n)
                blackHole(pc)
            }))

            // The engine op, result allocated per call as in a forward pass.
            rows.append(("Tensor.matmul", try config.measure("matmul \(c.label)") {
                blackHole(try a.matmul(b))
            }))

            // Same numbers both ways? (BLAS is deterministic for a given shape and thread count.)
            let viaOp = try a.matmul(b)
            var maxDiff = 0.0
            for i in 0..<(c.m * c.n) { maxDiff = Swift.max(maxDiff, Swift.abs(viaOp.storage[i] - pc[i])) }
            if maxDiff != 0 { notes.append("\(c.label): Tensor.matmul and GEMM.blas differ by up to \(maxDiff)") }

            if c.m == 256 && c.k == 256 && c.n == 256 {
                // Few runs: ~30 ms each at ~1 GFLOP/s.
                rows.append(("GEMM.reference", config.measure("reference \(c.label)") {
                    GEMM.reference(transA: false, transB: false, m: c.m, n: c.n, k: c.k, alpha: 1,
                                   a: pa, lda: c.k, b: pb, ldb: c.n, beta: 0, c: pc, ldc: c.n)
                    blackHole(pc)
                }))
            }

            for (path, s) in rows {
                let gflops = c.flops / s.median / 1e9
                table.add([c.label, path, "\(s.runs)", Format.sig(s.median * 1e3), s.rangeMs, s.iqrPercent,
                           Format.sig(gflops), Format.sig(c.numpy), Format.sig(c.torch),
                           Format.sig(gflops / c.numpy, 2), Format.sig(s.faultsPerRun, 2), s.cpuPercent, Format.sig(s.otherLoad, 2)])
            }
            let blas = rows[0].1.median, op = rows[1].1.median
            notes.append("\(c.label): Tensor.matmul − GEMM.blas = \(signed(100 * (op / blas - 1)))%"
                         + " (\(signed((op - blas) * 1e6)) µs per call)")
            if c.m == 1024 {
                let g = c.flops / op / 1e9
                notes.append("target (issue): Tensor.matmul at 1024³ ≥ \(Format.sig(target)) GFLOP/s (within 10% of ~50): "
                             + "\(Format.sig(g)) GFLOP/s → \(g >= target ? "met" : "NOT met")")
            }
        }
        table.print()
        for n in notes { Swift.print("- " + n) }
        Swift.print()
    }

    private static func signed(_ x: Double) -> String { (x >= 0 ? "+" : "") + Format.sig(x, 2) }

    private static func copyToBuffer(_ values: [Double]) -> UnsafeMutablePointer<Double> {
        let p = UnsafeMutablePointer<Double>.allocate(capacity: values.count)
        _ = UnsafeMutableBufferPointer(start: p, count: values.count).initialize(from: values)
        return p
    }
}
