import Engine

/// Builtins that work on any model: eval mode and the parameters.
extension Interpreter {
    /// What every model has, whatever its architecture (the constructors are in `Models/`).
    static func modelBuiltins() -> [Builtin] {
        let f = "models"
        return [
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
                return m.attributes["parameters"] ?? .none
            },
        ]
    }
}
