import Foundation

/// An interval of finite values mapped onto pixels or colours, with arithmetic that stays finite
/// for every finite input.
///
/// The obvious `(v - lo) / (hi - lo)` overflows to ∞ when data spans ±1e308 (and ∞/∞ is NaN, which
/// would end up in a coordinate); a tick loop `v += step` never ends when `step` is below the
/// spacing of doubles at `v`. So every renderer goes through these few functions: `fraction`
/// halves its operands when the span overflows and always answers in 0…1, and `multiples` computes
/// ticks as `k · step` from a bounded count. (The terminal has the same rules in its own
/// `ValueRange`; this target depends only on Figures, so it keeps its own copy of the idea.)
public struct DataRange: Equatable, Sendable {
    public let lo: Double
    public let hi: Double

    /// `lo…hi` when both are finite and in order; nil otherwise.
    public init?(lo: Double, hi: Double) {
        guard lo.isFinite, hi.isFinite, lo <= hi else { return nil }
        self.lo = lo
        self.hi = hi
    }

    /// The finite minimum and maximum of `values`; nil when none is finite.
    public init?(finiteValuesOf values: some Sequence<Double>) {
        var lo = Double.infinity, hi = -Double.infinity
        for v in values where v.isFinite {
            lo = Swift.min(lo, v)
            hi = Swift.max(hi, v)
        }
        self.init(lo: lo, hi: hi)
    }

    /// A range with room around `mid` (±half its magnitude, ±1 around 0 or a subnormal).
    static func around(_ mid: Double) -> DataRange {
        guard mid.isFinite else { return DataRange(lo: -1, hi: 1)! }
        let delta = Swift.abs(mid) / 2
        let lo = Swift.max(-Double.greatestFiniteMagnitude, mid - delta)
        let hi = Swift.min(Double.greatestFiniteMagnitude, mid + delta)
        if hi > lo, delta >= Double.leastNormalMagnitude { return DataRange(lo: lo, hi: hi)! }
        return DataRange(lo: mid - 1, hi: mid + 1)!
    }

    /// `hi - lo`, or nil when that overflows.
    var span: Double? {
        let s = hi - lo
        return s.isFinite ? s : nil
    }

    var midpoint: Double { lo / 2 + hi / 2 }

    /// Where `v` lies: 0 at `lo`, 1 at `hi`, clamped to 0…1; 0.5 for an empty range or NaN.
    public func fraction(_ v: Double) -> Double {
        guard hi > lo, !v.isNaN else { return 0.5 }
        let t: Double
        if let span { t = (v - lo) / span } else { t = (v / 2 - lo / 2) / (hi / 2 - lo / 2) }
        guard !t.isNaN else { return 0.5 }
        return Swift.min(1, Swift.max(0, t))
    }

    /// The value at fraction `t` (0 → lo, 1 → hi).
    func value(at t: Double) -> Double {
        if let span { return lo + t * span }
        return lo * (1 - t) + hi * t
    }

    /// The multiples of `step` inside the range, as `k · step`; empty when `step` is not a
    /// positive finite number, when there would be more than `limit`, or when consecutive
    /// multiples would be the same double.
    func multiples(of step: Double, limit: Int = 1000) -> [Double] {
        guard step.isFinite, step > 0 else { return [] }
        let first = (lo / step - 1e-9).rounded(.up)
        let last = (hi / step + 1e-9).rounded(.down)
        guard first.isFinite, last.isFinite, last >= first, last - first < Double(limit),
              Swift.abs(first) < 9e15, Swift.abs(last) < 9e15 else { return [] }
        let values = (Int(first)...Int(last)).map { Double($0) * step }.filter(\.isFinite)
        guard zip(values, values.dropFirst()).allSatisfy({ $0 < $1 }) else { return [] }
        return values
    }
}

/// Axis ticks at "nice" values: multiples of 1, 2 or 5 × 10ᵏ, as a reader would mark an axis by
/// hand, about `target` of them over the range.
public enum Ticks {
    /// The step among 1, 2, 5 × 10ᵏ nearest (by ratio) to `raw`; at least 1 for `integral` axes
    /// (steps, epochs, indices), where a tick at 2.5 would name no step.
    public static func niceStep(_ raw: Double, integral: Bool = false) -> Double {
        guard raw.isFinite, raw > 0 else { return 1 }
        if integral && raw < 1 { return 1 }
        let magnitude = pow(10, floor(log10(raw)))
        let candidates = [1.0, 2, 5, 10].map { $0 * magnitude }.filter(\.isFinite)
        return candidates.min { Swift.abs(log($0 / raw)) < Swift.abs(log($1 / raw)) } ?? raw
    }

    /// Tick values over `range`: the multiples of a nice step for about `target` intervals. When
    /// the range is too narrow for two nice values (a flat or rounding-noise range), its two ends.
    public static func values(_ range: DataRange, target: Int = 5, integral: Bool = false) -> (values: [Double], step: Double) {
        let parts = Double(max(1, target))
        let raw = range.span.map { $0 / parts } ?? (range.hi / 2 - range.lo / 2) / parts * 2
        let step = niceStep(Swift.min(raw, .greatestFiniteMagnitude), integral: integral)
        let values = range.multiples(of: step)
        if values.count >= 2 { return (values, step) }
        return (range.hi > range.lo ? [range.lo, range.hi] : [range.lo], step)
    }

    /// The labels of `values` (ticks spaced `step` apart), all with the same number of decimals —
    /// as many as the step needs and no more (`0 0.2 0.4`, `0 50 100`) — or in scientific notation
    /// for very large or very small magnitudes (`1e-05`, `2.5e+08`).
    public static func labels(_ values: [Double], step: Double) -> [String] {
        let largest = values.map(Swift.abs).max() ?? 0
        let nonZeroStep = step > 0 && step.isFinite ? step : Swift.max(largest, 1)
        if largest >= 1e6 || nonZeroStep < 1e-4 {
            let digits = Swift.max(0, Swift.min(6, Int(floor(log10(largest > 0 ? largest : 1)) - floor(log10(nonZeroStep)))))
            return values.map { v in v == 0 ? "0" : scientific(v, digits: digits) }
        }
        let decimals = Swift.max(0, Swift.min(10, -Int(floor(log10(nonZeroStep) + 1e-9))))
        return values.map { fixed($0, decimals: decimals) }
    }

    /// `v` with exactly `decimals` decimals, `-0` written as `0`.
    static func fixed(_ v: Double, decimals: Int) -> String {
        let s = String(format: "%.*f", decimals, v)
        return Double(s) == 0 ? String(format: "%.*f", decimals, 0.0) : s
    }

    /// `v` in scientific notation with `digits` mantissa decimals, trailing zeros dropped.
    static func scientific(_ v: Double, digits: Int) -> String {
        let s = String(format: "%.*e", digits, v)
        guard let e = s.firstIndex(of: "e") else { return s }
        var mantissa = String(s[..<e])
        if mantissa.contains(".") {
            while mantissa.hasSuffix("0") { mantissa.removeLast() }
            if mantissa.hasSuffix(".") { mantissa.removeLast() }
        }
        return mantissa + s[e...]
    }
}

/// Short numbers for values written on a picture (bar values, a sparkline's range, the ends of a
/// colour scale): up to four significant digits, no trailing zeros, scientific only for very large
/// or very small magnitudes — the terminal's `compactNumber`, so both renderers print the same
/// digits. `nan`, `inf` and `-inf` are written as words: they are text, never coordinates.
public func compactNumber(_ x: Double, significant: Int = 4) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x < 0 ? "-inf" : "inf" }
    if x == 0 { return "0" }
    let magnitude = Swift.abs(x)
    if magnitude >= 1e6 || magnitude < 1e-3 {
        return Ticks.scientific(x, digits: significant - 1)
    }
    let intDigits = Int(floor(log10(magnitude))) + 1
    var s = String(format: "%.*f", Swift.max(0, significant - intDigits), x)
    if s.contains(".") {
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
    }
    if s == "-0" { s = "0" }
    return s
}
