import Engine

/// `rnn`, `lstm`, `gru`: a whole recurrent layer (PyTorch's nn.RNN / nn.LSTM / nn.GRU) — stacked,
/// bidirectional, with its trace of every gate at every step.
final class RecurrentModel: ScriptModel {
    let layer: RecurrentLayer
    /// The last call with `trace: true`: where `unroll(m, x, grad: true)` finds ∂L/∂hₜ once a loss
    /// computed from that call's output has been backpropagated.
    var lastTrace: TraceOrigin?

    init(_ layer: RecurrentLayer) { self.layer = layer }

    static var builtins: [Builtin] {
        // Only an LSTM has a cell state, so only its call takes c0.
        func call(_ kind: RecurrentKind) -> String {
            let c0 = kind == .lstm ? ", c0: …" : ""
            return "Call it as m(x, h0: …\(c0), trace: true) with x of shape (T, B, input) (or (B, T, input) with batch_first, or (T, input)); the result is a record with output (T, B, D·hidden), h (layers·D, B, hidden)"
        }
        return [
            constructor("rnn", .rnnTanh, "An Elman RNN layer, PyTorch's nn.RNN: hₜ = tanh(W_ih xₜ + b_ih + W_hh hₜ₋₁ + b_hh). \(call(.rnnTanh)) and, with trace: true, trace (a, h per step). Parameters: weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0 (…_l1, …_reverse).",
                        "m = rnn(input: 3, hidden: 4, seed: 1)\nout = m(randn(5, 1, 3, seed: 0))\nout.output.shape"),
            constructor("lstm", .lstm, "A long short-term memory layer, PyTorch's nn.LSTM (gates i, f, g, o). \(call(.lstm)), c (same shape as h) and, with trace: true, trace with i, f, g, o, c, h per step (T, B, hidden).",
                        "m = lstm(input: 3, hidden: 4, seed: 1)\nout = m(randn(5, 1, 3, seed: 0), trace: true)\nout.trace.f[2].shape"),
            constructor("gru", .gru, "A gated recurrent unit layer, PyTorch's nn.GRU (gates r, z, n). \(call(.gru)) and, with trace: true, trace with r, z, n, h.",
                        "m = gru(input: 3, hidden: 4, layers: 2, bidirectional: true, seed: 1)\nm(randn(5, 2, 3, seed: 0)).h.shape"),
        ]
    }

    private static func constructor(_ name: String, _ kind: RecurrentKind, _ doc: String, _ example: String) -> Builtin {
        let nonlinearity = name == "rnn" ? "nonlinearity: \"tanh\", " : ""
        return Builtin(name, "\(name)(input:, hidden:, layers: 1, \(nonlinearity)bidirectional: false, batch_first: false, dropout: 0, bias: true, seed: 0, dtype: \"float64\")",
                       family: "models", doc: doc, example: example) { args, _ in
            let input = try args.size(nil, "input"), hidden = try args.size(nil, "hidden")
            let layers = try args.size(nil, "layers", default: 1)
            let k = name == "rnn" ? try ModelSupport.nonlinearity(&args) : kind
            let layer = try RecurrentLayer(k, inputSize: input, hiddenSize: hidden, numLayers: layers,
                                           bias: try args.bool(nil, "bias", default: true),
                                           batchFirst: try args.bool(nil, "batch_first", default: false),
                                           dropout: try args.number(nil, "dropout", default: 0),
                                           bidirectional: try args.bool(nil, "bidirectional", default: false),
                                           seed: try args.seed(), dtype: try args.dtype())
            return .model(Model(RecurrentModel(layer)))
        }
    }

    var module: any Module { layer }
    var name: String { layer.kind.cellName }

    var configuration: String {
        var parts = ["input: \(layer.inputSize)", "hidden: \(layer.hiddenSize)"]
        if layer.numLayers != 1 { parts.append("layers: \(layer.numLayers)") }
        if layer.bidirectional { parts.append("bidirectional: true") }
        if layer.batchFirst { parts.append("batch_first: true") }
        if layer.dropout != 0 { parts.append("dropout: \(formatNumber(layer.dropout))") }
        if !layer.hasBias { parts.append("bias: false") }
        return parts.joined(separator: ", ")
    }

    var callUsage: String {
        layer.kind == .lstm ? "\(name)(input, h0: none, c0: none, trace: false)" : "\(name)(input, h0: none, trace: false)"
    }

    func call(_ args: inout Arguments, _ interpreter: Interpreter) throws -> Value {
        let x = try args.tensor(0, "input")
        let h0 = try args.optionalTensor(1, "h0")
        let c0 = try args.optionalTensor(2, "c0")
        let wantsTrace = try args.bool(nil, "trace", default: false)
        let trace = wantsTrace ? RecurrentTrace() : nil
        let out = try layer(x, h0: h0, c0: c0, trace: trace)
        var fields: [(name: String, value: Value)] = [("output", .tensor(out.output)), ("h", .tensor(out.hn))]
        if let c = out.cn { fields.append(("c", .tensor(c))) }
        if let trace {
            let record = Interpreter.traceRecord(trace, layer: layer, unbatched: x.rank == 2, input: x)
            lastTrace = record.origin
            fields.append(("trace", .record(record)))
        }
        return .record(Record(title: "\(name) output", fields: fields))
    }

    var members: [(name: String, value: Value)] {
        [("input_size", .number(Double(layer.inputSize))), ("hidden_size", .number(Double(layer.hiddenSize))),
         ("num_layers", .number(Double(layer.numLayers))), ("bidirectional", .bool(layer.bidirectional)),
         ("batch_first", .bool(layer.batchFirst))]
    }

    var training: Bool {
        get { layer.training }
        set { layer.training = newValue }
    }

    func trainingTarget(start: Int?, _ args: Arguments) throws -> TrainingTarget? {
        TrainingTarget.layer(layer, head: nil, name: name)
    }
}
