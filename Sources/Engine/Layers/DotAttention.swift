/// Dot-product attention (Luong, Pham & Manning 2015, "global attention" with the *dot* score):
/// a query looks at every key, and takes the average of the values weighted by how well each key
/// matches it.
///
///     scoreₜₛ = qₜ · kₛ                                   (T, S): query t against key s
///     αₜₛ     = exp(scoreₜₛ) / Σ_{s′ allowed} exp(scoreₜₛ′)   for an allowed s; 0 where the mask is 0
///     cₜ      = Σₛ αₜₛ vₛ                                 the context: a weighted average of the values
///
/// Queries are (…, T, d), keys (…, S, d), values (…, S, d_v); the leading (batch) axes broadcast as
/// in a matrix product. `mask` (broadcast to (…, T, S), 1 = may attend, 0 = may not) keeps a query
/// off padding: its scores there become −∞ before the softmax, so their weights are exactly 0 and
/// each row still sums to 1 over the allowed keys. Every row must allow at least one key.
///
/// The scores are *not* divided by √d: that is Luong's dot score. (A Transformer divides by √d so
/// that the scores of wide random vectors do not grow with d; see lesson 20.)
///
/// Backward is that of the three operations it is made of — a batched matrix product, a softmax
/// (∂L/∂score = α ⊙ (g − Σ g⊙α)) and another batched product — so no gradient reaches a masked
/// score (α = 0 there) and none reaches the mask.
public enum DotAttention {
    /// The three stages, each kept so they can be shown: raw scores (…, T, S) (unmasked),
    /// weights (…, T, S) and context (…, T, d_v).
    public struct Result {
        public let scores: Tensor
        public let weights: Tensor
        public let context: Tensor
    }

    public static func attend(query: Tensor, keys: Tensor, values: Tensor, mask: Tensor? = nil) throws -> Result {
        func fail(_ message: String) -> TensorError { .invalidArgument(op: "attend", message: message) }
        guard query.rank >= 2, keys.rank >= 2, values.rank >= 2 else {
            throw fail("query (T, d), keys (S, d) and values (S, d_v) need at least two axes, got \(formatShape(query.shape)), \(formatShape(keys.shape)) and \(formatShape(values.shape))")
        }
        let d = query.shape[query.rank - 1]
        guard keys.shape[keys.rank - 1] == d else {
            throw fail("each key must have the query's \(d) features to be compared with it, got keys \(formatShape(keys.shape)) for query \(formatShape(query.shape))")
        }
        guard values.shape[values.rank - 2] == keys.shape[keys.rank - 2] else {
            throw fail("there must be one value per key: keys \(formatShape(keys.shape)) but values \(formatShape(values.shape))")
        }
        guard keys.shape[keys.rank - 2] > 0 else { throw fail("there are no keys to attend to") }
        let scores = try query.matmul(keys.transpose(-2, -1))                          // (…, T, S)
        var masked = scores
        if let mask {
            guard (try? Shape.broadcast(mask.shape, scores.shape, op: "attend")) == scores.shape else {
                throw fail("the mask \(formatShape(mask.shape)) must fit the scores \(formatShape(scores.shape)) (one entry per query and key)")
            }
            try requireAllowedKey(mask, scoresShape: scores.shape)
            masked = try Tensor.where(mask, scores, Tensor.full([], -.infinity))
        }
        let weights = try masked.softmax(axis: -1)
        return Result(scores: scores, weights: weights, context: try weights.matmul(values))
    }

    /// The mask of padded sources, (B, 1, S): 1 for s < lengths[b], 0 after (the same for every query).
    public static func lengthMask(_ lengths: [Int], steps: Int) throws -> Tensor {
        var data = [Double](repeating: 0, count: lengths.count * steps)
        for (b, n) in lengths.enumerated() { for s in 0..<min(n, steps) { data[b * steps + s] = 1 } }
        return try Tensor(shape: [lengths.count, 1, steps], storage: data)
    }

    /// A softmax over nothing has no value: refuse a mask that allows no key for some query.
    private static func requireAllowedKey(_ mask: Tensor, scoresShape: [Int]) throws {
        if mask.storage.contains(where: { $0 != 0 && $0 != 1 }) {
            throw TensorError.invalidArgument(op: "attend", message: "the mask must hold only 1 (may attend) and 0 (may not)")
        }
        let full = try (mask + Tensor.zeros(scoresShape)).storage                     // broadcast to (…, T, S)
        let S = scoresShape[scoresShape.count - 1]
        for row in 0..<(S == 0 ? 0 : full.count / S) where !full[(row * S)..<((row + 1) * S)].contains(1) {
            let index = Shape.multiIndex(row, shape: Array(scoresShape.dropLast()))
            throw TensorError.invalidArgument(
                op: "attend", message: "the mask allows no key for query [\(index.map(String.init).joined(separator: ", "))]: every query needs at least one key to attend to")
        }
    }
}
