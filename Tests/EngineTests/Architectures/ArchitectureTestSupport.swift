import Foundation
import Testing
@testable import Engine

/// Small helpers for the architecture tests (kept in a namespace so they cannot clash with others').
enum ArchTest {
    /// Same shape and every element within `tolerance`.
    static func close(_ a: Tensor, _ b: Tensor, tolerance: Double = 1e-12) -> Bool {
        a.shape == b.shape && zip(a.storage, b.storage).allSatisfy { Swift.abs($0 - $1) <= tolerance }
    }

    /// Mean negative log-likelihood of `targets` under rows of `logits` (N, C), written with
    /// logSoftmax and a one-hot mask so these tests do not depend on the Training folder.
    static func nll(_ logits: Tensor, _ targets: [Int]) throws -> Tensor {
        let (N, C) = (logits.shape[0], logits.shape[1])
        var onehot = [Double](repeating: 0, count: N * C)
        for (n, t) in targets.enumerated() { onehot[n * C + t] = 1 }
        let picked = try logits.logSoftmax(axis: -1) * Tensor(shape: [N, C], storage: onehot)
        return try -(picked.sum()) / Double(N)
    }

    /// Token ids (T, B) with values in 0..<vocabulary, deterministic for a seed.
    static func tokens(_ steps: Int, _ batch: Int, vocabulary: Int, seed: UInt64) throws -> Tensor {
        var g = RandomGenerator(seed: seed)
        return try Tensor(shape: [steps, batch], storage: (0..<(steps * batch)).map { _ in Double(g.int(below: vocabulary)) })
    }

    /// Column b of a (T, B, …) tensor cut to its first `steps` steps, keeping a batch axis of 1.
    static func column(_ x: Tensor, _ b: Int, steps: Int) throws -> Tensor {
        try x.index([.slice(start: 0, stop: steps, step: 1), .slice(start: b, stop: b + 1, step: 1)])
    }

    /// `x` with every padded position (t ≥ lengths[b]) replaced by `value`; x is (T, B, …).
    static func repad(_ x: Tensor, lengths: [Int], value: Double) throws -> Tensor {
        let (T, B) = (x.shape[0], x.shape[1]), inner = x.count / (T * B)
        var data = x.storage
        for t in 0..<T { for b in 0..<B where t >= lengths[b] {
            for i in 0..<inner { data[(t * B + b) * inner + i] = value }
        } }
        return try Tensor(shape: x.shape, storage: data)
    }

    /// Whether `body` throws a `TensorError` whose description contains `fragment`.
    static func throwsMessage(_ fragment: String, _ body: () throws -> Void) -> Bool {
        do { try body() } catch let error as TensorError { return error.description.contains(fragment) } catch { return false }
        return false
    }
}
