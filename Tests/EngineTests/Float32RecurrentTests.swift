import Testing
@testable import Engine

// The recurrent layers in float32 (RecurrentSequence.swift run with Scalar = Float: the tape, the
// products and the cell steps in Float, on the `_f32` kernels of CSupport).
//
// Each case builds the same layer twice — once in float32, once in float64 holding exactly the
// float32 weights (every Float is a Double) — feeds both the same float-representable input,
// initial states and upstream gradients, and holds the float32 outputs, final states and every
// gradient to the float64 ones.
//
// Tolerance: 1e-5, relative to the largest magnitude in each tensor (normwise, so a value that
// cancels to near 0 is not held to a relative precision no float computation has). float32 rounds
// every operation by at most u = 2⁻²⁴ ≈ 6e-8; a value here passes through dot products of at most
// a few dozen terms per step, a handful of pointwise operations and up to nine steps of recurrence,
// which bound its error by some hundreds of u (≈ 1e-5). Measured, the worst is 5e-7 (B = 16, H = 64)
// and most are 1–3e-7: float32's own rounding, which shows that the run really is in float32 (a
// float64 run rounded at the end would agree to u). A wrong gate, a misplaced block or a float64
// buffer read as float32 differ by O(1) and fail at once.
@Suite struct Float32RecurrentTests {
    static let tolerance = 1e-5

    /// max |a − b| / max |b| over two tensors of one shape.
    static func difference(_ a: Tensor, _ b: Tensor) -> Double {
        precondition(a.shape == b.shape)
        var worst = 0.0, scale = 0.0
        for (x, y) in zip(a.storage, b.storage) {
            if x.isNaN || y.isNaN { return .infinity }
            worst = Swift.max(worst, Swift.abs(x - y))
            scale = Swift.max(scale, Swift.abs(y))
        }
        return scale == 0 ? worst : worst / scale
    }

    static func isFloat32(_ t: Tensor) -> Bool {
        t.dtype == .float32 && t.storage.allSatisfy { Double(Float($0)) == $0 }
    }

    /// A float32 random tensor and the same values as float64.
    static func pair(_ shape: [Int], seed: UInt64, requiresGrad: Bool = false) throws -> (Tensor, Tensor) {
        let single = try Tensor.randn(shape, seed: seed).to(.float32).detach()
        let double = single.to(.float64).detach()
        single.requiresGrad = requiresGrad; double.requiresGrad = requiresGrad
        return (single, double)
    }

    struct Run {
        let output: Tensor, hn: Tensor, cn: Tensor?
        /// Gradients by name: every parameter, then x, h0 (and c0).
        let gradients: [(name: String, tensor: Tensor?)]
    }

    /// The layer and its inputs in one precision, forward and backward through a loss that reads
    /// the output, h_n and c_n with fixed random weights (so every gradient path is used).
    static func run(_ layer: RecurrentLayer, x: Tensor, h0: Tensor, c0: Tensor?, weights: [Tensor]) throws -> Run {
        let r = try layer(x, h0: h0, c0: c0)
        var loss = try (r.output * weights[0]).sum() + (r.hn * weights[1]).sum()
        if let cn = r.cn { loss = try loss + (cn * weights[2]).sum() }
        try loss.backward()
        var gradients = layer.namedParameters.map { (name: $0.name, tensor: $0.tensor.grad) }
        gradients += [("x", x.grad), ("h0", h0.grad)]
        if let c0 { gradients.append(("c0", c0.grad)) }
        return Run(output: r.output, hn: r.hn, cn: r.cn, gradients: gradients)
    }

    /// Runs `kind` in both precisions on the same values and returns the worst difference of each
    /// result, by name; also checks that every float32 result and gradient is float32.
    static func compare(_ kind: RecurrentKind, layers: Int = 1, bidirectional: Bool = false, steps T: Int = 6, batch B: Int = 3,
                        input I: Int = 5, hidden H: Int = 7, seed: UInt64 = 1,
                        sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Double] {
        let single = try RecurrentLayer(kind, inputSize: I, hiddenSize: H, numLayers: layers, bidirectional: bidirectional,
                                        seed: seed, dtype: .float32)
        let double = try RecurrentLayer(kind, inputSize: I, hiddenSize: H, numLayers: layers, bidirectional: bidirectional,
                                        seed: seed, dtype: .float32)
        double.convert(to: .float64)  // the float32 weights, held in float64
        let D = bidirectional ? 2 : 1
        let (x32, x64) = try pair([T, B, I], seed: seed + 10, requiresGrad: true)
        let (h32, h64) = try pair([layers * D, B, H], seed: seed + 11, requiresGrad: true)
        let (c32, c64) = try pair([layers * D, B, H], seed: seed + 12, requiresGrad: true)
        let (w32, w64) = try pair([T, B, D * H], seed: seed + 13)
        let (u32, u64) = try pair([layers * D, B, H], seed: seed + 14)
        let (v32, v64) = try pair([layers * D, B, H], seed: seed + 15)
        let isLSTM = kind == .lstm
        let a = try run(single, x: x32, h0: h32, c0: isLSTM ? c32 : nil, weights: [w32, u32, v32])
        let b = try run(double, x: x64, h0: h64, c0: isLSTM ? c64 : nil, weights: [w64, u64, v64])

        var worst: [String: Double] = [:]
        func note(_ name: String, _ p: Tensor?, _ q: Tensor?) {
            guard let p, let q else {
                Issue.record("\(kind) \(name): a result is missing", sourceLocation: sourceLocation)
                return
            }
            #expect(isFloat32(p), "\(kind) \(name) is not float32", sourceLocation: sourceLocation)
            #expect(q.dtype == .float64, sourceLocation: sourceLocation)
            worst[name] = difference(p, q)
        }
        note("output", a.output, b.output)
        note("h_n", a.hn, b.hn)
        if isLSTM { note("c_n", a.cn, b.cn) }
        for (g, h) in zip(a.gradients, b.gradients) { note("∂L/∂\(g.name)", g.tensor, h.tensor) }
        return worst
    }

    static func expectAgreement(_ worst: [String: Double], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!worst.isEmpty, sourceLocation: sourceLocation)
        for (name, d) in worst.sorted(by: { $0.key < $1.key }) {
            #expect(d <= tolerance, "\(what): \(name) differs by \(d)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [RecurrentKind.rnnTanh, .rnnReLU, .lstm, .gru])
    func oneLayerInFloat32MatchesFloat64(kind: RecurrentKind) throws {
        Self.expectAgreement(try Self.compare(kind), "\(kind)")
    }

    @Test(arguments: [RecurrentKind.rnnTanh, .lstm, .gru])
    func twoBidirectionalLayersInFloat32MatchFloat64(kind: RecurrentKind) throws {
        Self.expectAgreement(try Self.compare(kind, layers: 2, bidirectional: true, seed: 3), "\(kind) 2 layers bidirectional")
        Self.expectAgreement(try Self.compare(kind, layers: 2, seed: 5), "\(kind) 2 layers")
        Self.expectAgreement(try Self.compare(kind, bidirectional: true, seed: 7), "\(kind) bidirectional")
    }

    /// The batch sizes that take the other paths of the hidden product (B = 1: a row times a
    /// matrix; B ≥ 2: the packed kernel) and sizes past the float kernels' 16-lane vectors.
    @Test(arguments: [(1, 3, 40), (2, 17, 33), (16, 20, 64)])
    func theLSTMAtOtherSizesInFloat32MatchesFloat64(batch: Int, input: Int, hidden: Int) throws {
        Self.expectAgreement(try Self.compare(.lstm, steps: 9, batch: batch, input: input, hidden: hidden, seed: 9),
                             "LSTM B=\(batch) I=\(input) H=\(hidden)")
        Self.expectAgreement(try Self.compare(.gru, steps: 9, batch: batch, input: input, hidden: hidden, seed: 11),
                             "GRU B=\(batch) I=\(input) H=\(hidden)")
    }

    /// The comparison sees a difference: the float32 layer with one weight moved by 1e-3 fails it.
    @Test func aLayerThatDiffersInOneWeightIsCaught() throws {
        let single = try RecurrentLayer(.lstm, inputSize: 4, hiddenSize: 6, seed: 2, dtype: .float32)
        let double = try RecurrentLayer(.lstm, inputSize: 4, hiddenSize: 6, seed: 2, dtype: .float32)
        double.convert(to: .float64)
        single.weights[0][0].weightHH.storage[5] += 1e-3
        let (x32, x64) = try Self.pair([5, 2, 4], seed: 3)
        #expect(Self.difference(try single(x32).output, try double(x64).output) > Self.tolerance)
    }

    /// The float32 run is float32 through and through: outputs, states, the trace and every
    /// gradient of a float32 layer are float32 tensors whose values are Floats.
    @Test func aFloat32LayerGivesFloat32TensorsEverywhere() throws {
        let layer = try RecurrentLayer(.gru, inputSize: 3, hiddenSize: 5, numLayers: 2, bidirectional: true, seed: 4, dtype: .float32)
        let (x, _) = try Self.pair([4, 2, 3], seed: 5, requiresGrad: true)
        let trace = RecurrentTrace()
        let r = try layer(x, trace: trace)
        try (r.output * r.output).sum().backward()
        #expect(Self.isFloat32(r.output) && Self.isFloat32(r.hn))
        for p in layer.parameters { #expect(p.grad.map(Self.isFloat32) == true) }
        #expect(x.grad.map(Self.isFloat32) == true)
        for entry in trace.forward + trace.backward {
            for (name, t) in entry.tensors { #expect(Self.isFloat32(t), "trace \(name)") }
        }
    }

    /// Where both biases add into the same pre-activations (RNN, LSTM) their gradients are one sum,
    /// handed to both tensors as one array: equal, and still each its own (changing one leaves the
    /// other as it was). The GRU's differ. Both precisions.
    @Test(arguments: [DType.float32, .float64])
    func theTwoBiasGradientsAreOneSumYetSeparateArrays(dtype: DType) throws {
        for kind in [RecurrentKind.rnnTanh, .lstm, .gru] {
            let layer = try RecurrentLayer(kind, inputSize: 3, hiddenSize: 4, seed: 6, dtype: dtype)
            let x = try Tensor.randn([5, 2, 3], seed: 7).to(dtype)
            let r = try layer(x)
            try (r.output * r.output).sum().backward()
            let p = layer.weights[0][0]
            let bIH = try #require(p.biasIH?.grad).storage, bHH = try #require(p.biasHH?.grad).storage
            #expect((bIH == bHH) == (kind != .gru), "\(kind)")
            p.biasIH!.gradStorage![0] += 1
            #expect(p.biasHH!.grad!.storage == bHH && p.biasIH!.grad!.storage[0] == bIH[0] + 1, "\(kind)")
        }
    }
}

/// The cells' float32 steps (the `_f32` C kernels) held to the same plain Swift references in
/// Float, through the same `SequenceTape` and `CellKernel` steps the layers run, as
/// `CellKernelTests` does in float64. Tolerance 1e-6 relative to max(1, |reference|), about 8 ulp
/// of float at 1 (2⁻²³ ≈ 1.2e-7): the C float exp/sigmoid/tanh are within 2 ulp of the correctly
/// rounded value and glibc's expf and tanhf within 1, so an activated gate may differ by a few ulp,
/// and the backward step multiplies up to four such numbers. Measured, the worst is 3e-7 (2.5 ulp).
@Suite struct Float32CellStepTests {
    static let tolerance = 1e-6

    static func expectAgreement(_ worst: [String: Double], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!worst.isEmpty, sourceLocation: sourceLocation)
        for (name, d) in worst.sorted(by: { $0.key < $1.key }) {
            #expect(d <= tolerance, "\(what): \(name) differs by \(d)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [false, true])
    func theFloat32LSTMStepInCIsItsSwiftReference(reverse: Bool) {
        for (k, size) in CellKernelTests.sizes.enumerated() {
            let worst = CellKernelTests.compare(LSTMKernel.self, Float.self, batch: size.batch, hidden: size.hidden, reverse: reverse,
                                                seed: UInt64(110 + k))
            Self.expectAgreement(worst, "LSTM B=\(size.batch) H=\(size.hidden) reverse=\(reverse)")
        }
    }

    @Test(arguments: [false, true])
    func theFloat32GRUStepInCIsItsSwiftReference(reverse: Bool) {
        for (k, size) in CellKernelTests.sizes.enumerated() {
            let worst = CellKernelTests.compare(GRUKernel.self, Float.self, batch: size.batch, hidden: size.hidden, reverse: reverse,
                                                seed: UInt64(140 + k))
            Self.expectAgreement(worst, "GRU B=\(size.batch) H=\(size.hidden) reverse=\(reverse)")
        }
    }

    @Test func theFloat32VanillaStepIsItsSwiftReference() {
        for (k, size) in CellKernelTests.sizes.enumerated() {
            let tanh = CellKernelTests.compare(RNNKernel<TanhActivation>.self, Float.self, batch: size.batch, hidden: size.hidden,
                                               reverse: k % 2 == 1, seed: UInt64(170 + k))
            Self.expectAgreement(tanh, "RNN tanh B=\(size.batch) H=\(size.hidden)")
            let relu = CellKernelTests.compare(RNNKernel<ReLUActivation>.self, Float.self, batch: size.batch, hidden: size.hidden,
                                               reverse: k % 2 == 1, seed: UInt64(190 + k))
            Self.expectAgreement(relu, "RNN ReLU B=\(size.batch) H=\(size.hidden)")
        }
    }
}
