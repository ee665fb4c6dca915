import Foundation
import Testing
import Engine
@testable import Script

/// `translate(m, source, …, beam: k, steps: true)`: beam search in the language.
@Suite struct Seq2SeqBeamSearchTests {
    /// beam: 1 is greedy decoding, for one source and for a padded batch, with attention.
    @Test func beamOfOneIsGreedy() {
        let interp = Interpreter()
        run("""
        s = seq2seq(source_vocab: 6, target_vocab: 5, embed: 3, hidden: 4, attention: "dot", seed: 3)
        src = [[1, 2], [2, 3], [3, 0]]
        """, in: interp)
        #expect(show("translate(s, [1, 2, 3], start: 1, stop: 0, max_length: 6, beam: 1) == translate(s, [1, 2, 3], start: 1, stop: 0, max_length: 6)", in: interp) == "true")
        #expect(show("translate(s, src, start: 1, stop: 4, max_length: 5, lengths: [3, 2], beam: 1) == translate(s, src, start: 1, stop: 4, max_length: 5, lengths: [3, 2])", in: interp) == "true")
    }

    /// The record: steps[t] lists the kept hypotheses, best first; the first step's scores are the
    /// log-softmax of the first decoder step's logits (teacher forcing a one-token target gives them).
    @Test func stepsRecordTheBeam() {
        let interp = Interpreter()
        run("""
        s = seq2seq(source_vocab: 6, target_vocab: 5, embed: 3, hidden: 4, seed: 4)
        r = translate(s, [1, 2, 3], start: 1, stop: 0, max_length: 4, beam: 3, steps: true)
        first = log_softmax(s([[1], [2], [3]], [[0]], start: 1))[0, 0]
        """, in: interp)
        #expect(show("r.tokens == translate(s, [1, 2, 3], start: 1, stop: 0, max_length: 4, beam: 3)", in: interp) == "true")
        #expect(show("len(r.steps[0])", in: interp) == "3")
        #expect(number("abs(r.steps[0][0].log_prob - max(first))", in: interp) < 1e-12)
        // One token written: kept in tokens, or the stop token (left out, finished: true).
        let wroteStop = show("r.steps[0][0].finished", in: interp) == "true"
        #expect(show("len(r.steps[0][0].tokens)", in: interp) == (wroteStop ? "0" : "1"))
        #expect(show("r.steps[0][0].log_prob >= r.steps[0][1].log_prob", in: interp) == "true")
        // The best translation's score is teacher forcing's score of it (its stop token included, if written).
        run("""
        t = r.tokens
        tf = log_softmax(s([[1], [2], [3]], tensor(t + list(0))[:, none], start: 1))
        total = 0
        for i in 0..<len(t) { total = total + tf[i, 0, t[i]] }
        """, in: interp)
        let finishedBest = show("len(r.tokens) < 4", in: interp) == "true"
        let stopTerm = finishedBest ? number("item(tf[len(t), 0, 0])", in: interp) : 0
        #expect(Swift.abs(number("item(total)", in: interp) + stopTerm - number("r.log_prob", in: interp)) < 1e-12)
        // Several sources: one list per source.
        run("many = translate(s, [[1, 2], [2, 3], [3, 0]], start: 1, stop: 0, max_length: 3, lengths: [3, 2], beam: 2, steps: true)", in: interp)
        #expect(show("len(many.tokens)", in: interp) == "2")
        #expect(show("len(many.steps)", in: interp) == "2")
        #expect(show("len(many.log_prob)", in: interp) == "2")
    }

    /// A beam wider than the vocabulary is allowed: nothing is pruned until candidates outnumber it.
    @Test func beamWiderThanTheVocabulary() {
        let interp = Interpreter()
        run("s = seq2seq(source_vocab: 6, target_vocab: 3, embed: 3, hidden: 4, seed: 5)\nr = translate(s, [1, 2], start: 1, stop: 0, max_length: 2, beam: 50, steps: true)", in: interp)
        #expect(show("len(r.steps[0])", in: interp) == "3")
        #expect(show("len(r.steps[1])", in: interp) == "6")
    }

    @Test func argumentsAreChecked() {
        let s = "s = seq2seq(source_vocab: 6, target_vocab: 5, embed: 3, hidden: 4, seed: 1)\n"
        #expect(failure(s + "translate(s, [1, 2], start: 0, beam: 0)").message.contains("beam must be at least 1"))
        #expect(failure(s + "translate(s, [1, 2], start: 0, beam: 1001)").message.contains("beam must be at most 1000"))
        #expect(failure(s + "translate(s, [1, 2], start: 0, steps: true)").message.contains("steps: true records a beam search: give beam: k too"))
        #expect(failure(s + "translate(s, [1, 2], start: 0, beam: 2.5)").message.contains("beam"))
        let a = "a = seq2seq(source_vocab: 6, target_vocab: 5, embed: 3, hidden: 4, attention: \"dot\", seed: 1)\n"
        #expect(failure(a + "translate(a, [1, 2], start: 0, beam: 2, weights: true)").message.contains("weights: true works with greedy decoding only"))
    }
}
