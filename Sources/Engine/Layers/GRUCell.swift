import CSupport

/// The gated recurrent unit, PyTorch's `nn.GRU` step. Gate blocks are stacked r, z, n:
///
///     rₜ = σ(xₜ·W_irᵀ + b_ir + hₜ₋₁·W_hrᵀ + b_hr)          reset gate
///     zₜ = σ(xₜ·W_izᵀ + b_iz + hₜ₋₁·W_hzᵀ + b_hz)          update gate
///     nₜ = tanh(xₜ·W_inᵀ + b_in + rₜ ⊙ (hₜ₋₁·W_hnᵀ + b_hn))  candidate state
///     hₜ = (1 − zₜ) ⊙ nₜ + zₜ ⊙ hₜ₋₁
///
/// Note where rₜ sits: it scales W_hn·hₜ₋₁ + b_hn *including its bias* (PyTorch's and cuDNN's
/// form, not the original paper's rₜ ⊙ hₜ₋₁ inside the product), so the hidden-side projection of
/// the candidate is kept apart from the input side.
///
/// Backward, given ∂L/∂hₜ, with ĥₙ = hₜ₋₁·W_hnᵀ + b_hn:
///
///     ∂L/∂nₜ = ∂L/∂hₜ ⊙ (1 − zₜ)              ∂L/∂zₜ = ∂L/∂hₜ ⊙ (hₜ₋₁ − nₜ)
///     ∂L/∂aₙ = ∂L/∂nₜ ⊙ (1 − nₜ²)              (candidate pre-activation, input side)
///     ∂L/∂ĥₙ = ∂L/∂aₙ ⊙ rₜ                     (hidden side)
///     ∂L/∂rₜ = ∂L/∂aₙ ⊙ ĥₙ,  then σ′ for r and z
///     ∂L/∂hₜ₋₁ = ∂L/∂hₜ ⊙ zₜ + [∂L/∂a_r, ∂L/∂a_z, ∂L/∂ĥₙ]·W_hh
///
/// The direct term ∂L/∂hₜ ⊙ zₜ plays the LSTM cell path's role: where zₜ ≈ 1 the state and its
/// gradient pass through unchanged.
enum GRUKernel: CellKernel {
    static var gateCount: Int { 3 }
    static var addsHiddenProjection: Bool { false }
    static var keepsCell: Bool { false }
    static var hasDirectHiddenPath: Bool { true }

    /// The arithmetic is in C (CSupport/gru_kernels.c): the same formulas, vectorised.
    @inline(__always)
    static func forwardStep(_ tape: SequenceTape, t: Int, hidden: UnsafePointer<Double>) {
        let H = tape.hiddenSize, row = tape.row(t, width: H)
        rnnlab_gru_forward_step(tape.batch, H, tape.gates + tape.row(t, width: 3 * H), hidden, tape.hPrev + row,
                                tape.hiddenCandidate! + row, tape.h + row)
    }

    @inline(__always)
    static func backwardStep(
        _ tape: SequenceTape, t: Int, dh: UnsafePointer<Double>, dc: UnsafeMutablePointer<Double>,
        dGates: UnsafeMutablePointer<Double>, dGatesHidden: UnsafeMutablePointer<Double>,
        dhPrevDirect: UnsafeMutablePointer<Double>
    ) {
        let H = tape.hiddenSize, row = tape.row(t, width: H)
        rnnlab_gru_backward_step(tape.batch, H, tape.gates + tape.row(t, width: 3 * H), tape.hPrev + row,
                                 tape.hiddenCandidate! + row, dh, dGates, dGatesHidden, dhPrevDirect)
    }
}
