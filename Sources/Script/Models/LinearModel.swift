import Engine

/// `linear`: y = x Wᵀ + b on the last axis (PyTorch's nn.Linear) — the output layer of an RNN.
final class LinearModel: ScriptModel {
    let layer: Linear
    var training = true

    init(_ layer: Linear) { self.layer = layer }

    static var builtins: [Builtin] {
        [
            Builtin("linear", "linear(in:, out:, bias: true, seed: 0, dtype: \"float64\")", family: "models",
                    doc: "A fully connected layer y = x Wᵀ + b (PyTorch's nn.Linear), applied to the last axis: the RNN's output layer. Parameters weight (out, in) and bias (out).",
                    example: "head = linear(in: 4, out: 2, seed: 0)\nhead(zeros(5, 4)).shape") { args, _ in
                let l = try Linear(inFeatures: try args.size(nil, "in"), outFeatures: try args.size(nil, "out"),
                                   bias: try args.bool(nil, "bias", default: true), seed: try args.seed(), dtype: try args.dtype())
                return .model(Model(LinearModel(l)))
            },
        ]
    }

    var module: any Module { layer }
    var name: String { "linear" }
    var configuration: String { "in: \(layer.inFeatures), out: \(layer.outFeatures)" + (layer.bias == nil ? ", bias: false" : "") }
    var callUsage: String { "linear(x)" }

    func call(_ args: inout Arguments, _ interpreter: Interpreter) throws -> Value {
        .tensor(try layer(try args.tensor(0, "x")))
    }

    var members: [(name: String, value: Value)] {
        [("in_features", .number(Double(layer.inFeatures))), ("out_features", .number(Double(layer.outFeatures)))]
    }
}
