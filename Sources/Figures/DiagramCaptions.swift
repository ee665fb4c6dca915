/// The words under a drawing: what the picture itself cannot say (weight shapes, equations, which
/// numbers are shown, the state layout). The terminal's text drawing and the SVG drawing both
/// print these sentences, so a figure reads the same on screen, in a notebook and in the web book.

/// "(B, 4)", "(B, 2, 8)": a shape with the batch first.
func batchShape(_ parts: Int...) -> String { "(B, " + parts.map(String.init).joined(separator: ", ") + ")" }

extension CellDiagram {
    /// The weight shapes and the equations of the cell.
    public var caption: [String] {
        let d = self
        let g = d.cell.gateCount * d.hiddenSize
        let blocks: String
        switch d.cell {
        case .lstm: blocks = "i, f, g, o"
        case .gru: blocks = "r, z, n"
        case .rnn: blocks = ""
        }
        let bias = d.bias ? ", b_ih, b_hh (\(g))" : ", no bias"
        var out = ["W_ih (\(g), \(d.inputSize)), W_hh (\(g), \(d.hiddenSize))\(bias)"]
        if !blocks.isEmpty { out.append("W_ih and W_hh stack the gates \(blocks), in that order.") }
        switch d.cell {
        case .lstm: out.append("cₜ = f ⊙ cₜ₋₁ + i ⊙ g,  hₜ = o ⊙ tanh(cₜ)")
        case .gru:
            let n = d.bias ? "tanh(W_in xₜ + b_in + r ⊙ (W_hn hₜ₋₁ + b_hn))" : "tanh(W_in xₜ + r ⊙ (W_hn hₜ₋₁))"
            out.append("n = \(n)")
            out.append("hₜ = (1 − z) ⊙ n + z ⊙ hₜ₋₁")
        case .rnn:
            let sum = d.bias ? "W_ih xₜ + b_ih + W_hh hₜ₋₁ + b_hh" : "W_ih xₜ + W_hh hₜ₋₁"
            out.append("hₜ = \(d.nonlinearity == "relu" ? "relu" : "tanh")(\(sum))")
        }
        out.append(d.cell == .rnn ? "B is the batch." : "B is the batch; ⊙ multiplies elementwise.")
        if d.layers > 1 {
            out.append("\(d.layers) layers of this cell: each layer above the first takes the hₜ below it as its xₜ, \(batchShape(d.hiddenSize * (d.bidirectional ? 2 : 1))).")
        }
        if d.bidirectional {
            out.append("bidirectional: a second cell reads the sequence backwards; each step's output joins both hₜ, \(batchShape(2 * d.hiddenSize)).")
        }
        return out
    }

    /// What the numbers of one traced step are — the step, the batch row, the units, what each
    /// box shows — and the shapes the label columns no longer hold.
    public func steppedCaption(_ v: CellStepValues) -> [String] {
        let d = self
        let units = v.units.map(String.init).joined(separator: ", ")
        let which = v.units.count < d.hiddenSize ? "units \(units), the first \(v.units.count) of \(d.hiddenSize)" : (v.units.count == 1 ? "unit \(units)" : "units \(units)")
        let row = v.batch > 1 ? ", batch row \(v.row) of 0…\(v.batch - 1)" : ""
        var out = ["Step \(v.step) of 0…\(v.steps - 1)\(row): one line per unit (\(which))."]
        switch d.cell {
        case .lstm: out.append("Each gate box shows its output; cₜ₋₁, hₜ₋₁ on the left, cₜ, hₜ on the right.")
        case .gru: out.append("Each gate box shows its output; hₜ₋₁ on the left, hₜ on the right.")
        case .rnn:
            let f = d.nonlinearity == "relu" ? "relu" : "tanh"
            out.append("The box shows aₜ, the sum \(f) squashes; hₜ₋₁ on the left, hₜ = \(f)(aₜ) on the right.")
        }
        if v.vector("h_prev") == nil {
            out.append(d.cell == .lstm ? "At step \(v.step) hₜ₋₁ and cₜ₋₁ are the initial state, which the trace does not keep (· on the picture)."
                       : "At step \(v.step) hₜ₋₁ is the initial state, which the trace does not keep (· on the picture).")
        }
        if let part = v.part { out.append("Numbers from the trace of \(part).") }
        out.append("xₜ \(batchShape(d.inputSize)), hₜ\(d.cell == .lstm ? " and cₜ" : "") \(batchShape(d.hiddenSize)).")
        return out
    }
}

extension ArchitectureSketch {
    /// What the sketch cannot say: the head's shape, the state layout, how the model is used.
    public var caption: [String] {
        let sk = self
        let r = sk.rnn
        let (L, D, H) = (r.layers, r.directions, r.hiddenSize)
        let DH = D * H
        var out: [String] = []
        let cell = r.cell.rawValue
        let a = r.cell == .gru ? "a" : "an"
        // Layer 0 reads the inputs; every layer above reads the D·H outputs of the one below.
        let inputs = L > 1 ? "input \(r.inputSize) for layer 0, \(D)·\(H) above" : "input \(r.inputSize)"
        let rows = L > 1 ? "Each row of boxes is one layer: \(a) \(cell) cell with its own weights" : "Every box is one \(cell) cell"
        if let dec = sk.decoder, sk.architecture == .encoderDecoder {
            let decRows = dec.layers > 1 ? "layers" : "boxes"
            out.append("The encoder's \(decRows) are \(cell) cells (\(inputs), hidden \(H)), the decoder's others with their own weights (input \(dec.inputSize)\(dec.layers > 1 ? " for layer 0, \(dec.hiddenSize) above" : ""), hidden \(dec.hiddenSize)), each the same at every step; B is the batch.")
        } else {
            out.append("\(rows), the same at every step (\(inputs), hidden \(H)); B is the batch.")
        }
        if r.bidirectional && sk.architecture == .encoderDecoder {
            out.append("An encoder box's upper row carries the forward state left to right, its lower row the backward state right to left, each direction with its own weights.")
        } else if r.bidirectional {
            out.append("A box's upper row carries the forward state left to right, its lower row the backward state right to left, each direction with its own weights; upwards it passes both side by side, (B, \(D)·\(H)) = \(batchShape(DH)).")
        }
        if L > 1 { out.append("Layers are counted from 0, as in weight_ih_l0; each layer above layer 0 reads the outputs of the one below as its xₜ.") }
        if sk.vocabulary != nil && sk.architecture != .encoderDecoder {
            out.append("xₜ are token ids below \(sk.vocabulary ?? 0); embed turns each into a vector of \(r.inputSize).")
        }
        switch sk.architecture {
        case .layer:
            out.append("output (T, B, \(D == 2 ? "2·\(H)" : "\(H)")): yₜ is the top layer's state at step t\(D == 2 ? ", both directions" : "").")
            let layout = "h (L·D, B, H) = (\(L * D), B, \(H))"
            if r.bidirectional {
                out.append("\(layout): h[2l] is layer l's forward state after x_T, h[2l + 1] its backward state after x₁.")
            } else {
                out.append("\(layout): h[l] is layer l's state after x_T.")
            }
            if r.cell == .lstm { out.append("c has the same layout as h.") }
        case .manyToOne:
            let reads: String
            if sk.meanReadout { reads = "the mean of the top layer's outputs over the steps" } else if r.bidirectional {
                reads = "the forward state after x_T and the backward state after x₁, side by side"
            } else { reads = "h_T, the top layer's state after the last step" }
            out.append("linear \(DH) → \(sk.outputSize ?? 0) reads \(reads): one answer ŷ \(batchShape(sk.outputSize ?? 0)) per sequence.")
        case .manyToMany:
            out.append("One linear \(DH) → \(sk.outputSize ?? 0), the same at every step: output (T, B, \(sk.outputSize ?? 0)), an answer per step.")
        case .nextStep:
            let what = sk.vocabulary != nil ? "scores the next token xₜ₊₁" : "predicts the next value xₜ₊₁"
            out.append("Training (m(x)): ŷₜ \(what), and the true xₜ₊₁ is the next input — many-to-many.")
            let how = sk.vocabulary != nil ? "generate(m, prime, n) samples a token from each ŷₜ" : "rollout(m, prime, n) takes each ŷₜ"
            out.append("Sampling: \(how) and feeds it back as xₜ₊₁ — one-to-many: one prime in, as many steps out as asked.")
        case .encoderDecoder:
            let dec = sk.decoder
            let bridge = r.bidirectional ? "its final states, forward after x_S and backward after x₁, side by side," : "its final state h_S"
            out.append("The encoder reads the source x₁ … x_S (ids below \(sk.vocabulary ?? 0), embedded to \(r.inputSize)); \(bridge) become\(r.bidirectional ? "" : "s") the decoder's h₀ \(batchShape(dec?.hiddenSize ?? 0)): all it knows of the source.")
            out.append("The decoder reads start, y₁, …: the true previous token in training, its own last prediction in translate; linear \(dec?.hiddenSize ?? 0) → \(sk.outputSize ?? 0) scores each ŷₜ over the target vocabulary.")
        }
        return out
    }
}
