import Foundation

/// Turning one long series into supervised examples for a forecaster, the way it is done in
/// practice: a chronological train/validation split (never shuffled — the future must not leak into
/// training), normalisation fitted on the training part only, and sliding windows.
public enum SeriesPreparation {
    /// Every window of `size` consecutive values and the `horizon` values that follow it.
    ///
    /// Window i is `series[i ..< i+size]`, its target `series[i+size ..< i+size+horizon]`, for
    /// i = 0 … count − size − horizon. `x` is time-major (size, N, 1) as the recurrent layers take it,
    /// `y` is (N, horizon).
    public static func windows(_ series: [Double], size: Int, horizon: Int = 1) throws -> (x: Tensor, y: Tensor) {
        guard size >= 1 else { throw DataError("windows: size must be at least 1, got \(size)") }
        guard horizon >= 1 else { throw DataError("windows: horizon must be at least 1, got \(horizon)") }
        let n = series.count - size - horizon + 1
        guard n >= 1 else {
            throw DataError("windows: a series of \(series.count) values is too short for windows of \(size) plus a horizon of \(horizon) (needs at least \(size + horizon))")
        }
        guard n.multipliedReportingOverflow(by: size).partialValue <= 100_000_000 else {
            throw DataError("windows: \(n) windows of \(size) would be too many elements")
        }
        var x = [Double](repeating: 0, count: size * n)
        var y = [Double](repeating: 0, count: n * horizon)
        for i in 0..<n {
            for t in 0..<size { x[t * n + i] = series[i + t] }
            for h in 0..<horizon { y[i * horizon + h] = series[i + size + h] }
        }
        return (try Tensor(shape: [size, n, 1], storage: x), try Tensor(shape: [n, horizon], storage: y))
    }

    /// The first `fraction` of the values (rounded down) and the rest, in order.
    public static func split(_ count: Int, fraction: Double) throws -> Int {
        guard fraction > 0, fraction < 1 else { throw DataError("split_series: fraction must be between 0 and 1 (exclusive), got \(fraction)") }
        let cut = Int((Double(count) * fraction).rounded(.down))
        guard cut >= 1, cut < count else {
            throw DataError("split_series: \(count) values split at \(fraction) would leave one part empty")
        }
        return cut
    }

    /// Mean and population standard deviation (divide by n, NumPy's default ddof=0) of `values`.
    public static func meanAndStd(_ values: [Double]) throws -> (mean: Double, std: Double) {
        guard !values.isEmpty else { throw DataError("fit_normalizer: no values to fit") }
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
        let std = variance.squareRoot()
        guard mean.isFinite, std.isFinite else { throw DataError("fit_normalizer: the values contain NaN or infinity") }
        guard std > 0 else { throw DataError("fit_normalizer: every value is \(mean), so the standard deviation is 0 and nothing can be scaled") }
        return (mean, std)
    }
}
