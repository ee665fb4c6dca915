/// The interval of finite values a renderer maps onto rows, columns, bar lengths or colour levels,
/// with arithmetic that stays finite for every finite input.
///
/// Why a type of its own: the obvious `(v - lo) / (hi - lo)` overflows to ∞ when the data spans
/// ±1e308 (then ∞/∞ is NaN, and `Int(NaN)` traps), and a tick loop `v += step` never ends when
/// `step` is below the spacing of doubles at `v` (1e308 + 1 == 1e308). Every renderer goes through
/// these few functions instead, so huge, subnormal and degenerate ranges are handled in one place:
/// - `fraction` falls back to halved operands when the span overflows, and always answers in 0…1;
/// - `multiples` computes tick values as `k · step` from a bounded count, never by accumulation;
/// - `around` widens a single value into a finite range with room on both sides.
struct ValueRange: Equatable {
    /// Finite, `lo <= hi`.
    let lo: Double
    let hi: Double

    /// `lo…hi` when both are finite and in order; nil otherwise.
    init?(lo: Double, hi: Double) {
        guard lo.isFinite, hi.isFinite, lo <= hi else { return nil }
        self.lo = lo
        self.hi = hi
    }

    /// The finite minimum and maximum of `values`; nil when none is finite.
    init?(finiteValuesOf values: some Sequence<Double>) {
        var lo = Double.infinity, hi = -Double.infinity
        for v in values where v.isFinite {
            lo = Swift.min(lo, v)
            hi = Swift.max(hi, v)
        }
        self.init(lo: lo, hi: hi)
    }

    /// A range with room around `mid`: ±half its magnitude (±1 around 0 or when that is too small
    /// to separate the ends, as for a subnormal), clamped to the finite doubles.
    static func around(_ mid: Double) -> ValueRange {
        guard mid.isFinite else { return ValueRange(lo: -1, hi: 1)! }
        let delta = Swift.abs(mid) / 2
        let lo = Swift.max(-Double.greatestFiniteMagnitude, mid - delta)
        let hi = Swift.min(Double.greatestFiniteMagnitude, mid + delta)
        if hi > lo, delta >= Double.leastNormalMagnitude { return ValueRange(lo: lo, hi: hi)! }
        return ValueRange(lo: mid - 1, hi: mid + 1)!
    }

    /// `hi - lo`, or nil when that overflows.
    var span: Double? {
        let s = hi - lo
        return s.isFinite ? s : nil
    }

    /// The middle of the range, without overflow.
    var midpoint: Double { lo / 2 + hi / 2 }

    /// Where `v` lies: 0 at `lo`, 1 at `hi`, clamped to 0…1; 0.5 for an empty range or NaN.
    func fraction(_ v: Double) -> Double {
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

    /// One `n`-th of the range (the raw tick spacing for `n` intervals), finite and ≥ 0.
    func step(dividedInto n: Int) -> Double {
        let parts = Double(Swift.max(1, n))
        let raw = span.map { $0 / parts } ?? (hi / 2 - lo / 2) / parts * 2
        return Swift.min(raw, Double.greatestFiniteMagnitude)
    }

    /// The multiples of `step` inside the range (a hair beyond `hi` counts, as accumulated
    /// rounding would put it there), computed as `k · step`. Empty when `step` is not a positive
    /// finite number, when there would be more than `limit` of them, or when `step` is below the
    /// spacing of doubles here and consecutive multiples would be the same number.
    func multiples(of step: Double, limit: Int = 1000) -> [Double] {
        guard step.isFinite, step > 0 else { return [] }
        let first = (lo / step).rounded(.up)
        let last = (hi / step + 1e-9).rounded(.down)
        guard first.isFinite, last.isFinite, last >= first, last - first < Double(limit),
              Swift.abs(first) < 9e15, Swift.abs(last) < 9e15 else { return [] }
        return (Int(first)...Int(last)).map { Double($0) * step }.filter(\.isFinite)
    }

    /// `count` steps of 0…count-1 for `v`: the row, column or level it falls on.
    func index(_ v: Double, count: Int) -> Int {
        guard count > 1 else { return 0 }
        return Swift.min(count - 1, Swift.max(0, Int((fraction(v) * Double(count - 1)).rounded())))
    }
}

/// The mean of the finite values in `values`, NaN when there are none. Sums in order (exact for
/// the usual case), and divides before adding when the sum would overflow (two values of 1e308).
func finiteMean(_ values: some Collection<Double>) -> Double {
    let finite = values.filter(\.isFinite)
    guard !finite.isEmpty else { return .nan }
    let n = Double(finite.count)
    let sum = finite.reduce(0, +)
    if sum.isFinite { return sum / n }
    return finite.reduce(0) { $0 + $1 / n }
}
