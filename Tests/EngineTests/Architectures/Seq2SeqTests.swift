import Foundation
import Testing
@testable import Engine

@Suite struct Seq2SeqTests {
    struct Config: Sendable, CustomTestStringConvertible {
        var kind: RecurrentKind = .lstm
        var layers = 1
        var bidirectional = false
        var batchFirst = false
        var unbatched = false
        var padded = false
        var testDescription: String {
            "\(kind.rawValue) L\(layers)\(bidirectional ? " bi-encoder" : "")\(batchFirst ? " batchFirst" : "")"
                + "\(unbatched ? " unbatched" : "")\(padded ? " padded" : "")"
        }
    }

    static let (S, T, B, sourceVocabulary, targetVocabulary, start) = (5, 4, 3, 7, 6, 0)

    static func make(_ c: Config, hidden: Int = 4, seed: UInt64 = 1) throws -> Seq2Seq {
        try Seq2Seq(c.kind, sourceVocabularySize: sourceVocabulary, targetVocabularySize: targetVocabulary, embeddingSize: 3,
                    hiddenSize: hidden, numLayers: c.layers, bidirectionalEncoder: c.bidirectional, batchFirst: c.batchFirst, seed: seed)
    }

    static let configs: [Config] = [
        Config(), Config(kind: .gru, layers: 2), Config(bidirectional: true), Config(kind: .gru, layers: 2, bidirectional: true, padded: true),
        Config(kind: .rnnTanh, batchFirst: true), Config(layers: 2, batchFirst: true, padded: true), Config(unbatched: true),
        Config(bidirectional: true, unbatched: true, padded: true),
    ]

    @Test(arguments: configs)
    func shapes(_ c: Config) throws {
        let model = try Self.make(c)
        var source = try ArchTest.tokens(Self.S, Self.B, vocabulary: Self.sourceVocabulary, seed: 1)
        var target = try ArchTest.tokens(Self.T, Self.B, vocabulary: Self.targetVocabulary, seed: 2)
        var lengths: [Int]? = c.padded ? [5, 2, 4] : nil
        if c.unbatched {
            source = try source.index([.all, .at(0)]); target = try target.index([.all, .at(0)]); lengths = lengths.map { [$0[0]] }
        } else if c.batchFirst {
            source = try source.transpose(0, 1); target = try target.transpose(0, 1)
        }
        let D = c.bidirectional ? 2 : 1, (S, T, B, V) = (Self.S, Self.T, Self.B, Self.targetVocabulary)
        let (outputs, state) = try model.encode(source, lengths: lengths)
        #expect(outputs.shape == (c.unbatched ? [S, D * 4] : c.batchFirst ? [B, S, D * 4] : [S, B, D * 4]))
        #expect(state.h.shape == (c.unbatched ? [c.layers, D * 4] : [c.layers, B, D * 4]))
        #expect((state.c != nil) == (c.kind == .lstm))
        let logits = try model(source: source, target: target, start: Self.start, sourceLengths: lengths)
        #expect(logits.shape == (c.unbatched ? [T, V] : c.batchFirst ? [B, T, V] : [T, B, V]))
        let decoded = try model.greedyDecode(source: source, start: Self.start, maxLength: 3, sourceLengths: lengths)
        #expect(decoded.count == (c.unbatched ? 1 : B) && decoded.allSatisfy { $0.count == 3 })
    }

    @Test func parametersUsePyTorchNames() throws {
        let model = try Self.make(Config(kind: .gru))
        #expect(model.namedParameters.map(\.name) == [
            "source_embedding.weight",
            "encoder.weight_ih_l0", "encoder.weight_hh_l0", "encoder.bias_ih_l0", "encoder.bias_hh_l0",
            "target_embedding.weight",
            "decoder.weight_ih_l0", "decoder.weight_hh_l0", "decoder.bias_ih_l0", "decoder.bias_hh_l0",
            "head.weight", "head.bias",
        ])
    }

    @Test func shiftRightPutsTheStartTokenFirst() throws {
        let model = try Self.make(Config())
        let target = try Tensor(literal: [[1, 2], [3, 4], [5, 1]])                             // (T = 3, B = 2)
        #expect(try model.shiftRight(target, start: 5).storage == [5, 5, 1, 2, 3, 4])
        let bf = try Self.make(Config(batchFirst: true))
        #expect(try bf.shiftRight(target.T, start: 0).storage == [0, 1, 3, 0, 2, 4])
        #expect(try model.shiftRight(Tensor([4, 2, 3]), start: 1).storage == [1, 4, 2])
    }

    /// Teacher forcing is: encode, bridge the final states, run the decoder over the shifted target, head.
    @Test(arguments: [Config(), Config(kind: .gru, layers: 2, bidirectional: true), Config(layers: 2, bidirectional: true)])
    func teacherForcingEqualsManualEncoderDecoder(_ c: Config) throws {
        let model = try Self.make(c, seed: 4)
        let source = try ArchTest.tokens(Self.S, Self.B, vocabulary: Self.sourceVocabulary, seed: 3)
        let target = try ArchTest.tokens(Self.T, Self.B, vocabulary: Self.targetVocabulary, seed: 4)
        let encoded = try model.encoder(try model.sourceEmbedding!(source))
        func bridge(_ s: Tensor) throws -> Tensor {        // per layer: [forward; reverse] along features
            guard c.bidirectional else { return s }
            return try Tensor.stack(try (0..<c.layers).map { l in try Tensor.concat([s[2 * l], s[2 * l + 1]], axis: -1) })
        }
        let startRow = try Tensor.full([1, Self.B], Double(Self.start))
        let shifted = try Tensor.concat([startRow, try target.index([.slice(start: 0, stop: Self.T - 1)])])
        let decoded = try model.decoder(try model.targetEmbedding(shifted), h0: try bridge(encoded.hn), c0: try encoded.cn.map(bridge))
        let manual = try model.head(decoded.output)
        #expect(ArchTest.close(try model(source: source, target: target, start: Self.start), manual))
    }

    @Test(arguments: [Config(padded: true), Config(kind: .gru, layers: 2, bidirectional: true, padded: true)])
    func sourcePaddingDoesNotChangeLogits(_ c: Config) throws {
        let model = try Self.make(c, seed: 6)
        let lengths = [5, 2, 4]
        let source = try ArchTest.tokens(Self.S, Self.B, vocabulary: Self.sourceVocabulary, seed: 5)
        let target = try ArchTest.tokens(Self.T, Self.B, vocabulary: Self.targetVocabulary, seed: 6)
        let a = try model(source: try ArchTest.repad(source, lengths: lengths, value: 0), target: target, start: 1, sourceLengths: lengths)
        let b = try model(source: try ArchTest.repad(source, lengths: lengths, value: 6), target: target, start: 1, sourceLengths: lengths)
        #expect(ArchTest.close(a, b))
        for (n, length) in lengths.enumerated() {
            let alone = try model(source: ArchTest.column(source, n, steps: length),
                                  target: ArchTest.column(target, n, steps: Self.T), start: 1)
            #expect(ArchTest.close(try ArchTest.column(a, n, steps: Self.T), alone))
        }
    }

    /// Greedy decoding feeds back its own argmax: teacher-forcing its output must reproduce it.
    @Test(arguments: [Config(), Config(kind: .gru, layers: 2, bidirectional: true)])
    func greedyDecodeIsArgmaxOfItsOwnTeacherForcedLogits(_ c: Config) throws {
        let model = try Self.make(c, seed: 7)
        let source = try ArchTest.tokens(Self.S, Self.B, vocabulary: Self.sourceVocabulary, seed: 8)
        let decoded = try model.greedyDecode(source: source, start: Self.start, maxLength: 6)
        #expect(decoded.allSatisfy { $0.count == 6 })
        let target = try Tensor(shape: [6, Self.B], storage: (0..<6).flatMap { t in decoded.map { Double($0[t]) } })
        let logits = try model(source: source, target: target, start: Self.start)
        let V = Self.targetVocabulary
        for t in 0..<6 { for b in 0..<Self.B {
            let row = Array(logits.storage[((t * Self.B + b) * V)..<((t * Self.B + b + 1) * V)])
            #expect(Sampling.argmax(row) == decoded[b][t], "t \(t) b \(b)")
        } }
        // With a stop token each sequence ends just before its first occurrence.
        let stop = decoded[0][2]
        let stopped = try model.greedyDecode(source: source, start: Self.start, maxLength: 6, stop: stop)
        for b in 0..<Self.B { #expect(stopped[b] == Array(decoded[b].prefix { $0 != stop })) }
        #expect(model.training)
    }

    @Test func gradcheckThroughEncoderAndDecoder() throws {
        let model = try Seq2Seq(.lstm, sourceVocabularySize: 3, targetVocabularySize: 3, embeddingSize: 2, hiddenSize: 1,
                                bidirectionalEncoder: true, seed: 2)
        let source = try ArchTest.tokens(3, 2, vocabulary: 3, seed: 1), target = try ArchTest.tokens(3, 2, vocabulary: 3, seed: 2)
        let params = [model.sourceEmbedding!.weight, model.encoder.weights[0][1].weightHH, model.decoder.weights[0][0].weightIH,
                      model.head.weight]
        let result = try gradcheck(params) { _ in try model(source: source, target: target, start: 0, sourceLengths: [3, 2]) }
        #expect(result.passed, "\(result)")
    }

    @Test func errors() throws {
        let model = try Self.make(Config())
        let source = try ArchTest.tokens(Self.S, Self.B, vocabulary: Self.sourceVocabulary, seed: 1)
        let target = try ArchTest.tokens(Self.T, Self.B, vocabulary: Self.targetVocabulary, seed: 2)
        #expect(ArchTest.throwsMessage("start token 6 is out of range 0..<6") { _ = try model(source: source, target: target, start: 6) })
        #expect(ArchTest.throwsMessage("stop token -1") { _ = try model.greedyDecode(source: source, start: 0, maxLength: 2, stop: -1) })
        #expect(ArchTest.throwsMessage("max_length must be ≥ 0") { _ = try model.greedyDecode(source: source, start: 0, maxLength: -1) })
        #expect(ArchTest.throwsMessage("length 6 of sequence 0 is outside 1…5") {
            _ = try model(source: source, target: target, start: 0, sourceLengths: [6, 1, 1])
        })
        #expect(ArchTest.throwsMessage("id 7 at flat position 0 is outside 0..<7") { _ = try model.encode(try Tensor.full([2, 3], 7)) })
        let e = try Embedding(count: 4, dimension: 3), t = try Embedding(count: 5, dimension: 3)
        let lstm = try RecurrentLayer(.lstm, inputSize: 3, hiddenSize: 4), gru = try RecurrentLayer(.gru, inputSize: 3, hiddenSize: 4)
        let head = try Linear(inFeatures: 4, outFeatures: 5)
        #expect(ArchTest.throwsMessage("both be LSTMs") {
            _ = try Seq2Seq(sourceEmbedding: e, encoder: lstm, targetEmbedding: t, decoder: gru, head: head)
        })
        let bi = try RecurrentLayer(.lstm, inputSize: 3, hiddenSize: 4, bidirectional: true)
        #expect(ArchTest.throwsMessage("decoder hiddenSize must be 2·4") {
            _ = try Seq2Seq(sourceEmbedding: e, encoder: bi, targetEmbedding: t, decoder: lstm, head: head)
        })
        let deep = try RecurrentLayer(.lstm, inputSize: 3, hiddenSize: 4, numLayers: 2)
        #expect(ArchTest.throwsMessage("encoder has 2 layers, decoder 1; they must match") {
            _ = try Seq2Seq(sourceEmbedding: e, encoder: deep, targetEmbedding: t, decoder: lstm, head: head)
        })
        #expect(ArchTest.throwsMessage("head must map 4 features to 5") {
            _ = try Seq2Seq(sourceEmbedding: e, encoder: lstm, targetEmbedding: t, decoder: lstm, head: try Linear(inFeatures: 4, outFeatures: 3))
        })
    }
}
