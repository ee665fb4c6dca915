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

    @inline(__always)
    static func forwardStep(_ tape: SequenceTape, t: Int, hidden: UnsafePointer<Double>) {
        let H = tape.hiddenSize, B = tape.batch
        let gates = tape.gates + tape.row(t, width: 4 * H)
        let stateRow = tape.row(t, width: H)
        let cPrev = tape.cPrev! + stateRow, c = tape.c! + stateRow
        let tanhC = tape.tanhC! + stateRow, h = tape.h + stateRow
        for b in 0..<B {
            let g4 = gates + b * 4 * H
            rnnlab_vsigmoid(g4, g4, 2 * H)                  // iₜ, fₜ
            rnnlab_vtanh(g4 + 2 * H, g4 + 2 * H, H)         // gₜ
            rnnlab_vsigmoid(g4 + 3 * H, g4 + 3 * H, H)      // oₜ
            let s = b * H
            for j in 0..<H { c[s + j] = g4[H + j] * cPrev[s + j] + g4[j] * g4[2 * H + j] }  // cₜ = fₜ⊙cₜ₋₁ + iₜ⊙gₜ
        }
        rnnlab_vtanh(c, tanhC, B * H)
        for b in 0..<B {
            let output = gates + b * 4 * H + 3 * H, s = b * H
            for j in 0..<H { h[s + j] = output[j] * tanhC[s + j] }  // hₜ = oₜ⊙tanh(cₜ)
        }
    }

    @inline(__always)
    static func backwardStep(
        _ tape: SequenceTape, t: Int, dh: UnsafePointer<Double>, dc: UnsafeMutablePointer<Double>,
        dGates: UnsafeMutablePointer<Double>, dGatesHidden: UnsafeMutablePointer<Double>,
        dhPrevDirect: UnsafeMutablePointer<Double>
    ) {
        let H = tape.hiddenSize
        let gates = tape.gates + tape.row(t, width: 4 * H)
        let stateRow = tape.row(t, width: H)
        let cPrev = tape.cPrev! + stateRow, tanhC = tape.tanhC! + stateRow
        for b in 0..<tape.batch {
            let g4 = gates + b * 4 * H, d4 = dGates + b * 4 * H
            let s = b * H
            for j in 0..<H {
                let input = g4[j], forget = g4[H + j], candidate = g4[2 * H + j], output = g4[3 * H + j]
                let squashed = tanhC[s + j]
                let dOutput = dh[s + j] * squashed
                let dCell = dc[s + j] + dh[s + j] * output * (1 - squashed * squashed)
                let dInput = dCell * candidate
                let dCandidate = dCell * input
                let dForget = dCell * cPrev[s + j]
                dc[s + j] = dCell * forget
                d4[j] = dInput * input * (1 - input)
                d4[H + j] = dForget * forget * (1 - forget)
                d4[2 * H + j] = dCandidate * (1 - candidate * candidate)
                d4[3 * H + j] = dOutput * output * (1 - output)
                dhPrevDirect[s + j] = 0
            }
        }
    }
}
