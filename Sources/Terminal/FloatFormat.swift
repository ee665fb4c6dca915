import Foundation

/// NumPy's float formatter (`numpy.core.arrayprint.FloatingFormat`, default `floatmode='maxprec'`),
/// rebuilt so that rnnlab prints the same digits a learner sees in Python.
///
/// One format is chosen for the whole array from the values shown, so that columns line up:
/// - **Fixed or scientific.** (One deliberate difference: arrays of whole numbers below 1e8 are
///   always fixed — ids and counts must read as integers.) Scientific when the largest magnitude is ≥ 1e8, or (unless
///   `suppressSmall`) when the smallest non-zero magnitude is < 1e-4 or the ratio of largest to
///   smallest non-zero magnitude exceeds 1000 — where fixed notation would lose the small values.
/// - **Fixed:** each value is rounded to `precision` fractional digits and trailing zeros are
///   dropped (`1.`, `2.5`); the integer parts are right-aligned and the fractions padded on the
///   right with spaces to the longest fraction, which is how NumPy gets `[1.  2.5]`.
/// - **Scientific:** every mantissa gets the same number of digits (the longest needed, at most
///   `precision`) and the exponent at least two digits: `1.0000e-05`.
/// - `nan`, `inf`, `-inf` are right-aligned in the same width.
///
/// NumPy's digits come from Dragon4 (shortest round-trip, then cut at `precision`); `%.*f` rounds
/// the exact binary value instead. The two differ only for values whose shortest representation is
/// longer than `precision` digits and sits exactly on a rounding tie, which does not happen for the
/// values of a lesson.
struct FloatFormat {
    var scientific = false
    var precision: Int
    var padLeft = 0
    var padRight = 0
    var exponentDigits = 0

    init(values: [Double], precision: Int, suppressSmall: Bool = false) {
        self.precision = max(0, precision)
        let finite = values.filter { $0.isFinite }
        let nonZero = finite.filter { $0 != 0 }.map(abs)
        // Whole numbers (token ids, counts, years) stay whole: NumPy would print [1357, 8] as
        // [1.357e+03 8.000e+00] because of the ratio rule, which no one can read as ids.
        let whole = !nonZero.isEmpty && nonZero.allSatisfy { $0 == $0.rounded() && $0 < 1e8 }
        if let maxV = nonZero.max(), let minV = nonZero.min(), !whole {
            scientific = maxV >= 1e8 || (!suppressSmall && (minV < 1e-4 || maxV / minV > 1000))
        }
        if finite.isEmpty {
            padLeft = 0
            padRight = 0
        } else if scientific {
            let parts = finite.map { Self.splitScientific(Self.trimmedScientific($0, digits: self.precision)) }
            exponentDigits = max(2, parts.map { $0.exponent.count - 1 }.max() ?? 2)
            self.precision = parts.map { $0.fraction.count }.max() ?? 0
            padLeft = parts.map { $0.integer.count }.max() ?? 1
            padRight = exponentDigits + 2 + self.precision
        } else {
            let parts = finite.map { Self.splitPositional(Self.positional($0, digits: self.precision)) }
            padLeft = parts.map { $0.integer.count }.max() ?? 1
            padRight = parts.map { $0.fraction.count }.max() ?? 0
        }
        if finite.count != values.count {
            let negInf = values.contains { $0 == -.infinity }
            let offset = padRight + 1
            padLeft = max(padLeft, 3 - offset, 3 + (negInf ? 1 : 0) - offset)
        }
    }

    /// One element, padded to the common width.
    func callAsFunction(_ x: Double) -> String {
        let width = padLeft + padRight + 1
        if !x.isFinite {
            let s = x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf")
            return String(repeating: " ", count: max(0, width - s.count)) + s
        }
        if scientific {
            var s = String(format: "%.*e", precision, x)
            if precision == 0, let e = s.firstIndex(of: "e") { s.insert(".", at: e) }
            let p = Self.splitScientific(s)
            let sign = p.exponent.first.map(String.init) ?? "+"
            var digits = String(p.exponent.dropFirst())
            while digits.count > exponentDigits, digits.first == "0" { digits.removeFirst() }
            digits = String(repeating: "0", count: max(0, exponentDigits - digits.count)) + digits
            let mantissa = p.integer + "." + p.fraction
            return Self.padded(mantissa, left: padLeft - p.integer.count) + "e" + sign + digits
        }
        let p = Self.splitPositional(Self.positional(x, digits: precision))
        return Self.padded(p.integer, left: padLeft - p.integer.count) + "." + p.fraction
            + String(repeating: " ", count: max(0, padRight - p.fraction.count))
    }

    /// `x` rounded to `digits` fractional digits, trailing zeros trimmed, the point kept (`1.`).
    static func positional(_ x: Double, digits: Int) -> String {
        var s = String(format: "%.*f", digits, x)
        if !s.contains(".") { s += "." }
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }

    /// `x` in scientific notation with at most `digits` mantissa digits after the point, trailing
    /// zeros trimmed (`1.e-05`, `1.2346e+03`).
    static func trimmedScientific(_ x: Double, digits: Int) -> String {
        let s = String(format: "%.*e", digits, x)
        guard let e = s.firstIndex(of: "e") else { return s }
        var mantissa = String(s[..<e])
        if !mantissa.contains(".") { mantissa += "." }
        while mantissa.hasSuffix("0") { mantissa.removeLast() }
        return mantissa + s[e...]
    }

    static func splitPositional(_ s: String) -> (integer: String, fraction: String) {
        guard let dot = s.firstIndex(of: ".") else { return (s, "") }
        return (String(s[..<dot]), String(s[s.index(after: dot)...]))
    }

    static func splitScientific(_ s: String) -> (integer: String, fraction: String, exponent: String) {
        guard let e = s.firstIndex(of: "e") else { return (s, "", "+00") }
        let (i, f) = splitPositional(String(s[..<e]))
        return (i, f, String(s[s.index(after: e)...]))
    }

    static func padded(_ s: String, left: Int) -> String {
        String(repeating: " ", count: max(0, left)) + s
    }
}

/// Short human numbers for axis ticks, legends and bar values: up to `significant` significant
/// digits, no trailing zeros, scientific only for very large or very small magnitudes.
/// `compactNumber(0.012345) == "0.01235"`, `compactNumber(1234567) == "1.235e+06"`.
func compactNumber(_ x: Double, significant: Int = 4) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x < 0 ? "-inf" : "inf" }
    if x == 0 { return "0" }
    let magnitude = abs(x)
    if magnitude >= 1e6 || magnitude < 1e-3 {
        return FloatFormat.trimmedScientific(x, digits: significant - 1)
            .replacingOccurrences(of: ".e", with: "e")
    }
    let intDigits = Int(floor(log10(magnitude))) + 1  // 0 for 0.1…0.99, −1 for 0.01…, so zeros after the point do not count
    var s = FloatFormat.positional(x, digits: max(0, significant - intDigits))
    if s.hasSuffix(".") { s.removeLast() }
    if s == "-0" { s = "0" }
    return s
}
