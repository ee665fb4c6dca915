import Foundation

/// Small generated tasks that isolate one thing a recurrent network must learn, all seeded.
public enum SyntheticTasks {
    /// sin(2π t / period) + noise·ε_t for t = 0 ..< n, ε_t ~ N(0, 1).
    public static func noisySine(_ n: Int, period: Double, noise: Double, seed: UInt64) throws -> Tensor {
        guard n >= 1, n <= 100_000_000 else { throw DataError("noisy_sine: n must be between 1 and 10⁸, got \(n)") }
        guard period > 0 else { throw DataError("noisy_sine: period must be positive, got \(period)") }
        guard noise >= 0 else { throw DataError("noisy_sine: noise must be ≥ 0, got \(noise)") }
        var g = RandomGenerator(seed: seed)
        let values = (0..<n).map { t in Foundation.sin(2 * .pi * Double(t) / period) + noise * g.normal() }
        return try Tensor(shape: [n], storage: values)
    }

    /// Hochreiter & Schmidhuber's adding problem (1997), in the form of Le et al. (2015).
    ///
    /// x is (steps, n, 2): channel 0 holds values drawn from U[0, 1), channel 1 is 0 except for two
    /// markers of 1 — one at a uniformly chosen step in the first half, one in the second half. The
    /// target y (n, 1) is the sum of the two marked values. Always answering 1 gives MSE ≈ 0.167,
    /// the baseline a network must beat. For each sequence the values are drawn first, then the markers.
    public static func addingProblem(_ n: Int, steps: Int, seed: UInt64) throws -> (x: Tensor, y: Tensor) {
        guard n >= 1 else { throw DataError("adding_problem: n must be at least 1, got \(n)") }
        guard steps >= 2 else { throw DataError("adding_problem: steps must be at least 2 (one marker in each half), got \(steps)") }
        guard n.multipliedReportingOverflow(by: steps * 2).partialValue <= 100_000_000 else { throw DataError("adding_problem: too many elements") }
        var g = RandomGenerator(seed: seed)
        var x = [Double](repeating: 0, count: steps * n * 2)
        var y = [Double](repeating: 0, count: n)
        let half = steps / 2
        for b in 0..<n {
            for t in 0..<steps { x[(t * n + b) * 2] = g.uniform() }
            let first = g.int(below: half), second = half + g.int(below: steps - half)
            x[(first * n + b) * 2 + 1] = 1
            x[(second * n + b) * 2 + 1] = 1
            y[b] = x[(first * n + b) * 2] + x[(second * n + b) * 2]
        }
        return (try Tensor(shape: [steps, n, 2], storage: x), try Tensor(shape: [n, 1], storage: y))
    }

    /// The copy (recall) task: remember `steps` symbols across a delay, then replay them.
    ///
    /// Time runs over T = steps + delay + steps. Channels: 0 ..< symbols are the data symbols,
    /// `symbols` is the blank, `symbols + 1` the "go" marker. Input: the data symbols at t < steps,
    /// then blanks, with "go" at t = steps + delay − 1, then blanks. Target ids (T, n): blank until
    /// t = steps + delay, then the data symbols in order. x is one-hot (T, n, symbols + 2).
    /// Returns also the data ids (steps, n).
    public static func copyTask(_ n: Int, steps: Int, symbols: Int, delay: Int, seed: UInt64) throws -> (x: Tensor, y: Tensor, data: Tensor) {
        guard n >= 1, steps >= 1 else { throw DataError("copy_task: n and steps must be at least 1, got n \(n), steps \(steps)") }
        guard symbols >= 1 else { throw DataError("copy_task: symbols must be at least 1, got \(symbols)") }
        guard delay >= 1 else { throw DataError("copy_task: delay must be at least 1 (the go marker sits on the last delay step), got \(delay)") }
        let total = 2 * steps + delay, channels = symbols + 2, blank = symbols, go = symbols + 1
        guard n.multipliedReportingOverflow(by: total * channels).partialValue <= 100_000_000 else { throw DataError("copy_task: too many elements") }
        var g = RandomGenerator(seed: seed)
        var x = [Double](repeating: 0, count: total * n * channels)
        var y = [Double](repeating: Double(blank), count: total * n)
        var data = [Double](repeating: 0, count: steps * n)
        for b in 0..<n {
            for t in 0..<total {
                let id: Int
                if t < steps { id = g.int(below: symbols); data[t * n + b] = Double(id) }
                else if t == steps + delay - 1 { id = go }
                else { id = blank }
                x[(t * n + b) * channels + id] = 1
                if t >= steps + delay { y[t * n + b] = data[(t - steps - delay) * n + b] }
            }
        }
        return (try Tensor(shape: [total, n, channels], storage: x), try Tensor(shape: [total, n], storage: y),
                try Tensor(shape: [steps, n], storage: data))
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                             "September", "October", "November", "December"]

    /// The date formats `datePairs` writes (day first whenever the day and month are both numbers,
    /// so no string is ambiguous).
    public static let dateFormats = ["25 November 2026", "November 25, 2026", "nov 25, 2026", "25 nov 2026",
                                     "25/11/2026", "25.11.2026", "NOVEMBER 25 2026", "25-nov-2026", "Nov 25th, 2026"]

    /// Dates in varied human formats and the same dates as ISO 8601 (yyyy-mm-dd), for seq2seq.
    ///
    /// Per pair: a year in 1950…2049, a month, a day of that month (leap years counted), then one of
    /// `dateFormats` — all uniformly.
    public static func datePairs(_ n: Int, seed: UInt64) throws -> (source: [String], target: [String]) {
        guard n >= 1, n <= 10_000_000 else { throw DataError("date_pairs: n must be between 1 and 10⁷, got \(n)") }
        var g = RandomGenerator(seed: seed)
        var source: [String] = [], target: [String] = []
        for _ in 0..<n {
            let year = 1950 + g.int(below: 100), month = 1 + g.int(below: 12)
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
            let day = 1 + g.int(below: days)
            let name = monthNames[month - 1], short = String(name.prefix(3))
            let dd = day < 10 ? "0\(day)" : "\(day)", mm = month < 10 ? "0\(month)" : "\(month)"
            let suffix = (11...13).contains(day % 100) ? "th" : ([1: "st", 2: "nd", 3: "rd"][day % 10] ?? "th")
            let text: String
            switch g.int(below: dateFormats.count) {
            case 0: text = "\(day) \(name) \(year)"
            case 1: text = "\(name) \(day), \(year)"
            case 2: text = "\(short.lowercased()) \(day), \(year)"
            case 3: text = "\(day) \(short.lowercased()) \(year)"
            case 4: text = "\(dd)/\(mm)/\(year)"
            case 5: text = "\(dd).\(mm).\(year)"
            case 6: text = "\(name.uppercased()) \(day) \(year)"
            case 7: text = "\(dd)-\(short.lowercased())-\(year)"
            default: text = "\(short) \(day)\(suffix), \(year)"
            }
            source.append(text)
            target.append("\(year)-\(mm)-\(dd)")
        }
        return (source, target)
    }
}
