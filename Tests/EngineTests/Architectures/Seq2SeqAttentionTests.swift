import Foundation
import Testing
@testable import Engine

/// Luong dot-product attention in the encoder–decoder (`Seq2Seq` with `attention: true`) and the
/// attention step itself (`DotAttention`): PyTorch parity, finite-difference gradients, masking,
/// and greedy decoding's alignment.
@Suite struct Seq2SeqAttentionTests {
    static let (S, T, B, sourceVocabulary, targetVocabulary) = (5, 4, 3, 7, 6)

    static func make(_ kind: RecurrentKind = .gru, layers: Int = 1, bidirectional: Bool = false, seed: UInt64 = 1) throws -> Seq2Seq {
        try Seq2Seq(kind, sourceVocabularySize: sourceVocabulary, targetVocabularySize: targetVocabulary, embeddingSize: 3,
                    hiddenSize: 4, numLayers: layers, bidirectionalEncoder: bidirectional, attention: true, seed: seed)
    }

    // MARK: PyTorch

    /// Logits, alignment and every parameter gradient against `scripts/make_fixtures.py`'s
    /// float64 PyTorch model (a bidirectional GRU over padded sources; 2-layer LSTMs).
    @Test(arguments: ["seq2seq_attention_gru", "seq2seq_attention_lstm"])
    func matchesPyTorch(_ name: String) throws {
        let f = try TorchFixture.load(name)
        let kind: RecurrentKind = try f.string("kind") == "lstm" ? .lstm : .gru
        let model = try Seq2Seq(kind, sourceVocabularySize: try f.int("source_vocab"), targetVocabularySize: try f.int("target_vocab"),
                                embeddingSize: try f.int("embed"), hiddenSize: try f.int("hidden"), numLayers: try f.int("layers"),
                                bidirectionalEncoder: try f.bool("bidirectional"), attention: true, seed: 9)
        var values: [String: Tensor] = [:]
        for (key, _) in model.namedParameters { values[key] = try f.tensor(key) }
        try model.loadStateDict(values)
        let lengths = try f.tensor("lengths").storage.map { Int($0) }
        let (logits, weights) = try model.forward(source: try f.tensor("source"), target: try f.tensor("target"),
                                                  start: try f.int("start"), sourceLengths: lengths)
        f.expectClose(logits, to: "logits", tol: 1e-12)
        f.expectClose(try #require(weights), to: "weights", tol: 1e-12)
        try logits.backward(gradient: try f.tensor("dlogits"))
        for (key, parameter) in model.namedParameters {
            let grad = try Tensor(shape: parameter.shape, storage: try #require(parameter.gradStorage, "no gradient for \(key)"))
            f.expectClose(grad, to: "grad.\(key)", tol: 1e-12)
        }
        #expect(model.namedParameters.count == f.names(withPrefix: "grad.").count)
    }

    // MARK: Gradients

    /// Finite differences through encoder, attention, combine and head, with padded sources.
    @Test(arguments: [RecurrentKind.gru, .lstm])
    func gradcheckThroughAttention(_ kind: RecurrentKind) throws {
        let model = try Seq2Seq(kind, sourceVocabularySize: 4, targetVocabularySize: 3, embeddingSize: 2, hiddenSize: 2,
                                bidirectionalEncoder: kind == .gru, attention: true, seed: 3)
        let source = try ArchTest.tokens(4, 2, vocabulary: 4, seed: 1), target = try ArchTest.tokens(3, 2, vocabulary: 3, seed: 2)
        let result = try gradcheck(model.parameters) { _ in
            try model(source: source, target: target, start: 0, sourceLengths: [4, 2])
        }
        #expect(result.passed, "\(result)")
    }

    /// The attention step alone: ∂/∂query, ∂/∂keys, ∂/∂values by finite differences, with a mask
    /// and a batch axis; and the weights' gradient too (a loss on the alignment itself).
    @Test func gradcheckOfTheAttentionStep() throws {
        let q = try Tensor.randn([2, 3, 4], seed: 1), k = try Tensor.randn([2, 5, 4], seed: 2), v = try Tensor.randn([2, 5, 3], seed: 3)
        let mask = try DotAttention.lengthMask([5, 2], steps: 5)
        let context = try gradcheck([q, k, v]) { x in try DotAttention.attend(query: x[0], keys: x[1], values: x[2], mask: mask).context }
        #expect(context.passed, "\(context)")
        let weights = try gradcheck([q, k]) { x in try DotAttention.attend(query: x[0], keys: x[1], values: v, mask: mask).weights }
        #expect(weights.passed, "\(weights)")
    }

    // MARK: What attention computes

    @Test func weightsAreASoftmaxOverTheRealSourcePositions() throws {
        let q = try Tensor.randn([2, 3, 4], seed: 4), k = try Tensor.randn([2, 5, 4], seed: 5)
        let a = try DotAttention.attend(query: q, keys: k, values: k, mask: try DotAttention.lengthMask([5, 2], steps: 5))
        for b in 0..<2 { for t in 0..<3 {
            let row = Array(a.weights.storage[((b * 3 + t) * 5)..<((b * 3 + t + 1) * 5)])
            #expect(Swift.abs(row.reduce(0, +) - 1) < 1e-14)
            if b == 1 { #expect(row[2...].allSatisfy { $0 == 0 }) }        // padding gets exactly 0
            // By hand: scores are dot products, the weights their softmax over the allowed keys.
            let n = b == 0 ? 5 : 2
            let scores = (0..<n).map { s in (0..<4).reduce(0.0) { $0 + q.storage[(b * 3 + t) * 4 + $1] * k.storage[(b * 5 + s) * 4 + $1] } }
            let m = scores.max()!, e = scores.map { Foundation.exp($0 - m) }, z = e.reduce(0, +)
            for s in 0..<n { #expect(Swift.abs(row[s] - e[s] / z) < 1e-14) }
            #expect(Swift.abs(a.scores.storage[(b * 3 + t) * 5] - scores[0]) < 1e-14)
        } }
        // The context is the weighted average of the values.
        let manual = try a.weights.matmul(k)
        #expect(ArchTest.close(a.context, manual))
    }

    @Test func paddingDoesNotChangeLogitsOrWeights() throws {
        let model = try Self.make(.gru, bidirectional: true, seed: 6)
        let lengths = [5, 2, 4]
        let source = try ArchTest.tokens(Self.S, Self.B, vocabulary: Self.sourceVocabulary, seed: 5)
        let target = try ArchTest.tokens(Self.T, Self.B, vocabulary: Self.targetVocabulary, seed: 6)
        let a = try model.forward(source: try ArchTest.repad(source, lengths: lengths, value: 0), target: target, start: 1, sourceLengths: lengths)
        let b = try model.forward(source: try ArchTest.repad(source, lengths: lengths, value: 6), target: target, start: 1, sourceLengths: lengths)
        #expect(ArchTest.close(a.logits, b.logits) && ArchTest.close(a.weights!, b.weights!))
        for (n, length) in lengths.enumerated() {
            let alone = try model.forward(source: ArchTest.column(source, n, steps: length), target: ArchTest.column(target, n, steps: Self.T), start: 1)
            #expect(ArchTest.close(try ArchTest.column(a.logits, n, steps: Self.T), alone.logits))
            let row = try a.weights!.index([.at(n), .all, .slice(start: 0, stop: length, step: 1)])
            #expect(ArchTest.close(try row.unsqueeze(0), alone.weights!))
        }
    }

    /// Teacher forcing is: encode, bridge, decode, attend with h_t over the encoder outputs,
    /// tanh(W_c [c; h]), head — rebuilt here from the model's parts.
    @Test func teacherForcingEqualsManualAttention() throws {
        let model = try Self.make(.lstm, seed: 4)
        let source = try ArchTest.tokens(Self.S, Self.B, vocabulary: Self.sourceVocabulary, seed: 3)
        let target = try ArchTest.tokens(Self.T, Self.B, vocabulary: Self.targetVocabulary, seed: 4)
        let encoded = try model.encoder(try model.sourceEmbedding!(source))
        let shifted = try Tensor.concat([try Tensor.full([1, Self.B], 1), try target.index([.slice(start: 0, stop: Self.T - 1)])])
        let decoded = try model.decoder(try model.targetEmbedding(shifted), h0: encoded.hn, c0: encoded.cn)
        var columns: [Tensor] = []
        for b in 0..<Self.B {
            let h = try decoded.output.index([.all, .at(b)]), keys = try encoded.output.index([.all, .at(b)])   // (T, H), (S, H)
            let w = try h.matmul(keys.T).softmax(axis: -1)
            let mixed = try model.combine!(Tensor.concat([try w.matmul(keys), h], axis: -1)).tanh()
            columns.append(try model.head(mixed))
        }
        let manual = try Tensor.stack(columns, axis: 1)
        #expect(ArchTest.close(try model(source: source, target: target, start: 1), manual))
    }

    /// Greedy decoding feeds back its own argmax; teacher-forcing that output gives the same tokens
    /// and the same alignment rows, cut to each source's length and to the tokens written.
    @Test func greedyAlignmentIsTheTeacherForcedAlignmentOfItsOwnOutput() throws {
        let model = try Self.make(.gru, bidirectional: true, seed: 7)
        let lengths = [5, 3, 4]
        let source = try ArchTest.tokens(Self.S, Self.B, vocabulary: Self.sourceVocabulary, seed: 8)
        let out = try model.greedyDecodeAligned(source: source, start: 0, maxLength: 6, sourceLengths: lengths)
        let weights = try #require(out.weights)
        let target = try Tensor(shape: [6, Self.B], storage: (0..<6).flatMap { t in out.tokens.map { Double($0[t]) } })
        let forced = try model.forward(source: source, target: target, start: 0, sourceLengths: lengths)
        for b in 0..<Self.B {
            #expect(weights[b].shape == [6, lengths[b]])
            let row = try forced.weights!.index([.at(b), .all, .slice(start: 0, stop: lengths[b], step: 1)])
            #expect(ArchTest.close(weights[b], row))
        }
        // A stop token ends a sequence: its row is left out with it.
        let stop = out.tokens[0][2]
        let stopped = try model.greedyDecodeAligned(source: source, start: 0, maxLength: 6, stop: stop, sourceLengths: lengths)
        for b in 0..<Self.B {
            #expect(stopped.tokens[b] == Array(out.tokens[b].prefix { $0 != stop }))
            #expect(stopped.weights![b].shape == [stopped.tokens[b].count, lengths[b]])
        }
        #expect(try Seq2Seq(.gru, sourceVocabularySize: 3, targetVocabularySize: 3, embeddingSize: 2, hiddenSize: 2)
            .greedyDecodeAligned(source: try Tensor([1, 2]), start: 0, maxLength: 2).weights == nil)
    }

    /// The attention model shares every other parameter with the plain one from the same seed.
    @Test func attentionAddsOnlyCombine() throws {
        let plain = try Seq2Seq(.gru, sourceVocabularySize: 7, targetVocabularySize: 6, embeddingSize: 3, hiddenSize: 4,
                                bidirectionalEncoder: true, seed: 2)
        let attending = try Self.make(.gru, bidirectional: true, seed: 2)
        let names = attending.namedParameters.map(\.name)
        #expect(names == plain.namedParameters.map(\.name).filter { $0 != "head.weight" && $0 != "head.bias" }
            + ["combine.weight", "head.weight", "head.bias"])
        for (name, p) in plain.namedParameters {
            #expect(attending.namedParameters.first { $0.name == name }!.tensor.storage == p.storage, "\(name)")
        }
        #expect(attending.combine!.weight.shape == [8, 16] && attending.combine!.bias == nil)
    }

    @Test func errors() throws {
        let q = try Tensor.randn([2, 3], seed: 1), k = try Tensor.randn([4, 3], seed: 2)
        #expect(ArchTest.throwsMessage("allows no key for query [1]") {
            _ = try DotAttention.attend(query: q, keys: k, values: k, mask: try Tensor(literal: [[1, 0, 0, 0], [0, 0, 0, 0]]))
        })
        #expect(ArchTest.throwsMessage("only 1 (may attend) and 0") {
            _ = try DotAttention.attend(query: q, keys: k, values: k, mask: try Tensor([1, 0.5, 0, 0]))
        })
        #expect(ArchTest.throwsMessage("must fit the scores") {
            _ = try DotAttention.attend(query: q, keys: k, values: k, mask: try Tensor([1, 1, 0]))
        })
        #expect(ArchTest.throwsMessage("the query's 3 features") {
            _ = try DotAttention.attend(query: q, keys: try Tensor.randn([4, 2], seed: 3), values: k)
        })
        #expect(ArchTest.throwsMessage("one value per key") {
            _ = try DotAttention.attend(query: q, keys: k, values: try Tensor.randn([3, 3], seed: 3))
        })
        let model = try Self.make()
        let encoded = try model.encode(try ArchTest.tokens(Self.S, Self.B, vocabulary: Self.sourceVocabulary, seed: 1))
        #expect(ArchTest.throwsMessage("pass them too") { _ = try model.decode(try Tensor.full([2, Self.B], 1), state: encoded.state) })
        let logits = try model.decode(try Tensor.full([2, Self.B], 1), state: encoded.state, encoderOutputs: encoded.outputs).logits
        #expect(logits.shape == [2, Self.B, Self.targetVocabulary])
    }
}
