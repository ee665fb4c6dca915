/// Checking a gradient against the definition of the derivative.
///
/// For every element xₖ of every input, the central difference
/// (L(x + ε·eₖ) − L(x − ε·eₖ)) / 2ε approximates ∂L/∂xₖ with error O(ε²). Here
/// L = Σ f(x) ⊙ w for a fixed random w, so one scalar exercises every output element and the check
/// tests the full vector–Jacobian product that backward computes. An analytic value passes when
/// |analytic − numeric| ≤ atol + rtol·|numeric|, the rule of `torch.autograd.gradcheck`.
public struct GradCheckResult: CustomStringConvertible, Sendable {
    /// Largest |analytic − numeric| over all checked elements.
    public let maxAbsoluteError: Double
    /// Largest |analytic − numeric| / max(|numeric|, |analytic|, 1e-12).
    public let maxRelativeError: Double
    /// Every element within atol + rtol·|numeric|.
    public let passed: Bool
    /// Input number, flat element index, analytic and numeric value of the worst element.
    public let worst: (input: Int, element: Int, analytic: Double, numeric: Double)?

    public var description: String {
        let head = passed ? "gradcheck passed" : "gradcheck FAILED"
        guard let w = worst else { return "\(head) (no elements)" }
        return "\(head): max abs error \(maxAbsoluteError), max rel error \(maxRelativeError); worst at input \(w.input)[\(w.element)]: analytic \(w.analytic), numeric \(w.numeric)"
    }
}

/// Compares `f`'s backward with central differences on every element of `inputs`.
///
/// The inputs are used as leaves (a computed tensor is refused): their ``Tensor/requiresGrad`` is
/// switched on and their accumulated gradients are replaced. Their values are restored after each
/// perturbation. A NaN in either gradient fails the check.
public func gradcheck(
    _ inputs: [Tensor], eps: Double = 1e-6, atol: Double = 1e-6, rtol: Double = 1e-5, seed: UInt64 = 0x5EED,
    _ f: ([Tensor]) throws -> Tensor
) throws -> GradCheckResult {
    for (n, x) in inputs.enumerated() where x.dtype != .float64 {
        // A central difference with ε = 1e-6 on float32 values would be rounding noise: float32
        // carries about 7 digits, so the check could only fail or pass by luck.
        throw TensorError.invalidArgument(
            op: "gradcheck", message: "input \(n) is float32; gradcheck is a float64 tool (finite differences need float64's precision): check the model in float64, e.g. with .double()")
    }
    for (n, x) in inputs.enumerated() where !x.isLeaf {
        // backward stops at a non-leaf only to pass the gradient on, so its analytic gradient would
        // read as zero and the check would fail for a reason that has nothing to do with `f`.
        throw TensorError.invalidArgument(
            op: "gradcheck", message: "input \(n) of shape \(formatShape(x.shape)) was computed by \(x.gradNode!.op); pass a leaf (e.g. its detach())")
    }
    for x in inputs { x.requiresGrad = true; x.zeroGrad() }
    let probe = try f(inputs)
    let weights = try Tensor.randn(probe.shape, seed: seed)
    try probe.backward(gradient: weights)
    let analytic = inputs.map { $0.gradStorage ?? [Double](repeating: 0, count: $0.count) }

    func loss() throws -> Double {
        let y = try GradMode.withoutGrad { try f(inputs) }
        guard y.shape == weights.shape else {
            throw TensorError.shapeMismatch(op: "gradcheck (output changed shape)", lhs: weights.shape, rhs: y.shape)
        }
        var s = 0.0
        for i in 0..<y.count { s += y.storage[i] * weights.storage[i] }
        return s
    }

    var maxAbs = 0.0, maxRel = 0.0, passed = true
    var worst: (input: Int, element: Int, analytic: Double, numeric: Double)?
    for (n, x) in inputs.enumerated() {
        for k in 0..<x.count {
            let saved = x.storage[k]
            x.storage[k] = saved + eps
            let up = try loss()
            x.storage[k] = saved - eps
            let down = try loss()
            x.storage[k] = saved
            let numeric = (up - down) / (2 * eps)
            let a = analytic[n][k]
            // A NaN on either side is a failure (as torch.allclose without equal_nan) and the worst
            // possible error; with a plain `err > tolerance` test NaN compares false and would pass.
            let difference = Swift.abs(a - numeric)
            let err = difference.isNaN ? Double.infinity : difference
            if !(difference <= atol + rtol * Swift.abs(numeric)) { passed = false }
            let rel = err.isFinite ? err / Swift.max(Swift.abs(numeric), Swift.abs(a), 1e-12) : .infinity
            if worst == nil || err > maxAbs { worst = (n, k, a, numeric) }
            maxAbs = Swift.max(maxAbs, err)
            maxRel = Swift.max(maxRel, rel)
        }
    }
    return GradCheckResult(maxAbsoluteError: maxAbs, maxRelativeError: maxRel, passed: passed, worst: worst)
}
