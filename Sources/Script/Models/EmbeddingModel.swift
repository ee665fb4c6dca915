import Engine

/// `embedding`: a table of learned vectors looked up by token id (PyTorch's nn.Embedding).
final class EmbeddingModel: ScriptModel {
    let table: Embedding
    var training = true

    init(_ table: Embedding) { self.table = table }

    static var builtins: [Builtin] {
        [
            Builtin("embedding", "embedding(count:, dim:, seed: 0, dtype: \"float64\")", family: "models",
                    doc: "A table of count learned vectors of size dim (PyTorch's nn.Embedding); e(ids) looks up a tensor of integer ids.",
                    example: "e = embedding(count: 10, dim: 3, seed: 0)\ne([1, 2, 1]).shape") { args, _ in
                .model(Model(EmbeddingModel(try Embedding(count: try args.size(nil, "count"), dimension: try args.size(nil, "dim"), seed: try args.seed(), dtype: try args.dtype()))))
            },
        ]
    }

    var module: any Module { table }
    var name: String { "embedding" }
    var configuration: String { "count: \(table.count), dim: \(table.dimension)" }
    var callUsage: String { "embedding(ids)" }

    func call(_ args: inout Arguments, _ interpreter: Interpreter) throws -> Value {
        .tensor(try table(try args.tensor(0, "ids")))
    }

    var members: [(name: String, value: Value)] {
        [("count", .number(Double(table.count))), ("dim", .number(Double(table.dimension)))]
    }
}
