import Testing
@testable import Engine

@Suite struct ShufflingTests {
    @Test func permutationIsSeededAndComplete() {
        for n in [0, 1, 2, 10, 257] {
            let p = Shuffling.permutation(n, seed: 3)
            #expect(p.sorted() == Array(0..<n))
            #expect(p == Shuffling.permutation(n, seed: 3))
        }
        #expect(Shuffling.permutation(50, seed: 1) != Shuffling.permutation(50, seed: 2))
        #expect(Shuffling.permutation(50, seed: 1) != Array(0..<50))
    }

    @Test func everyPositionIsEquallyLikelyEverywhere() {
        // 3 items: 6 orders; 60,000 draws → each order ≈ 10,000 (σ ≈ 91).
        var counts: [[Int]: Int] = [:]
        var g = RandomGenerator(seed: 7)
        for _ in 0..<60_000 { counts[Shuffling.permutation(3, generator: &g), default: 0] += 1 }
        #expect(counts.count == 6)
        #expect(counts.values.allSatisfy { abs($0 - 10_000) < 500 })
    }

    @Test func batchesCoverEveryItemOnce() throws {
        let plain = try Shuffling.batchPositions(7, size: 3)
        #expect(plain == [[0, 1, 2], [3, 4, 5], [6]])
        let order = Shuffling.permutation(10, seed: 0)
        let shuffled = try Shuffling.batchPositions(10, size: 4, order: order)
        #expect(shuffled.map(\.count) == [4, 4, 2])
        #expect(shuffled.flatMap { $0 } == order)
        #expect(throws: DataError.self) { try Shuffling.batchPositions(3, size: 0) }
    }
}
