import CSupport

/// The vanilla (Elman) recurrent cell, PyTorch's `nn.RNN` step:
///
///     aₜ = xₜ·W_ihᵀ + b_ih + hₜ₋₁·W_hhᵀ + b_hh        (pre-activation, B × H)
///     hₜ = φ(aₜ)                                      φ = tanh or ReLU
///
/// In the column-vector notation of most textbooks this is hₜ = φ(Wₕ·hₜ₋₁ + Wₓ·xₜ + b) with
/// Wₓ = W_ih, Wₕ = W_hh and b = b_ih + b_hh: the same numbers, written for a batch of rows.
///
/// Backward, given ∂L/∂hₜ:
///
///     ∂L/∂aₜ   = ∂L/∂hₜ ⊙ φ′(aₜ)         tanh′ = 1 − hₜ²,   ReLU′ = [aₜ > 0]
///     ∂L/∂hₜ₋₁ = ∂L/∂aₜ · W_hh            (done by the sequence driver)
///
/// That product by W_hh at every step, with φ′ ≤ 1, is why gradients through a vanilla RNN
/// shrink or grow geometrically with distance — the vanishing/exploding gradient problem.
protocol RNNActivation {
    static func activate(_ a: UnsafePointer<Double>, into h: UnsafeMutablePointer<Double>, count: Int)
    /// φ′ written in terms of the pre-activation a and the output h.
    static func derivative(preActivation a: Double, output h: Double) -> Double
}

enum TanhActivation: RNNActivation {
    @inline(__always) static func activate(_ a: UnsafePointer<Double>, into h: UnsafeMutablePointer<Double>, count: Int) {
        rnnlab_vtanh(a, h, count)
    }
    @inline(__always) static func derivative(preActivation a: Double, output h: Double) -> Double { 1 - h * h }
}

enum ReLUActivation: RNNActivation {
    @inline(__always) static func activate(_ a: UnsafePointer<Double>, into h: UnsafeMutablePointer<Double>, count: Int) {
        for k in 0..<count { h[k] = a[k] > 0 ? a[k] : 0 }
    }
    @inline(__always) static func derivative(preActivation a: Double, output h: Double) -> Double { a > 0 ? 1 : 0 }
}

/// The vanilla cell's pointwise step; `gates` holds aₜ (one block).
enum RNNKernel<Activation: RNNActivation>: CellKernel {
    static var gateCount: Int { 1 }
    static var addsHiddenProjection: Bool { true }
    static var keepsCell: Bool { false }
    static var hasDirectHiddenPath: Bool { false }

    @inline(__always)
    static func forwardStep(_ tape: SequenceTape, t: Int, hidden: UnsafePointer<Double>) {
        let n = tape.batch * tape.hiddenSize
        let a = tape.gates + tape.row(t, width: tape.hiddenSize)
        let h = tape.h + tape.row(t, width: tape.hiddenSize)
        Activation.activate(a, into: h, count: n)
    }

    @inline(__always)
    static func backwardStep(
        _ tape: SequenceTape, t: Int, dh: UnsafePointer<Double>, dc: UnsafeMutablePointer<Double>,
        dGates: UnsafeMutablePointer<Double>, dGatesHidden: UnsafeMutablePointer<Double>,
        dhPrevDirect: UnsafeMutablePointer<Double>
    ) {
        let n = tape.batch * tape.hiddenSize
        let a = tape.gates + tape.row(t, width: tape.hiddenSize)
        let h = tape.h + tape.row(t, width: tape.hiddenSize)
        for k in 0..<n {
            let da = dh[k] * Activation.derivative(preActivation: a[k], output: h[k])
            dGates[k] = da
        }
    }
}
