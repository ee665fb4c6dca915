import Foundation
import Testing
@testable import Engine

@Suite struct SequenceClassifierTests {
    struct Config: Sendable, CustomTestStringConvertible {
        var kind: RecurrentKind = .lstm
        var layers = 1
        var bidirectional = false
        var tokens = false
        var batchFirst = false
        var unbatched = false
        var padded = false
        var readout: SequenceClassifier.Readout = .last
        var testDescription: String {
            "\(kind.rawValue) L\(layers)\(bidirectional ? " bi" : "")\(tokens ? " tokens" : "")\(batchFirst ? " batchFirst" : "")"
                + "\(unbatched ? " unbatched" : "")\(padded ? " padded" : "") \(readout.rawValue)"
        }
    }

    static let configs: [Config] = [
        Config(), Config(kind: .gru, layers: 2), Config(kind: .rnnTanh, bidirectional: true),
        Config(layers: 2, bidirectional: true, tokens: true), Config(tokens: true, batchFirst: true, padded: true),
        Config(kind: .gru, bidirectional: true, batchFirst: true, padded: true), Config(tokens: true, unbatched: true),
        Config(bidirectional: true, unbatched: true, padded: true), Config(readout: .mean),
        Config(kind: .gru, bidirectional: true, padded: true, readout: .mean),
    ]

    static func make(_ c: Config, seed: UInt64 = 1) throws -> SequenceClassifier {
        c.tokens
            ? try SequenceClassifier(c.kind, vocabularySize: 7, embeddingSize: 3, hiddenSize: 4, outputSize: 5, numLayers: c.layers,
                                     bidirectional: c.bidirectional, readout: c.readout, batchFirst: c.batchFirst, seed: seed)
            : try SequenceClassifier(c.kind, inputSize: 3, hiddenSize: 4, outputSize: 5, numLayers: c.layers,
                                     bidirectional: c.bidirectional, readout: c.readout, batchFirst: c.batchFirst, seed: seed)
    }

    @Test(arguments: configs)
    func shapes(_ c: Config) throws {
        let model = try Self.make(c)
        let (T, B) = (6, 3)
        var x = c.tokens ? try ArchTest.tokens(T, B, vocabulary: 7, seed: 2) : try Tensor.randn([T, B, 3], seed: 2)
        var lengths: [Int]? = c.padded ? [6, 2, 5] : nil
        if c.unbatched { x = try x.index([.all, .at(0)]); lengths = lengths.map { [$0[0]] } }
        else if c.batchFirst { x = try x.transpose(0, 1) }
        let D = c.bidirectional ? 2 : 1
        #expect(try model.summary(x, lengths: lengths).shape == (c.unbatched ? [D * 4] : [B, D * 4]))
        #expect(try model(x, lengths: lengths).shape == (c.unbatched ? [5] : [B, 5]))
    }

    @Test func parametersUsePyTorchNames() throws {
        let model = try SequenceClassifier(.lstm, vocabularySize: 7, embeddingSize: 3, hiddenSize: 4, outputSize: 2, bidirectional: true)
        #expect(model.namedParameters.map(\.name) == [
            "embedding.weight",
            "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0",
            "rnn.weight_ih_l0_reverse", "rnn.weight_hh_l0_reverse", "rnn.bias_ih_l0_reverse", "rnn.bias_hh_l0_reverse",
            "head.weight", "head.bias",
        ])
        #expect(model.namedParameters.allSatisfy { $0.tensor.requiresGrad })
        // A state dict round-trips by name into a differently seeded model.
        let other = try SequenceClassifier(.lstm, vocabularySize: 7, embeddingSize: 3, hiddenSize: 4, outputSize: 2, bidirectional: true, seed: 9)
        try other.loadStateDict(Dictionary(uniqueKeysWithValues: model.stateDict().map { ($0.name, $0.tensor) }))
        let x = try ArchTest.tokens(4, 2, vocabulary: 7, seed: 1)
        #expect(try other(x).storage == model(x).storage)
    }

    /// Without lengths the summary is hn of the last layer: output[T−1] forwards, output[0] backwards.
    @Test func lastStateOfBothDirections() throws {
        let model = try SequenceClassifier(.gru, inputSize: 3, hiddenSize: 4, outputSize: 2, numLayers: 2, bidirectional: true, seed: 3)
        let x = try Tensor.randn([5, 2, 3], seed: 4)
        let output = try model.rnn(x).output                                             // (5, 2, 8)
        let forward = try output.index([.at(4), .all, .slice(start: 0, stop: 4)])
        let backward = try output.index([.at(0), .all, .slice(start: 4, stop: 8)])
        #expect(ArchTest.close(try model.summary(x), try Tensor.concat([forward, backward], axis: 1)))
    }

    @Test func maskedLastStateIsTheGatherAndNotTheLastRow() throws {
        let model = try SequenceClassifier(.lstm, inputSize: 3, hiddenSize: 4, outputSize: 2, seed: 5)
        let x = try Tensor.randn([6, 3, 3], seed: 6), lengths = [6, 2, 4]
        let output = try model.rnn(x).output
        let summary = try model.summary(x, lengths: lengths)
        for (b, n) in lengths.enumerated() {
            let manual = try output[n - 1][b], last = try output[5][b]
            #expect(ArchTest.close(try summary[b], manual))
            #expect(ArchTest.close(try summary[b], last) == (n == 6))
        }
    }

    @Test(arguments: [Config(padded: true), Config(kind: .gru, layers: 2, bidirectional: true, padded: true),
                      Config(bidirectional: true, tokens: true, padded: true), Config(padded: true, readout: .mean),
                      Config(kind: .rnnTanh, bidirectional: true, padded: true, readout: .mean)])
    func paddingDoesNotChangeLogits(_ c: Config) throws {
        let model = try Self.make(c, seed: 11)
        let lengths = [6, 2, 4]
        let x = c.tokens ? try ArchTest.tokens(6, 3, vocabulary: 7, seed: 3) : try Tensor.randn([6, 3, 3], seed: 3)
        let a = try model(try ArchTest.repad(x, lengths: lengths, value: 0), lengths: lengths)
        let b = try model(try ArchTest.repad(x, lengths: lengths, value: c.tokens ? 6 : 37.5), lengths: lengths)
        #expect(ArchTest.close(a, b))
        // …and equal the logits of each sequence classified alone, unpadded.
        for (n, length) in lengths.enumerated() {
            #expect(ArchTest.close(try a[n], try model(ArchTest.column(x, n, steps: length))[0], tolerance: 1e-12))
        }
    }

    @Test func gradcheckThroughEmbeddingRnnAndHead() throws {
        let model = try SequenceClassifier(.lstm, vocabularySize: 4, embeddingSize: 2, hiddenSize: 2, outputSize: 3,
                                           bidirectional: true, seed: 2)
        let x = try ArchTest.tokens(4, 2, vocabulary: 4, seed: 5)
        let params = [model.embedding!.weight, model.rnn.weights[0][1].weightHH, model.head.weight]
        let result = try gradcheck(params) { _ in try model(x, lengths: [4, 2]) }
        #expect(result.passed, "\(result)")
        let unidirectional = try SequenceClassifier(.gru, inputSize: 2, hiddenSize: 2, outputSize: 2, readout: .mean, seed: 3)
        let features = try Tensor.randn([3, 2, 2], seed: 6)
        let r2 = try gradcheck([features, unidirectional.rnn.weights[0][0].weightIH]) { xs in
            try unidirectional(xs[0], lengths: [3, 1])
        }
        #expect(r2.passed, "\(r2)")
    }

    @Test func errors() throws {
        let model = try SequenceClassifier(.lstm, vocabularySize: 5, embeddingSize: 3, hiddenSize: 4, outputSize: 2)
        let x = try ArchTest.tokens(4, 2, vocabulary: 5, seed: 1)
        #expect(ArchTest.throwsMessage("length 5 of sequence 1 is outside 1…4") { _ = try model(x, lengths: [4, 5]) })
        #expect(ArchTest.throwsMessage("got 1 lengths for a batch of 2") { _ = try model(x, lengths: [4]) })
        #expect(ArchTest.throwsMessage("id 5 at flat position 3 is outside 0..<5") { _ = try model(try Tensor(literal: [[0, 1], [2, 5]])) })
        #expect(ArchTest.throwsMessage("token ids") { _ = try model(try Tensor.randn([4, 2, 3], seed: 1)) })
        let features = try SequenceClassifier(.gru, inputSize: 3, hiddenSize: 4, outputSize: 2)
        #expect(ArchTest.throwsMessage("(T, B, 3)") { _ = try features(try Tensor.randn([4, 2, 2], seed: 1)) })
        let rnn = try RecurrentLayer(.gru, inputSize: 3, hiddenSize: 4, bidirectional: true)
        #expect(ArchTest.throwsMessage("head reads 4 features") {
            _ = try SequenceClassifier(embedding: nil, rnn: rnn, head: try Linear(inFeatures: 4, outFeatures: 2))
        })
        let batchFirstLayer = try RecurrentLayer(.gru, inputSize: 3, hiddenSize: 4, batchFirst: true)
        #expect(ArchTest.throwsMessage("batch_first: false") {
            _ = try SequenceClassifier(embedding: nil, rnn: batchFirstLayer, head: try Linear(inFeatures: 4, outFeatures: 2))
        })
    }

    /// Eight sequences, the label says whether their sum is positive: a few plain SGD steps fit them.
    @Test func learnsATinyTask() throws {
        let model = try SequenceClassifier(.gru, inputSize: 1, hiddenSize: 6, outputSize: 2, seed: 4)
        let x = try Tensor.randn([5, 8, 1], seed: 12)
        let sums = try x.sum(axis: 0).storage                                              // (8, 1)
        let labels: [Int] = sums.map { $0 > 0 ? 1 : 0 }
        var losses: [Double] = []
        for _ in 0..<60 {
            model.zeroGrad()
            let loss = try ArchTest.nll(try model(x), labels)
            try loss.backward()
            losses.append(try loss.item())
            for p in model.parameters { for i in p.storage.indices { p.storage[i] -= 0.5 * p.gradStorage![i] } }
        }
        #expect(losses.last! < 0.5 * losses.first!, "losses \(losses.first!) → \(losses.last!)")
    }
}
