import Engine

/// float32 and float64: PyTorch's `x.float()`, `x.double()`, `m.float()` and `m.double()`.
///
/// Every tensor and model is float64 unless asked otherwise — the precision every lesson's numbers
/// are recorded in. float32 is what PyTorch trains in by default: half the bits, about 7 significant
/// digits, and the recurrent layers run faster in it.
extension Interpreter {
    static func precisionBuiltins() -> [Builtin] {
        let f = "construction"
        return [
            Builtin("float", "float(x)", family: f, methodOf: ["tensor", "model"],
                    doc: "x in float32 (about 7 significant digits): a tensor is copied with every number rounded to the nearest float32 (gradients flow back through the copy); a model's parameters are converted in place and the model itself is returned, as in PyTorch.",
                    example: "x = tensor([0.1, 1e-8 + 1])\nx.float()\nm = lstm(input: 2, hidden: 3, seed: 0).float()\nm.weight_ih_l0.dtype") { args, _ in
                try converted(&args, to: .float32)
            },
            Builtin("double", "double(x)", family: f, methodOf: ["tensor", "model"],
                    doc: "x in float64, the default precision (exact from float32); a model is converted in place and returned.",
                    example: "x = tensor([0.1], dtype: \"float32\")\nx.double() - 0.1") { args, _ in
                try converted(&args, to: .float64)
            },
        ]
    }

    private static func converted(_ args: inout Arguments, to dtype: DType) throws -> Value {
        let v = try args.required(0, "x")
        if case let .model(m) = v {
            m.module.convert(to: dtype)
            return v
        }
        return .tensor(try args.convertTensor(v, "x").to(dtype))
    }
}
