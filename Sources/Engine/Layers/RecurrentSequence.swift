import CSupport
import Foundation

/// The weights of one direction of one recurrent layer, in PyTorch's layout:
/// W_ih is (G·H) × I, W_hh is (G·H) × H, biases (G·H), gate blocks stacked along the rows.
public struct DirectionParameters {
    public let weightIH: Tensor
    public let weightHH: Tensor
    public let biasIH: Tensor?
    public let biasHH: Tensor?

    public var hiddenSize: Int { weightHH.shape[1] }
}

/// Runs one cell over a whole sequence as a single autodiff node: backpropagation through time
/// written out, with every matrix product batched as far as the recurrence allows.
///
/// Forward:
/// 1. the input projection of all T steps at once, Xₜ·W_ihᵀ + b_ih, is one (T·B × I)·(I × G·H) GEMM;
/// 2. each step adds hₜ₋₁·W_hhᵀ (a B × H by H × G·H GEMM — the only product that must wait for
///    the previous step) and applies the cell's gate equations (``CellKernel``).
///
/// Backward (BPTT), walking the steps in reverse:
/// 1. ∂L/∂hₜ = ∂L/∂outputₜ + (what step t+1 sent back); the cell turns it into pre-activation
///    gradients ∂L/∂aₜ; ∂L/∂hₜ₋₁ = ∂L/∂aₜ·W_hh (+ the cell's direct term);
/// 2. after the loop, the weight gradients are sums over time, so each is one GEMM over all steps:
///    ∂L/∂W_ih = Σₜ ∂L/∂aₜᵀ·xₜ, ∂L/∂W_hh = Σₜ ∂L/∂aₜᵀ·hₜ₋₁, ∂L/∂X = ∂L/∂A·W_ih.
///
/// A bidirectional layer runs its two directions over the same input into one node, whose result
/// holds both directions' hₜ side by side (T × B × 2H, forward first, PyTorch's layout): each
/// direction's outputs are widened straight into their half of every row, and its backward reads
/// its half of the gradient, so the layer never copies its outputs into a concatenation nor splits
/// the gradient back (two copies of T·B·2H values per step, ~4 % of a small bidirectional step).
///
/// The node's result is the outputs h₁…h_T (T × B × D·H). The layer's `output` is a pass-through
/// of it (sharing its values), so that `output.grad` holds only what reached the outputs. The
/// layer's h_n is one node reading each direction's last row out of the node, so its gradient
/// arrives added into that row; c_n is one node over the c_T each direction copied out of its
/// tape, whose backward hands each ∂L/∂c_T to this one (``GradientHandOff``); both are made in
/// FinalStates.swift.
enum RecurrentSequence {
    /// One direction of a layer: its weights, its initial states and where its trace goes.
    struct DirectionInput {
        let parameters: DirectionParameters
        let h0: Tensor?
        let c0: Tensor?
        /// Walks the steps from T − 1 down to 0 (the backward direction of a bidirectional layer).
        let reverse: Bool
        let recorder: TraceRecorder?
    }

    struct Result {
        /// (T, B, D·H) outputs, time order (also for the reverse direction), directions side by side.
        let output: Tensor
        /// The sequence node the outputs pass through: h_n is read from it, and its gradient and
        /// c_n's go back to it (``finalHidden(_:shape:op:)``, ``finalCell(_:shape:op:)``).
        let node: Tensor
        /// Per direction: the time of its last processed step (T − 1 forwards, 0 backwards).
        let lastTime: [Int]
        /// Per direction, LSTM only (empty for other cells): c_T (B × H) as doubles, and the hand-off
        /// that takes its gradient to the sequence's backward.
        let finalCells: [[Double]]
        let cellHandOffs: [GradientHandOff]

        /// T, B and H, read off the node's shape (T × B × D·H).
        var steps: Int { node.shape[0] }
        var batch: Int { node.shape[1] }
        var hiddenSize: Int { node.shape[2] / lastTime.count }
    }

    /// One direction's forward pass: the tape and the narrowed weights its backward reads.
    struct Pass<Scalar: KernelScalar> {
        let tape: SequenceTape<Scalar>
        let wIH: [Scalar], wHH: [Scalar]
    }

    static func run<Cell: CellKernel>(_ cell: Cell.Type, name: String, x: Tensor, directions: [DirectionInput]) throws -> Result {
        // The layer computes in its parameters' precision (RecurrentLayer has checked that the
        // input and the states share it).
        if directions[0].parameters.weightIH.dtype == .float32 {
            return try run(cell, Float.self, name: name, x: x, directions: directions)
        }
        return try run(cell, Double.self, name: name, x: x, directions: directions)
    }

    /// ``run(_:name:x:directions:)`` computing in `Scalar`: the tape, the weights and every
    /// product and step are in that precision; the tensors' values are narrowed on the way in and
    /// the results widened into their storage on the way out.
    static func run<Cell: CellKernel, Scalar: KernelScalar>(
        _ cell: Cell.Type, _ scalar: Scalar.Type, name: String, x: Tensor, directions: [DirectionInput]
    ) throws -> Result {
        let (T, B) = (x.shape[0], x.shape[1])
        let H = directions[0].parameters.hiddenSize, D = directions.count, width = D * H
        var passes: [Pass<Scalar>] = []
        passes.reserveCapacity(D)
        var outputs: [Double] = uninitializedArray(T * B * width)
        for (d, direction) in directions.enumerated() {
            let pass: Pass<Scalar> = try forward(cell, x: x, direction)
            // h₁…h_T into this direction's columns of the node's result.
            outputs.withUnsafeMutableBufferPointer {
                widenRows(pass.tape.h, rows: T * B, width: H, into: $0.baseAddress! + d * H, stride: width)
            }
            direction.recorder?.recordForward(tape: pass.tape, kind: name)
            passes.append(pass)
        }

        var inputs: [Tensor] = [x]
        inputs.reserveCapacity(1 + 6 * D)
        for direction in directions {
            let p = direction.parameters
            if let h0 = direction.h0 { inputs.append(h0) }
            if let c0 = direction.c0, Cell.keepsCell { inputs.append(c0) }
            inputs.append(p.weightIH)
            inputs.append(p.weightHH)
            if let b = p.biasIH { inputs.append(b) }
            if let b = p.biasHH { inputs.append(b) }
        }
        let needX = x.requiresGrad
        let finalCellGradients = directions.map { _ in GradientHandOff() }
        let node = Tensor.result(shape: [T, B, width], storage: outputs, op: "\(name) sequence", inputs: inputs, dtype: Scalar.dtype,
                                 exact: Scalar.self == Float.self, backward: { g in
            // ∂L/∂X (first) is the sum of what the directions send back; the rest follows `inputs`.
            var dx: [Double]?, out: [[Double]?] = [nil]
            out.reserveCapacity(inputs.count)
            for (d, (pass, direction)) in zip(passes, directions).enumerated() {
                let grads = g.withUnsafeBufferPointer { g in
                    backward(Cell.self, tape: pass.tape, gradient: g.baseAddress! + d * H, stride: width,
                             finalCellGradient: finalCellGradients[d].take().map(Scalar.array(fromDoubles:)),
                             wIH: pass.wIH, wHH: pass.wHH, needX: needX, needH0: direction.h0?.requiresGrad == true,
                             recorder: direction.recorder)
                }
                // Stopped by Ctrl-C part-way: nothing computed is whole, so no gradient is sent at
                // all (the walk throws right after this node).
                if Cancellation.isRequested { return inputs.map { _ in nil } }
                if let gx = grads.x {
                    if dx == nil { dx = Scalar.doubles(gx) } else { addRounded(&dx!, Scalar.doubles(gx), in: Scalar.self) }
                }
                if let h0 = direction.h0 { out.append(h0.requiresGrad ? Scalar.doubles(grads.h0) : nil) }
                if direction.c0 != nil, Cell.keepsCell { out.append(Scalar.doubles(grads.c0)) }
                out.append(grads.wIH)
                out.append(grads.wHH)
                if direction.parameters.biasIH != nil { out.append(grads.bIH) }
                if direction.parameters.biasHH != nil { out.append(grads.bHH) }
            }
            out[0] = dx
            return out
        })
        // The same values (shared, not copied); its backward passes the gradient straight on.
        let output = Tensor.result(shape: [T, B, width], storage: node.storage, op: "\(name) outputs", inputs: [node],
                                   dtype: Scalar.dtype, exact: Scalar.self == Float.self, backward: { g in [g] })
        var lastTime: [Int] = [], finalCells: [[Double]] = []
        for pass in passes {
            let last = pass.tape.time(atStep: T - 1)
            lastTime.append(last)
            guard Cell.keepsCell, let c = pass.tape.c else { continue }
            var cell: [Double] = uninitializedArray(B * H)
            cell.withUnsafeMutableBufferPointer { Scalar.toDouble(c + pass.tape.row(last, width: H), into: $0.baseAddress!, count: B * H) }
            finalCells.append(cell)
        }
        return Result(output: output, node: node, lastTime: lastTime, finalCells: finalCells,
                      cellHandOffs: Cell.keepsCell ? finalCellGradients : [])
    }

    /// One direction's forward pass over `x` (T × B × I) into a new tape.
    static func forward<Cell: CellKernel, Scalar: KernelScalar>(_ cell: Cell.Type, x: Tensor, _ direction: DirectionInput) throws -> Pass<Scalar> {
        let (T, B, I) = (x.shape[0], x.shape[1], x.shape[2])
        let p = direction.parameters
        let H = p.hiddenSize, G = Cell.gateCount, GH = G * H
        let tape = SequenceTape<Scalar>(steps: T, batch: B, inputSize: I, hiddenSize: H, gateCount: G, reverse: direction.reverse,
                                        keepsCell: Cell.keepsCell, keepsHiddenCandidate: !Cell.addsHiddenProjection)
        let wIH = Scalar.array(fromDoubles: p.weightIH.storage), wHH = Scalar.array(fromDoubles: p.weightHH.storage)
        let bIH = p.biasIH?.storage, bHH = p.biasHH?.storage

        x.storage.withUnsafeBufferPointer { Scalar.fromDouble($0.baseAddress!, into: tape.x, count: T * B * I) }
        copy(direction.h0?.storage, into: tape.initialHidden, count: B * H)
        if let slot = tape.initialCell { copy(direction.c0?.storage, into: slot, count: B * H) }
        wIH.withUnsafeBufferPointer { wi in
        wHH.withUnsafeBufferPointer { wh in
            // 1. Input projection for every step: gates = X·W_ihᵀ + b_ih (+ b_hh where it simply adds).
            let bias: [Scalar] = biasRow(width: GH, bias: bIH, plus: Cell.addsHiddenProjection ? bHH : nil)
            bias.withUnsafeBufferPointer { row in
                PackedOperand<Scalar>.multiply(m: T * B, n: GH, k: I, a: tape.x, lda: I, b: wi.baseAddress!, ldb: I,
                                               transposedB: true, beta: 0, bias: row.baseAddress!, c: tape.gates, ldc: GH)
            }
            // 2. The recurrence: hₜ₋₁·W_hhᵀ each step, then the cell's equations.
            let recurrent = HiddenProduct<Scalar>(wh.baseAddress!, gateRows: GH, hiddenSize: H, batch: B, direction: .forward)
            // The GRU's hidden side (its own product, kept apart from the input side's) and its own
            // bias (b_hh), laid out once for every step; the other cells add both into the gates.
            let hidden = UnsafeMutablePointer<Scalar>.allocate(capacity: Cell.addsHiddenProjection ? 1 : B * GH)
            defer { hidden.deallocate() }
            let hiddenBias: [Scalar] = Cell.addsHiddenProjection ? [] : biasRow(width: GH, bias: bHH, plus: nil)
            for s in 0..<T {
                // Ctrl-C: one relaxed load per time step (see Cancellation); thrown below.
                if Cancellation.isRequested { break }
                let t = tape.time(atStep: s), row = tape.row(t, width: H)
                if Cell.addsHiddenProjection {
                    recurrent.multiply(tape.hPrev + row, beta: 1, into: tape.gates + tape.row(t, width: GH))
                } else {
                    hiddenBias.withUnsafeBufferPointer { fillRows(hidden, rows: B, stride: GH, with: $0.baseAddress!, count: GH) }
                    recurrent.multiply(tape.hPrev + row, beta: 1, into: hidden)
                }
                Cell.forwardStep(tape, t: t, hidden: hidden)
            }
        } }
        try Cancellation.check()  // the input projection or the recurrence stopped part-way
        return Pass(tape: tape, wIH: wIH, wHH: wHH)
    }

    struct Gradients<Scalar: KernelScalar> {
        var x: [Scalar]?, h0: [Scalar], c0: [Scalar]
        /// The weight gradients already in the tensors' layout and storage (doubles).
        var wIH: [Double], wHH: [Double]
        /// The bias gradients, also as doubles: one array where they are one sum (RNN, LSTM).
        var bIH: [Double], bHH: [Double]
    }

    /// Backpropagation through time over the tape; `gradient` is ∂L/∂(h₁…h_T) as the walk holds it
    /// (doubles, row t·B + b at `stride` values from the last: this direction's columns of the
    /// node's result), rounded to `Scalar` step by step where it is added into ∂L/∂hₜ rather than
    /// into a narrowed copy first; `finalCellGradient` is ∂L/∂c_T for the LSTM (nil when the loss
    /// does not use c_T).
    static func backward<Cell: CellKernel, Scalar: KernelScalar>(
        _ cell: Cell.Type, tape: SequenceTape<Scalar>, gradient g: UnsafePointer<Double>, stride rowStride: Int, finalCellGradient: [Scalar]?,
        wIH: [Scalar], wHH: [Scalar], needX: Bool, needH0: Bool = true, recorder: TraceRecorder?
    ) -> Gradients<Scalar> {
        let T = tape.steps, B = tape.batch, I = tape.inputSize, H = tape.hiddenSize, GH = tape.gateCount * H
        // The input gradient is written whole by a GEMM with β = 0, so it starts unfilled; the
        // weight gradients are made after the loop (a walk stopped by Ctrl-C throws before it
        // reads any of them).
        var grads = Gradients<Scalar>(
            x: needX ? uninitializedArray(T * B * I) : nil,
            h0: [Scalar](repeating: 0, count: B * H), c0: [Scalar](repeating: 0, count: B * H),
            wIH: [], wHH: [], bIH: [], bHH: [])
        // One block: ∂L/∂hₜ for one step (rounded up to 64 bytes), ∂L/∂A for every step, then the
        // GRU's hidden side's.
        let line = 64 / MemoryLayout<Scalar>.stride, dhCount = (B * H + line - 1) / line * line
        let blockCount = dhCount + (Cell.addsHiddenProjection ? 1 : 2) * T * B * GH
        let dh: UnsafeMutablePointer<Scalar> = Allocator.scalars(blockCount)
        defer { Allocator.release(scalars: dh, count: blockCount) }
        let dGates = dh + dhCount
        let dGatesHidden = Cell.addsHiddenProjection ? dGates : dGates + T * B * GH
        let gradientTrace = recorder?.wantsGradients == true ? GradientTape(steps: T, batch: B, hidden: H) : nil
        var biasSum = BiasGradient<Scalar>(width: GH)
        var hiddenBiasSum = BiasGradient<Scalar>(width: dGatesHidden == dGates ? 0 : GH)

        wIH.withUnsafeBufferPointer { wi in
        wHH.withUnsafeBufferPointer { wh in
        grads.h0.withUnsafeMutableBufferPointer { dhNext in
        grads.c0.withUnsafeMutableBufferPointer { dc in
            // ∂L/∂c_T starts the cell's chain (dc is zero without it); ∂L/∂h_T is already inside its output row.
            if Cell.keepsCell, let finalCellGradient {
                assert(finalCellGradient.count == B * H, "∂L/∂c_T has \(finalCellGradient.count) values, not B·H = \(B * H)")
                dc.baseAddress!.update(from: finalCellGradient, count: B * H)
            }
            let recurrent = HiddenProduct<Scalar>(wh.baseAddress!, gateRows: GH, hiddenSize: H, batch: B, direction: .backward)
            for s in stride(from: T - 1, through: 0, by: -1) {
                if Cancellation.isRequested { return }  // the backward walk throws; nothing here is used
                let t = tape.time(atStep: s)
                // ∂L/∂hₜ = ∂L/∂outputₜ + what step t + 1 sent back.
                if rowStride == H {
                    Scalar.fromDouble(g + t * B * H, plus: dhNext.baseAddress!, into: dh, count: B * H)
                } else {
                    for b in 0..<B {
                        Scalar.fromDouble(g + (t * B + b) * rowStride, plus: dhNext.baseAddress! + b * H, into: dh + b * H, count: H)
                    }
                }
                gradientTrace?.record(t: t, dh: dh, jacobian: { jacobianNorm(Cell.self, tape: tape, t: t, wHH: wh.baseAddress!) })
                let rowG = tape.row(t, width: GH)
                Cell.backwardStep(tape, t: t, StepGradients(dh: dh, dc: dc.baseAddress!, dGates: dGates + rowG,
                                                            dGatesHidden: dGatesHidden + rowG, dhPrevDirect: dhNext.baseAddress!))
                biasSum.add(step: dGates + rowG, rows: B)
                hiddenBiasSum.add(step: dGatesHidden + rowG, rows: B)
                // ∂L/∂hₜ₋₁ = direct term + ∂L/∂aₜ(hidden side)·W_hh; at the first step that is
                // ∂L/∂h₀, not worked out when there is no h₀ to receive it (nothing else reads it).
                if s == 0 && !needH0 { continue }
                recurrent.multiply(dGatesHidden + rowG, beta: Cell.hasDirectHiddenPath ? 1 : 0, into: dhNext.baseAddress!)
            }
            if Cancellation.isRequested { return }
            // Sums over time, formed transposed — ∂L/∂W_ihᵀ = Xᵀ·∂L/∂A and ∂L/∂W_hhᵀ = H₋₁ᵀ·∂L/∂A,
            // so that ∂L/∂A, the largest operand, is the right one (packed once for both where the
            // two share it) — then turned around into the weights' layout and storage (one pass
            // that also widens float32).
            if dGatesHidden == dGates {
                // One gate gradient for both (RNN, LSTM): it is read and packed once for the two.
                let both = productOverTime(tape.x, width: I, and: tape.hPrev, width: H, dGates, rows: T * B, gateWidth: GH)
                both.withUnsafeBufferPointer { p in
                    grads.wIH = Scalar.transposedDoubles(p.baseAddress!, rows: I, columns: GH)
                    grads.wHH = Scalar.transposedDoubles(p.baseAddress! + I * GH, rows: H, columns: GH)
                }
            } else {
                grads.wIH = productOverTime(tape.x, width: I, dGates, rows: T * B, gateWidth: GH)
                    .withUnsafeBufferPointer { Scalar.transposedDoubles($0.baseAddress!, rows: I, columns: GH) }
                grads.wHH = productOverTime(tape.hPrev, width: H, dGatesHidden, rows: T * B, gateWidth: GH)
                    .withUnsafeBufferPointer { Scalar.transposedDoubles($0.baseAddress!, rows: H, columns: GH) }
            }
            if grads.x != nil {
                grads.x!.withUnsafeMutableBufferPointer { p in
                    PackedOperand<Scalar>.multiply(m: T * B, n: I, k: GH, a: dGates, lda: GH, b: wi.baseAddress!, ldb: I,
                                                   transposedB: false, beta: 0, c: p.baseAddress!, ldc: I)
                }
            }
        } } } }
        grads.bIH = biasSum.total(of: dGates, rows: T * B)
        // Where both biases add into the same pre-activations (RNN, LSTM) their gradients are the
        // same sum: formed once.
        grads.bHH = dGatesHidden == dGates ? grads.bIH : hiddenBiasSum.total(of: dGatesHidden, rows: T * B)
        if let gradientTrace { recorder?.recordBackward(gradientTrace, tape: tape) }
        return grads
    }

    /// ‖∂hₜ/∂hₜ₋₁‖_F per sequence in the batch, averaged over the batch (cₜ₋₁ held fixed for the LSTM):
    /// H vector–Jacobian products through one step, one per unit vector eⱼ.
    static func jacobianNorm<Cell: CellKernel, Scalar: KernelScalar>(
        _ cell: Cell.Type, tape: SequenceTape<Scalar>, t: Int, wHH: UnsafePointer<Scalar>
    ) -> Double {
        let B = tape.batch, H = tape.hiddenSize, GH = tape.gateCount * H
        let unit = UnsafeMutablePointer<Scalar>.allocate(capacity: B * H)
        let dc = UnsafeMutablePointer<Scalar>.allocate(capacity: B * H)
        let dGates = UnsafeMutablePointer<Scalar>.allocate(capacity: B * GH)
        let dGatesHidden = Cell.addsHiddenProjection ? dGates : UnsafeMutablePointer<Scalar>.allocate(capacity: B * GH)
        let row = UnsafeMutablePointer<Scalar>.allocate(capacity: B * H)
        defer {
            if dGatesHidden != dGates { dGatesHidden.deallocate() }
            for p in [unit, dc, dGates, row] { p.deallocate() }
        }
        var squares = [Double](repeating: 0, count: B)
        for j in 0..<H {
            unit.initialize(repeating: 0, count: B * H)
            dc.initialize(repeating: 0, count: B * H)
            for b in 0..<B { unit[b * H + j] = 1 }
            Cell.backwardStep(tape, t: t, StepGradients(dh: unit, dc: dc, dGates: dGates, dGatesHidden: dGatesHidden, dhPrevDirect: row))
            GEMM.product(transA: false, transB: false, m: B, n: H, k: GH, a: dGatesHidden, lda: GH,
                         b: wHH, ldb: H, beta: Cell.hasDirectHiddenPath ? 1 : 0, c: row, ldc: H)
            for b in 0..<B { for k in 0..<H { let v = Double(row[b * H + k]); squares[b] += v * v } }
        }
        return squares.reduce(0) { $0 + Foundation.sqrt($1) } / Double(B)
    }
}

/// `bias` (+ `plus`) as one row in `Scalar` (the two summed in double, then rounded once), or zeros
/// without a bias.
@inline(__always)
func biasRow<Scalar: KernelScalar>(width: Int, bias: [Double]?, plus: [Double]?) -> [Scalar] {
    [Scalar](unsafeUninitializedCapacity: width) { row, initialized in
        for k in 0..<width {
            var sum = 0.0
            if let bias { sum += bias[k] }
            if let plus { sum += plus[k] }
            row[k] = Scalar(sum)
        }
        initialized = width
    }
}

/// Σₜ aₜᵀ·gₜ over all rows: (width × gateWidth) = Aᵀ·G for A (rows × width) and G (rows × gateWidth).
func productOverTime<Scalar: KernelScalar>(_ a: UnsafePointer<Scalar>, width: Int, _ g: UnsafePointer<Scalar>, rows: Int,
                                           gateWidth: Int) -> [Scalar] {
    var out: [Scalar] = uninitializedArray(width * gateWidth)
    out.withUnsafeMutableBufferPointer { p in
        GEMM.product(transA: true, transB: false, m: width, n: gateWidth, k: rows, a: a, lda: width,
                     b: g, ldb: gateWidth, c: p.baseAddress!, ldc: gateWidth)
    }
    return out
}

/// [Aᵀ·G; A2ᵀ·G] ((width + width2) × gateWidth) for A (rows × width) and A2 (rows × width2) beside
/// the same G (rows × gateWidth): ``productOverTime(_:width:_:rows:gateWidth:)`` twice, with G packed once.
func productOverTime<Scalar: KernelScalar>(_ a: UnsafePointer<Scalar>, width: Int, and a2: UnsafePointer<Scalar>, width width2: Int,
                                           _ g: UnsafePointer<Scalar>, rows: Int, gateWidth: Int) -> [Scalar] {
    var out: [Scalar] = uninitializedArray((width + width2) * gateWidth)
    out.withUnsafeMutableBufferPointer { p in
        GEMM.productStacked(transA: true, transB: false, m1: width, m2: width2, n: gateWidth, k: rows, a1: a, lda1: width,
                            a2: a2, lda2: width2, b: g, ldb: gateWidth, c: p.baseAddress!, ldc: gateWidth)
    }
    return out
}

/// An array whose elements the caller promises to write before reading (saves the zero fill).
@inline(__always)
func uninitializedArray<Scalar>(_ count: Int) -> [Scalar] {
    [Scalar](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
}

@inline(__always)
func copy<Scalar: KernelScalar>(_ source: [Double]?, into p: UnsafeMutablePointer<Scalar>, count: Int) {
    if let source { source.withUnsafeBufferPointer { Scalar.fromDouble($0.baseAddress!, into: p, count: count) } }
    else { p.update(repeating: 0, count: count) }
}
