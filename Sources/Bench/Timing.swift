import Engine
import Foundation

/// How long and how often each measurement runs.
///
/// The defaults follow the PyTorch/NumPy baselines in `shared/bench/BASELINE.md` (one untimed
/// warm-up call, then at least 0.3 s and at least 5 timed calls), so the figures compare like for like.
struct BenchConfig {
    var minSeconds = 0.3
    var minRuns = 5
    /// Iterations of the "heap before/after" checks.
    var memoryIterations = 1000
    /// Run PyTorch's float32 benchmark now when its venv exists (else quote BASELINE.md); `--quoted` turns it off.
    var measureTorch = true
    /// `--only`: the recurrent rows ("config/model") to measure; nil for all of them.
    var only: Set<String>?

    func includes(_ row: String) -> Bool { only?.contains(row) ?? true }

    /// `--quick`: enough to see that everything runs and roughly how fast, not for reporting.
    static let quick = BenchConfig(minSeconds: 0.05, minRuns: 3, memoryIterations: 100)
}

/// Timings of repeated calls of one operation, in seconds per call.
///
/// The **median** is the figure to report. The machine is shared (2 vCPUs, other sessions build on
/// it), and interference only ever makes a call slower, so the distribution has a long right tail:
/// the mean follows the tail, the minimum is a lucky outlier that no user sees, and the median is
/// stable between runs and what the baselines report. The spread (min–max and quartiles) shows
/// how much to trust it.
struct Stats {
    let name: String
    /// Every timed call, sorted ascending.
    let samples: [Double]
    /// CPU cores used by *other* processes during the measurement (from /proc/stat minus our own
    /// CPU time): above ~0.1 the figures are probably disturbed.
    let otherLoad: Double
    /// Minor page faults per call (each first touch of a freshly mapped 4 KiB page traps into the kernel).
    let faultsPerRun: Double
    /// Our CPU time over wall time during the timed calls: below ~0.95 the process was waiting for
    /// a core (another process had it), and the wall-clock figures are inflated.
    let cpuFraction: Double

    var runs: Int { samples.count }
    var median: Double { quantile(0.5) }
    var min: Double { samples.first ?? .nan }
    var max: Double { samples.last ?? .nan }
    var q1: Double { quantile(0.25) }
    var q3: Double { quantile(0.75) }

    /// Linear interpolation between closest ranks (NumPy's default `quantile`).
    func quantile(_ q: Double) -> Double {
        guard !samples.isEmpty else { return .nan }
        let pos = q * Double(samples.count - 1)
        let lo = Int(pos.rounded(.down)), hi = Swift.min(lo + 1, samples.count - 1)
        return samples[lo] + (samples[hi] - samples[lo]) * (pos - Double(lo))
    }

    /// "min–max" in milliseconds, e.g. `40.1–42.3`.
    var rangeMs: String { "\(Format.sig(min * 1e3))–\(Format.sig(max * 1e3))" }
    /// Interquartile range relative to the median, e.g. `±1.2%` (half the IQR over the median).
    var iqrPercent: String { String(format: "±%.1f%%", 50 * (q3 - q1) / median) }
    /// ``cpuFraction`` as a percentage, e.g. `99%`.
    var cpuPercent: String { String(format: "%.0f%%", 100 * cpuFraction) }
}

/// Times `body`: one untimed warm-up call (first-touch page faults, lazy binding, OpenBLAS buffer
/// set-up, cache warm-up), then calls until at least `minSeconds` have passed *and* at least
/// `minRuns` calls were made, each call timed on its own with the monotonic clock (≈20 ns per
/// reading, negligible even for the 10 µs 64³ product).
///
/// Whatever `body` computes must go through ``blackHole(_:)-(Tensor)`` so that the optimizer cannot
/// remove the work.
func measure(
    _ name: String, minSeconds: Double, minRuns: Int, maxRuns: Int = 1_000_000,
    _ body: () throws -> Void
) rethrows -> Stats {
    try body()  // warm-up
    var samples: [Double] = []
    samples.reserveCapacity(Swift.min(maxRuns, 4096))
    let load0 = LoadProbe.now(), faults0 = minorFaults()
    var total = 0.0
    while (total < minSeconds || samples.count < minRuns) && samples.count < maxRuns {
        let t0 = monotonicSeconds()
        try body()
        let dt = monotonicSeconds() - t0
        samples.append(dt)
        total += dt
    }
    let load1 = LoadProbe.now(), faults1 = minorFaults()
    samples.sort()
    return Stats(name: name, samples: samples, otherLoad: LoadProbe.otherCores(from: load0, to: load1),
                 faultsPerRun: Double(faults1 - faults0) / Double(samples.count),
                 cpuFraction: (load1.own - load0.own) / (load1.wall - load0.wall))
}

extension BenchConfig {
    /// ``measure(_:minSeconds:minRuns:maxRuns:_:)`` with this configuration's limits.
    func measure(_ name: String, _ body: () throws -> Void) rethrows -> Stats {
        try Bench.measure(name, minSeconds: minSeconds, minRuns: minRuns, body)
    }
}

/// Seconds on the monotonic clock (vDSO `clock_gettime`, no system call).
@inline(__always) func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Minor page faults of this process so far.
func minorFaults() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_minflt
}

/// CPU time of this process so far (user + system, all threads), in seconds.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
    return s(usage.ru_utime) + s(usage.ru_stime)
}

/// How busy the rest of the machine was: busy CPU time of all processes (the `cpu` line of
/// /proc/stat, in clock ticks) minus our own CPU time, over the wall time. The same check as the
/// baseline scripts, which re-measured anything disturbed by more than ~0.1 core.
struct LoadProbe {
    let wall: Double, busy: Double, own: Double

    static func now() -> LoadProbe {
        LoadProbe(wall: monotonicSeconds(), busy: machineBusySeconds() ?? .nan, own: processCPUSeconds())
    }

    static func otherCores(from a: LoadProbe, to b: LoadProbe) -> Double {
        let wall = b.wall - a.wall
        guard wall > 0 else { return .nan }
        return Swift.max(0, ((b.busy - a.busy) - (b.own - a.own)) / wall)
    }

    /// user + nice + system + irq + softirq + steal from /proc/stat, in seconds.
    private static func machineBusySeconds() -> Double? {
        guard let text = readSmallFile("/proc/stat"), let line = text.split(separator: "\n").first else { return nil }
        let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard fields.count >= 8 else { return nil }
        let busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]
        return busy / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}

/// The contents of a small (< 64 KiB) text file such as those in /proc, read with plain `read(2)`.
func readSmallFile(_ path: String) -> String? {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: 65536)
    let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    guard n > 0 else { return nil }
    return String(decoding: buffer[..<n], as: UTF8.self)
}

// MARK: - Keeping the optimizer honest

/// The sink results are written to. It is a public global of the executable, so whole-module
/// optimization cannot prove it unread and drop the stores (or the work that produced them).
nonisolated(unsafe) public var blackHoleSum = 0.0

/// Consumes a result so that the computation producing it cannot be deleted or hoisted out of the
/// timing loop. `@inline(never)` keeps the call opaque to the caller, and storing into a public
/// global gives it an effect the optimizer must keep. It reads two elements (a few nanoseconds)
/// and does not retain the tensor, so results are freed as in a real training loop.
@inline(never) func blackHole(_ t: Tensor) {
    blackHoleSum += (t.storage.first ?? 0) + (t.storage.last ?? 0)
}

@inline(never) func blackHole(_ x: Double) { blackHoleSum += x }

@inline(never) func blackHole(_ p: UnsafeMutablePointer<Double>) { blackHoleSum += p.pointee }
