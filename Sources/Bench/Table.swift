import Foundation

/// A markdown table whose columns are padded to line up in a terminal as well as render on a
/// forge, in the layout of `shared/bench/BASELINE.md` so that figures can be pasted next to those.
struct Table {
    enum Align { case left, right }

    let titles: [String]
    let aligns: [Align]
    private(set) var rows: [[String]] = []

    /// Columns as (title, alignment); numbers read best right-aligned.
    init(_ columns: [(String, Align)]) {
        titles = columns.map(\.0)
        aligns = columns.map(\.1)
    }

    mutating func add(_ cells: [String]) {
        precondition(cells.count == titles.count, "row has \(cells.count) cells, table has \(titles.count) columns")
        rows.append(cells)
    }

    func render() -> String {
        let widths = titles.indices.map { c in
            ([titles[c]] + rows.map { $0[c] }).map(\.count).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            let padded = cells.indices.map { c -> String in
                let pad = String(repeating: " ", count: widths[c] - cells[c].count)
                return aligns[c] == .right ? pad + cells[c] : cells[c] + pad
            }
            return "| " + padded.joined(separator: " | ") + " |"
        }
        let rule = "|" + titles.indices.map { c in
            let dashes = String(repeating: "-", count: Swift.max(widths[c], 3))
            return aligns[c] == .right ? " " + dashes.dropLast() + ": " : " " + dashes + " "
        }.joined(separator: "|") + "|"
        return ([line(titles), rule] + rows.map(line)).joined(separator: "\n")
    }

    func print() { Swift.print(render()); Swift.print() }
}

/// Number formatting shared by every table.
enum Format {
    /// Three significant figures without exponent, as the baselines print them: 40.6, 0.644, 1.49, 194.
    static func sig(_ x: Double, _ digits: Int = 3) -> String {
        guard x.isFinite else { return "—" }
        if x == 0 { return "0" }
        let magnitude = Int(Foundation.floor(Foundation.log10(Swift.abs(x))))
        let decimals = Swift.max(0, digits - 1 - magnitude)
        return String(format: "%.\(decimals)f", x)
    }

    /// Bytes in binary units: 8.0 MiB, 512 KiB, 0 B.
    static func bytes(_ n: Int) -> String {
        let a = Double(Swift.abs(n)), sign = n < 0 ? "-" : ""
        if a >= Double(1 << 30) { return sign + String(format: "%.2f GiB", a / Double(1 << 30)) }
        if a >= Double(1 << 20) { return sign + String(format: "%.1f MiB", a / Double(1 << 20)) }
        if a >= Double(1 << 10) { return sign + String(format: "%.1f KiB", a / Double(1 << 10)) }
        return sign + "\(Int(a)) B"
    }

    /// A signed byte difference: +0 B, -1.2 KiB, +8.0 MiB.
    static func delta(_ n: Int) -> String { (n >= 0 ? "+" : "") + bytes(n) }
}
