import Foundation

/// Softmax cross-entropy: the loss for "which of C classes comes next" — the next character of a
/// character-level language model, the label of a sequence.
extension Loss {
    /// Mean cross-entropy between rows of logits and class indices, PyTorch's
    /// `F.cross_entropy(logits, targets, ignore_index=…)`.
    ///
    /// For a row of logits x (C scores) with target class t, the softmax probability of t is
    /// pₜ = e^(xₜ) / Σⱼ e^(xⱼ), and the loss is its negative log:
    ///
    ///     ℓ = −log pₜ = log Σⱼ e^(xⱼ) − xₜ = −((xₜ − m) − log Σⱼ e^(xⱼ − m)),  m = maxⱼ xⱼ
    ///     L = (1/K) Σ over the K rows whose target is not `ignoreIndex` of ℓ
    ///     ∂L/∂xⱼ = (softmaxⱼ(x) − [j = t]) / K     for those rows, 0 for ignored rows
    ///
    /// *Why subtract m*: e^(x) overflows to ∞ for x > 709, and logits of a confident model get
    /// there; after subtracting the row maximum every exponent is ≤ 0, the sum lies in [1, C],
    /// and the result is unchanged because softmax does not care about a shift. *Why the fused
    /// form*: softmax followed by log would take log(0) = −∞ for a probability that underflows,
    /// while the gradient "probabilities minus one-hot" is exact and needs no division.
    ///
    /// *Ignored rows* are how padding is handled: batch sequences of different lengths, pad the
    /// targets with e.g. −100 (PyTorch's default `ignore_index`) and pass `ignoreIndex: -100`;
    /// padded positions neither count in K nor receive a gradient. If every row is ignored, K = 0
    /// and the loss is NaN (0/0), as in PyTorch; its gradient is then 0.
    ///
    /// Shapes: logits (N, C) with N targets; or logits (T, B, C) — a whole sequence batch, the
    /// class axis *last* as an RNN produces it — with targets in row-major order (t major), read
    /// as the rows of logits reshaped to (T·B, C). PyTorch would instead expect the class axis
    /// second, (N, C, d₁), and one writes `logits.view(-1, C)` there. Any rank ≥ 1 works the same
    /// way (a single row (C,) takes one target).
    ///
    /// Throws for a target outside 0..<C (naming its row and value) and for a target count that
    /// does not match the logits (naming both shapes).
    public static func crossEntropy(logits: Tensor, targets: [Int], ignoreIndex: Int? = nil) throws -> Tensor {
        let rows = try crossEntropyRows(logits)
        guard targets.count == rows else {
            throw crossEntropyShapeError(logits, targetShape: [targets.count])
        }
        return try crossEntropyCore(logits, targets, ignoreIndex: ignoreIndex)
    }

    /// The same with the targets as a tensor of class indices (whole numbers stored as Doubles),
    /// of the logits' shape without the class axis: (N) for (N, C), (T, B) for (T, B, C).
    public static func crossEntropy(logits: Tensor, targets: Tensor, ignoreIndex: Int? = nil) throws -> Tensor {
        _ = try crossEntropyRows(logits)
        guard targets.shape == Array(logits.shape.dropLast()) else {
            throw crossEntropyShapeError(logits, targetShape: targets.shape)
        }
        var indices = [Int](repeating: 0, count: targets.count)
        for (r, v) in targets.storage.enumerated() {
            guard v.rounded() == v, Swift.abs(v) < 0x1p53 else {
                throw TensorError.invalidArgument(
                    op: "cross_entropy", message: "target \(v) at \(position(r, logits.shape)) is not a class index (a whole number)")
            }
            indices[r] = Int(v)
        }
        return try crossEntropyCore(logits, indices, ignoreIndex: ignoreIndex)
    }

    /// Number of rows of scores: all axes but the last (the classes) flattened.
    private static func crossEntropyRows(_ logits: Tensor) throws -> Int {
        guard logits.rank >= 1 else {
            throw TensorError.invalidArgument(
                op: "cross_entropy", message: "logits must have a class axis (shape (N, C)); got a scalar")
        }
        return logits.shape.dropLast().reduce(1, *)
    }

    private static func crossEntropyShapeError(_ logits: Tensor, targetShape: [Int]) -> TensorError {
        let want = Array(logits.shape.dropLast())
        return TensorError.invalidArgument(
            op: "cross_entropy",
            message: "logits of shape \(formatShape(logits.shape)) need targets of shape \(formatShape(want)) (one class index per row of \(logits.shape.last!) scores), but the targets have shape \(formatShape(targetShape))")
    }

    /// "row 3" for (N, C) logits, "position (1, 2)" for (T, B, C), "the single row" for (C,).
    private static func position(_ row: Int, _ logitsShape: [Int]) -> String {
        let lead = Array(logitsShape.dropLast())
        switch lead.count {
        case 0: return "the single row"
        case 1: return "row \(row)"
        default:
            var index = [Int](repeating: 0, count: lead.count), rest = row
            for axis in lead.indices.reversed() { index[axis] = rest % lead[axis]; rest /= lead[axis] }
            return "position (" + index.map(String.init).joined(separator: ", ") + ")"
        }
    }

    /// The fused forward and backward over rows of C scores; `targets` has one entry per row.
    private static func crossEntropyCore(_ logits: Tensor, _ targets: [Int], ignoreIndex: Int?) throws -> Tensor {
        let C = logits.shape.last!, N = targets.count
        for (r, t) in targets.enumerated() where t != ignoreIndex {
            guard t >= 0, t < C else {
                let valid = C == 0 ? "there are no classes" : "valid: 0…\(C - 1)"
                throw TensorError.invalidArgument(
                    op: "cross_entropy",
                    message: "target \(t) at \(position(r, logits.shape)) is out of range for \(C) classes (\(valid)\(ignoreIndex.map { ", or the ignore_index \($0)" } ?? ""))")
            }
        }
        let x = logits.storage
        // Per counted row: the maximum m and log Σ e^(x − m), so backward can form softmax = e^((x − m) − logZ).
        var maxima = [Double](repeating: 0, count: N), logSums = [Double](repeating: 0, count: N)
        var total = 0.0, counted = 0
        x.withUnsafeBufferPointer { px in
            for r in 0..<N where targets[r] != ignoreIndex {
                let row = r * C
                var m = -Double.infinity
                for c in 0..<C { m = Swift.max(m, px[row + c]) }
                var s = 0.0
                for c in 0..<C { s += Foundation.exp(px[row + c] - m) }
                let logZ = Foundation.log(s)
                total += -((px[row + targets[r]] - m) - logZ)  // −log softmax at the target
                maxima[r] = m
                logSums[r] = logZ
                counted += 1
            }
        }
        let K = Double(counted)
        return Tensor.result(shape: [], storage: [total / K], op: "crossEntropy", inputs: [logits], backward: { g in
            var gx = [Double](repeating: 0, count: x.count)
            guard counted > 0 else { return [gx] }
            let scale = g[0] / K
            for r in 0..<N where targets[r] != ignoreIndex {
                let row = r * C, m = maxima[r], logZ = logSums[r]
                for c in 0..<C { gx[row + c] = Foundation.exp((x[row + c] - m) - logZ) * scale }
                gx[row + targets[r]] -= scale
            }
            return [gx]
        })
    }
}
