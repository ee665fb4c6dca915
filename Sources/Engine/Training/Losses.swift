import CSupport
import Foundation

/// Loss functions: one number that says how wrong the model is, and whose gradient says how to
/// be less wrong.
///
/// Each loss is a single fused graph node rather than a chain of elementwise ops and a mean:
/// forward and backward sit side by side below, the backward is the simplified closed form
/// (σ(x) − y, softmax − one-hot, …) instead of a product of intermediate Jacobians, and the
/// forward is written in its numerically stable form. All reduce with the mean, PyTorch's default
/// `reduction="mean"`, so the loss does not grow with the batch size.
///
/// Cross-entropy is in `CrossEntropy.swift`.
public enum Loss {
    /// Mean squared error, PyTorch's `F.mse_loss(prediction, target)`:
    ///
    ///     L = (1/n) Σᵢ (xᵢ − yᵢ)²        ∂L/∂xᵢ = (2/n)(xᵢ − yᵢ),  ∂L/∂yᵢ = −(2/n)(xᵢ − yᵢ)
    ///
    /// The loss for regression (predicting the next value of a sine wave, a temperature): the
    /// maximum-likelihood loss when the errors are Gaussian. Both operands receive a gradient.
    ///
    /// The shapes must be equal. PyTorch broadcasts them with only a warning, which is how a
    /// prediction of shape (N, 1) against a target of shape (N,) silently becomes an (N, N) loss
    /// that trains to the mean; here it is an error naming both shapes. An empty input gives NaN.
    public static func mse(_ prediction: Tensor, _ target: Tensor) throws -> Tensor {
        guard prediction.shape == target.shape else {
            throw TensorError.shapeMismatch(op: "mse", lhs: prediction.shape, rhs: target.shape)
        }
        let x = prediction.storage, y = target.storage, n = x.count
        let total = x.withUnsafeBufferPointer { px in
            y.withUnsafeBufferPointer { py in sumOfSquaredDifferences(px.baseAddress, py.baseAddress, count: n) }
        }
        let (needX, needY) = (prediction.requiresGrad, target.requiresGrad)
        // Both float32: the loss and both gradients are float32, rounded here in the one pass that
        // forms them rather than scanned and rounded again by the backward walk (−g rounds as g does).
        let float32 = prediction.dtype == .float32 && target.dtype == .float32
        let loss = total / Double(n)
        return Tensor.result(shape: [], storage: [float32 ? Double(Float(loss)) : loss], op: "mse", inputs: [prediction, target],
                             exact: float32, backward: { g in
            let scale = 2 / Double(n) * g[0]
            let gx = [Double](unsafeUninitializedCapacity: n) { out, initialized in
                x.withUnsafeBufferPointer { px in
                    y.withUnsafeBufferPointer { py in
                        // scale·(xᵢ − yᵢ) (CSupport/loss_kernels.c), rounded to float32 for float32 operands.
                        if n > 0 { rnnlab_scaled_differences(px.baseAddress!, py.baseAddress!, n, scale, float32 ? 1 : 0, out.baseAddress!) }
                    }
                }
                initialized = n
            }
            return [needX ? gx : nil, needY ? gx.map { -$0 } : nil]
        })
    }

    /// Σᵢ (xᵢ − yᵢ)² in eight interleaved partial sums, lane k adding i ≡ k (mod 8) in order, then
    /// the lanes and the remainder: one running sum waits four cycles for each addition (a large
    /// layer's loss spent 0.2 ms a step there), eight keep a vector unit busy. The order is fixed, so
    /// the loss is the same on every run and machine.
    /// The loop is in C (CSupport/loss_kernels.c), eight doubles to a vector on AVX-512.
    static func sumOfSquaredDifferences(_ x: UnsafePointer<Double>?, _ y: UnsafePointer<Double>?, count n: Int) -> Double {
        guard let x, let y, n > 0 else { return 0 }
        return rnnlab_sum_of_squared_differences(x, y, n)
    }

    /// Binary cross-entropy on logits, PyTorch's `F.binary_cross_entropy_with_logits`: the loss
    /// for yes/no outputs (is the next bit 1? is this review positive?), with the sigmoid built in.
    ///
    /// With p = σ(x) the predicted probability of 1 and y the target (0 or 1, or a soft label):
    ///
    ///     L = −(1/n) Σᵢ [yᵢ log σ(xᵢ) + (1 − yᵢ) log(1 − σ(xᵢ))]
    ///       =  (1/n) Σᵢ [max(xᵢ, 0) − xᵢyᵢ + log(1 + e^(−|xᵢ|))]
    ///     ∂L/∂xᵢ = (σ(xᵢ) − yᵢ)/n,   ∂L/∂yᵢ = −xᵢ/n
    ///
    /// *Why on logits*: σ(40) is exactly 1 in Double, so log(1 − σ(40)) = −∞ even though the true
    /// loss is a perfectly ordinary 40. The second line never forms σ(x): e^(−|x|) ≤ 1 cannot
    /// overflow and `log1p` keeps its precision when it is tiny. The gradient σ(x) − y is the same
    /// "prediction minus target" as for MSE and softmax cross-entropy.
    ///
    /// The shapes must be equal (PyTorch requires it too). An empty input gives NaN.
    public static func binaryCrossEntropyWithLogits(_ logits: Tensor, _ targets: Tensor) throws -> Tensor {
        guard logits.shape == targets.shape else {
            throw TensorError.shapeMismatch(op: "binaryCrossEntropyWithLogits", lhs: logits.shape, rhs: targets.shape)
        }
        let x = logits.storage, y = targets.storage, n = x.count
        var total = 0.0
        x.withUnsafeBufferPointer { px in
            y.withUnsafeBufferPointer { py in
                for i in 0..<n {
                    let xi = px[i]
                    total += Swift.max(xi, 0) - xi * py[i] + Foundation.log1p(Foundation.exp(-Swift.abs(xi)))
                }
            }
        }
        let (needX, needY) = (logits.requiresGrad, targets.requiresGrad)
        return Tensor.result(
            shape: [], storage: [total / Double(n)], op: "binaryCrossEntropyWithLogits", inputs: [logits, targets],
            backward: { g in
                let scale = g[0] / Double(n)
                var gx: [Double]? = nil, gy: [Double]? = nil
                if needX {
                    gx = [Double](repeating: 0, count: n)
                    for i in 0..<n { gx![i] = (sigmoidScalar(x[i]) - y[i]) * scale }
                }
                if needY {
                    gy = [Double](repeating: 0, count: n)
                    for i in 0..<n { gy![i] = -x[i] * scale }
                }
                return [gx, gy]
            })
    }

    /// Perplexity e^L of a mean cross-entropy L (in nats), the number language-model papers report.
    ///
    /// *Why*: it is the size of a uniform choice that would be as surprising as the model is on
    /// average. A model that knows nothing about a C-symbol alphabet outputs uniform logits, so
    /// L = log C and the perplexity is C; a perfect model scores 1. "Perplexity 3.2 on text" reads
    /// as "as unsure as picking among 3.2 equally likely characters". Differentiable (it is
    /// `exp`), though it is usually only reported.
    public static func perplexity(_ crossEntropy: Tensor) -> Tensor { crossEntropy.exp() }

    /// e^L for a cross-entropy already read out as a number.
    public static func perplexity(_ crossEntropy: Double) -> Double { Foundation.exp(crossEntropy) }
}
