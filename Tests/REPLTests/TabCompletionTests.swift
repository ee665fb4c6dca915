import Foundation
@testable import REPL
import Script
import Terminal
import Testing

/// Tab completion on the real interpreter: complete names stay, members are the value's own.
@Suite("Tab completion")
struct TabCompletionTests {
    func session() -> Session {
        Session(options: RenderOptions(width: 80, color: false), numbered: true, write: { _ in }, writeError: { _ in })
    }

    /// A name that is already complete is kept and listed, never lengthened: `lstm` does not
    /// become `lstm_cell`, `rnn` does not become `rnn_cell`; `ran` extends to the common prefix.
    @Test func aCompleteNameStaysAndIsACandidate() {
        let s = session()
        for name in ["lstm", "rnn", "gru"] {
            let c = s.complete(name)
            #expect(c.candidates == [name, name + "_cell"])
            #expect(c.commonPrefix == name)
        }
        let rand = s.complete("x = rand")
        #expect(rand.candidates == ["rand", "randint", "randn"])
        #expect(rand.commonPrefix == "rand")
        let ran = s.complete("ran")
        #expect(ran.candidates == ["rand", "randint", "randn", "range"])
        #expect(ran.commonPrefix == "ran")
        #expect(s.complete("randi").commonPrefix == "randint")
    }

    /// `cell.` offers what a cell has: no `translate`, `sample` or `predict`; `out.trace.` the gates,
    /// no `zero_grad`; a seq2seq model offers `translate`, a token generator `sample`.
    @Test func membersAreOnlyWhatTheValueHas() {
        let s = session()
        s.submit("cell = lstm_cell(input: 3, hidden: 4, seed: 1)")
        let cell = s.complete("cell.").candidates
        #expect(cell.contains("weight_ih"))
        #expect(cell.contains("zero_grad"))
        #expect(cell.contains("train"))  // cell.train(): training mode, as in PyTorch
        for absent in ["translate", "sample", "generate", "forecast", "rollout", "predict", "inspect"] {
            #expect(!cell.contains(absent), "cell. offers \(absent)")
        }
        s.submit("m = lstm(input: 3, hidden: 4, seed: 1)")
        s.submit("out = m(randn(5, 1, 3, seed: 0), trace: true)")
        let trace = s.complete("out.trace.").candidates
        #expect(["c", "f", "g", "h", "i", "o"].allSatisfy(trace.contains))
        #expect(!trace.contains("zero_grad"))
        #expect(!s.complete("out.").candidates.contains("zero_grad"))
        let layer = s.complete("m.").candidates
        #expect(layer.contains("train") && layer.contains("inspect"))
        #expect(!layer.contains("translate") && !layer.contains("sample"))

        s.submit("s2s = seq2seq(source_vocab: 12, target_vocab: 8, embed: 4, hidden: 16, seed: 0)")
        #expect(s.complete("s2s.tr").candidates == ["train", "training", "translate"])
        s.submit("lm = generator(vocab: 10, embed: 4, hidden: 8, seed: 0)")
        let lm = s.complete("lm.").candidates
        #expect(lm.contains("sample") && lm.contains("generate") && !lm.contains("forecast") && !lm.contains("translate"))
        s.submit("g = generator(features: 1, hidden: 8, seed: 0)")
        let g = s.complete("g.").candidates
        #expect(g.contains("forecast") && g.contains("rollout") && !g.contains("sample"))

        // Gradients: only a tensor that records them offers backward and zero_grad.
        s.submit("x = randn(3)")
        s.submit("w = param([1, 2])")
        #expect(!s.complete("x.").candidates.contains("zero_grad"))
        #expect(s.complete("w.").candidates.contains("zero_grad"))
        s.submit("r = record(w: w)")
        #expect(s.complete("r.").candidates.contains("zero_grad"))
    }
}
