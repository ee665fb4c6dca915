import Foundation
import Testing
import Engine
@testable import Script

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
    @Test(arguments: ["lstm_1layer", "gru_1layer", "rnn_tanh_1layer", "lstm_2layer_bidir"])
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
        var script = "m = \(builder)(input: \(config["input_size"] as? Int ?? 0), hidden: \(config["hidden_size"] as? Int ?? 0), layers: \(layers), bidirectional: \(bidir))\n"
        // Weights copied in place, the way a learner would set them by hand.
        script += "no_grad { for name in m.parameters { m.parameters[name][:] = t_[name] } }\n".replacingOccurrences(of: "t_[name]", with: "weights[name]")
        let names = (tensors.keys.filter { $0.hasPrefix("weight") || $0.hasPrefix("bias") }).sorted()
        script = "weights = record(" + names.map { "\($0): t_\($0)" }.joined(separator: ", ") + ")\n" + script
        script += "x = param(t_x)\n"
        let state = hasH0 ? (mode == "LSTM" ? ", h0: t_h0, c0: t_c0" : ", h0: t_h0") : ""
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
    }
}
