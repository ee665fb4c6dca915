import Testing
import Engine
@testable import Script

/// The engine's architectures through the language, against the same calls in Swift.
@Suite struct ArchitectureTests {
    /// `[layer, head](x)` is the head applied to every step's output, as train and forecast read it.
    @Test func aListOfModelsIsAPipeline() {
        let out = run("""
        m = [gru(input: 1, hidden: 4, seed: 0), linear(in: 4, out: 1, seed: 1)]
        x = randn(5, 2, 1, seed: 3)
        max(abs(m[1](m[0](x).output) - m(x)))
        m(x).shape
        """)
        #expect(out.map(\.description) == ["tensor(0)", "[5, 2, 1]"])
    }

    @Test func classifierWithLengths() throws {
        let engine = try SequenceClassifier(.gru, vocabularySize: 20, embeddingSize: 8, hiddenSize: 6, outputSize: 3, readout: .mean, seed: 4)
        let ids = try Tensor(literal: [[1, 2], [3, 4], [5, 0]])
        let expected = try engine(ids, lengths: [3, 2])
        #expect(tensor("m = classifier(kind: \"gru\", vocab: 20, embed: 8, hidden: 6, out: 3, readout: \"mean\", seed: 4)\nm([[1, 2], [3, 4], [5, 0]], lengths: [3, 2])").storage == expected.storage)
        let features = try SequenceClassifier(.lstm, inputSize: 3, hiddenSize: 4, outputSize: 2, numLayers: 2, bidirectional: true, seed: 1)
        let x = try Tensor.randn([5, 2, 3], seed: 0)
        #expect(tensor("classifier(input: 3, hidden: 4, out: 2, layers: 2, bidirectional: true, seed: 1)(randn(5, 2, 3, seed: 0))").storage == (try features(x)).storage)
        #expect(show("classifier(input: 3, hidden: 4, out: 2).rnn.hidden_size") == "4")
    }

    @Test func tagger() throws {
        let engine = try SequenceTagger(.rnnReLU, inputSize: 3, hiddenSize: 5, outputSize: 4, batchFirst: true, seed: 2)
        let x = try Tensor.randn([2, 6, 3], seed: 1)
        #expect(tensor("tagger(kind: \"rnn_relu\", input: 3, hidden: 5, out: 4, batch_first: true, seed: 2)(randn(2, 6, 3, seed: 1))").storage == (try engine(x)).storage)
        let tokens = try SequenceTagger(.lstm, vocabularySize: 7, embeddingSize: 3, hiddenSize: 4, outputSize: 2, seed: 3)
        #expect(tensor("tagger(vocab: 7, embed: 3, hidden: 4, out: 2, seed: 3)([[1, 2], [6, 0]])").storage == (try tokens(Tensor(literal: [[1, 2], [6, 0]]))).storage)
    }

    /// The teacher-forced logits are the encoder's final state handed to the decoder as h0 —
    /// rebuilt here from the model's own members — and translate's first token is their argmax.
    @Test func seq2seqIsEncoderStateIntoDecoder() throws {
        let out = run("""
        s = seq2seq(source_vocab: 6, target_vocab: 5, embed: 3, hidden: 4, seed: 2)
        src = [[1], [2], [3]]; tgt = [[4], [2]]
        enc = s.encoder(s.source_embedding(src))
        dec = s.decoder(s.target_embedding([[1], [4]]), h0: enc.h)
        manual = s.head(dec.output)
        max(abs(manual - s(src, tgt, start: 1)))
        first = argmax(s.head(s.decoder(s.target_embedding([[1]]), h0: enc.h).output)[0, 0])
        translate(s, [1, 2, 3], start: 1, max_length: 3)[0] == item(first)
        len(translate(s, [[1, 2], [2, 3], [3, 4]], start: 1, max_length: 4))
        """)
        #expect(out.count == 3)
        #expect(failure("s = seq2seq(source_vocab: 6, target_vocab: 5, embed: 3, hidden: 4)\ns([[1]], [[7], [1]], start: 1)").message.contains("7"))
        #expect(failure("translate(linear(in: 2, out: 2), [1], start: 0)").message.contains("must be a seq2seq model"))
        #expect(out.first?.description == "tensor(0)")
        #expect(out.dropFirst().first?.description == "true")
        #expect(out.dropFirst(2).first?.description == "2")
        let engine = try Seq2Seq(.lstm, sourceVocabularySize: 6, targetVocabularySize: 5, embeddingSize: 3, hiddenSize: 4, seed: 2)
        let logits = try engine(source: Tensor(literal: [[1], [2]]), target: Tensor(literal: [[3], [4]]), start: 0)
        #expect(tensor("seq2seq(kind: \"lstm\", source_vocab: 6, target_vocab: 5, embed: 3, hidden: 4, seed: 2)([[1], [2]], [[3], [4]], start: 0)").storage == logits.storage)
    }

    @Test func generatorSamplingAndRollout() throws {
        let lm = try SequenceGenerator(.lstm, vocabularySize: 10, embeddingSize: 4, hiddenSize: 8, seed: 0)
        #expect(tensor("lm = generator(vocab: 10, embed: 4, hidden: 8, seed: 0)\nlm([[1], [2], [3]]).output").storage
                == (try lm(Tensor(literal: [[1], [2], [3]]))).output.storage)
        let expected = try lm.generate(prime: [1, 2], length: 6, temperature: 0.8, seed: 5)
        #expect(show("lm = generator(vocab: 10, embed: 4, hidden: 8, seed: 0)\ngenerate(lm, [1, 2], 6, temperature: 0.8, seed: 5)")
                == "[" + expected.map(String.init).joined(separator: ", ") + "]")
        let series = try SequenceGenerator(.gru, features: 2, hiddenSize: 6, seed: 1)
        let prime = try Tensor.randn([7, 1, 2], seed: 2)
        #expect(tensor("g = generator(kind: \"gru\", features: 2, hidden: 6, seed: 1)\ng.rollout(randn(7, 1, 2, seed: 2), 3)").storage
                == (try series.rollout(prime: prime, steps: 3)).storage)
        #expect(failure("generate(linear(in: 1, out: 1), [1], 2)").message.contains("must be a generator"))
    }

    @Test func architecturesTrain() {
        let values = run("""
        m = classifier(input: 2, hidden: 8, out: 2, seed: 0)
        x = randn(5, 16, 2, seed: 1)
        y = where(sum(x[-1], axis: 1) > 0, 1, 0)
        opt = adam(m, lr: 0.05)
        first = cross_entropy(m(x), y)
        for k in 0..<30 { opt.zero_grad(); loss = cross_entropy(m(x), y); loss.backward(); opt.step() }
        loss < first
        """)
        #expect(values.last.map { "\($0)" } == "tensor(1)")
    }
}
