/// Sequences to learn from: inputs x, targets y, and (for padded batches) each sequence's length.
///
/// x and y are batched along axes of their own: x along `xBatchAxis` (1 for time-major (T, N, …)
/// data, 0 for batch-first), y along `yBatchAxis` — x's axis when the model answers at every step,
/// 0 when it answers once per sequence (a classifier's (N) class ids). A batch is the sequences at
/// some positions, cut from both with the same positions, so x[i] still goes with y[i].
public struct SequenceDataset {
    public let x: Tensor
    public let y: Tensor
    public let lengths: [Int]?
    public let xBatchAxis: Int
    public let yBatchAxis: Int

    public init(x: Tensor, y: Tensor, lengths: [Int]? = nil, xBatchAxis: Int = 1, yBatchAxis: Int? = nil) throws {
        let yAxis = yBatchAxis ?? xBatchAxis
        guard x.rank > xBatchAxis, y.rank > yAxis, x.shape[xBatchAxis] == y.shape[yAxis] else {
            throw TensorError.invalidArgument(op: "SequenceDataset", message: "x \(formatShape(x.shape)) along axis \(xBatchAxis) and y \(formatShape(y.shape)) along axis \(yAxis) must hold the same number of sequences")
        }
        if let lengths, lengths.count != x.shape[xBatchAxis] {
            throw TensorError.invalidArgument(op: "SequenceDataset", message: "\(lengths.count) lengths for \(x.shape[xBatchAxis]) sequences")
        }
        self.x = x; self.y = y; self.lengths = lengths; self.xBatchAxis = xBatchAxis; self.yBatchAxis = yAxis
    }

    /// How many sequences.
    public var count: Int { x.shape[xBatchAxis] }

    /// The sequences at `indices`, in that order. All of them in order is the data set itself
    /// (no copy): one batch holding everything costs nothing extra.
    public func batch(_ indices: [Int]) throws -> SequenceBatch {
        let whole = indices == Array(0..<count)
        return SequenceBatch(x: whole ? x : try x.select(indices, axis: xBatchAxis),
                             y: whole ? y : try y.select(indices, axis: yBatchAxis),
                             lengths: lengths.map { l in indices.map { l[$0] } })
    }
}

/// Some sequences of a ``SequenceDataset``: what one optimizer step (or one evaluation pass) sees.
public struct SequenceBatch {
    public let x: Tensor
    public let y: Tensor
    public let lengths: [Int]?

    public init(x: Tensor, y: Tensor, lengths: [Int]? = nil) { self.x = x; self.y = y; self.lengths = lengths }

    /// Steps `range` of a time-major batch, x and y alike: one chunk of truncated BPTT.
    public func steps(_ range: Range<Int>) throws -> SequenceBatch {
        let slice = TensorIndex.slice(start: range.lowerBound, stop: range.upperBound, step: 1)
        return SequenceBatch(x: try x.index([slice]), y: try y.index([slice]), lengths: lengths)
    }
}
