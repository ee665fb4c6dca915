import Foundation
import Testing
@testable import Engine

/// PyTorch parity: every recurrent fixture made by scripts/make_fixtures.py is loaded into a
/// freshly built layer by state_dict name, run forward and backward with the same upstream
/// gradients, and compared to 1e-10.
@Suite struct RecurrentLayerParityTests {
    static let cases = [
        "rnn_tanh_1layer", "rnn_relu_1layer", "lstm_1layer", "gru_1layer", "lstm_no_h0",
        "rnn_tanh_2layer_batch_first", "lstm_2layer_bidir", "gru_2layer_bidir", "rnn_tanh_bidir_1layer", "lstm_long",
    ]

    @Test(arguments: cases)
    func matchesPyTorch(_ name: String) throws {
        let f = try TorchFixture.load(name)
        let kind = try #require(RecurrentKind(rawValue: try f.string("mode")))
        let layer = try RecurrentLayer(
            kind, inputSize: try f.int("input_size"), hiddenSize: try f.int("hidden_size"),
            numLayers: try f.int("num_layers"), batchFirst: try f.bool("batch_first"),
            bidirectional: try f.bool("bidirectional"))
        var state: [String: Tensor] = [:]
        for (name, _) in layer.namedParameters { state[name] = try f.tensor(name) }
        try layer.loadStateDict(state)

        let x = try f.tensor("x", requiresGrad: true)
        let h0 = f.has("h0") ? try f.tensor("h0", requiresGrad: true) : nil
        let c0 = f.has("c0") ? try f.tensor("c0", requiresGrad: true) : nil
        let result = try layer(x, h0: h0, c0: c0)
        f.expectClose(result.output, to: "out")
        f.expectClose(result.hn, to: "hn")
        if let cn = result.cn { f.expectClose(cn, to: "cn") }

        // L = Σ out⊙dout + Σ hn⊙dhn (+ Σ cn⊙dcn): its gradients are the vector–Jacobian products PyTorch computed.
        var loss = try (result.output * f.tensor("dout")).sum() + (result.hn * f.tensor("dhn")).sum()
        if let cn = result.cn { loss = try loss + (cn * f.tensor("dcn")).sum() }
        try loss.backward()
        for (name, p) in layer.namedParameters {
            f.expectClose(try #require(p.grad, "no gradient for \(name)"), to: "grad.\(name)")
        }
        f.expectClose(try #require(x.grad), to: "grad.x")
        if let h0 { f.expectClose(try #require(h0.grad), to: "grad.h0") }
        if let c0 { f.expectClose(try #require(c0.grad), to: "grad.c0") }
    }
}

/// The layer's contract apart from the numbers: PyTorch's parameter names, shapes and order,
/// parameter counts, initialisation, result shapes for every configuration, dropout between
/// layers, and the errors a learner can provoke.
@Suite struct RecurrentLayerBehaviourTests {
    @Test func lstmTwoLayerBidirectionalParametersAreNamedShapedAndOrderedAsPyTorch() throws {
        let (I, H) = (5, 3)
        let layer = try RecurrentLayer(.lstm, inputSize: I, hiddenSize: H, numLayers: 2, bidirectional: true)
        let expected: [(String, [Int])] = [
            ("weight_ih_l0", [4 * H, I]), ("weight_hh_l0", [4 * H, H]), ("bias_ih_l0", [4 * H]), ("bias_hh_l0", [4 * H]),
            ("weight_ih_l0_reverse", [4 * H, I]), ("weight_hh_l0_reverse", [4 * H, H]),
            ("bias_ih_l0_reverse", [4 * H]), ("bias_hh_l0_reverse", [4 * H]),
            ("weight_ih_l1", [4 * H, 2 * H]), ("weight_hh_l1", [4 * H, H]), ("bias_ih_l1", [4 * H]), ("bias_hh_l1", [4 * H]),
            ("weight_ih_l1_reverse", [4 * H, 2 * H]), ("weight_hh_l1_reverse", [4 * H, H]),
            ("bias_ih_l1_reverse", [4 * H]), ("bias_hh_l1_reverse", [4 * H]),
        ]
        let actual = layer.namedParameters
        #expect(actual.map(\.name) == expected.map(\.0))
        #expect(actual.map(\.tensor.shape) == expected.map(\.1))
        #expect(actual.allSatisfy { $0.tensor.requiresGrad && $0.tensor.isLeaf })
        // The named tensors are the live parameters the layer computes with.
        #expect(actual[0].tensor === layer.weights[0][0].weightIH)
        #expect(actual[13].tensor === layer.weights[1][1].weightHH)
        #expect(layer.parameters.count == 16)
    }

    /// G·H·(I_k + H + 2) per direction, I_k = I for the first layer and D·H above.
    @Test(arguments: RecurrentKind.allCases)
    func parameterCountsFollowTheFormula(_ kind: RecurrentKind) throws {
        for (I, H, L, bidirectional) in [(1, 1, 1, false), (7, 5, 1, false), (7, 5, 3, false), (4, 6, 2, true), (10, 2, 1, true)] {
            let layer = try RecurrentLayer(kind, inputSize: I, hiddenSize: H, numLayers: L, bidirectional: bidirectional)
            let D = bidirectional ? 2 : 1, G = kind.gateCount
            let expected = (0..<L).reduce(0) { sum, k in sum + D * G * H * ((k == 0 ? I : D * H) + H + 2) }
            #expect(layer.parameterCount == expected, "\(kind) I \(I) H \(H) L \(L) bidirectional \(bidirectional)")
            let noBias = try RecurrentLayer(kind, inputSize: I, hiddenSize: H, numLayers: L, bias: false, bidirectional: bidirectional)
            #expect(noBias.parameterCount == expected - L * D * G * H * 2)
        }
        #expect(kind.gateCount == ["RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3][kind.rawValue])
    }

    /// U(−1/√H, 1/√H) for every parameter; seeded and reproducible.
    @Test(arguments: RecurrentKind.allCases)
    func initialValuesLieWithinOneOverRootHAndRepeatWithTheSeed(_ kind: RecurrentKind) throws {
        let H = 16
        let layer = try RecurrentLayer(kind, inputSize: 3, hiddenSize: H, numLayers: 2, bidirectional: true, seed: 3)
        let bound = 1 / Double(H).squareRoot()
        let all = layer.parameters.flatMap(\.storage)
        #expect(all.allSatisfy { Swift.abs($0) <= bound })
        #expect(all.max()! > 0.95 * bound && all.min()! < -0.95 * bound, "the values should fill ±1/√H")
        #expect(Swift.abs(all.reduce(0, +) / Double(all.count)) < 0.05 * bound)

        let same = try RecurrentLayer(kind, inputSize: 3, hiddenSize: H, numLayers: 2, bidirectional: true, seed: 3)
        #expect(same.parameters.map(\.storage) == layer.parameters.map(\.storage))
        let other = try RecurrentLayer(kind, inputSize: 3, hiddenSize: H, numLayers: 2, bidirectional: true, seed: 4)
        #expect(other.parameters.map(\.storage) != layer.parameters.map(\.storage))
        // Every parameter is drawn afresh (no two tensors share values).
        let firsts = layer.parameters.map { $0.storage[0] }
        #expect(Set(firsts).count == firsts.count)
    }

    struct Configuration: Sendable, CustomTestStringConvertible {
        let layers: Int, bidirectional: Bool, batchFirst: Bool, unbatched: Bool
        var testDescription: String {
            "L\(layers)\(bidirectional ? " bidirectional" : "")\(batchFirst ? " batch-first" : "")\(unbatched ? " unbatched" : "")"
        }
    }

    static let configurations: [Configuration] = [false, true].flatMap { bidirectional in
        [1, 2].flatMap { layers in
            [Configuration(layers: layers, bidirectional: bidirectional, batchFirst: false, unbatched: false),
             Configuration(layers: layers, bidirectional: bidirectional, batchFirst: true, unbatched: false),
             Configuration(layers: layers, bidirectional: bidirectional, batchFirst: false, unbatched: true),
             Configuration(layers: layers, bidirectional: bidirectional, batchFirst: true, unbatched: true)]
        }
    }

    @Test(arguments: RecurrentKind.allCases, configurations)
    func outputAndStateShapes(_ kind: RecurrentKind, _ c: Configuration) throws {
        let (T, B, I, H) = (6, 3, 4, 5)
        let D = c.bidirectional ? 2 : 1, S = c.layers * D
        let layer = try RecurrentLayer(kind, inputSize: I, hiddenSize: H, numLayers: c.layers,
                                       batchFirst: c.batchFirst, bidirectional: c.bidirectional)
        let inputShape = c.unbatched ? [T, I] : (c.batchFirst ? [B, T, I] : [T, B, I])
        let outputShape = c.unbatched ? [T, D * H] : (c.batchFirst ? [B, T, D * H] : [T, B, D * H])
        let stateShape = c.unbatched ? [S, H] : [S, B, H]
        for withState in [false, true] {
            let h0 = withState ? try Tensor.zeros(stateShape) : nil
            let c0 = withState && kind == .lstm ? try Tensor.zeros(stateShape) : nil
            let out = try layer(try randomTensor(inputShape, seed: 1), h0: h0, c0: c0)
            #expect(out.output.shape == outputShape)
            #expect(out.hn.shape == stateShape)
            #expect(out.cn?.shape == (kind == .lstm ? stateShape : nil))
            #expect(out.trace == nil)
        }
    }

    /// Batch-first and unbatched inputs are only layouts: the numbers equal the (T, B, I) run.
    @Test(arguments: RecurrentKind.allCases)
    func batchFirstAndUnbatchedGiveTheSameNumbers(_ kind: RecurrentKind) throws {
        let (T, B, I, H) = (4, 2, 3, 2)
        let seqFirst = try RecurrentLayer(kind, inputSize: I, hiddenSize: H, numLayers: 2, bidirectional: true, seed: 8)
        let batchFirst = try RecurrentLayer(kind, inputSize: I, hiddenSize: H, numLayers: 2, batchFirst: true, bidirectional: true, seed: 8)
        let x = try randomTensor([T, B, I], seed: 9)
        let a = try seqFirst(x), b = try batchFirst(try x.transpose(0, 1))
        expectClose(try b.output.transpose(0, 1), a.output, tol: 0, "\(kind) batch-first output")
        expectClose(b.hn, a.hn, tol: 0, "\(kind) batch-first hn")
        let single = try seqFirst(try x.index([.all, .at(1)]))
        expectClose(single.output, try a.output.index([.all, .at(1)]), tol: 1e-14, "\(kind) unbatched output")
        expectClose(single.hn, try a.hn.index([.all, .at(1)]), tol: 1e-14, "\(kind) unbatched hn")
        if let cn = a.cn { expectClose(try #require(single.cn), try cn.index([.all, .at(1)]), tol: 1e-14, "lstm unbatched cn") }
    }

    // MARK: Dropout between layers

    private func pair(_ kind: RecurrentKind, layers: Int, dropout: Double) throws -> (RecurrentLayer, RecurrentLayer) {
        let withDropout = try RecurrentLayer(kind, inputSize: 3, hiddenSize: 8, numLayers: layers, dropout: dropout, seed: 12)
        let plain = try RecurrentLayer(kind, inputSize: 3, hiddenSize: 8, numLayers: layers, seed: 99)
        try plain.loadStateDict(Dictionary(uniqueKeysWithValues: withDropout.stateDict().map { ($0.name, $0.tensor) }))
        return (withDropout, plain)
    }

    @Test(arguments: RecurrentKind.allCases)
    func dropoutActsOnlyInTrainingAndOnlyBetweenLayers(_ kind: RecurrentKind) throws {
        let x = try randomTensor([6, 4, 3], seed: 13)
        let (net, plain) = try pair(kind, layers: 2, dropout: 0.5)
        #expect(net.training)
        let reference = try plain(x)

        // Training: the second layer reads a dropped-out first layer, so the output changes…
        let trace = RecurrentTrace()
        let trained = try net(x, trace: trace)
        let difference = zip(trained.output.storage, reference.output.storage).map { Swift.abs($0 - $1) }.max()!
        #expect(difference > 1e-3, "\(kind): dropout 0.5 in training left the output unchanged")
        // …the first layer itself is untouched (hn[0] is its final state)…
        expectClose(try trained.hn[0], try reference.hn[0], tol: 0, "\(kind) layer 0 final state under dropout")
        // …and nothing is dropped after the last layer: the output is exactly its states.
        expectClose(trained.output, try #require(trace.entry(layer: 1)?.tensor("h")), tol: 0, "\(kind) output vs last layer's h")
        if kind != .rnnReLU {  // (a ReLU output has genuine zeros)
            #expect(!trained.output.storage.contains(0), "\(kind): zeros in the output look like dropout after the last layer")
        }

        // Evaluation: no dropout at all, the same numbers as dropout 0 with the same weights.
        net.training = false
        let evaluated = try net(x)
        expectClose(evaluated.output, reference.output, tol: 0, "\(kind) eval output vs dropout 0")
        expectClose(evaluated.hn, reference.hn, tol: 0, "\(kind) eval hn vs dropout 0")
        if let cn = reference.cn { expectClose(try #require(evaluated.cn), cn, tol: 0, "\(kind) eval cn vs dropout 0") }
        // Training again: dropout is back, with a fresh mask.
        net.training = true
        let again = try net(x)
        #expect(again.output.storage != trained.output.storage)
    }

    /// A one-layer net has no "between layers": dropout changes nothing, in training or not.
    @Test(arguments: RecurrentKind.allCases)
    func oneLayerNetIsUnaffectedByDropout(_ kind: RecurrentKind) throws {
        let x = try randomTensor([5, 2, 3], seed: 14)
        let (net, plain) = try pair(kind, layers: 1, dropout: 0.5)
        let reference = try plain(x)
        for training in [true, false] {
            net.training = training
            let out = try net(x)
            expectClose(out.output, reference.output, tol: 0, "\(kind) 1 layer training \(training) output")
            expectClose(out.hn, reference.hn, tol: 0, "\(kind) 1 layer training \(training) hn")
        }
    }

    /// Training-mode dropout is differentiable: gradients reach every parameter through the mask.
    @Test func gradientsFlowThroughInterLayerDropout() throws {
        let (net, _) = try pair(.gru, layers: 2, dropout: 0.3)
        let x = try randomTensor([5, 2, 3], seed: 15, requiresGrad: true)
        try net(x).output.sum().backward()
        for (name, p) in net.namedParameters {
            #expect(try #require(p.grad, "\(name) has no gradient").storage.contains { $0 != 0 }, "\(name)")
        }
        #expect(x.grad != nil)
    }

    // MARK: Errors

    @Test func errorsHaveClearMessages() throws {
        let lstm = try RecurrentLayer(.lstm, inputSize: 3, hiddenSize: 4, numLayers: 2)
        let gru = try RecurrentLayer(.gru, inputSize: 3, hiddenSize: 4)
        expectError(containing: ["5 features", "expects 3 (its input size", "(6, 2, 5)"], "wrong input feature size") {
            _ = try lstm(try Tensor.zeros([6, 2, 5]))
        }
        expectError(containing: ["h0", "(2, 2, 4)", "(1, 2, 4)"], "wrong h0 shape") {
            _ = try lstm(try Tensor.zeros([6, 2, 3]), h0: try Tensor.zeros([1, 2, 4]))
        }
        expectError(containing: ["c0", "(2, 2, 4)", "(2, 4)"], "wrong c0 shape") {
            _ = try lstm(try Tensor.zeros([6, 2, 3]), c0: try Tensor.zeros([2, 4]))
        }
        expectError(containing: ["h0", "(2, 4)"], "batched h0 with unbatched input") {
            _ = try lstm(try Tensor.zeros([6, 3]), h0: try Tensor.zeros([2, 1, 4]))
        }
        expectError(containing: ["h0", "(2, 4) = (layers·directions, hidden)", "got (1, 4)"], "unbatched input names the 2-D state layout") {
            _ = try lstm(try Tensor.zeros([6, 3]), h0: try Tensor.zeros([1, 4]))
        }
        let bidirectional = try RecurrentLayer(.rnnTanh, inputSize: 2, hiddenSize: 2, bidirectional: true)
        expectError(containing: ["h0 must have shape (2, 2) = (layers·directions, hidden)", "got (1, 2)"], "bidirectional, unbatched") {
            _ = try bidirectional(try Tensor.zeros([4, 2]), h0: try Tensor.zeros([1, 2]))
        }
        expectError(containing: ["c0", "only for LSTM"], "c0 given to a GRU") {
            _ = try gru(try Tensor.zeros([6, 2, 3]), c0: try Tensor.zeros([1, 2, 4]))
        }
        expectError(containing: ["(T, B, I)", "(T, I)", "(3,)"], "rank-1 input") { _ = try gru(Tensor([1, 2, 3])) }
        expectError(containing: ["(1, 2, 3, 3)"], "rank-4 input") { _ = try gru(try Tensor.zeros([1, 2, 3, 3])) }
        expectError(containing: ["at least one step", "(0, 2, 3)"], "zero-length sequence") {
            _ = try gru(try Tensor.zeros([0, 2, 3]))
        }
        expectError(containing: ["at least one step", "(0, 3)"], "zero-length unbatched sequence") {
            _ = try gru(try Tensor.zeros([0, 3]))
        }
        expectError(containing: ["positive", "-4"], "negative hidden size") { _ = try RecurrentLayer(.rnnTanh, inputSize: 3, hiddenSize: -4) }
        expectError(containing: ["positive", "-1"], "negative input size") { _ = try RecurrentLayer(.gru, inputSize: -1, hiddenSize: 4) }
        expectError(containing: ["positive"], "zero layers") { _ = try RecurrentLayer(.lstm, inputSize: 3, hiddenSize: 4, numLayers: 0) }
        expectError(containing: ["dropout", "[0, 1)", "1.0"], "dropout 1.0") {
            _ = try RecurrentLayer(.lstm, inputSize: 3, hiddenSize: 4, numLayers: 2, dropout: 1.0)
        }
        expectError(containing: ["dropout", "-0.2"], "negative dropout") {
            _ = try RecurrentLayer(.gru, inputSize: 3, hiddenSize: 4, dropout: -0.2)
        }
        expectError(containing: ["missing", "weight_ih_l1"], "state dict of the wrong depth") {
            let small = try RecurrentLayer(.lstm, inputSize: 3, hiddenSize: 4)
            try lstm.loadStateDict(Dictionary(uniqueKeysWithValues: small.stateDict().map { ($0.name, $0.tensor) }))
        }
    }
}

/// FinalStates.swift: h_n and c_n are made when first read — the same tensors, values and graph
/// as if made with the outputs, in the grad mode of the forward pass that produced them.
@Suite struct FinalStatesTests {
    @Test func readLaterTheyAreTheStatesOfTheForwardPass() throws {
        let layer = try RecurrentLayer(.lstm, inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, seed: 8)
        let x = try Tensor.randn([5, 2, 3], seed: 9)
        let r = try layer(x)
        // Read twice, or through a copy of the result: one tensor, made once.
        let copy = r
        #expect(r.hn === copy.hn && r.cn! === r.cn!)
        #expect(r.hn.shape == [4, 2, 4] && r.cn!.shape == [4, 2, 4])
        // The top layer's forward direction ends at the last step, its reverse direction at the first.
        let top = try r.output.index([.at(4), .at(1), .slice(start: 0, stop: 4)]).storage
        let topReverse = try r.output.index([.at(0), .at(1), .slice(start: 4, stop: 8)]).storage
        #expect(try r.hn.index([.at(2), .at(1)]).storage == top)
        #expect(try r.hn.index([.at(3), .at(1)]).storage == topReverse)
    }

    /// A forward pass that records its graph gives states that record theirs, even when first read
    /// inside a no-grad scope; one that does not gives states without a graph, read anywhere. The
    /// gradients through states read after a backward pass over the outputs are those of the
    /// states read at once.
    @Test(arguments: [RecurrentKind.lstm, .gru])
    func theyKeepTheGradModeOfTheirForwardPass(kind: RecurrentKind) throws {
        let layer = try RecurrentLayer(kind, inputSize: 3, hiddenSize: 4, seed: 10)
        let x = try Tensor.randn([6, 2, 3], seed: 11)
        let recorded = try layer(x)
        let hn = GradMode.withoutGrad { recorded.hn }
        #expect(hn.requiresGrad)
        let unrecorded = try GradMode.withoutGrad { try layer(x) }
        #expect(!unrecorded.hn.requiresGrad && unrecorded.cn?.requiresGrad != true)
        #expect(unrecorded.hn.storage == hn.storage)
        // Recorded: made on first reading. Not recorded: made at once, so that a result kept
        // unread does not keep the layers' outputs alive.
        let fresh = try layer(x)
        #expect(!fresh.finalStatesAreBuilt)
        _ = fresh.cn
        #expect(fresh.finalStatesAreBuilt)
        #expect(try GradMode.withoutGrad { try layer(x) }.finalStatesAreBuilt)

        func gradients(readStatesFirst: Bool) throws -> [[Double]] {
            layer.zeroGrad()
            let r = try layer(x)
            if readStatesFirst { _ = r.hn; _ = r.cn }
            try (r.output * r.output).sum().backward()
            var loss = try (r.hn * 3).sum()
            if let cn = r.cn { loss = try loss + (cn * cn).sum() }
            try loss.backward()
            return layer.parameters.map { $0.grad!.storage }
        }
        #expect(try gradients(readStatesFirst: false) == (try gradients(readStatesFirst: true)))

        // h_n of a one-layer, one-direction layer is its last output: the same gradients either way.
        func lastStepGradients(throughStates: Bool) throws -> [[Double]] {
            layer.zeroGrad()
            let r = try layer(x)
            let last = throughStates ? try r.hn.index([.at(0)]) : try r.output.index([.at(5)])
            try (last * last * 3).sum().backward()
            return layer.parameters.map { $0.grad!.storage }
        }
        #expect(try lastStepGradients(throughStates: true) == (try lastStepGradients(throughStates: false)))
    }
}
