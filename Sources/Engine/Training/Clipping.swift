import Foundation

// Gradient clipping: the standard cure for the *exploding gradients* of recurrent networks.
//
// Backpropagation through time multiplies the gradient by the recurrent Jacobian once per time
// step, so over a long sequence it can grow geometrically and one unlucky batch throws the weights
// far away. Clipping bounds the size of a step without changing its direction (by norm) or
// bounds every component separately (by value). Both work on `p.grad` in place, between
// `loss.backward()` and `optimizer.step()`, exactly like PyTorch's `torch.nn.utils` functions.

/// The norm of all gradients taken together, as if concatenated into one vector
/// (PyTorch's `torch.nn.utils.get_total_norm` of the grads).
///
/// For `normType` 2 it is computed as PyTorch does, as a norm of norms:
/// total = ‖(‖g₁‖₂, ‖g₂‖₂, …)‖₂ = √(Σᵢ Σₖ gᵢₖ²). For `.infinity` it is maxᵢₖ |gᵢₖ|. Parameters
/// without a gradient are skipped; with none at all the norm is 0. A NaN anywhere gives NaN.
public func totalGradNorm(_ parameters: [Tensor], normType: Double = 2) throws -> Double {
    try checkNormType(normType, op: "totalGradNorm")
    var total = 0.0
    for p in parameters {
        guard let g = p.gradStorage else { continue }
        g.withUnsafeBufferPointer { pg in
            if normType == 2 {
                var s = 0.0
                for x in pg { s += x * x }
                let n = Foundation.sqrt(s)
                total += n * n
            } else {
                for x in pg {
                    let a = Swift.abs(x)
                    if a > total || a.isNaN { total = a }  // once NaN, stays NaN (NaN > x is false)
                }
            }
        }
    }
    return normType == 2 ? Foundation.sqrt(total) : total
}

/// Rescales all gradients together so that their total norm is at most `maxNorm`; returns the
/// total norm *before* clipping (PyTorch's `torch.nn.utils.clip_grad_norm_`).
///
///     total     = totalGradNorm(parameters, normType)
///     clip_coef = maxNorm / (total + 1e-6)
///     if clip_coef < 1:  g ← g · clip_coef   for every gradient g
///
/// *Why one coefficient for all*: scaling every gradient by the same factor keeps the direction
/// of the step (the update still points downhill); only its length is capped. The 1e-6 keeps the
/// division finite when every gradient is zero, and means a clipped norm lands just under maxNorm.
///
/// *Non-finite norms*: an `inf` or `NaN` in a gradient makes the total `inf` or `NaN`. As in
/// PyTorch (with its default `error_if_nonfinite=False`) the gradients are still multiplied by
/// the coefficient — 0 for `inf` (so finite entries become 0 and infinite ones NaN), NaN for NaN —
/// and the non-finite total is returned: check `result.isFinite` and skip `step()` when it is
/// false, which is what mixed-precision trainers do. With `errorIfNonfinite: true` the function
/// throws instead, before touching any gradient.
///
/// Throws for a `normType` other than 2 or `.infinity` and for a negative or NaN `maxNorm`.
@discardableResult
public func clipGradNorm(
    _ parameters: [Tensor], maxNorm: Double, normType: Double = 2, errorIfNonfinite: Bool = false
) throws -> Double {
    guard maxNorm >= 0 else {
        throw TensorError.invalidArgument(op: "clip_grad_norm", message: "max_norm = \(OptimizerCheck.show(maxNorm)): it must be ≥ 0")
    }
    try checkNormType(normType, op: "clip_grad_norm")
    let total = try totalGradNorm(parameters, normType: normType)
    if errorIfNonfinite && !total.isFinite {
        throw TensorError.invalidArgument(
            op: "clipGradNorm",
            message: "the total gradient norm is \(OptimizerCheck.show(total)), so it cannot be clipped (a gradient contains inf or NaN); pass error_if_nonfinite: false to scale by it anyway")
    }
    let coef = maxNorm / (total + 1e-6)
    // PyTorch multiplies by min(coef, 1); multiplying by exactly 1 changes nothing, so skip it.
    // `!(coef >= 1)` rather than `coef < 1` so that a NaN coefficient is applied, as there.
    if !(coef >= 1) {
        for p in parameters where p.gradStorage != nil {
            p.gradStorage!.withUnsafeMutableBufferPointer { g in
                for k in 0..<g.count { g[k] *= coef }
            }
        }
    }
    return total
}

/// Clamps every gradient element into [−value, value] (PyTorch's `torch.nn.utils.clip_grad_value_`).
///
/// Cruder than ``clipGradNorm(_:maxNorm:normType:errorIfNonfinite:)``: each component is cut
/// separately, so the direction of the step changes when some are cut and others are not. NaN
/// entries stay NaN. Throws for a negative or NaN `value`.
public func clipGradValue(_ parameters: [Tensor], _ value: Double) throws {
    guard value >= 0 else {
        throw TensorError.invalidArgument(op: "clipGradValue", message: "value = \(OptimizerCheck.show(value)): it must be ≥ 0")
    }
    for p in parameters where p.gradStorage != nil {
        p.gradStorage!.withUnsafeMutableBufferPointer { g in
            for k in 0..<g.count {
                if g[k] < -value { g[k] = -value } else if g[k] > value { g[k] = value }
            }
        }
    }
}

private func checkNormType(_ normType: Double, op: String) throws {
    guard normType == 2 || normType == .infinity else {
        throw TensorError.invalidArgument(op: op, message: "norm_type = \(OptimizerCheck.show(normType)): only 2 and infinity are supported")
    }
}
