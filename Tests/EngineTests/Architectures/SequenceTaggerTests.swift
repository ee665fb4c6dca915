import Foundation
import Testing
@testable import Engine

@Suite struct SequenceTaggerTests {
    struct Config: Sendable, CustomTestStringConvertible {
        var kind: RecurrentKind = .lstm
        var layers = 1
        var bidirectional = false
        var tokens = false
        var batchFirst = false
        var unbatched = false
        var padded = false
        var testDescription: String {
            "\(kind.rawValue) L\(layers)\(bidirectional ? " bi" : "")\(tokens ? " tokens" : "")\(batchFirst ? " batchFirst" : "")"
                + "\(unbatched ? " unbatched" : "")\(padded ? " padded" : "")"
        }
    }

    static func make(_ c: Config, seed: UInt64 = 1) throws -> SequenceTagger {
        c.tokens
            ? try SequenceTagger(c.kind, vocabularySize: 6, embeddingSize: 3, hiddenSize: 4, outputSize: 5, numLayers: c.layers,
                                 bidirectional: c.bidirectional, batchFirst: c.batchFirst, seed: seed)
            : try SequenceTagger(c.kind, inputSize: 3, hiddenSize: 4, outputSize: 5, numLayers: c.layers,
                                 bidirectional: c.bidirectional, batchFirst: c.batchFirst, seed: seed)
    }

    @Test(arguments: [
        Config(), Config(kind: .gru, layers: 2, bidirectional: true), Config(kind: .rnnReLU, tokens: true),
        Config(tokens: true, batchFirst: true, padded: true), Config(bidirectional: true, batchFirst: true, padded: true),
        Config(unbatched: true), Config(bidirectional: true, tokens: true, unbatched: true, padded: true),
    ])
    func shapes(_ c: Config) throws {
        let model = try Self.make(c)
        let (T, B) = (5, 3)
        var x = c.tokens ? try ArchTest.tokens(T, B, vocabulary: 6, seed: 2) : try Tensor.randn([T, B, 3], seed: 2)
        var lengths: [Int]? = c.padded ? [5, 1, 3] : nil
        if c.unbatched { x = try x.index([.all, .at(0)]); lengths = lengths.map { [$0[0]] } }
        else if c.batchFirst { x = try x.transpose(0, 1) }
        let expected = c.unbatched ? [T, 5] : (c.batchFirst ? [B, T, 5] : [T, B, 5])
        #expect(try model(x, lengths: lengths).shape == expected)
    }

    @Test func outputIsTheHeadOnEveryStep() throws {
        let model = try SequenceTagger(.lstm, inputSize: 3, hiddenSize: 4, outputSize: 2, bidirectional: true, seed: 3)
        let x = try Tensor.randn([4, 2, 3], seed: 1)
        let y = try model(x), states = try model.rnn(x).output
        for t in 0..<4 { #expect(ArchTest.close(try y[t], try model.head(try states[t]))) }
        #expect(model.namedParameters.first?.name == "rnn.weight_ih_l0" && model.namedParameters.last?.name == "head.bias")
    }

    /// A unidirectional tagger's output at step t depends only on steps ≤ t.
    @Test func unidirectionalOutputsAreCausal() throws {
        let model = try SequenceTagger(.gru, inputSize: 2, hiddenSize: 3, outputSize: 2, seed: 2)
        let x = try Tensor.randn([5, 1, 2], seed: 3)
        var changed = x.storage
        for i in 6..<10 { changed[i] = 9 }                                                    // steps 3 and 4
        let a = try model(x), b = try model(try Tensor(shape: x.shape, storage: changed))
        #expect(ArchTest.close(try a.index([.slice(start: 0, stop: 3)]), try b.index([.slice(start: 0, stop: 3)])))
        #expect(!ArchTest.close(try a[3], try b[3]))
    }

    @Test(arguments: [RecurrentKind.lstm, .gru])
    func paddingDoesNotChangeRealStepsOfABidirectionalTagger(_ kind: RecurrentKind) throws {
        let model = try SequenceTagger(kind, inputSize: 3, hiddenSize: 4, outputSize: 2, numLayers: 2, bidirectional: true, seed: 5)
        let lengths = [5, 2, 4]
        let x = try Tensor.randn([5, 3, 3], seed: 4)
        let x2 = try ArchTest.repad(x, lengths: lengths, value: -3)
        let a = try model(x, lengths: lengths), b = try model(x2, lengths: lengths)
        let plainA = try model(x), plainB = try model(x2)
        for (n, length) in lengths.enumerated() {
            let realA = try ArchTest.column(a, n, steps: length)
            #expect(ArchTest.close(realA, try ArchTest.column(b, n, steps: length)))
            #expect(ArchTest.close(realA, try model(ArchTest.column(x, n, steps: length))))
            // Without lengths, the reverse direction reads the padding: the real steps change.
            if length < 5 {
                #expect(!ArchTest.close(try ArchTest.column(plainA, n, steps: length), try ArchTest.column(plainB, n, steps: length)))
            }
        }
    }

    @Test func gradcheckThroughTheTagger() throws {
        let model = try SequenceTagger(.gru, inputSize: 2, hiddenSize: 2, outputSize: 2, bidirectional: true, seed: 6)
        let x = try Tensor.randn([3, 2, 2], seed: 7)
        let result = try gradcheck([x, model.rnn.weights[0][0].weightHH, model.head.bias!]) { xs in
            try model(xs[0], lengths: [3, 2])
        }
        #expect(result.passed, "\(result)")
    }
}
