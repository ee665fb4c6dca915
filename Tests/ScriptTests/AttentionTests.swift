import Foundation
import Testing
import Engine
@testable import Script

/// `attend` and `seq2seq(…, attention: "dot")` with `translate(…, weights: true)` in the language.
@Suite struct AttentionTests {
    /// attend's three stages are the dot products, their softmax over the allowed keys, and the
    /// weighted average of the values — computed here with the language's own operations.
    @Test func attendIsScoresSoftmaxAndAverage() {
        let interp = Interpreter()
        run("""
        q = randn(3, 4, seed: 1); k = randn(5, 4, seed: 2); v = randn(5, 2, seed: 3)
        mask = [1, 1, 1, 0, 0]
        a = attend(q, k, v, mask: mask)
        w = softmax(where(mask, q @ k.T, -1e9), axis: -1)
        """, in: interp)
        #expect(number("max(abs(a.scores - q @ k.T))", in: interp) == 0)
        #expect(number("max(abs(a.weights - w))", in: interp) < 1e-15)
        #expect(number("max(abs(a.context - w @ v))", in: interp) < 1e-14)
        #expect(number("max(abs(a.weights[:, 3:5]))", in: interp) == 0)
        #expect(show("attend(q[0], k).weights.shape", in: interp) == "[5]")
        #expect(number("max(abs(attend(q[0], k).context - softmax(k @ q[0]) @ k))", in: interp) < 1e-14)
        // Gradients flow to the query, the keys and the values.
        run("qp = param(q); kp = param(k); vp = param(v)\nbackward(sum(attend(qp, kp, vp, mask: mask).context))", in: interp)
        #expect(number("norm(qp.grad) * norm(kp.grad[0:3]) * norm(vp.grad[0:3])", in: interp) > 0)
        #expect(number("norm(kp.grad[3:5]) + norm(vp.grad[3:5])", in: interp) == 0)
    }

    @Test func attendRefusesWhatItCannotCompute() {
        #expect(failure("attend([1, 0], [[1, 0, 0]])").message.contains("each key must have the query's 2 features"))
        #expect(failure("attend([1, 0], [[1, 0], [0, 1]], mask: [0, 0])").message.contains("every query needs at least one key"))
        #expect(failure("attend([1, 0], [[1, 0], [0, 1]], mask: [1, 0, 1])").message.contains("must fit the scores"))
        #expect(failure("attend([1, 0], [[1, 0], [0, 1]], [[1, 2, 3]])").message.contains("one value per key"))
        #expect(failure("attend(1, [[1, 0]])").message.hasPrefix("attend:"))
    }

    /// The model's alignment and logits are the attention step rebuilt from its members.
    @Test func seq2seqAttentionIsTheStepByHand() {
        let interp = Interpreter()
        run("""
        s = seq2seq(source_vocab: 6, target_vocab: 5, embed: 3, hidden: 4, attention: "dot", seed: 2)
        src = [1, 2, 3, 4]
        enc = s.encoder(s.source_embedding(src[:, none]))
        out = translate(s, src, start: 1, max_length: 3, weights: true)
        dec = s.decoder(s.target_embedding([[1]]), h0: enc.h)
        h = dec.output[0]                                    # (1, 4): the first step's state
        a = attend(h, enc.output[:, 0])
        logits = s.head(tanh(s.combine(concat([a.context, h], axis: -1))))
        """, in: interp)
        #expect(show("out.weights.shape", in: interp) == "[3, 4]")
        #expect(number("max(abs(out.weights[0] - a.weights[0]))", in: interp) < 1e-14)
        #expect(show("item(argmax(logits[0])) == out.tokens[0]", in: interp) == "true")
        #expect(number("max(abs(sum(out.weights, axis: -1) - 1))", in: interp) < 1e-14)
        #expect(show("s", in: interp).hasPrefix("seq2seq(kind: \"gru\", source_vocab: 6, target_vocab: 5, embed: 3, hidden: 4, attention: \"dot\")"))
        // Several sources: one alignment per sequence, cut to its own length.
        run("many = translate(s, [[1, 2], [2, 3], [3, 0]], start: 1, max_length: 2, lengths: [3, 2], weights: true)", in: interp)
        #expect(show("many.weights[0].shape", in: interp) == "[2, 3]")
        #expect(show("many.weights[1].shape", in: interp) == "[2, 2]")
        #expect(show("len(many.tokens)", in: interp) == "2")
    }

    @Test func attentionOptionIsChecked() {
        #expect(failure("seq2seq(source_vocab: 6, target_vocab: 5, embed: 3, hidden: 4, attention: \"additive\")").message
            .contains("attention must be \"dot\""))
        #expect(failure("translate(seq2seq(source_vocab: 6, target_vocab: 5, embed: 3, hidden: 4), [1, 2], start: 0, weights: true)").message
            .contains("needs a model with attention"))
        // attention: none is the plain model, parameter for parameter.
        #expect(number("a = seq2seq(source_vocab: 6, target_vocab: 5, embed: 3, hidden: 4, attention: none, seed: 1)\nb = seq2seq(source_vocab: 6, target_vocab: 5, embed: 3, hidden: 4, seed: 1)\nmax(abs(a([[1], [2]], [[3]], start: 0) - b([[1], [2]], [[3]], start: 0)))") == 0)
    }

    /// Training goes through the attention path (combine gets a gradient and changes).
    @Test func seq2seqWithAttentionTrains() {
        let interp = Interpreter()
        run("""
        src = randint(1, 6, 5, 40, seed: 1)
        s = seq2seq(source_vocab: 6, target_vocab: 6, embed: 4, hidden: 8, attention: "dot", seed: 0)
        before = s.combine.weight * 1
        h = train(s, src, src, start: 0, epochs: 3, batch_size: 8, lr: 0.02)
        """, in: interp)
        #expect(number("max(abs(s.combine.weight - before))", in: interp) > 0)
        #expect(number("h.loss[0] - h.loss[-1]", in: interp) > 0)
    }
}
