import Foundation
import Testing
@testable import Engine

@Suite struct SyntheticTasksTests {
    @Test func noisySine() throws {
        let clean = try SyntheticTasks.noisySine(40, period: 20, noise: 0, seed: 0)
        for t in 0..<40 { #expect(abs(clean.storage[t] - sin(2 * Double.pi * Double(t) / 20)) < 1e-15) }
        let a = try SyntheticTasks.noisySine(1000, period: 20, noise: 0.1, seed: 5)
        #expect(a.storage == (try SyntheticTasks.noisySine(1000, period: 20, noise: 0.1, seed: 5)).storage)
        let residual = zip(a.storage, (0..<1000).map { sin(2 * Double.pi * Double($0) / 20) }).map { $0 - $1 }
        let std = (residual.map { $0 * $0 }.reduce(0, +) / 1000).squareRoot()
        #expect(abs(std - 0.1) < 0.01)
    }

    @Test func addingProblemLabelsAreTheMarkedSums() throws {
        let (x, y) = try SyntheticTasks.addingProblem(64, steps: 11, seed: 2)
        #expect(x.shape == [11, 64, 2] && y.shape == [64, 1])
        for b in 0..<64 {
            var marked: [Int] = [], total = 0.0
            for t in 0..<11 {
                let value = x.storage[(t * 64 + b) * 2], marker = x.storage[(t * 64 + b) * 2 + 1]
                #expect(value >= 0 && value < 1)
                if marker == 1 { marked.append(t); total += value } else { #expect(marker == 0) }
            }
            #expect(marked.count == 2)
            #expect(marked[0] < 5 && marked[1] >= 5)   // one in each half (half = 11 / 2 = 5)
            #expect(abs(y.storage[b] - total) < 1e-15)
        }
        #expect(throws: DataError.self) { try SyntheticTasks.addingProblem(1, steps: 1, seed: 0) }
    }

    @Test func copyTaskLayout() throws {
        let (x, y, data) = try SyntheticTasks.copyTask(5, steps: 3, symbols: 4, delay: 2, seed: 1)
        let total = 8, n = 5, channels = 6
        #expect(x.shape == [total, n, channels] && y.shape == [total, n] && data.shape == [3, n])
        for b in 0..<n {
            for t in 0..<total {
                let row = Array(x.storage[((t * n + b) * channels)..<((t * n + b + 1) * channels)])
                #expect(row.reduce(0, +) == 1)
                let id = row.firstIndex(of: 1) ?? -1
                if t < 3 { #expect(id == Int(data.storage[t * n + b]) && id < 4) }
                else if t == 4 { #expect(id == 5) }        // go on the last delay step
                else { #expect(id == 4) }                  // blank
                let target = Int(y.storage[t * n + b])
                #expect(target == (t >= 5 ? Int(data.storage[(t - 5) * n + b]) : 4))
            }
        }
        #expect(throws: DataError.self) { try SyntheticTasks.copyTask(1, steps: 2, symbols: 4, delay: 0, seed: 0) }
    }

    @Test func datePairsAgree() throws {
        let (source, target) = try SyntheticTasks.datePairs(500, seed: 4)
        #expect(source.count == 500 && target.count == 500)
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        for (s, t) in zip(source, target) {
            let parts = t.split(separator: "-").compactMap { Int($0) }
            #expect(parts.count == 3 && t.count == 10)
            let (year, month, day) = (parts[0], parts[1], parts[2])
            #expect((1950...2049).contains(year) && (1...12).contains(month) && (1...31).contains(day))
            let lower = s.lowercased()
            #expect(lower.contains(String(year)))
            // The month appears by name or as a two-digit number after the day.
            let dd = String(format: "%02d", day), mm = String(format: "%02d", month)
            #expect(lower.contains(months[month - 1]) || lower.contains("\(dd)/\(mm)/") || lower.contains("\(dd).\(mm)."))
            let digits = lower.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            #expect(digits.contains(day))
        }
        #expect(Set(source.map { $0.filter(\.isLetter).isEmpty }).count == 2)   // numeric and named formats both occur
        #expect(try SyntheticTasks.datePairs(5, seed: 4).source == Array(source.prefix(5)))
        // 29 February only in leap years.
        for t in target where t.hasSuffix("-02-29") {
            let year = Int(t.prefix(4)) ?? 0
            #expect(year % 4 == 0)
        }
    }
}
