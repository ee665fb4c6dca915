import Testing
@testable import Engine

// The cells' steps as the layers run them (LSTM and GRU in vectorised C, CSupport/*_kernels.c;
// the vanilla cell's tanh in C too) held to the plain Swift reference step written beside each
// in RNNCell.swift, LSTMCell.swift and GRUCell.swift.
//
// Each case fills a tape with random numbers — pre-activations spread wide, with saturating ones
// (±40, ±800) mixed in — runs every step forwards with both, then every step backwards with both
// from the same tape and the same random ∂L/∂hₜ and ∂L/∂cₜ, and compares every buffer a step
// writes. The sizes cover the vector loops' edges: hidden sizes below, at and just past 4 and 8
// lanes, batches of one and of several rows, and the reverse direction's time order.
@Suite struct CellKernelTests {
    static let sizes: [(batch: Int, hidden: Int)] = [(1, 1), (1, 3), (2, 4), (3, 7), (1, 8), (4, 9), (2, 16), (5, 17), (1, 33)]
    static let tolerance = 1e-14

    /// The largest difference, relative to max(1, |reference|), between two buffers of `count`.
    static func difference<Scalar: KernelScalar>(_ a: UnsafePointer<Scalar>, _ b: UnsafePointer<Scalar>, count: Int) -> Double {
        var worst = 0.0
        for k in 0..<count {
            if a[k].isNaN || b[k].isNaN { return .infinity }
            let x = Double(a[k]), y = Double(b[k])
            worst = Swift.max(worst, Swift.abs(x - y) / Swift.max(1, Swift.abs(y)))
        }
        return worst
    }

    /// A pre-activation: mostly N(0, 3²), every seventh value saturating.
    static func preActivation(_ g: inout RandomGenerator) -> Double {
        let x = 3 * g.normal()
        guard g.int(below: 7) == 0 else { return x }
        return [40.0, -40, 800, -800][g.int(below: 4)]
    }

    static func fill<Scalar: KernelScalar>(_ p: UnsafeMutablePointer<Scalar>, count: Int, _ g: inout RandomGenerator,
                                           _ value: (inout RandomGenerator) -> Double) {
        for k in 0..<count { p[k] = Scalar(value(&g)) }
    }

    /// Runs `Cell` over a random tape of T steps with the fast and the reference step and returns
    /// the worst difference in each buffer written, by name.
    static func compare<Cell: CellKernel>(_ cell: Cell.Type, batch B: Int, hidden H: Int, reverse: Bool, seed: UInt64) -> [String: Double] {
        compare(cell, Double.self, batch: B, hidden: H, reverse: reverse, seed: seed)
    }

    /// The same in either precision (float32: `Float32CellKernelTests`).
    static func compare<Cell: CellKernel, Scalar: KernelScalar>(_ cell: Cell.Type, _ scalar: Scalar.Type, batch B: Int, hidden H: Int,
                                                                reverse: Bool, seed: UInt64) -> [String: Double] {
        let T = 3, G = Cell.gateCount, GH = G * H
        var g = RandomGenerator(seed: seed)
        func tape() -> SequenceTape<Scalar> {
            SequenceTape(steps: T, batch: B, inputSize: 1, hiddenSize: H, gateCount: G, reverse: reverse,
                         keepsCell: Cell.keepsCell, keepsHiddenCandidate: !Cell.addsHiddenProjection)
        }
        let fast = tape(), reference = tape()
        // The same inputs for both: every step's pre-activations (and the GRU's hidden side), h₀, c₀.
        fill(fast.gates, count: T * B * GH, &g, preActivation)
        fill(fast.initialHidden, count: B * H, &g) { $0.uniform(-1, 1) }
        if let c0 = fast.initialCell { fill(c0, count: B * H, &g) { 2 * $0.normal() } }
        reference.gates.update(from: fast.gates, count: T * B * GH)
        reference.initialHidden.update(from: fast.initialHidden, count: B * H)
        if let c0 = reference.initialCell { c0.update(from: fast.initialCell!, count: B * H) }
        let hidden = UnsafeMutablePointer<Scalar>.allocate(capacity: T * B * GH)
        defer { hidden.deallocate() }
        fill(hidden, count: T * B * GH, &g, preActivation)

        var worst: [String: Double] = [:]
        func note(_ name: String, _ a: UnsafePointer<Scalar>, _ b: UnsafePointer<Scalar>, _ count: Int) {
            worst[name] = Swift.max(worst[name] ?? 0, difference(a, b, count: count))
        }
        for s in 0..<T {
            let t = fast.time(atStep: s)
            Cell.forwardStep(fast, t: t, hidden: hidden + fast.row(t, width: GH))
            Cell.referenceForwardStep(reference, t: t, hidden: hidden + reference.row(t, width: GH))
        }
        note("gates", fast.gates, reference.gates, T * B * GH)
        note("h", fast.h, reference.h, T * B * H)
        if Cell.keepsCell {
            note("c", fast.c!, reference.c!, T * B * H)
            note("tanh c", fast.tanhC!, reference.tanhC!, T * B * H)
        }
        if !Cell.addsHiddenProjection { note("hidden candidate", fast.hiddenCandidate!, reference.hiddenCandidate!, T * B * H) }

        // Backwards, both from the fast forward's tape, so the two steps read the same numbers.
        let shared = Cell.addsHiddenProjection
        let a = StepBuffers<Scalar>(batch: B, hidden: H, gates: GH, shared: shared)
        let b = StepBuffers<Scalar>(batch: B, hidden: H, gates: GH, shared: shared)
        let dh = UnsafeMutablePointer<Scalar>.allocate(capacity: B * H)
        defer { dh.deallocate() }
        fill(a.dc, count: B * H, &g) { $0.normal() }
        b.dc.update(from: a.dc, count: B * H)
        for s in stride(from: T - 1, through: 0, by: -1) {
            let t = fast.time(atStep: s)
            fill(dh, count: B * H, &g) { $0.normal() }
            // Cells without a direct path must leave it alone: both start from the same values.
            fill(a.direct, count: B * H, &g) { $0.normal() }
            b.direct.update(from: a.direct, count: B * H)
            a.poison(); b.poison()
            Cell.backwardStep(fast, t: t, a.gradients(dh))
            Cell.referenceBackwardStep(fast, t: t, b.gradients(dh))
            note("∂L/∂gates", a.dGates, b.dGates, B * GH)
            note("∂L/∂gates (hidden side)", a.dGatesHidden, b.dGatesHidden, B * GH)
            note("∂L/∂hₜ₋₁ direct", a.direct, b.direct, B * H)
            if Cell.keepsCell { note("∂L/∂cₜ₋₁", a.dc, b.dc, B * H) }
        }
        return worst
    }

    static func expectAgreement(_ worst: [String: Double], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for (name, d) in worst.sorted(by: { $0.key < $1.key }) {
            #expect(d <= tolerance, "\(what): \(name) differs by \(d)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [false, true])
    func theLSTMStepInCIsItsSwiftReference(reverse: Bool) {
        for (k, size) in Self.sizes.enumerated() {
            let worst = Self.compare(LSTMKernel.self, batch: size.batch, hidden: size.hidden, reverse: reverse, seed: UInt64(10 + k))
            Self.expectAgreement(worst, "LSTM B=\(size.batch) H=\(size.hidden) reverse=\(reverse)")
        }
    }

    @Test(arguments: [false, true])
    func theGRUStepInCIsItsSwiftReference(reverse: Bool) {
        for (k, size) in Self.sizes.enumerated() {
            let worst = Self.compare(GRUKernel.self, batch: size.batch, hidden: size.hidden, reverse: reverse, seed: UInt64(40 + k))
            Self.expectAgreement(worst, "GRU B=\(size.batch) H=\(size.hidden) reverse=\(reverse)")
        }
    }

    @Test func theVanillaStepIsItsSwiftReference() {
        for (k, size) in Self.sizes.enumerated() {
            let tanh = Self.compare(RNNKernel<TanhActivation>.self, batch: size.batch, hidden: size.hidden, reverse: k % 2 == 1, seed: UInt64(70 + k))
            Self.expectAgreement(tanh, "RNN tanh B=\(size.batch) H=\(size.hidden)")
            let relu = Self.compare(RNNKernel<ReLUActivation>.self, batch: size.batch, hidden: size.hidden, reverse: k % 2 == 1, seed: UInt64(90 + k))
            Self.expectAgreement(relu, "RNN ReLU B=\(size.batch) H=\(size.hidden)")
        }
    }

    /// The comparison sees every buffer: a change of one unit's pre-activation in one step shows.
    @Test func aStepThatDiffersInOneUnitIsCaught() {
        let (B, H) = (2, 9)
        let tape = { SequenceTape<Double>(steps: 1, batch: B, inputSize: 1, hiddenSize: H, gateCount: 4, reverse: false, keepsCell: true, keepsHiddenCandidate: false) }
        let a = tape(), b = tape()
        for k in 0..<B * 4 * H { a.gates[k] = Double(k % 5) - 2; b.gates[k] = a.gates[k] }
        for k in 0..<B * H { a.initialCell![k] = 0.5; b.initialCell![k] = 0.5; a.initialHidden[k] = 0; b.initialHidden[k] = 0 }
        b.gates[B * 4 * H - 1] += 1e-9  // the last unit's output gate, the loops' remainder lane
        let unused = UnsafeMutablePointer<Double>.allocate(capacity: 1)
        defer { unused.deallocate() }
        LSTMKernel.forwardStep(a, t: 0, hidden: unused)
        LSTMKernel.referenceForwardStep(b, t: 0, hidden: unused)
        #expect(Self.difference(a.h, b.h, count: B * H) > Self.tolerance)
    }
}

/// The buffers one backward step writes, owned by a test.
private final class StepBuffers<Scalar: KernelScalar> {
    let dc: UnsafeMutablePointer<Scalar>, dGates: UnsafeMutablePointer<Scalar>
    let dGatesHidden: UnsafeMutablePointer<Scalar>, direct: UnsafeMutablePointer<Scalar>
    let shared: Bool
    init(batch B: Int, hidden H: Int, gates GH: Int, shared: Bool) {
        self.shared = shared
        dc = .allocate(capacity: B * H); direct = .allocate(capacity: B * H)
        dGates = .allocate(capacity: B * GH)
        dGatesHidden = shared ? dGates : .allocate(capacity: B * GH)
        count = B * GH
        poison()
    }
    private let count: Int
    /// NaN in every gradient a step must write, so one it leaves out shows.
    func poison() {
        dGates.initialize(repeating: .nan, count: count)
        dGatesHidden.initialize(repeating: .nan, count: count)
    }
    deinit { for p in [dc, dGates, direct] + (shared ? [] : [dGatesHidden]) { p.deallocate() } }
    func gradients(_ dh: UnsafePointer<Scalar>) -> StepGradients<Scalar> {
        StepGradients(dh: dh, dc: dc, dGates: dGates, dGatesHidden: dGatesHidden, dhPrevDirect: direct)
    }
}
