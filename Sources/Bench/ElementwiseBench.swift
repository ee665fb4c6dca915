import CSupport
import Engine
import Foundation

/// Elementwise operations on 10⁶ doubles (1000×1000), the other half of a recurrent step's cost
/// besides the matrix products: gates are `σ(…) ⊙ …`, states `tanh(…)`, biases broadcast.
///
/// Two hand-written loops give the floor: `c[i] = a[i] + b[i]` into a buffer allocated once (pure
/// memory bandwidth: 24 bytes per element, 24 MB per call, far beyond the 1 MiB L2), and the same
/// with a freshly allocated zeroed result, which is the least any op returning a new tensor must do.
/// The gap between those and `a + b` is the op's own overhead.
enum ElementwiseBench {
    static let rows = 1000, cols = 1000
    static var count: Int { rows * cols }

    struct Case {
        let name: String
        /// Bytes read and written per element, for GB/s; nil where bandwidth is not the limit.
        let bytesPerElement: Int?
        let body: () throws -> Void
    }

    static func run(_ config: BenchConfig) throws {
        let a = try Tensor.randn([rows, cols], seed: 3), b = try Tensor.randn([rows, cols], seed: 4)
        let row = try Tensor.randn([cols], seed: 5)
        // Separate leaves for the gradient cases, so the forward-only cases record no graph.
        let ga = try Tensor.randn([rows, cols], seed: 3), gb = try Tensor.randn([rows, cols], seed: 4)
        let grow = try Tensor.randn([cols], seed: 5)
        for t in [ga, gb, grow] { t.requiresGrad = true }

        let n = count
        let pa = UnsafeMutablePointer<Double>.allocate(capacity: n), pb = UnsafeMutablePointer<Double>.allocate(capacity: n)
        let pc = UnsafeMutablePointer<Double>.allocate(capacity: n)
        pa.initialize(from: a.storage, count: n); pb.initialize(from: b.storage, count: n); pc.initialize(repeating: 0, count: n)
        defer { pa.deallocate(); pb.deallocate(); pc.deallocate() }

        let cases: [Case] = [
            Case(name: "raw loop c = a + b (preallocated c)", bytesPerElement: 24) {
                for i in 0..<n { pc[i] = pa[i] + pb[i] }
                blackHole(pc)
            },
            Case(name: "raw loop, new zeroed [Double] result", bytesPerElement: 24) {
                var c = [Double](repeating: 0, count: n)
                c.withUnsafeMutableBufferPointer { pc in for i in 0..<n { pc[i] = pa[i] + pb[i] } }
                blackHole(c[n - 1])
            },
            Case(name: "a + b", bytesPerElement: 24) { blackHole(try a + b) },
            Case(name: "a * b", bytesPerElement: 24) { blackHole(try a * b) },
            Case(name: "a * row (1000×1000 by 1000, broadcast)", bytesPerElement: 16) { blackHole(try a * row) },
            Case(name: "raw loop Foundation.tanh (preallocated)", bytesPerElement: nil) {
                for i in 0..<n { pc[i] = Foundation.tanh(pa[i]) }
                blackHole(pc)
            },
            Case(name: "a.tanh()", bytesPerElement: nil) { blackHole(a.tanh()) },
            Case(name: "rnnlab_vtanh (CSupport, vectorised, preallocated)", bytesPerElement: nil) {
                rnnlab_vtanh(pa, pc, n)
                blackHole(pc)
            },
            Case(name: "a.sigmoid() (every LSTM/GRU gate)", bytesPerElement: nil) { blackHole(a.sigmoid()) },
            Case(name: "rnnlab_vsigmoid (CSupport, vectorised, preallocated)", bytesPerElement: nil) {
                rnnlab_vsigmoid(pa, pc, n)
                blackHole(pc)
            },
            Case(name: "(a * b).sum().backward(), requiresGrad", bytesPerElement: nil) {
                ga.zeroGrad(); gb.zeroGrad()
                try (ga * gb).sum().backward()
                blackHole(gb.gradStorage![n - 1])
            },
            Case(name: "(a * row).sum().backward(), requiresGrad", bytesPerElement: nil) {
                ga.zeroGrad(); grow.zeroGrad()
                try (ga * grow).sum().backward()
                blackHole(grow.gradStorage![cols - 1])
            },
        ]

        Swift.print("## Elementwise ops on 10⁶ doubles (1000×1000), one thread\n")
        var table = Table([
            ("op", .left), ("runs", .right), ("median ms", .right), ("min–max ms", .right), ("IQR", .right),
            ("ns/element", .right), ("GB/s", .right), ("faults/call", .right), ("cpu", .right), ("other load", .right),
        ])
        // Last, the gradient case again once glibc keeps freed blocks (as the recurrent layers arrange
        // before their first step, see CSupport/include/allocator.h): with the defaults, freeing the
        // step's four 8 MB buffers trims the heap and every call faults ~7,800 fresh pages back in.
        // (Process-wide: benchmarks after this one run with the tuned allocator.)
        let gradCase = cases.first { $0.name.hasPrefix("(a * b).sum()") }!
        let tuned = Case(name: "(a * b).sum().backward(), after rnnlab_keep_freed_memory()", bytesPerElement: nil, body: gradCase.body)
        for c in cases + [tuned] {
            if c.name == tuned.name { rnnlab_keep_freed_memory() }
            let s = try config.measure(c.name, c.body)
            let gbps = c.bytesPerElement.map { Format.sig(Double($0 * n) / s.median / 1e9) } ?? ""
            table.add([c.name, "\(s.runs)", Format.sig(s.median * 1e3), s.rangeMs, s.iqrPercent,
                       Format.sig(s.median * 1e9 / Double(n)), gbps, Format.sig(s.faultsPerRun, 2), s.cpuPercent, Format.sig(s.otherLoad, 2)])
        }
        table.print()
        Swift.print("GB/s counts the bytes an op must move: 8 per operand element read plus 8 per result element written "
                    + "(the broadcast row stays in cache). faults/call: minor page faults, 8 MB = 1953 pages of 4 KiB.\n")

        try memoryCheck(config, cases.filter { ["a + b", "(a * b).sum().backward(), requiresGrad"].contains($0.name) })
    }

    /// Heap in use before and after `config.memoryIterations` calls: a per-call leak (a graph node,
    /// a gradient buffer, a closure context kept alive) shows as growth of at least its size × calls.
    static func memoryCheck(_ config: BenchConfig, _ cases: [Case]) throws {
        Swift.print("### Heap before/after \(config.memoryIterations) calls (mallinfo2 uordblks + hblkhd; RSS from /proc/self/statm)\n")
        var table = Table([
            ("op", .left), ("calls", .right), ("heap before", .right), ("heap after", .right), ("Δ heap", .right),
            ("Δ heap/call", .right), ("RSS before", .right), ("RSS after", .right), ("Δ RSS", .right),
        ])
        for c in cases {
            let m = try MemoryCheck.run(iterations: config.memoryIterations, c.body)
            table.add([c.name, "\(m.iterations)",
                       m.before.heapInUse.map(Format.bytes) ?? "n/a", m.after.heapInUse.map(Format.bytes) ?? "n/a",
                       m.heapGrowth.map(Format.delta) ?? "n/a", m.heapGrowthPerCall.map { String(format: "%+.1f B", $0) } ?? "n/a",
                       Format.bytes(m.before.residentBytes), Format.bytes(m.after.residentBytes), Format.delta(m.rssGrowth)])
        }
        table.print()
    }
}
