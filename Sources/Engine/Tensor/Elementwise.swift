import CSupport
import Foundation

/// Elementwise functions: the activations of every recurrent cell and the usual math.
///
/// Each is a pair — the function and its derivative written in terms of the input x and the
/// output y, whichever is cheaper (tanh′ = 1 − y², σ′ = y(1 − y), exp′ = y).
extension Tensor {
    /// Applies `f` to every element; `derivative(x, y)` gives dy/dx for the backward pass.
    /// In chunks, so Ctrl-C stops it part-way (see ``Cancellation``): the result is then incomplete
    /// and the pending request makes the caller's next check throw. The backward pass likewise.
    @inline(__always)
    func map(op: String, _ f: (Double) -> Double, derivative: @escaping (Double, Double) -> Double) -> Tensor {
        let x = storage
        let y = x.withUnsafeBufferPointer { px in
            Cancellation.arrayUnlessCancelled(count: px.count) { py, range in for i in range { py[i] = f(px[i]) } }
        }
        return Tensor.result(shape: shape, storage: y, op: op, inputs: [self], backward: { [y] g in
            Tensor.derivativeProduct(g, x, y, derivative)
        })
    }

    /// gᵢ·derivative(xᵢ, yᵢ), chunk by chunk: the backward pass of every elementwise function.
    @inline(__always)
    static func derivativeProduct(_ g: [Double], _ x: [Double], _ y: [Double],
                                  _ derivative: (Double, Double) -> Double) -> [[Double]?] {
        var gx = [Double](repeating: 0, count: x.count)
        gx.withUnsafeMutableBufferPointer { pgx in
            Cancellation.forEachChunkUnlessCancelled(x.count) { range in
                for i in range { pgx[i] = g[i] * derivative(x[i], y[i]) }
            }
        }
        return [gx]
    }

    /// Like ``map(op:_:derivative:)`` with the forward computed over the whole buffer by a
    /// vectorised C routine (CSupport), for the activations that hand-built cells call at every step.
    /// (Chunks of ``Cancellation/chunk`` — a multiple of every vector width — leave each element in
    /// the lane it had in one call, so the results are the same bits.)
    @inline(__always)
    func mapBuffer(op: String, _ f: (UnsafePointer<Double>, UnsafeMutablePointer<Double>, Int) -> Void,
                   derivative: @escaping (Double, Double) -> Double) -> Tensor {
        let x = storage
        let y = x.withUnsafeBufferPointer { px in
            Cancellation.arrayUnlessCancelled(count: px.count) { py, range in
                f(px.baseAddress! + range.lowerBound, py + range.lowerBound, range.count)
            }
        }
        return Tensor.result(shape: shape, storage: y, op: op, inputs: [self], backward: { [y] g in
            Tensor.derivativeProduct(g, x, y, derivative)
        })
    }

    /// tanh(x) = (eˣ − e⁻ˣ)/(eˣ + e⁻ˣ), squashing to (−1, 1): the vanilla RNN's and the LSTM's candidate
    /// activation. Computed as the fused cells compute it (within 4·10⁻¹⁶ of the correctly rounded value).
    public func tanh() -> Tensor {
        mapBuffer(op: "tanh", { rnnlab_vtanh($0, $1, $2) }, derivative: { _, y in 1 - y * y })
    }

    /// σ(x) = 1/(1 + e⁻ˣ), squashing to (0, 1): every gate is a sigmoid, an "how much to let through".
    /// Computed as the fused cells compute it.
    public func sigmoid() -> Tensor {
        mapBuffer(op: "sigmoid", { rnnlab_vsigmoid($0, $1, $2) }, derivative: { _, y in y * (1 - y) })
    }

    /// max(0, x); derivative 1 for x > 0 and 0 otherwise (PyTorch's choice at 0).
    public func relu() -> Tensor { map(op: "relu", { Swift.max(0, $0) }, derivative: { x, _ in x > 0 ? 1 : 0 }) }

    public func exp() -> Tensor { map(op: "exp", Foundation.exp, derivative: { _, y in y }) }

    /// Natural logarithm; log(0) = −∞ and log of a negative number is NaN, as in NumPy.
    public func log() -> Tensor { map(op: "log", Foundation.log, derivative: { x, _ in 1 / x }) }

    /// sin(x) elementwise (radians); derivative cos(x).
    public func sin() -> Tensor { map(op: "sin", Foundation.sin, derivative: { x, _ in Foundation.cos(x) }) }

    /// cos(x) elementwise (radians); derivative −sin(x).
    public func cos() -> Tensor { map(op: "cos", Foundation.cos, derivative: { x, _ in -Foundation.sin(x) }) }

    public func sqrt() -> Tensor { map(op: "sqrt", Foundation.sqrt, derivative: { _, y in 0.5 / y }) }

    /// |x|; derivative sign(x), 0 at 0 (as PyTorch).
    public func abs() -> Tensor {
        map(op: "abs", Swift.abs, derivative: { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) })
    }
}

/// σ(x) computed without overflow for large |x|.
@inline(__always) public func sigmoidScalar(_ x: Double) -> Double {
    x >= 0 ? 1 / (1 + Foundation.exp(-x)) : { let e = Foundation.exp(x); return e / (1 + e) }()
}
