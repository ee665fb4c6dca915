import CSupport

/// The long short-term memory cell, PyTorch's `nn.LSTM` step. Gate blocks in W_ih, W_hh, b_ih,
/// b_hh are stacked in the order i, f, g, o:
///
///     iₜ = σ(xₜ·W_iiᵀ + b_ii + hₜ₋₁·W_hiᵀ + b_hi)      input gate: how much new content to write
///     fₜ = σ(xₜ·W_ifᵀ + b_if + hₜ₋₁·W_hfᵀ + b_hf)      forget gate: how much old cell state to keep
///     gₜ = tanh(xₜ·W_igᵀ + b_ig + hₜ₋₁·W_hgᵀ + b_hg)   candidate content
///     oₜ = σ(xₜ·W_ioᵀ + b_io + hₜ₋₁·W_hoᵀ + b_ho)      output gate: how much of the cell to show
///     cₜ = fₜ ⊙ cₜ₋₁ + iₜ ⊙ gₜ                        the cell state: an additive path through time
///     hₜ = oₜ ⊙ tanh(cₜ)
///
/// Backward, given ∂L/∂hₜ and ∂L/∂cₜ from the future:
///
///     ∂L/∂oₜ = ∂L/∂hₜ ⊙ tanh(cₜ)
///     ∂L/∂cₜ ← ∂L/∂cₜ + ∂L/∂hₜ ⊙ oₜ ⊙ (1 − tanh²(cₜ))
///     ∂L/∂iₜ = ∂L/∂cₜ ⊙ gₜ,   ∂L/∂gₜ = ∂L/∂cₜ ⊙ iₜ,   ∂L/∂fₜ = ∂L/∂cₜ ⊙ cₜ₋₁
///     ∂L/∂cₜ₋₁ = ∂L/∂cₜ ⊙ fₜ                          ← no matrix product: the gradient highway
///     pre-activations: σ′ = s(1 − s) for i, f, o;  tanh′ = 1 − g² for g
///
/// ∂L/∂cₜ₋₁ = ∂L/∂cₜ ⊙ fₜ is the point of the LSTM: while the forget gate stays near 1, the
/// gradient crosses many steps undiminished, where a vanilla RNN multiplies it by W_hh each time.
enum LSTMKernel: CellKernel {
    static var gateCount: Int { 4 }
    static var addsHiddenProjection: Bool { true }
    static var keepsCell: Bool { true }
    static var hasDirectHiddenPath: Bool { false }

    /// The arithmetic is in C (CSupport/lstm_kernels.c): the same formulas, vectorised.
    @inline(__always)
    static func forwardStep(_ tape: SequenceTape, t: Int, hidden: UnsafePointer<Double>) {
        let H = tape.hiddenSize, row = tape.row(t, width: H)
        rnnlab_lstm_forward_step(tape.batch, H, tape.gates + tape.row(t, width: 4 * H), tape.cPrev! + row,
                                 tape.c! + row, tape.tanhC! + row, tape.h + row)
    }

    @inline(__always)
    static func backwardStep(
        _ tape: SequenceTape, t: Int, dh: UnsafePointer<Double>, dc: UnsafeMutablePointer<Double>,
        dGates: UnsafeMutablePointer<Double>, dGatesHidden: UnsafeMutablePointer<Double>,
        dhPrevDirect: UnsafeMutablePointer<Double>
    ) {
        let H = tape.hiddenSize, row = tape.row(t, width: H)
        rnnlab_lstm_backward_step(tape.batch, H, tape.gates + tape.row(t, width: 4 * H), tape.cPrev! + row,
                                  tape.tanhC! + row, dh, dc, dGates)
    }
}
