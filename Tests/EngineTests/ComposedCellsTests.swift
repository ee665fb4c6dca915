import Foundation
import Testing
@testable import Engine

/// The fused sequence kernels against the same cells written with ordinary tensor operations
/// (ComposedCells.swift): forward values to 1e-12 and the gradients of a common loss to 1e-10, for
/// every cell kind. Also: stepping ``RecurrentCell`` in a loop gives the layer's numbers.
@Suite struct ComposedCellsTests {
    static let (I, H, T, B) = (3, 4, 5, 2)

    /// Gradients of every parameter, then x, h0 and c0 (when given), after `loss.backward()`.
    private func gradients(_ loss: Tensor, _ layer: some Module, _ extra: [Tensor]) throws -> [Tensor] {
        for p in layer.parameters { p.zeroGrad() }
        for t in extra { t.zeroGrad() }
        try loss.backward()
        return try (layer.parameters + extra).map { try #require($0.grad, "no gradient reached a leaf") }
    }

    /// L = Σ out⊙w₁ + Σ hn⊙w₂ (+ Σ cn⊙w₃) with fixed random weights, so every output element counts.
    private func commonLoss(_ output: Tensor, _ hn: Tensor, _ cn: Tensor?) throws -> Tensor {
        var loss = try (output * randomTensor(output.shape, seed: 901)).sum() + (hn * randomTensor(hn.shape, seed: 902)).sum()
        if let cn { loss = try loss + (cn * randomTensor(cn.shape, seed: 903)).sum() }
        return loss
    }

    struct Shape: Sendable, CustomTestStringConvertible {
        let layers: Int
        let bidirectional: Bool
        let initialState: Bool
        var testDescription: String {
            "\(layers) layer\(layers == 1 ? "" : "s")\(bidirectional ? ", bidirectional" : "")\(initialState ? ", h0/c0" : ", zero state")"
        }
    }

    static let shapes = [
        Shape(layers: 1, bidirectional: false, initialState: true),
        Shape(layers: 1, bidirectional: false, initialState: false),
        Shape(layers: 2, bidirectional: true, initialState: true),
    ]

    /// The issue's check: unroll ComposedCells.rnnStep / lstmStep / gruStep by hand over T steps with
    /// the layer's own parameter tensors; outputs, final states and all gradients agree.
    @Test(arguments: RecurrentKind.allCases, shapes)
    func fusedLayerEqualsHandUnrolledComposedCells(_ kind: RecurrentKind, _ shape: Shape) throws {
        let (I, H, T, B) = (Self.I, Self.H, Self.T, Self.B)
        let layer = try RecurrentLayer(kind, inputSize: I, hiddenSize: H, numLayers: shape.layers,
                                       bidirectional: shape.bidirectional, seed: 21)
        let S = shape.layers * layer.directions
        let x = try randomTensor([T, B, I], seed: 31, requiresGrad: true)
        let h0 = shape.initialState ? try randomTensor([S, B, H], seed: 32, scale: 0.5, requiresGrad: true) : nil
        let c0 = shape.initialState && kind == .lstm ? try randomTensor([S, B, H], seed: 33, scale: 0.5, requiresGrad: true) : nil
        let leaves = [x] + [h0, c0].compactMap { $0 }

        let fused = try layer(x, h0: h0, c0: c0)
        let fusedGrads = try gradients(try commonLoss(fused.output, fused.hn, fused.cn), layer, leaves)

        let composed = try composedForward(layer, x, h0: h0, c0: c0)
        let composedGrads = try gradients(try commonLoss(composed.output, composed.hn, composed.cn), layer, leaves)

        let what = "\(kind) \(shape.testDescription)"
        expectClose(fused.output, composed.output, tol: 1e-12, "\(what): output")
        expectClose(fused.hn, composed.hn, tol: 1e-12, "\(what): hn")
        #expect((fused.cn == nil) == (composed.cn == nil))
        if let cn = fused.cn, let ref = composed.cn { expectClose(cn, ref, tol: 1e-12, "\(what): cn") }

        let names = layer.namedParameters.map(\.name) + ["x", "h0", "c0"].prefix(leaves.count)
        for (name, (a, b)) in zip(names, zip(fusedGrads, composedGrads)) {
            expectClose(a, b, tol: 1e-10, "\(what): grad.\(name)")
        }
    }

    /// One step of each composed cell against its equations written out element by element.
    @Test(arguments: RecurrentKind.allCases)
    func composedStepFollowsTheEquations(_ kind: RecurrentKind) throws {
        let (I, H, B) = (2, 3, 2)
        let cell = try RecurrentCell(kind, inputSize: I, hiddenSize: H, seed: 3)
        let p = cell.weights
        let x = try randomTensor([B, I], seed: 4), h = try randomTensor([B, H], seed: 5), c = try randomTensor([B, H], seed: 6)
        let step = try composedStep(kind, x: x, h: h, c: kind == .lstm ? c : nil, p)

        let wi = p.weightIH.storage, wh = p.weightHH.storage, bi = p.biasIH!.storage, bh = p.biasHH!.storage
        func inputSide(_ b: Int, _ r: Int) -> Double { bi[r] + (0..<I).reduce(0) { $0 + wi[r * I + $1] * x.storage[b * I + $1] } }
        func hiddenSide(_ b: Int, _ r: Int) -> Double { bh[r] + (0..<H).reduce(0) { $0 + wh[r * H + $1] * h.storage[b * H + $1] } }
        func sigmoid(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }
        var expectedH = [Double](), expectedC = [Double]()
        for b in 0..<B {
            for j in 0..<H {
                let hPrev = h.storage[b * H + j]
                switch kind {
                case .rnnTanh: expectedH.append(Foundation.tanh(inputSide(b, j) + hiddenSide(b, j)))
                case .rnnReLU: expectedH.append(Swift.max(0, inputSide(b, j) + hiddenSide(b, j)))
                case .lstm:
                    let pre = { (g: Int) in inputSide(b, g * H + j) + hiddenSide(b, g * H + j) }
                    let (i, f, g, o) = (sigmoid(pre(0)), sigmoid(pre(1)), Foundation.tanh(pre(2)), sigmoid(pre(3)))
                    let cNew = f * c.storage[b * H + j] + i * g
                    expectedC.append(cNew)
                    expectedH.append(o * Foundation.tanh(cNew))
                case .gru:
                    let r = sigmoid(inputSide(b, j) + hiddenSide(b, j))
                    let z = sigmoid(inputSide(b, H + j) + hiddenSide(b, H + j))
                    let n = Foundation.tanh(inputSide(b, 2 * H + j) + r * hiddenSide(b, 2 * H + j))
                    expectedH.append((1 - z) * n + z * hPrev)
                }
            }
        }
        expectClose(step.h, try Tensor(shape: [B, H], storage: expectedH), tol: 1e-14, "\(kind) composed h")
        if kind == .lstm {
            expectClose(try #require(step.c), try Tensor(shape: [B, H], storage: expectedC), tol: 1e-14, "lstm composed c")
        }
        // And the fused single step agrees.
        let fused = try cell(x, h: h, c: kind == .lstm ? c : nil)
        expectClose(fused.h, step.h, tol: 1e-12, "\(kind) fused cell h")
        if kind == .lstm { expectClose(try #require(fused.c), try #require(step.c), tol: 1e-12, "lstm fused cell c") }
    }

    /// A hand-written loop of single-step ``RecurrentCell``s loaded with a layer's weights gives the
    /// layer's outputs, final states and gradients.
    @Test(arguments: RecurrentKind.allCases, [false, true])
    func recurrentCellLoopEqualsLayer(_ kind: RecurrentKind, _ unbatched: Bool) throws {
        let (I, H, T, B) = (Self.I, Self.H, Self.T, Self.B)
        let layer = try RecurrentLayer(kind, inputSize: I, hiddenSize: H, seed: 41)
        let cell = try RecurrentCell(kind, inputSize: I, hiddenSize: H, seed: 999)
        var state: [String: Tensor] = [:]
        for (name, t) in layer.stateDict() { state[String(name.dropLast("_l0".count))] = t }
        try cell.loadStateDict(state)
        #expect(cell.namedParameters.map(\.name) == ["weight_ih", "weight_hh", "bias_ih", "bias_hh"])

        let x = try randomTensor(unbatched ? [T, I] : [T, B, I], seed: 42, requiresGrad: true)
        let stateShape = unbatched ? [H] : [B, H]
        let h0 = try randomTensor(stateShape, seed: 43, scale: 0.5, requiresGrad: true)
        let c0 = kind == .lstm ? try randomTensor(stateShape, seed: 44, scale: 0.5, requiresGrad: true) : nil

        let fused = try layer(x, h0: try h0.unsqueeze(0), c0: try c0?.unsqueeze(0))
        let fusedGrads = try gradients(try commonLoss(fused.output, fused.hn, fused.cn), layer, [x, h0] + [c0].compactMap { $0 })

        var h = h0, c = c0, steps: [Tensor] = []
        for t in 0..<T {
            (h, c) = try cell(try x[t], h: h, c: c)
            steps.append(h)
        }
        let output = try Tensor.stack(steps)
        let hn = try h.unsqueeze(0), cn = try c?.unsqueeze(0)
        let loopGrads = try gradients(try commonLoss(output, hn, cn), cell, [x, h0] + [c0].compactMap { $0 })

        let what = "\(kind)\(unbatched ? " unbatched" : "")"
        expectClose(fused.output, output, tol: 1e-12, "\(what): output")
        expectClose(fused.hn, hn, tol: 1e-12, "\(what): hn")
        if let cn { expectClose(try #require(fused.cn), cn, tol: 1e-12, "\(what): cn") }
        let names = ["weight_ih", "weight_hh", "bias_ih", "bias_hh", "x", "h0", "c0"]
        for (name, (a, b)) in zip(names, zip(fusedGrads, loopGrads)) {
            expectClose(a, b, tol: 1e-10, "\(what): grad.\(name)")
        }
    }

    @Test func recurrentCellRejectsBadShapes() throws {
        let cell = try RecurrentCell(.gru, inputSize: 3, hiddenSize: 2)
        expectError(containing: ["(2, 4)", "3"], "wrong input width") { _ = try cell(try Tensor.zeros([2, 4])) }
        expectError(containing: ["h", "(2, 2)", "(3, 2)"], "wrong h shape") { _ = try cell(try Tensor.zeros([2, 3]), h: try Tensor.zeros([3, 2])) }
        expectError(containing: ["c is only for LSTM"], "c given to a GRU cell") {
            _ = try cell(try Tensor.zeros([2, 3]), h: nil, c: try Tensor.zeros([2, 2]))
        }
        expectError(containing: ["positive"], "negative size") { _ = try RecurrentCell(.lstm, inputSize: -1, hiddenSize: 2) }
    }
}
