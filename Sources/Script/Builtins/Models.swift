import Engine

/// Recurrent layers and cells, linear and embedding layers, train/eval.
extension Interpreter {
    private static func recurrent(_ name: String, _ kind: RecurrentKind, _ doc: String, _ example: String) -> Builtin {
        let nonlinearity = name == "rnn" ? "nonlinearity: \"tanh\", " : ""
        return Builtin(name, "\(name)(input:, hidden:, layers: 1, \(nonlinearity)bidirectional: false, batch_first: false, dropout: 0, bias: true, seed: 0)",
                       family: "models", doc: doc, example: example) { args, _ in
            let input = try args.int(nil, "input"), hidden = try args.int(nil, "hidden")
            let layers = try args.int(nil, "layers", default: 1)
            var k = kind
            if name == "rnn" {
                switch try args.string(nil, "nonlinearity", default: "tanh") {
                case "tanh": k = .rnnTanh
                case "relu": k = .rnnReLU
                case let other: throw args.error("nonlinearity must be \"tanh\" or \"relu\", got \"\(other)\"")
                }
            }
            let layer = try RecurrentLayer(k, inputSize: input, hiddenSize: hidden, numLayers: layers,
                                           bias: try args.bool(nil, "bias", default: true),
                                           batchFirst: try args.bool(nil, "batch_first", default: false),
                                           dropout: try args.number(nil, "dropout", default: 0),
                                           bidirectional: try args.bool(nil, "bidirectional", default: false),
                                           seed: try args.seed())
            return .model(Model(.recurrent(layer)))
        }
    }

    private static func cell(_ name: String, _ kind: RecurrentKind, _ doc: String, _ example: String) -> Builtin {
        let nonlinearity = name == "rnn_cell" ? "nonlinearity: \"tanh\", " : ""
        return Builtin(name, "\(name)(input:, hidden:, \(nonlinearity)bias: true, seed: 0)", family: "models", doc: doc, example: example) { args, _ in
            var k = kind
            if name == "rnn_cell" {
                switch try args.string(nil, "nonlinearity", default: "tanh") {
                case "tanh": k = .rnnTanh
                case "relu": k = .rnnReLU
                case let other: throw args.error("nonlinearity must be \"tanh\" or \"relu\", got \"\(other)\"")
                }
            }
            let c = try RecurrentCell(k, inputSize: try args.int(nil, "input"), hiddenSize: try args.int(nil, "hidden"),
                                      bias: try args.bool(nil, "bias", default: true), seed: try args.seed())
            return .model(Model(.cell(c)))
        }
    }

    static func modelBuiltins() -> [Builtin] {
        let f = "models"
        // Only an LSTM has a cell state, so only its call takes c0.
        func call(_ kind: RecurrentKind) -> String {
            let c0 = kind == .lstm ? ", c0: …" : ""
            return "Call it as m(x, h0: …\(c0), trace: true) with x of shape (T, B, input) (or (B, T, input) with batch_first, or (T, input)); the result is a record with output (T, B, D·hidden), h (layers·D, B, hidden)"
        }
        return [
            recurrent("rnn", .rnnTanh, "An Elman RNN layer, PyTorch's nn.RNN: hₜ = tanh(W_ih xₜ + b_ih + W_hh hₜ₋₁ + b_hh). \(call(.rnnTanh)) and, with trace: true, trace (a, h per step). Parameters: weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0 (…_l1, …_reverse).",
                      "m = rnn(input: 3, hidden: 4, seed: 1)\nout = m(randn(5, 1, 3, seed: 0))\nout.output.shape"),
            recurrent("lstm", .lstm, "A long short-term memory layer, PyTorch's nn.LSTM (gates i, f, g, o). \(call(.lstm)), c (same shape as h) and, with trace: true, trace with i, f, g, o, c, h per step (T, B, hidden).",
                      "m = lstm(input: 3, hidden: 4, seed: 1)\nout = m(randn(5, 1, 3, seed: 0), trace: true)\nout.trace.f[2].shape"),
            recurrent("gru", .gru, "A gated recurrent unit layer, PyTorch's nn.GRU (gates r, z, n). \(call(.gru)) and, with trace: true, trace with r, z, n, h.",
                      "m = gru(input: 3, hidden: 4, layers: 2, bidirectional: true, seed: 1)\nm(randn(5, 2, 3, seed: 0)).h.shape"),
            cell("rnn_cell", .rnnTanh, "One step of an RNN, PyTorch's nn.RNNCell: cell(x, h) returns the next h. x (B, input) or (input).",
                 "cell = rnn_cell(input: 3, hidden: 4, seed: 1)\nh = cell(randn(1, 3, seed: 0), zeros(1, 4))\nh.shape"),
            cell("lstm_cell", .lstm, "One step of an LSTM, PyTorch's nn.LSTMCell: cell(x, h, c) returns a record with h and c.",
                 "cell = lstm_cell(input: 3, hidden: 4, seed: 1)\ns = cell(randn(1, 3, seed: 0))\ns.c.shape"),
            cell("gru_cell", .gru, "One step of a GRU, PyTorch's nn.GRUCell: cell(x, h) returns the next h.",
                 "cell = gru_cell(input: 3, hidden: 4, seed: 1)\ncell(randn(3, seed: 0)).shape"),
            Builtin("linear", "linear(in:, out:, bias: true, seed: 0)", family: f,
                    doc: "A fully connected layer y = x Wᵀ + b (PyTorch's nn.Linear), applied to the last axis: the RNN's output layer. Parameters weight (out, in) and bias (out).",
                    example: "head = linear(in: 4, out: 2, seed: 0)\nhead(zeros(5, 4)).shape") { args, _ in
                let l = try Linear(inFeatures: try args.int(nil, "in"), outFeatures: try args.int(nil, "out"),
                                   bias: try args.bool(nil, "bias", default: true), seed: try args.seed())
                return .model(Model(.linear(l)))
            },
            Builtin("embedding", "embedding(count:, dim:, seed: 0)", family: f,
                    doc: "A table of count learned vectors of size dim (PyTorch's nn.Embedding); e(ids) looks up a tensor of integer ids.",
                    example: "e = embedding(count: 10, dim: 3, seed: 0)\ne([1, 2, 1]).shape") { args, _ in
                .model(Model(.embedding(try Embedding(count: try args.int(nil, "count"), dimension: try args.int(nil, "dim"), seed: try args.seed()))))
            },
            Builtin("eval", "eval(m)", family: f, methodOf: ["model"],
                    doc: "Puts a model in evaluation mode (no dropout). Returns the model.",
                    example: "m = lstm(input: 2, hidden: 2)\nm.eval().training") { args, _ in
                let m = try args.model(0, "m")
                m.training = false
                return .model(m)
            },
            Builtin("parameters", "parameters(m)", family: f, methodOf: ["model"],
                    doc: "A record of the model's parameters by their PyTorch names (also m.parameters).",
                    example: "parameters(linear(in: 2, out: 3))") { args, _ in
                let m = try args.model(0, "m")
                return Interpreter.modelAttributes(m)["parameters"] ?? .none
            },
        ]
    }
}
