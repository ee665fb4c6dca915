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
///
/// Each step is written twice below: the one the layers run, in C so that clang can vectorise its
/// loops (CSupport/gru_kernels.c), and the same arithmetic in plain Swift, unit by unit — the one
/// to read, and the one `CellKernelTests` holds the C step to.
enum GRUKernel: CellKernel {
    static var gateCount: Int { 3 }
    static var addsHiddenProjection: Bool { false }
    static var keepsCell: Bool { false }
    static var hasDirectHiddenPath: Bool { true }

    // MARK: The step the layers run: the arithmetic in C (CSupport/gru_kernels.c), vectorised.

    @inline(__always)
    static func forwardStep<Scalar: KernelScalar>(_ tape: SequenceTape<Scalar>, t: Int, hidden: UnsafePointer<Scalar>) {
        let H = tape.hiddenSize, row = tape.row(t, width: H)
        Scalar.gruForwardStep(batch: tape.batch, hidden: H, gates: tape.gates + tape.row(t, width: 3 * H), hiddenSide: hidden,
                              hPrev: tape.hPrev + row, candidateHidden: tape.hiddenCandidate! + row, h: tape.h + row)
    }

    @inline(__always)
    static func backwardStep<Scalar: KernelScalar>(_ tape: SequenceTape<Scalar>, t: Int, _ d: StepGradients<Scalar>) {
        let H = tape.hiddenSize, row = tape.row(t, width: H)
        Scalar.gruBackwardStep(batch: tape.batch, hidden: H, gates: tape.gates + tape.row(t, width: 3 * H), hPrev: tape.hPrev + row,
                               candidateHidden: tape.hiddenCandidate! + row, dh: d.dh, dGates: d.dGates,
                               dHidden: d.dGatesHidden, dhPrevDirect: d.dhPrevDirect)
    }

    // MARK: The same step in plain Swift, unit by unit: the reference the tests hold the C to.

    static func referenceForwardStep<Scalar: KernelScalar>(_ tape: SequenceTape<Scalar>, t: Int, hidden: UnsafePointer<Scalar>) {
        let B = tape.batch, H = tape.hiddenSize
        for b in 0..<B {
            let gates = tape.gates + tape.row(t, width: 3 * H) + b * 3 * H  // input side in, [r z n] out
            let hiddenSide = hidden + b * 3 * H                             // hₜ₋₁·W_hᵀ + b_h
            let s = tape.row(t, width: H) + b * H
            for j in 0..<H {
                let r = Scalar.referenceSigmoid(gates[j] + hiddenSide[j])
                let z = Scalar.referenceSigmoid(gates[H + j] + hiddenSide[H + j])
                let hn = hiddenSide[2 * H + j]                              // ĥₙ = hₜ₋₁·W_hnᵀ + b_hn
                let n = Scalar.referenceTanh(gates[2 * H + j] + r * hn)     // nₜ: rₜ scales ĥₙ, bias included
                gates[j] = r; gates[H + j] = z; gates[2 * H + j] = n
                tape.hiddenCandidate![s + j] = hn
                tape.h[s + j] = (1 - z) * n + z * tape.hPrev[s + j]         // hₜ = (1 − zₜ) ⊙ nₜ + zₜ ⊙ hₜ₋₁
            }
        }
    }

    static func referenceBackwardStep<Scalar: KernelScalar>(_ tape: SequenceTape<Scalar>, t: Int, _ d: StepGradients<Scalar>) {
        let B = tape.batch, H = tape.hiddenSize
        for b in 0..<B {
            let gates = tape.gates + tape.row(t, width: 3 * H) + b * 3 * H  // rₜ zₜ nₜ, activated
            let dInput = d.dGates + b * 3 * H, dHidden = d.dGatesHidden + b * 3 * H
            let s = tape.row(t, width: H) + b * H, k = b * H
            for j in 0..<H {
                let r = gates[j], z = gates[H + j], n = gates[2 * H + j], dh = d.dh[k + j]
                let dN = dh * (1 - z)                                       // ∂L/∂nₜ
                let dZ = dh * (tape.hPrev[s + j] - n)                       // ∂L/∂zₜ
                let dAn = dN * (1 - n * n)                                  // ∂L/∂aₙ (input side)
                let dR = dAn * tape.hiddenCandidate![s + j]                 // ∂L/∂rₜ = ∂L/∂aₙ ⊙ ĥₙ
                let dAr = dR * r * (1 - r), dAz = dZ * z * (1 - z)          // σ′ for r and z
                dInput[j] = dAr; dInput[H + j] = dAz; dInput[2 * H + j] = dAn
                dHidden[j] = dAr; dHidden[H + j] = dAz; dHidden[2 * H + j] = dAn * r  // ∂L/∂ĥₙ = ∂L/∂aₙ ⊙ rₜ
                d.dhPrevDirect[k + j] = dh * z                              // the path around W_hh
            }
        }
    }
}
