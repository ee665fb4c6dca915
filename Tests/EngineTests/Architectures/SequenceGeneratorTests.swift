import Foundation
import Testing
@testable import Engine

@Suite struct SequenceGeneratorTests {
    static func tokenModel(_ kind: RecurrentKind = .lstm, layers: Int = 2, vocabulary: Int = 6, seed: UInt64 = 3) throws -> SequenceGenerator {
        try SequenceGenerator(kind, vocabularySize: vocabulary, embeddingSize: 3, hiddenSize: 5, numLayers: layers, seed: seed)
    }

    static func ids(_ tokens: [Int]) throws -> Tensor {
        try Tensor(shape: [tokens.count, 1], storage: tokens.map(Double.init))
    }

    @Test func shapesAndStateCarrying() throws {
        let model = try Self.tokenModel()
        let x = try ArchTest.tokens(5, 2, vocabulary: 6, seed: 1)
        let (logits, state) = try model(x)
        #expect(logits.shape == [5, 2, 6])
        #expect(state.h.shape == [2, 2, 5] && state.c?.shape == [2, 2, 5])
        // Two chunks with the state carried over give the same logits as one pass.
        let (first, mid) = try model(x.index([.slice(start: 0, stop: 3)]))
        let (second, end) = try model(x.index([.slice(start: 3, stop: 5)]), state: mid)
        #expect(ArchTest.close(try Tensor.concat([first, second]), logits))
        #expect(ArchTest.close(end.h, state.h) && ArchTest.close(end.c!, state.c!))
        // batchFirst and unbatched layouts.
        let bf = try SequenceGenerator(.gru, vocabularySize: 6, embeddingSize: 3, hiddenSize: 5, batchFirst: true)
        #expect(try bf(x.transpose(0, 1)).output.shape == [2, 5, 6])
        let (single, singleState) = try model(x.index([.all, .at(0)]))
        #expect(single.shape == [5, 6] && singleState.h.shape == [2, 5])
        #expect(ArchTest.close(single, try logits.index([.all, .at(0)])))
        #expect(model.namedParameters.map(\.name).first == "embedding.weight")
    }

    @Test func generationIsDeterministicForASeed() throws {
        let model = try Self.tokenModel()
        let a = try model.generate(prime: [1, 2], length: 30, temperature: 1, seed: 42)
        let b = try model.generate(prime: [1, 2], length: 30, temperature: 1, seed: 42)
        let c = try model.generate(prime: [1, 2], length: 30, temperature: 1, seed: 43)
        #expect(a.count == 30 && a == b && a != c)
        #expect(a.allSatisfy { (0..<6).contains($0) })
        // One generator continues its stream: a second call draws different numbers.
        var g = RandomGenerator(seed: 42)
        let first = try model.generate(prime: [1, 2], length: 30, generator: &g)
        let second = try model.generate(prime: [1, 2], length: 30, generator: &g)
        #expect(first == a && second != a)
        #expect(try model.generate(prime: [1], length: 0, seed: 1) == [])
    }

    /// Greedy generation carries (h, c) step by step; re-running the whole prefix must agree.
    @Test(arguments: [RecurrentKind.lstm, .gru, .rnnTanh])
    func greedyEqualsArgmaxOverTheWholePrefix(_ kind: RecurrentKind) throws {
        let model = try Self.tokenModel(kind, vocabulary: 7, seed: 8)
        let prime = [1, 4, 2]
        let tokens = try model.generate(prime: prime, length: 10, temperature: 0, seed: 0)
        for k in 0..<tokens.count {
            let logits = try GradMode.withoutGrad { try model(try Self.ids(prime + tokens[..<k])).output }
            #expect(Sampling.argmax(Array(logits.storage.suffix(7))) == tokens[k], "step \(k)")
        }
    }

    @Test func tinyTemperatureIsGreedy() throws {
        let model = try Self.tokenModel(vocabulary: 8, seed: 5)
        let greedy = try model.generate(prime: [3], length: 25, temperature: 0, seed: 1)
        #expect(try model.generate(prime: [3], length: 25, temperature: 1e-6, seed: 1) == greedy)
        #expect(try model.generate(prime: [3], length: 25, temperature: 1e-6, seed: 99) == greedy)
    }

    /// Top-k and top-p reach every step: k = 1 and a tiny p are greedy at any temperature, k ≥ V
    /// and p = 1 change nothing, and a filtered text only uses tokens the filter kept.
    @Test func filtersApplyAtEveryStep() throws {
        let model = try Self.tokenModel(vocabulary: 8, seed: 5)
        let greedy = try model.generate(prime: [3], length: 25, temperature: 0, seed: 1)
        #expect(try model.generate(prime: [3], length: 25, temperature: 1.5, topK: 1, seed: 1) == greedy)
        #expect(try model.generate(prime: [3], length: 25, temperature: 1.5, topP: 1e-9, seed: 2) == greedy)
        let free = try model.generate(prime: [3], length: 25, temperature: 1, seed: 4)
        #expect(free != greedy)
        #expect(try model.generate(prime: [3], length: 25, temperature: 1, topK: 8, seed: 4) == free)
        #expect(try model.generate(prime: [3], length: 25, temperature: 1, topP: 1, seed: 4) == free)
        // Each token of a top-2 text is one of the two likeliest after the prefix before it.
        let two = try model.generate(prime: [3], length: 25, temperature: 1, topK: 2, seed: 4)
        for k in two.indices {
            let logits = Array(try GradMode.withoutGrad { try model(try Self.ids([3] + two[..<k])).output }.storage.suffix(8))
            #expect(logits.filter { $0 > logits[two[k]] }.count < 2, "step \(k)")
        }
        #expect(ArchTest.throwsMessage("top_k must be at least 1") { _ = try model.generate(prime: [1], length: 3, topK: 0, seed: 1) })
        #expect(ArchTest.throwsMessage("top_p must be more than 0") { _ = try model.generate(prime: [1], length: 3, topP: 2, seed: 1) })
    }

    @Test func higherTemperatureGivesMoreDistinctTokens() throws {
        let model = try Self.tokenModel(vocabulary: 20, seed: 6)
        for i in model.head.weight.storage.indices { model.head.weight.storage[i] *= 8 }  // a confident model
        let cold = try model.generate(prime: [0], length: 80, temperature: 0.1, seed: 7)
        let hot = try model.generate(prime: [0], length: 80, temperature: 5, seed: 7)
        #expect(Set(hot).count > Set(cold).count + 5, "cold \(Set(cold).count), hot \(Set(hot).count)")
    }

    /// Generation runs as inference: no dropout (so a seed still fixes the text) and no graph.
    @Test func generationIsInference() throws {
        let rnn = try RecurrentLayer(.lstm, inputSize: 3, hiddenSize: 5, numLayers: 2, dropout: 0.5, seed: 1)
        let model = try SequenceGenerator(embedding: try Embedding(count: 6, dimension: 3), rnn: rnn,
                                          head: try Linear(inFeatures: 5, outFeatures: 6))
        let a = try model.generate(prime: [1, 2, 3], length: 20, temperature: 0.8, seed: 3)
        let b = try model.generate(prime: [1, 2, 3], length: 20, temperature: 0.8, seed: 3)
        #expect(a == b)
        #expect(model.training)
        #expect(model.parameters.allSatisfy { $0.grad == nil })
    }

    @Test func rolloutFeedsPredictionsBack() throws {
        let model = try SequenceGenerator(.lstm, features: 2, hiddenSize: 4, numLayers: 2, seed: 4)
        let prime = try Tensor.randn([3, 2, 2], seed: 5)
        let forecast = try model.rollout(prime: prime, steps: 4)
        #expect(forecast.shape == [4, 2, 2])
        for k in 0..<4 {
            let seen = try Tensor.concat([prime, try forecast.index([.slice(start: 0, stop: k)])])
            let predicted = try model(seen).output
            #expect(ArchTest.close(try predicted[predicted.shape[0] - 1], try forecast[k], tolerance: 1e-12), "step \(k)")
        }
        #expect(try model.rollout(first: try Tensor.randn([2, 2], seed: 1), steps: 5).shape == [5, 2, 2])
        #expect(try model.rollout(first: try Tensor.randn([2], seed: 1), steps: 5).shape == [5, 2])
        #expect(try model.rollout(prime: prime, steps: 0).shape == [0, 2, 2])
        let bf = try SequenceGenerator(.gru, features: 2, hiddenSize: 4, batchFirst: true, seed: 4)
        #expect(try bf.rollout(first: try Tensor.randn([3, 2], seed: 1), steps: 5).shape == [3, 5, 2])
        #expect(model.namedParameters.map(\.name).first == "rnn.weight_ih_l0")
    }

    @Test func errors() throws {
        let model = try Self.tokenModel()
        #expect(ArchTest.throwsMessage("at least one token") { _ = try model.generate(prime: [], length: 3, seed: 1) })
        #expect(ArchTest.throwsMessage("length must be ≥ 0") { _ = try model.generate(prime: [1], length: -1, seed: 1) })
        #expect(ArchTest.throwsMessage("token id 6 is out of range 0..<6") { _ = try model.generate(prime: [1, 6], length: 3, seed: 1) })
        #expect(ArchTest.throwsMessage("token id -1") { _ = try model.generate(prime: [-1], length: 0, seed: 1) })
        #expect(ArchTest.throwsMessage("temperature must be") { _ = try model.generate(prime: [1], length: 3, temperature: -0.5, seed: 1) })
        #expect(ArchTest.throwsMessage("temperature must be") { _ = try model.generate(prime: [1], length: 3, temperature: .nan, seed: 1) })
        #expect(ArchTest.throwsMessage("use generate") { _ = try model.rollout(prime: try Tensor.randn([2, 1, 3], seed: 1), steps: 2) })
        let continuous = try SequenceGenerator(.gru, features: 2, hiddenSize: 3)
        #expect(ArchTest.throwsMessage("use rollout") { _ = try continuous.generate(prime: [1], length: 2, seed: 1) })
        #expect(ArchTest.throwsMessage("steps must be ≥ 0") { _ = try continuous.rollout(first: try Tensor.zeros([2]), steps: -1) })
        let bi = try RecurrentLayer(.gru, inputSize: 3, hiddenSize: 4, bidirectional: true)
        #expect(ArchTest.throwsMessage("unidirectional") {
            _ = try SequenceGenerator(embedding: try Embedding(count: 5, dimension: 3), rnn: bi, head: try Linear(inFeatures: 8, outFeatures: 5))
        })
        let rnn = try RecurrentLayer(.gru, inputSize: 3, hiddenSize: 4)
        #expect(ArchTest.throwsMessage("vocabulary size") {
            _ = try SequenceGenerator(embedding: try Embedding(count: 5, dimension: 3), rnn: rnn, head: try Linear(inFeatures: 4, outFeatures: 4))
        })
    }
}
