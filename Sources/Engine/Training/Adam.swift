import CSupport
import Foundation

/// Adam: gradient descent with a per-element step size, PyTorch's `torch.optim.Adam` (the
/// single-tensor CPU implementation, operation for operation).
///
/// For each parameter p with gradient ∇, learning rate η, betas (β₁, β₂), ε and weight decay λ,
/// on that parameter's t-th step (t counts from 1):
///
///     g ← ∇ + λ·p                      (Adam, λ ≠ 0: L2 penalty folded into the gradient)
///     p ← p·(1 − η·λ)                  (AdamW, λ ≠ 0: decoupled decay, before anything else)
///     m ← β₁·m + (1 − β₁)·g            first moment: a running mean of g
///     v ← β₂·v + (1 − β₂)·g²           second moment: a running mean of g²
///     step_size = η / (1 − β₁ᵗ)
///     denom = √v / √(1 − β₂ᵗ) + ε
///     p ← p − step_size · m / denom
///
/// *Why*: m/√v is roughly ±1 wherever the gradient has a consistent sign, whatever its scale, so
/// every weight moves about η per step — a weight with tiny gradients (a rarely seen character's
/// embedding) learns as fast as one with huge gradients (a saturated recurrent weight), and a
/// sudden gradient spike is divided by its own size. m and v start at 0, so early on they are
/// biased towards 0 by the factors 1 − β₁ᵗ and 1 − β₂ᵗ; dividing by those factors ("bias
/// correction") removes the bias. ε only keeps the division finite where v ≈ 0.
///
/// *Why AdamW*: with Adam's L2 term the decay λp is divided by √v like the gradient, so weights
/// with large gradients are hardly decayed at all. Decoupling it (Loshchilov & Hutter, 2019) makes
/// every weight shrink by the same factor 1 − ηλ per step, which is what "weight decay" promises.
///
/// Rounding, to agree with PyTorch to the last bit or two: m is updated with `lerp`
/// (m + (1 − β₁)·(g − m), the form PyTorch uses, equal to the formula above in exact arithmetic),
/// and like PyTorch's vectorised CPU kernels every "a + b·c" of `add(alpha:)`, `lerp` and
/// `addcmul` is one fused multiply-add.
public class Adam: Optimizer {
    public let parameters: [Tensor]
    /// η; PyTorch's default 1e-3.
    public var lr: Double
    /// (β₁, β₂), each in [0, 1): how slowly the two running means forget.
    public var betas: (Double, Double)
    /// ε > 0 added to the denominator.
    public var eps: Double
    /// λ ≥ 0; L2 (Adam) or decoupled (AdamW) according to ``decoupledWeightDecay``.
    public var weightDecay: Double
    /// Decay the weights directly, as AdamW does, instead of adding λp to the gradient.
    public let decoupledWeightDecay: Bool

    /// Per-parameter step count and moments, created at that parameter's first step with a gradient.
    final class Moments {
        var step = 0
        var m: [Double]
        var v: [Double]
        init(count: Int) {
            m = [Double](repeating: 0, count: count)
            v = [Double](repeating: 0, count: count)
        }
    }
    var moments: [Moments?]

    /// Throws for an empty or non-leaf parameter list, or lr < 0, eps < 0, a beta outside [0, 1),
    /// or weightDecay < 0.
    public init(
        _ parameters: [Tensor], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
        weightDecay: Double = 0, decoupledWeightDecay: Bool = false
    ) throws {
        try OptimizerCheck.parameters(parameters, name(decoupledWeightDecay))
        self.parameters = parameters
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
        self.moments = Array(repeating: nil, count: parameters.count)
        try checkHyperparameters()
    }

    private var op: String { name(decoupledWeightDecay) }

    private func checkHyperparameters() throws {
        let op = op
        try OptimizerCheck.require(lr >= 0 && lr.isFinite, op, "invalid learning rate lr = \(OptimizerCheck.show(lr)): it must be a finite number ≥ 0")
        try OptimizerCheck.require(eps >= 0, op, "invalid eps = \(OptimizerCheck.show(eps)): it must be ≥ 0")
        try OptimizerCheck.require(betas.0 >= 0 && betas.0 < 1, op, "invalid betas.0 = \(OptimizerCheck.show(betas.0)): it must be in [0, 1)")
        try OptimizerCheck.require(betas.1 >= 0 && betas.1 < 1, op, "invalid betas.1 = \(OptimizerCheck.show(betas.1)): it must be in [0, 1)")
        try OptimizerCheck.require(weightDecay >= 0, op, "invalid weight_decay = \(OptimizerCheck.show(weightDecay)): it must be ≥ 0")
    }

    public func step() throws {
        try checkHyperparameters()
        try OptimizerCheck.gradients(parameters, op)
        try OptimizerCheck.states(parameters, op) { (moments[$0]?.m.count, moments[$0]?.v.count) }
        for (i, p) in parameters.enumerated() {
            // A frozen parameter (requires_grad set to false) keeps its values even if a gradient
            // from before it was frozen is still stored: freezing is what the learner asked for.
            guard p.requiresGrad, let grad = p.gradStorage else { continue }
            let state: Moments
            if let existing = moments[i] { state = existing } else {
                state = Moments(count: grad.count)
                moments[i] = state
            }
            state.step += 1
            let t = Double(state.step)
            let (beta1, beta2) = betas
            let stepSize = lr / (1 - Foundation.pow(beta1, t))
            let correction2Sqrt = Foundation.pow(1 - Foundation.pow(beta2, t), 0.5)  // Python's `** 0.5`
            let (w1, w2) = (1 - beta1, 1 - beta2)
            let (wd, eps) = (weightDecay, eps)
            let decoupled = decoupledWeightDecay && wd != 0, coupled = !decoupledWeightDecay && wd != 0
            let decay = 1 - lr * wd
            // The loop is in C (CSupport/optimizer_kernels.c): PyTorch's formulas with its fused
            // multiply-adds, vectorised, where Swift's `addingProduct` calls libm per element.
            guard !grad.isEmpty else { continue }
            let p32 = p.dtype == .float32
            p.storage.withUnsafeMutableBufferPointer { pp in
                grad.withUnsafeBufferPointer { pg in
                    state.m.withUnsafeMutableBufferPointer { m in
                        state.v.withUnsafeMutableBufferPointer { v in
                            let (p, g, m, v, n) = (pp.baseAddress!, pg.baseAddress!, m.baseAddress!, v.baseAddress!, pp.count)
                            if p32 {
                                // In float arithmetic, as PyTorch's float32 kernel: the parameter and its
                                // moments stay float32, with that step's roundings; the scalars are formed
                                // in double and rounded, as PyTorch passes Python floats to its float kernels.
                                rnnlab_adam_update_f32(n, p, g, m, v, decoupled ? 1 : 0, Float(decay), coupled ? 1 : 0, Float(wd),
                                                       Float(w1), Float(beta2), Float(w2), Float(stepSize), Float(correction2Sqrt), Float(eps))
                            } else {
                                rnnlab_adam_update(n, p, g, m, v, decoupled ? 1 : 0, decay, coupled ? 1 : 0, wd, w1, beta2, w2,
                                                   stepSize, correction2Sqrt, eps)
                            }
                        }
                    }
                }
            }
        }
    }

    /// PyTorch's `optimizer.state[p]`: `step` (a scalar), `exp_avg` (m) and `exp_avg_sq` (v) once p
    /// has taken a step, otherwise empty (also for a tensor this optimizer does not own). Copies.
    public func state(of parameter: Tensor) -> [String: Tensor] {
        guard let i = parameters.firstIndex(where: { $0 === parameter }), let s = moments[i] else { return [:] }
        return [
            "step": Tensor(Double(s.step)),
            "exp_avg": Tensor(uncheckedShape: parameter.shape, storage: s.m),
            "exp_avg_sq": Tensor(uncheckedShape: parameter.shape, storage: s.v),
        ]
    }
}

/// Adam with decoupled weight decay, PyTorch's `torch.optim.AdamW`: the same as
/// `Adam(…, decoupledWeightDecay: true)` with PyTorch's AdamW default λ = 0.01. See ``Adam``.
public final class AdamW: Adam {
    public init(
        _ parameters: [Tensor], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
        weightDecay: Double = 1e-2
    ) throws {
        try super.init(parameters, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, decoupledWeightDecay: true)
    }
}

private func name(_ decoupled: Bool) -> String { decoupled ? "AdamW" : "Adam" }

