import Engine

/// `rnn_cell`, `lstm_cell`, `gru_cell`: one step of a recurrent network (PyTorch's nn.RNNCell,
/// nn.LSTMCell, nn.GRUCell), for writing the loop over time by hand.
final class CellModel: ScriptModel {
    let cell: RecurrentCell
    var training = true

    init(_ cell: RecurrentCell) { self.cell = cell }

    static var builtins: [Builtin] {
        [
            constructor("rnn_cell", .rnnTanh, "One step of an RNN, PyTorch's nn.RNNCell: cell(x, h) returns the next h. x (B, input) or (input).",
                        "cell = rnn_cell(input: 3, hidden: 4, seed: 1)\nh = cell(randn(1, 3, seed: 0), zeros(1, 4))\nh.shape"),
            constructor("lstm_cell", .lstm, "One step of an LSTM, PyTorch's nn.LSTMCell: cell(x, h, c) returns a record with h and c.",
                        "cell = lstm_cell(input: 3, hidden: 4, seed: 1)\ns = cell(randn(1, 3, seed: 0))\ns.c.shape"),
            constructor("gru_cell", .gru, "One step of a GRU, PyTorch's nn.GRUCell: cell(x, h) returns the next h.",
                        "cell = gru_cell(input: 3, hidden: 4, seed: 1)\ncell(randn(3, seed: 0)).shape"),
        ]
    }

    private static func constructor(_ name: String, _ kind: RecurrentKind, _ doc: String, _ example: String) -> Builtin {
        let nonlinearity = name == "rnn_cell" ? "nonlinearity: \"tanh\", " : ""
        return Builtin(name, "\(name)(input:, hidden:, \(nonlinearity)bias: true, seed: 0)", family: "models", doc: doc, example: example) { args, _ in
            let k = name == "rnn_cell" ? try ModelSupport.nonlinearity(&args) : kind
            let c = try RecurrentCell(k, inputSize: try args.size(nil, "input"), hiddenSize: try args.size(nil, "hidden"),
                                      bias: try args.bool(nil, "bias", default: true), seed: try args.seed())
            return .model(Model(CellModel(c)))
        }
    }

    var module: any Module { cell }
    var name: String { cell.kind.cellName + "_cell" }
    var configuration: String { "input: \(cell.inputSize), hidden: \(cell.hiddenSize)" }
    var callUsage: String { cell.kind == .lstm ? "\(name)(x, h, c) — h and c optional" : "\(name)(x, h) — h optional" }

    func call(_ args: inout Arguments, _ interpreter: Interpreter) throws -> Value {
        let x = try args.tensor(0, "x")
        let h = try args.optionalTensor(1, "h")
        let c = try args.optionalTensor(2, "c")
        let out = try cell(x, h: h, c: c)
        guard let c = out.c else { return .tensor(out.h) }
        return .record(Record(title: "\(name) state", fields: [("h", .tensor(out.h)), ("c", .tensor(c))]))
    }

    var members: [(name: String, value: Value)] {
        [("input_size", .number(Double(cell.inputSize))), ("hidden_size", .number(Double(cell.hiddenSize)))]
    }
}
