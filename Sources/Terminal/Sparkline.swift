/// A series as one line of block characters `▁▂▃▄▅▆▇█` — the shape of a loss curve or of a gate's
/// activity over time, small enough to sit beside other output.
///
/// - The eight levels span the series' own finite min…max: a sparkline shows shape, not scale
///   (the figure renderer prints the range beside it).
/// - Level of v is `round((v − min) / (max − min) · 7)`, so min is `▁`, max is `█` and the midpoint
///   rounds to `▅`.
/// - A constant series is drawn at the middle level `▄`: flat, without suggesting "low" or "high".
///   So is one whose spread is rounding noise — below 10⁻⁹ of its magnitude, as in
///   `ones(10) + arange(10) * 1e-16` — which would otherwise be stretched into a full staircase.
/// - NaN (and ±∞, which have no place on a min…max scale) are drawn as a space — a visible gap,
///   as a diverged loss should be.
/// - Longer than `width`: resampled by averaging the points that fall in each column (finite
///   values only; a column of only NaN stays a gap), so noise is smoothed, not aliased.
public enum Sparkline {
    public static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The block characters alone, at most `width` of them (no limit when nil).
    public static func render(_ values: [Double], width: Int? = nil) -> String {
        let data = width.map { resample(values, to: max(1, $0)) } ?? values
        guard let range = ValueRange(finiteValuesOf: data) else {
            return String(repeating: " ", count: data.count)
        }
        let flat = isFlat(lo: range.lo, hi: range.hi)
        return String(data.map { v -> Character in
            guard v.isFinite else { return " " }
            return flat ? levels[3] : levels[range.index(v, count: levels.count)]
        })
    }

    /// True when lo…hi is too narrow to show: equal, or apart by less than 10⁻⁹ of their
    /// magnitude (differences at the level of floating-point rounding, not in the data).
    public static func isFlat(lo: Double, hi: Double) -> Bool {
        hi - lo <= relativeFlatness * Swift.max(Swift.abs(lo), Swift.abs(hi))
    }

    /// Spreads below this fraction of the values' magnitude count as no spread at all.
    public static let relativeFlatness = 1e-9

    /// `values` averaged into `count` equal bins when longer than `count`; unchanged otherwise.
    /// Bins follow the proportional split `[i·n/count, (i+1)·n/count)`, so every point lands in
    /// exactly one bin.
    public static func resample(_ values: [Double], to count: Int) -> [Double] {
        let n = values.count
        guard n > count, count > 0 else { return values }
        return (0..<count).map { i in
            finiteMean(values[(i * n / count)..<((i + 1) * n / count)])
        }
    }
}
