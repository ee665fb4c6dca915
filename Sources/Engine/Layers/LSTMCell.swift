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
///
/// Each step is written twice below: the one the layers run, whose loops are in C so that clang
/// can vectorise them (CSupport/lstm_kernels.c), and the same arithmetic in plain Swift, unit by
/// unit — the one to read, and the one `CellKernelTests` holds the C step to.
enum LSTMKernel: CellKernel {
    static var gateCount: Int { 4 }
    static var addsHiddenProjection: Bool { true }
    static var keepsCell: Bool { true }
    static var hasDirectHiddenPath: Bool { false }

    // MARK: The step the layers run: the arithmetic in C (CSupport/lstm_kernels.c), vectorised.

    @inline(__always)
    static func forwardStep<Scalar: KernelScalar>(_ tape: SequenceTape<Scalar>, t: Int, hidden: UnsafePointer<Scalar>) {
        let H = tape.hiddenSize, row = tape.row(t, width: H)
        Scalar.lstmForwardStep(batch: tape.batch, hidden: H, gates: tape.gates + tape.row(t, width: 4 * H), cPrev: tape.cPrev! + row,
                               c: tape.c! + row, tanhC: tape.tanhC! + row, h: tape.h + row)
    }

    @inline(__always)
    static func backwardStep<Scalar: KernelScalar>(_ tape: SequenceTape<Scalar>, t: Int, _ d: StepGradients<Scalar>) {
        let H = tape.hiddenSize, row = tape.row(t, width: H)
        Scalar.lstmBackwardStep(batch: tape.batch, hidden: H, gates: tape.gates + tape.row(t, width: 4 * H), cPrev: tape.cPrev! + row,
                                tanhC: tape.tanhC! + row, dh: d.dh, dc: d.dc, dGates: d.dGates)
    }

    // MARK: The same step in plain Swift, unit by unit: the reference the tests hold the C to.

    static func referenceForwardStep<Scalar: KernelScalar>(_ tape: SequenceTape<Scalar>, t: Int, hidden: UnsafePointer<Scalar>) {
        let B = tape.batch, H = tape.hiddenSize
        for b in 0..<B {
            let gates = tape.gates + tape.row(t, width: 4 * H) + b * 4 * H  // pre-activations in, [i f g o] out
            let s = tape.row(t, width: H) + b * H                           // this sequence's state row
            for j in 0..<H {
                let i = Scalar.referenceSigmoid(gates[j])
                let f = Scalar.referenceSigmoid(gates[H + j])
                let g = Scalar.referenceTanh(gates[2 * H + j])
                let o = Scalar.referenceSigmoid(gates[3 * H + j])
                let c = f * tape.cPrev![s + j] + i * g                      // cₜ = fₜ ⊙ cₜ₋₁ + iₜ ⊙ gₜ
                gates[j] = i; gates[H + j] = f; gates[2 * H + j] = g; gates[3 * H + j] = o
                tape.c![s + j] = c
                tape.tanhC![s + j] = Scalar.referenceTanh(c)
                tape.h[s + j] = o * Scalar.referenceTanh(c)                 // hₜ = oₜ ⊙ tanh(cₜ)
            }
        }
    }

    static func referenceBackwardStep<Scalar: KernelScalar>(_ tape: SequenceTape<Scalar>, t: Int, _ d: StepGradients<Scalar>) {
        let B = tape.batch, H = tape.hiddenSize
        for b in 0..<B {
            let gates = tape.gates + tape.row(t, width: 4 * H) + b * 4 * H  // iₜ fₜ gₜ oₜ, activated
            let dGates = d.dGates + b * 4 * H
            let s = tape.row(t, width: H) + b * H, k = b * H
            for j in 0..<H {
                let i = gates[j], f = gates[H + j], g = gates[2 * H + j], o = gates[3 * H + j]
                let tanhC = tape.tanhC![s + j], dh = d.dh[k + j]
                let dO = dh * tanhC                                         // ∂L/∂oₜ = ∂L/∂hₜ ⊙ tanh(cₜ)
                let dC = d.dc[k + j] + dh * o * (1 - tanhC * tanhC)         // ∂L/∂cₜ, from cₜ₊₁ and from hₜ
                d.dc[k + j] = dC * f                                        // ∂L/∂cₜ₋₁ = ∂L/∂cₜ ⊙ fₜ
                dGates[j] = dC * g * i * (1 - i)                            // ∂L/∂iₜ ⊙ σ′
                dGates[H + j] = dC * tape.cPrev![s + j] * f * (1 - f)       // ∂L/∂fₜ ⊙ σ′
                dGates[2 * H + j] = dC * i * (1 - g * g)                    // ∂L/∂gₜ ⊙ tanh′
                dGates[3 * H + j] = dO * o * (1 - o)                        // ∂L/∂oₜ ⊙ σ′
            }
        }
    }
}
