import Foundation
import Testing
import Engine
@testable import Script
import TestSupport

/// The demo of the language: an RNN unrolled by hand gives the recurrent layer's numbers.
@Suite struct RNNTests {
    @Test func handUnrolledRNNEqualsTheLayer() throws {
        let i = Interpreter()
        let out = run("""
        x = randn(5, 1, 3, seed: 0)
        m = rnn(input: 3, hidden: 4, seed: 1)
        Wx = m.weight_ih_l0; Wh = m.weight_hh_l0; b = m.bias_ih_l0 + m.bias_hh_l0
        h = zeros(1, 4); for t in 0..<5 { h = tanh(x[t] @ Wx.T + h @ Wh.T + b) }
        h
        m(x).h[0]
        """, in: i)
        guard out.count == 2, case let .tensor(mine) = out[0], case let .tensor(layer) = out[1] else {
            Issue.record("unexpected values \(out)"); return
        }
        #expect(maxDifference(mine, layer) < 1e-12)
        // …and the same as the engine called from Swift.
        let x = try Tensor.randn([5, 1, 3], seed: 0)
        let engine = try RecurrentLayer(.rnnTanh, inputSize: 3, hiddenSize: 4, seed: 1)(x)
        #expect(maxDifference(mine, try engine.hn[0]) < 1e-12)
    }

    /// A single sequence without a batch axis gives an output (T, H); its trace must line up with
    /// it (T, H), gradients included — while a batched call keeps (T, B, H).
    @Test func unbatchedTraceDropsTheBatchAxisLikeTheOutput() {
        let out = run("""
        m = lstm(input: 3, hidden: 4, seed: 1)
        r = m(randn(5, 3, seed: 0), trace: true)
        backward(sum(r.output))
        r.trace.h.shape; r.trace.f.shape; r.trace.dh.shape; r.trace.dh_norm.shape
        max(abs(r.trace.h - r.output))
        m(randn(5, 2, 3, seed: 0), trace: true).trace.h.shape
        """)
        #expect(out.dropFirst().map(\.description) == ["[5, 4]", "[5, 4]", "[5, 4]", "[5]", "tensor(0)", "[5, 2, 4]"])
    }

    @Test func handUnrolledLSTMWithAFunctionEqualsTheLayer() {
        let i = Interpreter()
        run("""
        x = randn(6, 2, 3, seed: 4)
        m = lstm(input: 3, hidden: 4, seed: 2)
        def step(x, h, c) {
            gates = x @ m.weight_ih_l0.T + m.bias_ih_l0 + h @ m.weight_hh_l0.T + m.bias_hh_l0
            parts = split(gates, 4, axis: 1)          # i, f, g, o
            i = sigmoid(parts[0]); f = sigmoid(parts[1]); g = tanh(parts[2]); o = sigmoid(parts[3])
            c = f * c + i * g
            return record(h: o * tanh(c), c: c)
        }
        s = record(h: zeros(2, 4), c: zeros(2, 4))
        hs = list()
        for t in 0..<6 { s = step(x[t], s.h, s.c); hs = hs + [s.h] }
        out = m(x)
        """, in: i)
        #expect(number("max(abs(stack(hs) - out.output))", in: i) < 1e-12)
        #expect(number("max(abs(s.c - out.c[0]))", in: i) < 1e-12)
    }

    @Test func gradientsOfTheHandUnrolledRNNEqualTheLayers() {
        let i = Interpreter()
        run("""
        x = randn(4, 1, 2, seed: 0)
        m = rnn(input: 2, hidden: 3, seed: 1)
        Wx = param(m.weight_ih_l0); Wh = param(m.weight_hh_l0)
        h = zeros(1, 3)
        for t in 0..<4 { h = tanh(x[t] @ Wx.T + m.bias_ih_l0 + h @ Wh.T + m.bias_hh_l0) }
        backward(sum(h))
        out = m(x)
        backward(sum(out.h))
        """, in: i)
        #expect(number("max(abs(Wh.grad - m.weight_hh_l0.grad))", in: i) < 1e-12)
        #expect(number("max(abs(Wx.grad - m.weight_ih_l0.grad))", in: i) < 1e-12)
    }

    /// PyTorch float64 references (Tests/EngineTests/Fixtures/torch), driven through the language.
    @Test(arguments: ["lstm_1layer", "lstm_no_h0", "lstm_2layer_bidir", "gru_1layer", "gru_2layer_bidir", "rnn_tanh_1layer",
                      "rnn_relu_1layer", "rnn_tanh_bidir_1layer", "rnn_tanh_2layer_batch_first"])
    func pytorchParity(_ name: String) throws {
        let url = repositoryRoot.appendingPathComponent("Tests/EngineTests/Fixtures/torch/\(name).json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let config = try #require(json["config"] as? [String: Any])
        let tensors = try #require(json["tensors"] as? [String: [String: Any]])
        let i = Interpreter()
        for (key, entry) in tensors {
            let shape = try #require(entry["shape"] as? [Int]), data = try #require(entry["data"] as? [Double])
            define("t_" + key.replacingOccurrences(of: ".", with: "_"), .tensor(try Tensor(shape: shape, storage: data)), in: i)
        }
        let mode = try #require(config["mode"] as? String)
        let builder = ["LSTM": "lstm", "GRU": "gru", "RNN_TANH": "rnn", "RNN_RELU": "rnn"][mode] ?? "?"
        let layers = config["num_layers"] as? Int ?? 1, bidir = config["bidirectional"] as? Bool ?? false
        let hasH0 = config["has_h0"] as? Bool ?? false
        let batchFirst = config["batch_first"] as? Bool ?? false
        let relu = mode == "RNN_RELU" ? ", nonlinearity: \"relu\"" : ""
        var script = "m = \(builder)(input: \(config["input_size"] as? Int ?? 0), hidden: \(config["hidden_size"] as? Int ?? 0), layers: \(layers), bidirectional: \(bidir), batch_first: \(batchFirst)\(relu))\n"
        // Weights copied in place, the way a learner would set them by hand.
        script += "no_grad { for name in m.parameters { m.parameters[name][:] = t_[name] } }\n".replacingOccurrences(of: "t_[name]", with: "weights[name]")
        let names = (tensors.keys.filter { $0.hasPrefix("weight") || $0.hasPrefix("bias") }).sorted()
        script = "weights = record(" + names.map { "\($0): t_\($0)" }.joined(separator: ", ") + ")\n" + script
        script += "x = param(t_x)\n"
        if hasH0 { script += "h0 = param(t_h0)\n" + (mode == "LSTM" ? "c0 = param(t_c0)\n" : "") }
        let state = hasH0 ? (mode == "LSTM" ? ", h0: h0, c0: c0" : ", h0: h0") : ""
        script += "out = m(x\(state))\n"
        script += "loss = sum(out.output * t_dout) + sum(out.h * t_dhn)" + (mode == "LSTM" ? " + sum(out.c * t_dcn)" : "") + "\n"
        script += "backward(loss)\n"
        run(script, in: i)
        #expect(number("max(abs(out.output - t_out))", in: i) < 1e-10)
        #expect(number("max(abs(out.h - t_hn))", in: i) < 1e-10)
        for n in names {
            #expect(number("max(abs(m.\(n).grad - t_grad_\(n)))", in: i) < 1e-10, "\(name) grad \(n)")
        }
        #expect(number("max(abs(x.grad - t_grad_x))", in: i) < 1e-10)
        if hasH0 { #expect(number("max(abs(h0.grad - t_grad_h0))", in: i) < 1e-10) }
        if hasH0 && mode == "LSTM" { #expect(number("max(abs(c0.grad - t_grad_c0))", in: i) < 1e-10) }
    }

    /// Loads a fixture's tensors into `i` as `t_<name>` (dots become underscores).
    func load(_ name: String, into i: Interpreter) throws -> [String: Any] {
        let url = repositoryRoot.appendingPathComponent("Tests/EngineTests/Fixtures/torch/\(name).json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let tensors = try #require(json["tensors"] as? [String: [String: Any]])
        for (key, entry) in tensors {
            let shape = try #require(entry["shape"] as? [Int]), data = try #require(entry["data"] as? [Double])
            define("t_" + key.replacingOccurrences(of: ".", with: "_"), .tensor(try Tensor(shape: shape, storage: data)), in: i)
        }
        return try #require(json["config"] as? [String: Any])
    }

    @Test func crossEntropyWithIgnoreIndexMatchesPyTorch() throws {
        let i = Interpreter()
        let config = try load("loss_cross_entropy_ignore_index", into: i)
        run("z = param(t_logits); loss = cross_entropy(z, t_target, ignore_index: \(config["ignore_index"] as? Int ?? -100)); backward(loss)", in: i)
        #expect(number("abs(loss - t_loss)", in: i) < 1e-12)
        #expect(number("max(abs(z.grad - t_grad_logits))", in: i) < 1e-12)
    }

    @Test func clipGradNormMatchesPyTorch() throws {
        let i = Interpreter()
        _ = try load("clip_grad_norm", into: i)
        run("""
        m = lstm(input: 3, hidden: 4, layers: 2, bidirectional: true)
        grads = record(\(["weight_ih", "weight_hh", "bias_ih", "bias_hh"].flatMap { w in ["l0", "l0_reverse", "l1", "l1_reverse"].map { "\(w)_\($0): t_grad_\(w)_\($0)" } }.joined(separator: ", ")))
        for name in grads { p = m.parameters[name]; p.grad = grads[name] }
        total = clip_grad_norm(m, max_norm: 0.5)
        """, in: i)
        #expect(number("abs(total - t_total_norm)", in: i) < 1e-12)
        #expect(number("max(abs(m.weight_hh_l1_reverse.grad - t_clipped_weight_hh_l1_reverse))", in: i) < 1e-12)
        #expect(number("max(abs(m.bias_ih_l0.grad - t_clipped_bias_ih_l0))", in: i) < 1e-12)
    }

    @Test(arguments: [("sgd_nesterov", "sgd(m, lr: 0.1, momentum: 0.9, weight_decay: 0.01, nesterov: true)"),
                      ("adam_default", "adam(m, lr: 0.01)")])
    func optimizerStepsMatchPyTorch(_ name: String, _ make: String) throws {
        let i = Interpreter()
        _ = try load(name, into: i)
        run("""
        m = linear(in: 4, out: 3)
        no_grad { m.weight[:] = t_W0; m.bias[:] = t_b0 }
        opt = \(make)
        losses = list()
        for k in 0..<3 { opt.zero_grad(); loss = mse(m(t_X), t_Y); losses = losses + list(loss); loss.backward(); opt.step() }
        """, in: i)
        #expect(number("abs(losses[0] - t_loss0) + abs(losses[2] - t_loss2)", in: i) < 1e-12)
        #expect(number("max(abs(m.weight - t_W3)) + max(abs(m.bias - t_b3))", in: i) < 1e-12)
    }
}
