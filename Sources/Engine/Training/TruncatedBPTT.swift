/// Truncated backpropagation through time: train on a long sequence in chunks of k steps.
///
/// Full BPTT keeps every step of the sequence in memory and sends each gradient back to the
/// very first step. Truncated BPTT runs k steps, backpropagates through those k only, updates
/// the weights, and then carries the final state into the next chunk *detached*: the forward
/// computation still sees the whole history through the state, but no gradient crosses a chunk
/// boundary. So memory is O(k) instead of O(T), updates come every k steps instead of once per
/// sequence — and a dependency longer than k steps cannot be learned from the gradient, because
/// the loss of a later chunk has no gradient path to earlier inputs.
public struct TruncatedChunk {
    /// Which chunk this is (0, 1, …).
    public let index: Int
    /// Time steps of the full sequence this chunk covers.
    public let steps: Range<Int>
    /// The layer's output on these steps, started from the previous chunk's detached state.
    public let result: RecurrentOutput
}

/// Runs `layer` over `input` in chunks of `chunkLength` steps (the last may be shorter), calling
/// `body` for each chunk — where the caller computes a loss from `chunk.result`, calls
/// `backward()` and steps an optimizer. Returns the final state after the last chunk.
///
/// The time axis is the layer's: axis 0, or axis 1 when the layer is `batchFirst`.
@discardableResult
public func truncatedBPTT(
    layer: RecurrentLayer, input: Tensor, chunkLength: Int, h0: Tensor? = nil, c0: Tensor? = nil,
    _ body: (TruncatedChunk) throws -> Void
) throws -> (hn: Tensor, cn: Tensor?) {
    guard chunkLength > 0 else {
        throw TensorError.invalidArgument(op: "truncatedBPTT", message: "chunk length must be positive, got \(chunkLength)")
    }
    guard input.rank >= 2 else {
        throw TensorError.invalidArgument(op: "truncatedBPTT", message: "input must have a time axis, got shape \(formatShape(input.shape))")
    }
    let timeAxis = layer.batchFirst && input.rank == 3 ? 1 : 0
    let steps = input.shape[timeAxis]
    var h = h0, c = c0
    var index = 0
    for start in stride(from: 0, to: steps, by: chunkLength) {
        let range = start..<Swift.min(start + chunkLength, steps)
        var selector = [TensorIndex](repeating: .all, count: timeAxis)
        selector.append(.slice(start: range.lowerBound, stop: range.upperBound, step: 1))
        let chunk = try input.index(selector)
        let result = try layer(chunk, h0: h, c0: c)
        try body(TruncatedChunk(index: index, steps: range, result: result))
        // The state flows on; its gradient does not.
        h = result.hn.detach()
        c = result.cn?.detach()
        index += 1
    }
    guard let h else {
        throw TensorError.invalidArgument(op: "truncatedBPTT", message: "the sequence has no steps")
    }
    return (h, c)
}
