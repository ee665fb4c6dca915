// Batches of sequences of different lengths: padding, masks, and running a recurrent layer so
// that the padding never influences a real step.
//
// A batch is a rectangle (T, B), so shorter sequences are padded to the longest one, T steps,
// and `lengths[b]` says how many steps of column b are real. Two facts decide what padding does:
//
// - A *forward* recurrence is causal: hₜ depends on x₁…xₜ only. Padding comes after a sequence's
//   last real step, so output[t, b] for t < lengths[b] is exactly what the unpadded sequence gives,
//   and its last state is output[lengths[b] − 1, b] — not output[T − 1, b], which has read padding.
// - The *reverse* direction of a bidirectional layer starts at t = T − 1 and reads the padding
//   *first*: every one of its states is contaminated. It must start at each sequence's own end.
//   ``RecurrentLayer/runPacked(_:lengths:h0:c0:)`` does that, as PyTorch's packed sequences do.

/// The (T, B) mask m with m[t, b] = 1 for t < lengths[b] (a real step) and 0 for padding; (B, T)
/// when `batchFirst`. Multiply per-step losses by it and divide by its sum to average real steps only.
public func maskFromLengths(_ lengths: [Int], steps: Int, batchFirst: Bool = false) throws -> Tensor {
    guard steps >= 0 else { throw TensorError.invalidArgument(op: "mask", message: "steps must be ≥ 0, got \(steps)") }
    for (b, n) in lengths.enumerated() where n < 0 || n > steps {
        throw TensorError.invalidArgument(op: "mask", message: "length \(n) of sequence \(b) is outside 0…\(steps)")
    }
    let B = lengths.count
    var mask = [Double](repeating: 0, count: steps * B)
    for (b, n) in lengths.enumerated() {
        for t in 0..<n { mask[batchFirst ? b * steps + t : t * B + b] = 1 }
    }
    return try Tensor(shape: batchFirst ? [B, steps] : [steps, B], storage: mask)
}

/// Token sequences of different lengths as one (T, B) id tensor (B, T when `batchFirst`), padded
/// with `padding` after each sequence's end, with their lengths — PyTorch's `pad_sequence`.
public func padSequences(_ sequences: [[Int]], padding: Int = 0, batchFirst: Bool = false) throws -> (ids: Tensor, lengths: [Int]) {
    guard !sequences.isEmpty else { throw TensorError.invalidArgument(op: "padSequences", message: "needs at least one sequence") }
    let lengths = sequences.map(\.count), T = lengths.max() ?? 0, B = sequences.count
    var ids = [Double](repeating: Double(padding), count: T * B)
    for (b, sequence) in sequences.enumerated() {
        for (t, id) in sequence.enumerated() { ids[batchFirst ? b * T + t : t * B + b] = Double(id) }
    }
    return (try Tensor(shape: batchFirst ? [B, T] : [T, B], storage: ids), lengths)
}

/// The masked last state: row b of the result is output[lengths[b] − 1, b]. output is (T, B, F)
/// ((B, T, F) when `batchFirst`); the result is (B, F). Differentiable: the gradient reaches
/// exactly the gathered steps (a `select` of rows of the (T·B, F) matrix).
///
/// Right for a unidirectional layer (causal, see above). For a bidirectional layer it is wrong in
/// the reverse half; use `runPacked` and its `hn` instead.
public func lastValidStep(_ output: Tensor, lengths: [Int], batchFirst: Bool = false) throws -> Tensor {
    guard output.rank == 3 else {
        throw TensorError.invalidArgument(op: "lastValidStep", message: "output must be \(batchFirst ? "(B, T, F)" : "(T, B, F)"), got \(formatShape(output.shape))")
    }
    let (T, B, F) = batchFirst ? (output.shape[1], output.shape[0], output.shape[2]) : (output.shape[0], output.shape[1], output.shape[2])
    try ArchitectureSupport.checkLengths(lengths, batch: B, steps: T, op: "lastValidStep")
    let rows = lengths.enumerated().map { b, n in batchFirst ? b * T + (n - 1) : (n - 1) * B + b }
    return try output.reshape([T * B, F]).select(rows, axis: 0)
}

extension ArchitectureSupport {
    /// Every length must name at least one real step and no more than T.
    static func checkLengths(_ lengths: [Int], batch: Int, steps: Int, op: String) throws {
        guard lengths.count == batch else {
            throw TensorError.invalidArgument(op: op, message: "got \(lengths.count) lengths for a batch of \(batch) sequences")
        }
        for (b, n) in lengths.enumerated() where n < 1 || n > steps {
            throw TensorError.invalidArgument(op: op, message: "length \(n) of sequence \(b) is outside 1…\(steps) (the batch has \(steps) steps)")
        }
    }
}

extension RecurrentLayer {
    /// Runs the layer on a padded batch as if each sequence were alone and unpadded — what PyTorch
    /// computes for `pack_padded_sequence(x, lengths)` → rnn → `pad_packed_sequence`:
    ///
    /// - output (T, B, D·H): real steps exact for *both* directions; padded steps are 0;
    /// - hn, cn (L·D, B, H): every layer's and direction's state at the sequence's own end
    ///   (the forward direction after step lengths[b] − 1, the reverse one after reading back to 0).
    ///
    /// How: sequences of equal length are run together as one sub-batch cut to that length, then
    /// scattered back into batch order. A batch with k distinct lengths costs k layer calls instead
    /// of one, and no step is spent on padding; with all lengths = T it is a single ordinary call.
    /// The input is (T, B, I), or (B, T, I) for a `batchFirst` layer; a batch axis is required.
    /// Differentiable (select, slice and concat); inter-layer dropout applies as in an ordinary call.
    public func runPacked(_ input: Tensor, lengths: [Int], h0: Tensor? = nil, c0: Tensor? = nil) throws -> RecurrentOutput {
        let op = "\(kind.cellName) runPacked"
        guard input.rank == 3 else {
            throw TensorError.invalidArgument(op: op, message: "input must be \(batchFirst ? "(B, T, I)" : "(T, B, I)") with a batch axis, got \(formatShape(input.shape))")
        }
        let x = batchFirst ? try input.transpose(0, 1) : input
        let (T, B) = (x.shape[0], x.shape[1])
        try ArchitectureSupport.checkLengths(lengths, batch: B, steps: T, op: op)
        if lengths.allSatisfy({ $0 == T }) { return try self(input, h0: h0, c0: c0) }

        // Groups of equal length, longest first; `order` lists the batch positions group by group.
        let groups = Dictionary(grouping: 0..<B, by: { lengths[$0] }).sorted { $0.key > $1.key }
        var outputs: [Tensor] = [], finalH: [Tensor] = [], finalC: [Tensor] = [], order: [Int] = []
        for (length, members) in groups {
            var xg = try x.index([.slice(start: 0, stop: length, step: 1)]).select(members, axis: 1)
            if batchFirst { xg = try xg.transpose(0, 1) }
            let run = try self(xg, h0: try h0?.select(members, axis: 1), c0: try c0?.select(members, axis: 1))
            var out = batchFirst ? try run.output.transpose(0, 1) : run.output      // (length, b, D·H)
            if length < T {
                out = try Tensor.concat([out, Tensor.zeros([T - length, members.count, out.shape[2]])], axis: 0)
            }
            outputs.append(out)
            finalH.append(run.hn)
            if let cn = run.cn { finalC.append(cn) }
            order += members
        }
        // inverse[b] = where sequence b sits in the group-ordered batch.
        var inverse = [Int](repeating: 0, count: B)
        for (position, b) in order.enumerated() { inverse[b] = position }
        var output = try Tensor.concat(outputs, axis: 1).select(inverse, axis: 1)
        if batchFirst { output = try output.transpose(0, 1) }
        let hn = try Tensor.concat(finalH, axis: 1).select(inverse, axis: 1)
        let cn = finalC.isEmpty ? nil : try Tensor.concat(finalC, axis: 1).select(inverse, axis: 1)
        return RecurrentOutput(output: output, hn: hn, cn: cn, trace: nil)
    }
}
