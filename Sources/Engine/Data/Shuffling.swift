/// Seeded orderings for stochastic training: the same seed gives the same epoch order on every
/// machine, because the draws come from the engine's own ``RandomGenerator``.
public enum Shuffling {
    /// A uniformly random permutation of 0..<n (Fisher–Yates, drawing j in 0...i from the top down,
    /// as NumPy's legacy `shuffle` does — the numbers differ, the algorithm is the same).
    public static func permutation(_ n: Int, generator: inout RandomGenerator) -> [Int] {
        var p = Array(0..<max(0, n))
        var i = p.count - 1
        while i > 0 {
            let j = generator.int(below: i + 1)
            p.swapAt(i, j)
            i -= 1
        }
        return p
    }

    public static func permutation(_ n: Int, seed: UInt64) -> [Int] {
        var g = RandomGenerator(seed: seed)
        return permutation(n, generator: &g)
    }

    /// Positions 0..<n cut into consecutive groups of `size` (the last one smaller), in the order of
    /// `permutation` when given.
    public static func batchPositions(_ n: Int, size: Int, order: [Int]? = nil) throws -> [[Int]] {
        guard size >= 1 else { throw DataError("batches: size must be at least 1, got \(size)") }
        let positions = order ?? Array(0..<n)
        return stride(from: 0, to: positions.count, by: size).map { Array(positions[$0..<min($0 + size, positions.count)]) }
    }
}
