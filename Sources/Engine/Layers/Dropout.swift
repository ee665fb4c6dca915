/// Inverted dropout: zero each element with probability p and scale the survivors by 1/(1 − p),
/// so the expected activation is unchanged and evaluation needs no rescaling.
public enum Dropout {
    public static func apply(_ x: Tensor, probability p: Double, generator: inout RandomGenerator) throws -> Tensor {
        guard p >= 0, p < 1 else {
            throw TensorError.invalidArgument(op: "dropout", message: "probability must be in [0, 1), got \(p)")
        }
        if p == 0 { return x }
        let keep = 1 / (1 - p)
        // In x's precision, as PyTorch forms 1/(1 − p) in the input's dtype.
        let mask = Tensor(uncheckedShape: x.shape, storage: (0..<x.count).map { _ in generator.uniform() < p ? 0 : keep }).to(x.dtype)
        return try x * mask
    }
}
