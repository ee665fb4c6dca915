/// The pointwise part of a recurrent cell — everything between the matrix products.
///
/// ``RecurrentSequence`` does the matrix products for all cells alike (the input projection of
/// all steps as one GEMM, hₜ₋₁·W_hhᵀ per step, the weight gradients as one GEMM each after the
/// backward loop). A cell supplies only its gate equations, forward and backward, for one step —
/// twice: the step the layers run (vectorised C for the LSTM and GRU, see CSupport/*_kernels.c),
/// and beside it the same step in plain Swift, unit by unit, written as the equations in the
/// cell's doc comment. The plain step is the reference the tests hold the fast one to
/// (`CellKernelTests`: random tapes, awkward sizes, agreement to 1e-14 — the C exponential is
/// within 2 ulp of glibc's); a reader who wants the arithmetic reads it there, in one file per cell.
///
/// Every step is generic over the precision of the tape (``KernelScalar``): float64 runs the
/// `rnnlab_*` kernels, float32 their `_f32` twins, and the references compute in that precision too.
protocol CellKernel {
    /// Number of gate blocks stacked in W_ih and W_hh (PyTorch's order).
    static var gateCount: Int { get }
    /// Whether hₜ₋₁·W_hhᵀ + b_hh can simply be added to the input projection before the
    /// nonlinearities. True except for the GRU, whose reset gate multiplies W_hn·hₜ₋₁ + b_hn.
    static var addsHiddenProjection: Bool { get }
    static var keepsCell: Bool { get }
    /// Whether ∂L/∂hₜ₋₁ has a term that does not pass through W_hh (the GRU's zₜ ⊙ hₜ₋₁ path).
    static var hasDirectHiddenPath: Bool { get }

    /// Step t forward: `tape.gates` at t holds the full pre-activations (or, for the GRU, only the
    /// input side, with the hidden side in `hidden`, B × G·H). Writes activated gates and the new states.
    static func forwardStep<Scalar: KernelScalar>(_ tape: SequenceTape<Scalar>, t: Int, hidden: UnsafePointer<Scalar>)

    /// Step t backward: reads the tape at t and `gradients.dh` (and `dc`), writes the rest of
    /// `gradients` (see ``StepGradients``).
    static func backwardStep<Scalar: KernelScalar>(_ tape: SequenceTape<Scalar>, t: Int, _ gradients: StepGradients<Scalar>)

    /// ``forwardStep(_:t:hidden:)`` in plain Swift: the reference for the tests.
    static func referenceForwardStep<Scalar: KernelScalar>(_ tape: SequenceTape<Scalar>, t: Int, hidden: UnsafePointer<Scalar>)

    /// ``backwardStep(_:t:_:)`` in plain Swift: the reference for the tests.
    static func referenceBackwardStep<Scalar: KernelScalar>(_ tape: SequenceTape<Scalar>, t: Int, _ gradients: StepGradients<Scalar>)
}

/// What one backward step reads and writes besides the tape: B rows each, laid out as the tape's.
///
/// When the cell ``CellKernel/addsHiddenProjection``, the pre-activation gradients on the input
/// and hidden sides are the same numbers, and the driver passes one buffer for both: such cells
/// write `dGates` only.
struct StepGradients<Scalar: KernelScalar> {
    /// In: ∂L/∂hₜ, B × H (from the output at t and from step t + 1).
    let dh: UnsafePointer<Scalar>
    /// LSTM only. In: ∂L/∂cₜ from the future; out: replaced by ∂L/∂cₜ₋₁, B × H.
    let dc: UnsafeMutablePointer<Scalar>
    /// Out: ∂L/∂aₜ, the gradient of the input-side pre-activations (x·W_ihᵀ + b_ih), B × G·H.
    let dGates: UnsafeMutablePointer<Scalar>
    /// Out: the gradient of the hidden-side pre-activations (hₜ₋₁·W_hhᵀ + b_hh), B × G·H; the
    /// driver multiplies it by W_hh for ∂L/∂hₜ₋₁.
    let dGatesHidden: UnsafeMutablePointer<Scalar>
    /// Out, for cells with ``CellKernel/hasDirectHiddenPath``: the part of ∂L/∂hₜ₋₁ that does not
    /// pass through W_hh, written (not added), B × H. Other cells leave it alone.
    let dhPrevDirect: UnsafeMutablePointer<Scalar>
}
