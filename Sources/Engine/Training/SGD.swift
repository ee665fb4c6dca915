import CSupport
/// Stochastic gradient descent with optional momentum, Nesterov momentum and weight decay:
/// PyTorch's `torch.optim.SGD`, same defaults, same formulas, same order of operations.
///
/// For each parameter p whose gradient ∇ is set, with learning rate η, momentum μ, dampening τ and
/// weight decay λ:
///
///     g ← ∇ + λ·p                       (only if λ ≠ 0: an L2 penalty ½λ‖p‖² added to the loss)
///     if μ ≠ 0:
///         b ← g                         on this parameter's first step
///         b ← μ·b + (1 − τ)·g           on every later step
///         g ← nesterov ? g + μ·b : b
///     p ← p − η·g
///
/// *Why momentum*: b is a running (exponentially decaying) sum of past gradients, so directions
/// that the gradient keeps pointing in build up speed while directions where it flips sign from
/// batch to batch cancel out — a ball rolling down the loss surface rather than a walker who
/// forgets each step. *Why Nesterov*: it takes the gradient step as if the momentum step had
/// already been made ("look ahead"), which damps the overshoot of plain momentum.
///
/// Note the first step: PyTorch starts the buffer at g itself, not at (1 − τ)·g, so dampening only
/// affects later steps. The gradient in `p.grad` is never modified; the decayed g is a temporary.
///
/// Rounding: PyTorch's CPU kernels for `add(…, alpha:)` compute a + α·b with one fused
/// multiply-add (one rounding), so this does too (`addingProduct`), and a step agrees with
/// PyTorch float64 to the last bit or two rather than merely to 1e-15.
public final class SGD: Optimizer {
    public let parameters: [Tensor]
    /// η, the step size. PyTorch's default is 1e-3; set it.
    public var lr: Double
    /// μ ∈ [0, ∞); 0 turns momentum off (and no buffer is kept).
    public var momentum: Double
    /// τ: how much of the new gradient is *not* added to the buffer (0: all of it).
    public var dampening: Double
    /// λ ≥ 0, the coefficient of the L2 penalty folded into the gradient.
    public var weightDecay: Double
    /// Use Nesterov's look-ahead form; needs μ > 0 and τ = 0.
    public var nesterov: Bool

    /// One momentum buffer per parameter, created (as a copy of g) on that parameter's first step
    /// with a gradient while μ ≠ 0, then updated in place.
    var momentumBuffers: [[Double]?]

    /// Throws for an empty or non-leaf parameter list, or invalid hyper-parameters: lr < 0,
    /// momentum < 0, weightDecay < 0, or nesterov without momentum > 0 and dampening = 0.
    public init(
        _ parameters: [Tensor], lr: Double = 1e-3, momentum: Double = 0, dampening: Double = 0,
        weightDecay: Double = 0, nesterov: Bool = false
    ) throws {
        try OptimizerCheck.parameters(parameters, "SGD")
        self.parameters = parameters
        self.lr = lr
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        self.momentumBuffers = Array(repeating: nil, count: parameters.count)
        try checkHyperparameters()
    }

    /// PyTorch's checks, with NaN rejected too.
    private func checkHyperparameters() throws {
        try OptimizerCheck.require(lr >= 0 && lr.isFinite, "SGD", "invalid learning rate lr = \(OptimizerCheck.show(lr)): it must be a finite number ≥ 0")
        try OptimizerCheck.require(momentum >= 0, "SGD", "invalid momentum = \(OptimizerCheck.show(momentum)): it must be ≥ 0")
        try OptimizerCheck.require(dampening.isFinite, "SGD", "invalid dampening = \(OptimizerCheck.show(dampening)): it must be a finite number")
        try OptimizerCheck.require(weightDecay >= 0, "SGD", "invalid weight_decay = \(OptimizerCheck.show(weightDecay)): it must be ≥ 0")
        try OptimizerCheck.require(
            !nesterov || (momentum > 0 && dampening == 0), "SGD",
            "Nesterov momentum requires momentum > 0 and dampening = 0 (got momentum = \(OptimizerCheck.show(momentum)), dampening = \(OptimizerCheck.show(dampening)))")
    }

    public func step() throws {
        try checkHyperparameters()
        try OptimizerCheck.gradients(parameters, "SGD")
        try OptimizerCheck.states(parameters, "SGD") { (momentumBuffers[$0]?.count, nil) }
        for (i, p) in parameters.enumerated() {
            // A frozen parameter (requires_grad set to false) keeps its values even if a gradient
            // from before it was frozen is still stored: freezing is what the learner asked for.
            guard p.requiresGrad, let grad = p.gradStorage else { continue }
            update(i, p, grad)
        }
    }

    /// p ← p − η·(∇ + λp), or with momentum b ← μ·b + (1 − τ)·g (g itself the first time), then
    /// p ← p − η·(g + μ·b) with Nesterov, p ← p − η·b without — element by element in C
    /// (CSupport/optimizer_kernels.c: the fused multiply-adds of PyTorch's kernel, vectorised).
    /// A float32 parameter is stepped in float arithmetic, as PyTorch's float32 kernel does: it and
    /// its momentum stay float32, with that step's roundings (a float64 step rounded once lands an
    /// ulp away often enough to drift over thousands of steps); the kernel reads and writes the
    /// widened storage directly.
    private func update(_ i: Int, _ p: Tensor, _ grad: [Double]) {
        let float32 = p.dtype == .float32
        let (lr, wd, mu, keep, nesterov) = (lr, weightDecay, momentum, 1 - dampening, nesterov ? Int32(1) : 0)
        if momentum == 0 {
            guard !grad.isEmpty else { return }  // an empty buffer need not have an address
            p.storage.withUnsafeMutableBufferPointer { pp in
                grad.withUnsafeBufferPointer { pg in
                    let (p, g, n) = (pp.baseAddress!, pg.baseAddress!, pp.count)
                    if float32 { rnnlab_sgd_update_f32(n, p, g, Float(lr), Float(wd)) } else { rnnlab_sgd_update(n, p, g, lr, wd) }
                }
            }
            return
        }
        // The buffer starts as zeros and takes g itself on the first step.
        let first: Int32 = momentumBuffers[i] == nil ? 1 : 0
        var buffer = momentumBuffers[i] ?? [Double](repeating: 0, count: grad.count)
        momentumBuffers[i] = nil  // moved out while it is updated, so the array is not copied
        defer { momentumBuffers[i] = buffer }
        guard !grad.isEmpty else { return }  // (the empty buffer is kept)
        p.storage.withUnsafeMutableBufferPointer { pp in
            grad.withUnsafeBufferPointer { pg in
                buffer.withUnsafeMutableBufferPointer { bb in
                    let (p, g, b, n) = (pp.baseAddress!, pg.baseAddress!, bb.baseAddress!, pp.count)
                    if float32 {
                        rnnlab_sgd_momentum_update_f32(n, p, g, b, Float(lr), Float(wd), Float(mu), Float(keep), nesterov, first)
                    } else {
                        rnnlab_sgd_momentum_update(n, p, g, b, lr, wd, mu, keep, nesterov, first)
                    }
                }
            }
        }
    }

    /// PyTorch's `optimizer.state[p]`: `["momentum_buffer": b]` once p has taken a step with
    /// momentum, otherwise empty (also for a tensor this optimizer does not own). A copy.
    public func state(of parameter: Tensor) -> [String: Tensor] {
        guard let i = parameters.firstIndex(where: { $0 === parameter }), let b = momentumBuffers[i] else { return [:] }
        return ["momentum_buffer": Tensor(uncheckedShape: parameter.shape, storage: b)]
    }
}
