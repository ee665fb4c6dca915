import Testing
import Engine
@testable import Script

/// sample, forecast, predict and inspect against the engine calls they stand for.
@Suite struct InferenceTests {
    @Test func sampleIsTheGeneratorsTokensAsText() throws {
        let interp = Interpreter()
        run("""
        v = record(tokens: list("a", "b", "c", " "), size: 4)
        lm = generator(vocab: 4, embed: 3, hidden: 8, seed: 0)
        """, in: interp)
        let lm = try SequenceGenerator(.lstm, vocabularySize: 4, embeddingSize: 3, hiddenSize: 8, seed: 0)
        let ids = try lm.generate(prime: [0, 1], length: 12, temperature: 0.8, seed: 3)
        let text = "ab" + ids.map { ["a", "b", "c", " "][$0] }.joined()
        #expect(show("sample(lm, v, prime: \"ab\", length: 12, temperature: 0.8, seed: 3)", in: interp) == "\"\(text)\"")
        #expect(show("sample(lm, v, prime: \"ab\", length: 12, seed: 9) == sample(lm, v, prime: \"ab\", length: 12, seed: 9)", in: interp) == "true")
        #expect(number("len(sample(lm, v, length: 7))", in: interp) == 7)      // empty prime: starts after " ", not shown
        #expect(failure("sample(lm, v, prime: \"abz\")", in: interp).message.contains("\"z\" is not in the vocabulary"))
        #expect(failure("sample(lm, record(tokens: list(\"a\")))", in: interp).message.contains("built with vocab: 4"))
        // Word tokens are joined with spaces.
        run("w = record(tokens: list(\"the\", \"cat\", \"sat\", \"down\"))", in: interp)
        #expect(show("sample(lm, w, prime: \"the cat\", length: 3, seed: 1)", in: interp).hasPrefix("\"the cat "))
        #expect(show("sample(lm, w, prime: \"the cat\", length: 0)", in: interp) == "\"the cat\"")
    }

    /// top_k: and top_p: reach the engine's filters, in sample, generate and sampling_probs alike.
    @Test func samplingFiltersTheTail() throws {
        let interp = Interpreter()
        run("""
        v = record(tokens: list("a", "b", "c", " "))
        lm = generator(vocab: 4, embed: 3, hidden: 8, seed: 0)
        """, in: interp)
        let lm = try SequenceGenerator(.lstm, vocabularySize: 4, embeddingSize: 3, hiddenSize: 8, seed: 0)
        let ids = try lm.generate(prime: [0, 1], length: 12, temperature: 0.8, topK: 2, topP: 0.9, seed: 3)
        let text = "ab" + ids.map { ["a", "b", "c", " "][$0] }.joined()
        #expect(show("sample(lm, v, prime: \"ab\", length: 12, temperature: 0.8, top_k: 2, top_p: 0.9, seed: 3)", in: interp) == "\"\(text)\"")
        #expect(show("sample(lm, v, prime: \"ab\", length: 20, top_k: 1, seed: 5) == sample(lm, v, prime: \"ab\", length: 20, temperature: 0)", in: interp) == "true")
        #expect(show("sample(lm, v, prime: \"ab\", length: 20, top_p: 1, seed: 5) == sample(lm, v, prime: \"ab\", length: 20, seed: 5)", in: interp) == "true")
        let g = try lm.generate(prime: [1, 2], length: 6, topP: 0.5, seed: 7)
        #expect(show("generate(lm, [1, 2], 6, top_p: 0.5, seed: 7)", in: interp) == Value.list(g.map { .number(Double($0)) }).description)
        // The distribution drawn from: exact values on paper.
        let p = tensor("sampling_probs(log([0.5, 0.3, 0.15, 0.05]), top_p: 0.9)", in: interp).storage
        #expect(zip(p, [0.5 / 0.95, 0.3 / 0.95, 0.15 / 0.95, 0]).allSatisfy { abs($0 - $1) < 1e-15 })
        #expect(tensor("sampling_probs([2, 1, 1, 0], top_k: 2)", in: interp).storage[3] == 0)
        #expect(tensor("sampling_probs([2, 5, 1], temperature: 0, top_p: 0.3)", in: interp).storage == [0, 1, 0])
        // Mistakes named as typed.
        #expect(failure("sample(lm, v, top_k: 0)", in: interp).message.contains("'top_k' must be at least 1: how many of the likeliest tokens to keep, got 0"))
        #expect(failure("sample(lm, v, top_k: 2.5)", in: interp).message.contains("top_k"))
        #expect(failure("sample(lm, v, top_p: 1.5)", in: interp).message.contains("'top_p' must be more than 0 and at most 1: the probability the kept tokens must add up to, got 1.5"))
        #expect(failure("sample(lm, v, top_p: 0)", in: interp).message.contains("'top_p' must be more than 0"))
        #expect(failure("generate(lm, [1], 3, top_k: -1)", in: interp).message.contains("'top_k' must be at least 1"))
        #expect(failure("sample(lm, v, temperature: -1)", in: interp).message.contains("'temperature' must be a finite number ≥ 0"))
        #expect(failure("sampling_probs([[1, 2]])", in: interp).message.contains("'logits' must be one score per token, shape (V), got (1, 2)"))
        #expect(failure("sampling_probs([1, 2], top_p: -0.5)", in: interp).message.contains("'top_p'"))
    }

    @Test func forecastRollsOut() throws {
        let interp = Interpreter()
        let g = try SequenceGenerator(.gru, features: 1, hiddenSize: 8, seed: 0)
        let history = try Tensor.randn([10, 1], seed: 1)
        let expected = try g.rollout(prime: history, steps: 4)
        run("g = generator(kind: \"gru\", features: 1, hidden: 8, seed: 0)\nhist = randn(10, 1, seed: 1)", in: interp)
        #expect(tensor("forecast(g, hist, steps: 4)", in: interp).storage == expected.storage)
        #expect(show("forecast(g, hist).shape", in: interp) == "[1, 1]")
        #expect(show("forecast(g, reshape(hist, 10), steps: 3).shape", in: interp) == "[3]")
        #expect(show("forecast(g, randn(10, 2, 1, seed: 0), steps: 5).shape", in: interp) == "[5, 2, 1]")
        #expect(tensor("forecast(g, reshape(hist, 10), steps: 4)", in: interp).storage == expected.storage)
        #expect(failure("forecast(generator(vocab: 3, embed: 2, hidden: 2), hist)", in: interp).message.contains("real-valued generator"))
    }

    @Test func aWindowModelSlidesOverItsOwnPredictions() {
        let interp = Interpreter()
        run("""
        l = gru(input: 1, hidden: 6, seed: 0); hd = linear(in: 6, out: 1, seed: 1)
        s = sin(linspace(0, 3, 8))
        w = reshape(s, 8, 1, 1)
        out = list()
        for k in 0..<3 { nxt = hd(l(w).output[-1]); out = out + list(item(nxt)); w = concat([w[1:], reshape(nxt, 1, 1, 1)]) }
        """, in: interp)
        #expect(number("max(abs(forecast(list(l, hd), s, steps: 3) - tensor(out)))", in: interp) < 1e-12)
        #expect(show("forecast(list(l, hd), reshape(s, 8, 1), steps: 2).shape", in: interp) == "[2, 1]")
        #expect(failure("forecast(list(l, linear(in: 6, out: 2)), s)", in: interp).message.contains("head out = layer input"))
    }

    @Test func predictIsTheArgmaxOfTheScores() {
        let interp = Interpreter()
        run("""
        m = classifier(input: 2, hidden: 4, out: 3, seed: 0)
        x = randn(5, 6, 2, seed: 1)
        t = tagger(input: 2, hidden: 4, out: 3, seed: 0)
        """, in: interp)
        #expect(show("predict(m, x) == argmax(m(x), axis: 1)", in: interp) == "tensor([1, 1, 1, 1, 1, 1])")
        #expect(show("predict(m, x).shape", in: interp) == "[6]")
        #expect(show("predict(t, x).shape", in: interp) == "[5, 6]")
        #expect(show("all(predict(t, x, lengths: [5, 4, 3, 2, 1, 5])[0] == argmax(t(x, lengths: [5, 4, 3, 2, 1, 5]), axis: 2)[0])", in: interp) == "true")
        #expect(show("predict(m, x).requires_grad", in: interp) == "false")
        #expect(failure("predict(generator(features: 1, hidden: 2), x)", in: interp).message.contains("use forecast"))
    }

    @Test func inspectTracesTheRecurrentLayer() {
        let interp = Interpreter()
        run("""
        m = classifier(vocab: 10, embed: 4, hidden: 6, out: 2, seed: 0)
        ids = [1, 5, 2]
        tr = inspect(m, ids)
        direct = m.rnn(m.embedding(ids), trace: true).trace
        """, in: interp)
        #expect(show("tr.h.shape", in: interp) == "[3, 6]")
        #expect(number("max(abs(tr.f - direct.f))", in: interp) == 0)
        #expect(number("max(abs(tr.h - direct.h))", in: interp) == 0)
        #expect(show("inspect(m, [[1, 2], [3, 4]]).c.shape", in: interp) == "[2, 2, 6]")
        #expect(show("inspect(gru(input: 2, hidden: 3), randn(4, 2, seed: 0)).z.shape", in: interp) == "[4, 3]")
        #expect(show("inspect(list(lstm(input: 2, hidden: 3), linear(in: 3, out: 1)), randn(4, 1, 2, seed: 0)).h.shape", in: interp) == "[4, 1, 3]")
    }

    @Test func historyPlotsBothCurvesOverSteps() throws {
        let interp = Interpreter()
        run("""
        x = randn(6, 40, 2, seed: 1)
        y = where(x[-1, :, 0] > 0, 1, 0)
        m = classifier(input: 2, hidden: 4, out: 2, seed: 0)
        h = train(m, x, y, epochs: 2, batch_size: 16, val: record(x: x, y: y))
        """, in: interp)
        guard case let .figure(f) = value("plot(h)", in: interp) else { Issue.record("not a figure"); return }
        #expect(f.series.count == 2)
        #expect(f.seriesLabels == ["train loss", "val loss"])
        #expect(f.x == [1, 2, 3, 4, 5, 6])
        let val = f.series[1]
        #expect(val[0].isNaN && val[1].isNaN)
        #expect(val[2] == number("h.val_loss[0]", in: interp) && val[5] == number("h.val_loss[1]", in: interp))
        #expect(Swift.abs(val[3] - (2 * val[2] + val[5]) / 3) < 1e-12)
    }
}
