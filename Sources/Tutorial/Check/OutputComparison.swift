import Foundation

/// Compares a cell's output with the recorded one, token by token: numbers numerically (within
/// a relative tolerance), everything else exactly except for spacing (NumPy-style alignment moves
/// when a digit count changes). Trailing whitespace and trailing blank lines are ignored.
public enum OutputComparison {
    public static let defaultRelativeTolerance = 1e-6

    enum Token: Equatable {
        case number(Double, String)
        case text(String)
    }

    /// Lines without trailing whitespace, without trailing blank lines.
    public static func normalisedLines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            String(line.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
        }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        return lines
    }

    static let numberPattern = try! NSRegularExpression(pattern: #"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?\b(?:nan|inf)\b"#)

    static func tokens(_ line: String) -> [Token] {
        var out: [Token] = []
        let ns = line as NSString
        var last = 0
        for m in numberPattern.matches(in: line, range: NSRange(location: 0, length: ns.length)) {
            if m.range.location > last {
                let text = ns.substring(with: NSRange(location: last, length: m.range.location - last)).filter { !$0.isWhitespace }
                if !text.isEmpty { out.append(.text(text)) }
            }
            let s = ns.substring(with: m.range)
            let value: Double = s.hasSuffix("nan") ? .nan : s.hasSuffix("inf") ? (s.hasPrefix("-") ? -.infinity : .infinity) : Double(s) ?? .nan
            out.append(.number(value, s))
            last = m.range.location + m.range.length
        }
        if last < ns.length {
            let text = ns.substring(from: last).filter { !$0.isWhitespace }
            if !text.isEmpty { out.append(.text(text)) }
        }
        return out
    }

    static func numbersMatch(_ a: Double, _ b: Double, rtol: Double) -> Bool {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        if a == b { return true }
        return Swift.abs(a - b) <= rtol * Swift.max(Swift.abs(a), Swift.abs(b))
    }

    static func linesMatch(_ a: String, _ b: String, rtol: Double) -> Bool {
        let ta = tokens(a), tb = tokens(b)
        guard ta.count == tb.count else { return false }
        for (x, y) in zip(ta, tb) {
            switch (x, y) {
            case let (.number(p, _), .number(q, _)): if !numbersMatch(p, q, rtol: rtol) { return false }
            case let (.text(p), .text(q)): if p != q { return false }
            default: return false
            }
        }
        return true
    }

    /// nil when `actual` matches `expected`; otherwise a readable diff (`-` recorded, `+` now).
    public static func diff(expected: String, actual: String, rtol: Double = defaultRelativeTolerance) -> String? {
        let e = normalisedLines(expected), a = normalisedLines(actual)
        if e.count == a.count && zip(e, a).allSatisfy({ linesMatch($1, $0, rtol: rtol) }) { return nil }
        return lineDiff(e, a, rtol: rtol)
    }

    /// A line diff by longest common subsequence (lines equal under the token comparison), with
    /// two lines of context around each change.
    static func lineDiff(_ e: [String], _ a: [String], rtol: Double) -> String {
        let n = e.count, m = a.count
        var lcs = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i][j] = linesMatch(e[i], a[j], rtol: rtol) ? lcs[i + 1][j + 1] + 1 : Swift.max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var ops: [(Character, String)] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, linesMatch(e[i], a[j], rtol: rtol) { ops.append((" ", a[j])); i += 1; j += 1 }
            else if i < n, j == m || lcs[i + 1][j] >= lcs[i][j + 1] { ops.append(("-", e[i])); i += 1 }
            else { ops.append(("+", a[j])); j += 1 }
        }
        let changed = ops.indices.filter { ops[$0].0 != " " }
        var keep = Set<Int>()
        for k in changed { for c in (k - 2)...(k + 2) where ops.indices.contains(c) { keep.insert(c) } }
        var out: [String] = ["--- recorded", "+++ now"]
        var previous = -1
        for k in keep.sorted() {
            if previous >= 0 && k != previous + 1 { out.append("  …") }
            out.append("\(ops[k].0) \(ops[k].1)")
            previous = k
        }
        return out.joined(separator: "\n")
    }
}
