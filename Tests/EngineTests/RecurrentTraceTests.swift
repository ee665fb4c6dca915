import Foundation
import Testing
@testable import Engine

/// What ``RecurrentTrace`` records (RecurrentTrace.swift), checked against values computed
/// independently: gates and states from the weights with ordinary tensor operations, ∂L/∂hₜ from
/// a hand-unrolled ComposedCells graph with `retainGrad()`, and ∂hₜ/∂hₜ₋₁ from its formula or by
/// finite differences.
@Suite struct RecurrentTraceTests {
    static let (I, H, T, B) = (3, 4, 5, 2)

    static let expectedNames: [RecurrentKind: [String]] = [
        .rnnTanh: ["a", "h"], .rnnReLU: ["a", "h"],
        .lstm: ["i", "f", "g", "o", "c", "h"],
        .gru: ["r", "z", "n", "h"],
    ]

    private func makeLayer(_ kind: RecurrentKind, layers: Int = 2, bidirectional: Bool = true, batchFirst: Bool = false) throws -> RecurrentLayer {
        try RecurrentLayer(kind, inputSize: Self.I, hiddenSize: Self.H, numLayers: layers, batchFirst: batchFirst,
                           bidirectional: bidirectional, seed: 51)
    }

    private func entry(_ trace: RecurrentTrace, _ layer: Int, _ direction: Int) throws -> RecurrentTrace.Entry {
        try #require(trace.entry(layer: layer, direction: direction), "no forward entry for layer \(layer) direction \(direction)")
    }

    private func tensor(_ e: RecurrentTrace.Entry, _ name: String) throws -> Tensor {
        try #require(e.tensor(name), "entry (\(e.layer), \(e.direction)) has no '\(name)'")
    }

    // MARK: Forward entries

    @Test(arguments: RecurrentKind.allCases)
    func entriesExistPerLayerAndDirectionWithDocumentedNamesAndShapes(_ kind: RecurrentKind) throws {
        let (T, B, H) = (Self.T, Self.B, Self.H)
        let layer = try makeLayer(kind)
        let trace = RecurrentTrace()
        let out = try layer(try randomTensor([T, B, Self.I], seed: 1), trace: trace)
        #expect(out.trace === trace)
        #expect(trace.forward.map { [$0.layer, $0.direction] } == [[0, 0], [0, 1], [1, 0], [1, 1]])
        #expect(trace.backward.isEmpty)
        for e in trace.forward {
            #expect(e.kind == kind.cellName)
            #expect(e.tensors.map(\.name) == Self.expectedNames[kind]!)
            for (name, t) in e.tensors {
                #expect(t.shape == [T, B, H], "\(kind) (\(e.layer), \(e.direction)) \(name): shape \(t.shape)")
            }
        }
        #expect(trace.entry(layer: 2, direction: 0) == nil)
        #expect(trace.gradients() == nil)
    }

    /// Batch-first and unbatched inputs still give (T, B, H) entries in time order.
    @Test func entryShapesForBatchFirstAndUnbatched() throws {
        let (T, B, I, H) = (Self.T, Self.B, Self.I, Self.H)
        let bf = try makeLayer(.gru, layers: 1, bidirectional: false, batchFirst: true)
        let trace = RecurrentTrace()
        let x = try randomTensor([B, T, I], seed: 2)
        let out = try bf(x, trace: trace)
        let h = try tensor(try entry(trace, 0, 0), "h")
        #expect(h.shape == [T, B, H])
        expectClose(try out.output.transpose(0, 1), h, tol: 0, "batch-first output vs trace h")

        let single = try makeLayer(.lstm, layers: 1, bidirectional: false)
        let trace2 = RecurrentTrace()
        let out2 = try single(try randomTensor([T, I], seed: 3), trace: trace2)
        let h2 = try tensor(try entry(trace2, 0, 0), "h")
        #expect(h2.shape == [T, 1, H])
        expectClose(out2.output, try h2.squeeze(1), tol: 0, "unbatched output vs trace h")
    }

    /// Gates, cell and hidden states of every (layer, direction) of a 2-layer bidirectional stack,
    /// recomputed from the weights; the last layer's `h` is the output, per direction.
    @Test(arguments: RecurrentKind.allCases)
    func forwardEntriesEqualIndependentlyComputedValues(_ kind: RecurrentKind) throws {
        let (T, B, H) = (Self.T, Self.B, Self.H)
        let layer = try makeLayer(kind)
        let x = try randomTensor([T, B, Self.I], seed: 4)
        let h0 = try randomTensor([4, B, H], seed: 5, scale: 0.5)
        let c0 = kind == .lstm ? try randomTensor([4, B, H], seed: 6, scale: 0.5) : nil
        let trace = RecurrentTrace()
        let out = try layer(x, h0: h0, c0: c0, trace: trace)
        let ref = try composedForward(layer, x, h0: h0, c0: c0)

        for k in 0..<2 {
            for d in 0..<2 {
                let e = try entry(trace, k, d)
                let p = layer.weights[k][d]
                let what = "\(kind) layer \(k) direction \(d)"
                for t in 0..<T {
                    let xt = try ref.layerInputs[k][t]
                    let hPrev = ref.previousState(layer: k, direction: d, t: t)
                    let inputSide = try xt.matmul(p.weightIH.T) + p.biasIH!
                    let hiddenSide = try hPrev.matmul(p.weightHH.T) + p.biasHH!
                    switch kind {
                    case .rnnTanh, .rnnReLU:
                        expectClose(try tensor(e, "a")[t], try inputSide + hiddenSide, tol: 1e-12, "\(what) a[\(t)]")
                    case .lstm:
                        let pre = try (inputSide + hiddenSide).split(parts: 4, axis: -1)
                        let expected = [pre[0].sigmoid(), pre[1].sigmoid(), pre[2].tanh(), pre[3].sigmoid()]
                        for (name, value) in zip(["i", "f", "g", "o"], expected) {
                            expectClose(try tensor(e, name)[t], value, tol: 1e-12, "\(what) \(name)[\(t)]")
                        }
                        expectClose(try tensor(e, "c")[t], ref.cells[k][d][t], tol: 1e-12, "\(what) c[\(t)]")
                    case .gru:
                        let i3 = try inputSide.split(parts: 3, axis: -1), h3 = try hiddenSide.split(parts: 3, axis: -1)
                        let r = try (i3[0] + h3[0]).sigmoid(), z = try (i3[1] + h3[1]).sigmoid()
                        let n = try (i3[2] + r * h3[2]).tanh()
                        expectClose(try tensor(e, "r")[t], r, tol: 1e-12, "\(what) r[\(t)]")
                        expectClose(try tensor(e, "z")[t], z, tol: 1e-12, "\(what) z[\(t)]")
                        expectClose(try tensor(e, "n")[t], n, tol: 1e-12, "\(what) n[\(t)]")
                    }
                    expectClose(try tensor(e, "h")[t], ref.states[k][d][t], tol: 1e-12, "\(what) h[\(t)]")
                }
            }
        }
        // The last layer's h is the output: forward direction in the first H features, reverse in
        // the last H, both in time order.
        let forwardHalf = try out.output.index([.all, .all, .slice(start: 0, stop: H)])
        let reverseHalf = try out.output.index([.all, .all, .slice(start: H, stop: 2 * H)])
        expectClose(forwardHalf, try tensor(try entry(trace, 1, 0), "h"), tol: 0, "\(kind) output[..., :H] vs trace h (1, 0)")
        expectClose(reverseHalf, try tensor(try entry(trace, 1, 1), "h"), tol: 0, "\(kind) output[..., H:] vs trace h (1, 1)")
        // hn: the forward direction's last step, the reverse direction's first.
        expectClose(try out.hn[2], try tensor(try entry(trace, 1, 0), "h")[T - 1], tol: 0, "\(kind) hn[2]")
        expectClose(try out.hn[3], try tensor(try entry(trace, 1, 1), "h")[0], tol: 0, "\(kind) hn[3]")
        if let cn = out.cn {
            expectClose(try cn[1], try tensor(try entry(trace, 0, 1), "c")[0], tol: 0, "lstm cn[1]")
        }
    }

    @Test(arguments: RecurrentKind.allCases)
    func tracingDoesNotChangeTheResult(_ kind: RecurrentKind) throws {
        let layer = try makeLayer(kind)
        let x = try randomTensor([Self.T, Self.B, Self.I], seed: 7, requiresGrad: true)
        let plain = try layer(x)
        try (plain.output.sum() + plain.hn.sum()).backward()
        let plainGrads = (layer.parameters + [x]).map { $0.grad! }
        layer.zeroGrad(); x.zeroGrad()

        let trace = RecurrentTrace()
        let traced = try layer(x, trace: trace)
        try (traced.output.sum() + traced.hn.sum()).backward()
        expectClose(traced.output, plain.output, tol: 0, "\(kind) output with vs without trace")
        expectClose(traced.hn, plain.hn, tol: 0, "\(kind) hn with vs without trace")
        if let cn = plain.cn { expectClose(try #require(traced.cn), cn, tol: 0, "lstm cn with vs without trace") }
        for (a, b) in zip((layer.parameters + [x]).map { $0.grad! }, plainGrads) {
            expectClose(a, b, tol: 0, "\(kind) gradients with vs without trace")
        }
    }

    // MARK: Backward entries

    /// dh: ∂L/∂hₜ against hₜ.grad of a ComposedCells unroll with retainGrad on every hₜ; dhNorm its norm.
    @Test(arguments: RecurrentKind.allCases, [1, 2])
    func backwardEntriesMatchRetainedGradientsOfAComposedUnroll(_ kind: RecurrentKind, _ layers: Int) throws {
        let (T, B, H) = (Self.T, Self.B, Self.H)
        let layer = try makeLayer(kind, layers: layers, bidirectional: layers == 2)
        let S = layers * layer.directions
        let x = try randomTensor([T, B, Self.I], seed: 8)
        let h0 = try randomTensor([S, B, H], seed: 9, scale: 0.5)
        let c0 = kind == .lstm ? try randomTensor([S, B, H], seed: 10, scale: 0.5) : nil
        func loss(_ output: Tensor, _ hn: Tensor, _ cn: Tensor?) throws -> Tensor {
            var l = try (output * randomTensor(output.shape, seed: 11)).sum() + (hn * randomTensor(hn.shape, seed: 12)).sum()
            if let cn { l = try l + (cn * randomTensor(cn.shape, seed: 13)).sum() }
            return l
        }

        let trace = RecurrentTrace()
        let out = try layer(x, h0: h0, c0: c0, trace: trace)
        try loss(out.output, out.hn, out.cn).backward()

        let ref = try composedForward(layer, x, h0: h0, c0: c0)
        for layerStates in ref.states { for steps in layerStates { for h in steps { h.retainGrad() } } }
        try loss(ref.output, ref.hn, ref.cn).backward()

        #expect(trace.backward.map { [$0.layer, $0.direction] } == trace.forward.map { [$0.layer, $0.direction] })
        for k in 0..<layers {
            for d in 0..<layer.directions {
                let g = try #require(trace.gradients(layer: k, direction: d), "no backward entry (\(k), \(d))")
                #expect(g.tensors.map(\.name) == ["dh", "dhNorm", "jacobianNorm"])
                #expect(g.kind == kind.cellName)
                let dh = try tensor(g, "dh"), dhNorm = try tensor(g, "dhNorm")
                #expect(dh.shape == [T, B, H])
                #expect(dhNorm.shape == [T])
                #expect(try tensor(g, "jacobianNorm").shape == [T])
                for t in 0..<T {
                    let expected = try #require(ref.states[k][d][t].grad, "h[\(t)] kept no gradient")
                    let what = "\(kind) layer \(k) direction \(d) t \(t)"
                    expectClose(try dh[t], expected, tol: 1e-10, "\(what): dh")
                    let norm = expected.storage.reduce(0) { $0 + $1 * $1 }.squareRoot()
                    #expect(Swift.abs(dhNorm.storage[t] - norm) <= 1e-10, "\(what): dhNorm \(dhNorm.storage[t]) vs \(norm)")
                }
            }
        }
    }

    /// Tanh RNN: ∂hₜ/∂hₜ₋₁ = diag(1 − hₜ²)·W_hh exactly, so its Frobenius norm is known in closed
    /// form; with a batch, the trace averages the per-sequence norms. Both directions.
    @Test(arguments: [1, 3])
    func tanhJacobianNormIsTheNormOfDiagTimesWhh(_ batch: Int) throws {
        let (T, H) = (Self.T, Self.H)
        let layer = try makeLayer(.rnnTanh, layers: 1, bidirectional: true)
        let trace = RecurrentTrace()
        let out = try layer(try randomTensor([T, batch, Self.I], seed: 14), trace: trace)
        try out.output.sum().backward()
        for d in 0..<2 {
            let h = try tensor(try entry(trace, 0, d), "h")
            let norms = try tensor(try #require(trace.gradients(layer: 0, direction: d)), "jacobianNorm")
            let whh = layer.weights[0][d].weightHH.storage
            for t in 0..<T {
                var average = 0.0
                for b in 0..<batch {
                    var squares = 0.0
                    for i in 0..<H {
                        let state = try h.element([t, b, i])
                        let slope = 1 - state * state
                        for j in 0..<H { squares += Foundation.pow(slope * whh[i * H + j], 2) }
                    }
                    average += squares.squareRoot() / Double(batch)
                }
                #expect(Swift.abs(norms.storage[t] - average) <= 1e-12,
                        "direction \(d) t \(t) batch \(batch): jacobianNorm \(norms.storage[t]) vs ‖diag(1−h²)W_hh‖ \(average)")
            }
        }
    }

    /// GRU and LSTM (and ReLU RNN): the Frobenius norm of a central-difference Jacobian ∂hₜ/∂hₜ₋₁
    /// through one ComposedCells step (cₜ₋₁ held fixed), per sequence, averaged over the batch.
    @Test(arguments: [RecurrentKind.gru, .lstm, .rnnReLU], [1, 2])
    func jacobianNormMatchesFiniteDifferenceJacobian(_ kind: RecurrentKind, _ batch: Int) throws {
        let (T, H) = (Self.T, Self.H)
        let layer = try makeLayer(kind, layers: 2, bidirectional: true)
        let x = try randomTensor([T, batch, Self.I], seed: 15)
        let h0 = try randomTensor([4, batch, H], seed: 16, scale: 0.5)
        let trace = RecurrentTrace()
        let out = try layer(x, h0: h0, trace: trace)
        try out.output.sum().backward()
        let ref = try GradMode.withoutGrad { try composedForward(layer, x, h0: h0) }
        let eps = 1e-5
        for k in 0..<2 {
            for d in 0..<2 {
                let norms = try tensor(try #require(trace.gradients(layer: k, direction: d)), "jacobianNorm")
                let p = layer.weights[k][d]
                for t in 0..<T {
                    let xt = try ref.layerInputs[k][t]
                    let hPrev = ref.previousState(layer: k, direction: d, t: t)
                    let cPrev = kind == .lstm ? ref.previousCell(layer: k, direction: d, t: t) : nil
                    var squares = [Double](repeating: 0, count: batch)
                    for j in 0..<H {
                        // Perturb unit j of every sequence's hₜ₋₁ at once: the rows do not interact.
                        let plus = hPrev.detach(), minus = hPrev.detach()
                        for b in 0..<batch { plus.storage[b * H + j] += eps; minus.storage[b * H + j] -= eps }
                        let up = try GradMode.withoutGrad { try composedStep(kind, x: xt, h: plus, c: cPrev, p).h }
                        let down = try GradMode.withoutGrad { try composedStep(kind, x: xt, h: minus, c: cPrev, p).h }
                        for b in 0..<batch {
                            for i in 0..<H {
                                let column = (up.storage[b * H + i] - down.storage[b * H + i]) / (2 * eps)
                                squares[b] += column * column
                            }
                        }
                    }
                    let expected = squares.reduce(0) { $0 + $1.squareRoot() } / Double(batch)
                    #expect(Swift.abs(norms.storage[t] - expected) <= 1e-6,
                            "\(kind) layer \(k) direction \(d) t \(t): jacobianNorm \(norms.storage[t]) vs finite differences \(expected)")
                }
            }
        }
    }

    /// A second backward over the same graph replaces the backward entries instead of adding more,
    /// and records the same values (they are not accumulated like .grad).
    @Test(arguments: RecurrentKind.allCases)
    func backwardTwiceReplacesTheEntries(_ kind: RecurrentKind) throws {
        let layer = try makeLayer(kind)
        let trace = RecurrentTrace()
        let out = try layer(try randomTensor([Self.T, Self.B, Self.I], seed: 17), trace: trace)
        let loss = try (out.output * out.output).sum()
        try loss.backward()
        let first = trace.backward.map { ($0.layer, $0.direction, $0.tensors.map(\.tensor.storage)) }
        #expect(first.count == 4)
        try loss.backward()
        #expect(trace.backward.count == 4)
        #expect(trace.forward.count == 4)
        for (entry, before) in zip(trace.backward, first) {
            #expect(entry.layer == before.0 && entry.direction == before.1)
            #expect(entry.tensors.map(\.tensor.storage) == before.2, "(\(entry.layer), \(entry.direction)) changed on the second backward")
        }
    }

    /// A new forward with the same trace replaces its forward entries (one per layer and direction).
    @Test func secondForwardReplacesForwardEntries() throws {
        let layer = try makeLayer(.lstm, layers: 1, bidirectional: false)
        let trace = RecurrentTrace()
        _ = try layer(try randomTensor([Self.T, Self.B, Self.I], seed: 18), trace: trace)
        let out = try layer(try randomTensor([Self.T, Self.B, Self.I], seed: 19), trace: trace)
        #expect(trace.forward.count == 1)
        expectClose(out.output, try tensor(try entry(trace, 0, 0), "h"), tol: 0, "trace holds the latest forward")
    }
}
