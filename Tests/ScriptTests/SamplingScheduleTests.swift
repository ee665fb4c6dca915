import Testing
import Engine
@testable import Script
import TestSupport

/// `train(…, scheduled_sampling: p, sampling_schedule: …)` for a seq2seq model: p = 0 is plain
/// teacher forcing, p = 1 (constant) is the loop a learner writes with translate, the linear ramp's
/// probabilities, repeatability, and the refusals.
@Suite struct SamplingScheduleTests {
    static let task = """
    x = tensor([[1, 2, 3, 4, 1, 2], [2, 3, 4, 1, 3, 1], [3, 4, 1, 2, 4, 4], [4, 1, 2, 3, 2, 3]])
    y = tensor([[2, 3, 4, 1, 2, 3], [3, 4, 1, 2, 4, 2], [4, 1, 2, 3, 1, 1]])
    """

    func parameterDifference(_ a: String, _ b: String, in interp: Interpreter) -> Double {
        guard case let .model(ma) = value(a, in: interp), case let .model(mb) = value(b, in: interp) else { return .infinity }
        return zip(ma.module.parameters, mb.module.parameters).map { maxDifference($0, $1) }.max() ?? .infinity
    }

    @Test func probabilityZeroIsTeacherForcing() {
        let interp = Interpreter()
        run(Self.task + """

        a = seq2seq(source_vocab: 5, target_vocab: 5, embed: 3, hidden: 4, seed: 0)
        b = seq2seq(source_vocab: 5, target_vocab: 5, embed: 3, hidden: 4, seed: 0)
        ha = train(a, x, y, start: 0, steps: 6, batch_size: 2, lr: 0.05)
        hb = train(b, x, y, start: 0, steps: 6, batch_size: 2, lr: 0.05, scheduled_sampling: 0)
        """, in: interp)
        #expect(parameterDifference("a", "b", in: interp) == 0)
        #expect(number("max(abs(ha.loss - hb.loss))", in: interp) == 0)
    }

    /// With p = 1 throughout, every decoder input after the start token is the model's own greedy
    /// prediction: the loop below, with translate's tokens as the decoder's input, is the same run.
    @Test(arguments: ["gru", "lstm"])
    func probabilityOneIsTheGreedyLoop(_ kind: String) {
        let interp = Interpreter()
        run(Self.task + """

        m = seq2seq(kind: "\(kind)", source_vocab: 5, target_vocab: 5, embed: 3, hidden: 4, attention: "dot", seed: 0)
        h = train(m, x, y, start: 0, steps: 3, batch_size: 2, lr: 0.05, shuffle: false, scheduled_sampling: 1, sampling_schedule: "constant")
        m2 = seq2seq(kind: "\(kind)", source_vocab: 5, target_vocab: 5, embed: 3, hidden: 4, attention: "dot", seed: 0)
        opt = adam(m2, lr: 0.05)
        losses = list()
        for b in [0, 2, 4] {
            xb = x[:, b:b + 2]; yb = y[:, b:b + 2]
            g = transpose(tensor(translate(m2, xb, start: 0, max_length: 3)))   # (3, 2): the greedy tokens
            opt.zero_grad()
            loss = cross_entropy(m2(xb, g, start: 0), yb)
            loss.backward()
            opt.step()
            losses = losses + list(item(loss))
        }
        """, in: interp)
        #expect(parameterDifference("m", "m2", in: interp) < 1e-12)
        #expect(number("max(abs(h.loss - tensor(losses)))", in: interp) < 1e-12)
    }

    @Test func theLinearRampRisesFromZeroToP() {
        var s = SamplingSchedule(probability: 0.3, shape: .linear, updates: 4, seed: 0)
        let ramp = (0..<4).map { _ in s.next() }
        #expect(zip(ramp, [0, 0.1, 0.2, 0.3]).allSatisfy { abs($0 - $1) < 1e-15 })
        #expect(s.taken == 4)
        #expect(SamplingSchedule(probability: 0.3, shape: .constant, updates: 4, seed: 0).probability(at: 0) == 0.3)
        #expect(SamplingSchedule(probability: 0.3, shape: .linear, updates: 1, seed: 0).probability(at: 0) == 0.3)
    }

    /// p > 0 changes the run (the default linear ramp included), and the same seed repeats it.
    @Test func samplingChangesTheRunRepeatably() {
        let interp = Interpreter()
        run(Self.task + """

        def run(p, seed) {
            m = seq2seq(source_vocab: 5, target_vocab: 5, embed: 3, hidden: 4, seed: 0)
            train(m, x, y, start: 0, steps: 9, batch_size: 2, lr: 0.05, scheduled_sampling: p, seed: seed)
            return m
        }
        a = run(0.5, 1); b = run(0.5, 1); c = run(0.5, 2); tf = run(0, 1)
        """, in: interp)
        #expect(parameterDifference("a", "b", in: interp) == 0)
        #expect(parameterDifference("a", "tf", in: interp) > 1e-6)
        #expect(parameterDifference("a", "c", in: interp) > 1e-6)
    }

    @Test func refusals() {
        let setup = Self.task + "\nm = seq2seq(source_vocab: 5, target_vocab: 5, embed: 3, hidden: 4, seed: 0)\n"
        func refused(_ call: String) -> String { failure(setup + call).message }
        #expect(refused("train(m, x, y, start: 0, steps: 1, scheduled_sampling: 1.5)")
            .contains("scheduled_sampling must be a probability between 0 and 1 (the share of decoder steps that read the model's own prediction), got 1.5"))
        #expect(refused("train(m, x, y, start: 0, steps: 1, scheduled_sampling: -0.1)").contains("between 0 and 1"))
        #expect(refused("train(m, x, y, start: 0, steps: 1, scheduled_sampling: \"half\")").contains("between 0 and 1"))
        #expect(refused("train(m, x, y, start: 0, steps: 1, sampling_schedule: \"linear\")")
            .contains("sampling_schedule: needs scheduled_sampling: p too (the probability the schedule leads to)"))
        #expect(refused("train(m, x, y, start: 0, steps: 1, scheduled_sampling: 0.2, sampling_schedule: \"exponential\")")
            .contains("sampling_schedule must be \"linear\" (from 0 to scheduled_sampling over the run) or \"constant\", got \"exponential\""))
        let tagger = failure("""
        t = tagger(vocab: 5, embed: 3, hidden: 4, out: 5, seed: 0)
        train(t, tensor([[1, 2], [3, 4]]), tensor([[1, 2], [3, 4]]), steps: 1, scheduled_sampling: 0.5)
        """).message
        #expect(tagger.contains("scheduled_sampling: is for a seq2seq model (a decoder that can read its own predictions); this is a tagger"))
    }
}
