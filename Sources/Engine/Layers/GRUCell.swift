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

    @inline(__always)
    static func forwardStep(_ tape: SequenceTape, t: Int, hidden: UnsafePointer<Double>) {
        let H = tape.hiddenSize
        let gates = tape.gates + tape.row(t, width: 3 * H)
        let stateRow = tape.row(t, width: H)
        let hPrev = tape.hPrev + stateRow, h = tape.h + stateRow
        let candidateHidden = tape.hiddenCandidate! + stateRow
        for b in 0..<tape.batch {
            let g3 = gates + b * 3 * H, e3 = hidden + b * 3 * H
            let s = b * H
            for j in 0..<2 * H { g3[j] += e3[j] }
            rnnlab_vsigmoid(g3, g3, 2 * H)                                    // rₜ, zₜ
            for j in 0..<H {
                candidateHidden[s + j] = e3[2 * H + j]                          // ĥₙ = W_hn·hₜ₋₁ + b_hn
                g3[2 * H + j] += g3[j] * e3[2 * H + j]                          // W_in·xₜ + b_in + rₜ⊙ĥₙ
            }
            rnnlab_vtanh(g3 + 2 * H, g3 + 2 * H, H)                            // nₜ
            for j in 0..<H {
                let update = g3[H + j], candidate = g3[2 * H + j]
                h[s + j] = candidate + update * (hPrev[s + j] - candidate)      // (1−zₜ)⊙nₜ + zₜ⊙hₜ₋₁
            }
        }
    }

    @inline(__always)
    static func backwardStep(
        _ tape: SequenceTape, t: Int, dh: UnsafePointer<Double>, dc: UnsafeMutablePointer<Double>,
        dGates: UnsafeMutablePointer<Double>, dGatesHidden: UnsafeMutablePointer<Double>,
        dhPrevDirect: UnsafeMutablePointer<Double>
    ) {
        let H = tape.hiddenSize
        let gates = tape.gates + tape.row(t, width: 3 * H)
        let stateRow = tape.row(t, width: H)
        let hPrev = tape.hPrev + stateRow, candidateHidden = tape.hiddenCandidate! + stateRow
        for b in 0..<tape.batch {
            let g3 = gates + b * 3 * H, d3 = dGates + b * 3 * H, e3 = dGatesHidden + b * 3 * H
            let s = b * H
            for j in 0..<H {
                let reset = g3[j], update = g3[H + j], candidate = g3[2 * H + j]
                let dCandidate = dh[s + j] * (1 - update)
                let dUpdate = dh[s + j] * (hPrev[s + j] - candidate)
                let dCandidatePre = dCandidate * (1 - candidate * candidate)
                let dReset = dCandidatePre * candidateHidden[s + j]
                let dResetPre = dReset * reset * (1 - reset)
                let dUpdatePre = dUpdate * update * (1 - update)
                d3[j] = dResetPre; d3[H + j] = dUpdatePre; d3[2 * H + j] = dCandidatePre
                e3[j] = dResetPre; e3[H + j] = dUpdatePre; e3[2 * H + j] = dCandidatePre * reset
                dhPrevDirect[s + j] = dh[s + j] * update
            }
        }
    }
}
