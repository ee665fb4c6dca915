/// A fully connected layer, y = x·Wᵀ + b — the RNN's output layer yₜ = W_y·hₜ + b_y in row form.
///
/// PyTorch's `nn.Linear`: `weight` is (out × in), `bias` (out), both initialised
/// U(−1/√in, 1/√in) (what its Kaiming-uniform default with a = √5 works out to).
/// Works on any leading shape: (…, in) → (…, out), so one call maps every time step.
public final class Linear: Module {
    public let weight: Tensor
    public let bias: Tensor?
    public var inFeatures: Int { weight.shape[1] }
    public var outFeatures: Int { weight.shape[0] }

    public init(inFeatures: Int, outFeatures: Int, bias: Bool = true, seed: UInt64 = 0, dtype: DType = .float64) throws {
        guard inFeatures > 0, outFeatures > 0 else {
            throw TensorError.invalidArgument(op: "linear", message: "sizes must be positive, got in \(inFeatures), out \(outFeatures)")
        }
        var generator = RandomGenerator(seed: seed)
        let bound = 1 / Double(inFeatures).squareRoot()
        weight = try Tensor.rand([outFeatures, inFeatures], low: -bound, high: bound, generator: &generator)
        weight.requiresGrad = true
        self.bias = bias ? try Tensor.rand([outFeatures], low: -bound, high: bound, generator: &generator) : nil
        self.bias?.requiresGrad = true
        convert(to: dtype)
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        guard x.rank >= 1, x.shape.last == inFeatures else {
            throw TensorError.invalidArgument(op: "linear", message: "input's last axis must have \(inFeatures) features, got shape \(formatShape(x.shape))")
        }
        let y = try x.matmul(weight.T)
        return try bias.map { try y + $0 } ?? y
    }
}

/// A lookup table of learned vectors, one row per token id — PyTorch's `nn.Embedding`,
/// initialised N(0, 1). Looking up ids is the same as multiplying their one-hot rows by the
/// table, without building the one-hot matrix; repeated ids add their gradients.
public final class Embedding: Module {
    public let weight: Tensor
    public var count: Int { weight.shape[0] }
    public var dimension: Int { weight.shape[1] }

    public init(count: Int, dimension: Int, seed: UInt64 = 0, dtype: DType = .float64) throws {
        guard count > 0, dimension > 0 else {
            throw TensorError.invalidArgument(op: "embedding", message: "sizes must be positive, got \(count) × \(dimension)")
        }
        weight = try Tensor.randn([count, dimension], seed: seed)
        weight.requiresGrad = true
        convert(to: dtype)
    }

    public var namedParameters: [(name: String, tensor: Tensor)] { [("weight", weight)] }

    /// Vectors for a tensor of integer ids of any shape: result shape ids.shape + [dimension].
    public func callAsFunction(_ ids: Tensor) throws -> Tensor {
        var positions: [Int] = []
        positions.reserveCapacity(ids.count)
        for (k, v) in ids.storage.enumerated() {
            guard v == v.rounded(), v >= 0, v < Double(count) else {
                let shown = v == v.rounded() && Swift.abs(v) < 1e15 ? String(Int(v)) : "\(v)"
                let why = v == v.rounded() ? "outside 0..<\(count) (the table has \(count) rows)" : "not a whole number"
                throw TensorError.invalidArgument(op: "embedding", message: "id \(shown) at flat position \(k) is \(why)")
            }
            positions.append(Int(v))
        }
        return try weight.select(positions, axis: 0).reshape(ids.shape + [dimension])
    }
}
