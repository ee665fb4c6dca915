import Foundation

/// `:time EXPR`, in the manner of IPython's %timeit: one call to warm up and size the batch, then
/// batches of runs until about `budget` seconds have passed; reports the median time per run and
/// the spread (interquartile range and min–max) over the batches.
struct TimingReport: Equatable {
    var runsPerBatch: Int
    var batches: Int
    /// Seconds per run, one entry per batch, sorted.
    var perRun: [Double]

    var median: Double {
        let n = perRun.count
        guard n > 0 else { return 0 }
        return n % 2 == 1 ? perRun[n / 2] : (perRun[n / 2 - 1] + perRun[n / 2]) / 2
    }

    /// Interquartile range, by linear interpolation.
    var interquartileRange: Double { quantile(0.75) - quantile(0.25) }

    func quantile(_ q: Double) -> Double {
        guard !perRun.isEmpty else { return 0 }
        let position = q * Double(perRun.count - 1)
        let low = Int(position.rounded(.down)), high = Int(position.rounded(.up))
        return perRun[low] + (perRun[high] - perRun[low]) * (position - Double(low))
    }

    /// `1.10 ms ± 389 µs per run (median ± half the IQR of 7 batches of 293 runs; fastest 127 µs)`.
    var summary: String {
        let runs = "\(runsPerBatch) run\(runsPerBatch == 1 ? "" : "s")"
        guard perRun.count > 1 else {
            return "\(TimingReport.format(median)) per run (one batch of \(runs))"
        }
        return "\(TimingReport.format(median)) ± \(TimingReport.format(interquartileRange / 2)) per run "
            + "(median ± half the IQR of \(batches) batches of \(runs); fastest \(TimingReport.format(perRun.first!)))"
    }

    /// 3 significant figures in s, ms, µs or ns.
    static func format(_ seconds: Double) -> String {
        let (value, unit): (Double, String)
        switch seconds {
        case 1...: (value, unit) = (seconds, "s")
        case 1e-3...: (value, unit) = (seconds * 1e3, "ms")
        case 1e-6...: (value, unit) = (seconds * 1e6, "µs")
        default: (value, unit) = (seconds * 1e9, "ns")
        }
        let digits = value >= 100 ? 0 : value >= 10 ? 1 : 2
        return String(format: "%.\(digits)f \(unit)", value)
    }

    /// Times `body` (which returns false to stop early, e.g. on an error or Ctrl-C).
    static func measure(budget: Double = 1.0, maxBatches: Int = 7, clock: () -> Double = monotonicSeconds,
                        _ body: () -> Bool) -> TimingReport? {
        let start = clock()
        guard body() else { return nil }
        let first = max(clock() - start, 1e-9)
        // Size batches so that all of them fit the budget, at least one run each.
        let perBatch = budget / Double(maxBatches)
        let runs = max(1, min(1_000_000, Int(perBatch / first)))
        let batches = first * Double(runs) * Double(maxBatches) > budget * 3 ? max(1, Int(budget * 3 / first)) : maxBatches
        var times: [Double] = []
        for _ in 0..<min(batches, maxBatches) {
            let t0 = clock()
            for _ in 0..<runs { guard body() else { return nil } }
            times.append((clock() - t0) / Double(runs))
        }
        if times.isEmpty { times = [first] }
        return TimingReport(runsPerBatch: runs, batches: times.count, perRun: times.sorted())
    }
}

func monotonicSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
}
