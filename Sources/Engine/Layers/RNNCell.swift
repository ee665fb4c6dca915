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
    /// h = φ(a) over `count` values: the step the layers run.
    static func activate<Scalar: KernelScalar>(_ a: UnsafePointer<Scalar>, into h: UnsafeMutablePointer<Scalar>, count: Int)
    /// φ(a) for one value, in plain Swift: the reference ``activate(_:into:count:)`` is held to.
    static func reference<Scalar: KernelScalar>(_ a: Scalar) -> Scalar
    /// φ′ written in terms of the pre-activation a and the output h.
    static func derivative<Scalar: KernelScalar>(preActivation a: Scalar, output h: Scalar) -> Scalar
}

enum TanhActivation: RNNActivation {
    /// Vectorised in C (CSupport/vector_math.c), the LSTM's and GRU's tanh.
    @inline(__always) static func activate<Scalar: KernelScalar>(_ a: UnsafePointer<Scalar>, into h: UnsafeMutablePointer<Scalar>, count: Int) {
        Scalar.vtanh(a, h, count: count)
    }
    static func reference<Scalar: KernelScalar>(_ a: Scalar) -> Scalar { Scalar.referenceTanh(a) }
    @inline(__always) static func derivative<Scalar: KernelScalar>(preActivation a: Scalar, output h: Scalar) -> Scalar { 1 - h * h }
}

enum ReLUActivation: RNNActivation {
    @inline(__always) static func activate<Scalar: KernelScalar>(_ a: UnsafePointer<Scalar>, into h: UnsafeMutablePointer<Scalar>, count: Int) {
        for k in 0..<count { h[k] = a[k] > 0 ? a[k] : 0 }
    }
    static func reference<Scalar: KernelScalar>(_ a: Scalar) -> Scalar { Swift.max(a, 0) }
    @inline(__always) static func derivative<Scalar: KernelScalar>(preActivation a: Scalar, output h: Scalar) -> Scalar { a > 0 ? 1 : 0 }
}

/// The vanilla cell's pointwise step; `gates` holds aₜ (one block).
///
/// Only φ itself runs in C (tanh, vectorised); the backward step is plain Swift already, so it
/// is its own reference.
enum RNNKernel<Activation: RNNActivation>: CellKernel {
    static var gateCount: Int { 1 }
    static var addsHiddenProjection: Bool { true }
    static var keepsCell: Bool { false }
    static var hasDirectHiddenPath: Bool { false }

    @inline(__always)
    static func forwardStep<Scalar: KernelScalar>(_ tape: SequenceTape<Scalar>, t: Int, hidden: UnsafePointer<Scalar>) {
        let n = tape.batch * tape.hiddenSize
        let a = tape.gates + tape.row(t, width: tape.hiddenSize)
        let h = tape.h + tape.row(t, width: tape.hiddenSize)
        Activation.activate(a, into: h, count: n)
    }

    /// ∂L/∂aₜ = ∂L/∂hₜ ⊙ φ′(aₜ).
    @inline(__always)
    static func backwardStep<Scalar: KernelScalar>(_ tape: SequenceTape<Scalar>, t: Int, _ d: StepGradients<Scalar>) {
        let n = tape.batch * tape.hiddenSize
        let a = tape.gates + tape.row(t, width: tape.hiddenSize)
        let h = tape.h + tape.row(t, width: tape.hiddenSize)
        for k in 0..<n {
            d.dGates[k] = d.dh[k] * Activation.derivative(preActivation: a[k], output: h[k])
        }
    }

    /// hₜ = φ(aₜ), one unit at a time.
    static func referenceForwardStep<Scalar: KernelScalar>(_ tape: SequenceTape<Scalar>, t: Int, hidden: UnsafePointer<Scalar>) {
        let a = tape.gates + tape.row(t, width: tape.hiddenSize)
        let h = tape.h + tape.row(t, width: tape.hiddenSize)
        for k in 0..<tape.batch * tape.hiddenSize { h[k] = Activation.reference(a[k]) }
    }

    static func referenceBackwardStep<Scalar: KernelScalar>(_ tape: SequenceTape<Scalar>, t: Int, _ d: StepGradients<Scalar>) {
        backwardStep(tape, t: t, d)
    }
}
