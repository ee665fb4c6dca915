import Engine

/// What the architectures' files share: the `kind:` argument and their summaries' common part.
enum ModelSupport {
    /// `kind: "lstm"` (or "gru", "rnn", "rnn_relu") of the whole-model constructors.
    static func recurrentKind(_ args: inout Arguments, default kind: String = "lstm") throws -> RecurrentKind {
        switch try args.string(nil, "kind", default: kind) {
        case "lstm": return .lstm
        case "gru": return .gru
        case "rnn", "rnn_tanh": return .rnnTanh
        case "rnn_relu": return .rnnReLU
        case let other: throw args.error("kind must be \"rnn\", \"rnn_relu\", \"lstm\" or \"gru\", got \"\(other)\"")
        }
    }

    /// A kind as `kind:` takes it back.
    static func kindName(_ kind: RecurrentKind) -> String { kind == .rnnReLU ? "rnn_relu" : kind.cellName }

    /// `kind: "lstm", input: 3, hidden: 8, out: 2…`: the constructor arguments of an
    /// embedding → recurrent layer → head architecture.
    static func architectureConfig(_ rnn: RecurrentLayer, embedding: Embedding?, out: Int?) -> String {
        var parts = ["kind: \"\(kindName(rnn.kind))\""]
        if let embedding { parts += ["vocab: \(embedding.count)", "embed: \(embedding.dimension)"] } else { parts.append("input: \(rnn.inputSize)") }
        parts.append("hidden: \(rnn.hiddenSize)")
        if let out { parts.append("out: \(out)") }
        if rnn.numLayers != 1 { parts.append("layers: \(rnn.numLayers)") }
        if rnn.bidirectional { parts.append("bidirectional: true") }
        return parts.joined(separator: ", ")
    }

    /// The members of an embedding → recurrent layer → head architecture.
    static func architectureMembers(rnn: RecurrentLayer, head: Linear, embedding: Embedding?) -> [(name: String, value: Value)] {
        var out: [(name: String, value: Value)] = [("rnn", .model(Model(RecurrentModel(rnn)))), ("head", .model(Model(LinearModel(head))))]
        if let embedding { out.append(("embedding", .model(Model(EmbeddingModel(embedding))))) }
        return out
    }

    /// `nonlinearity: "tanh"` or `"relu"` of an Elman RNN layer or cell.
    static func nonlinearity(_ args: inout Arguments) throws -> RecurrentKind {
        switch try args.string(nil, "nonlinearity", default: "tanh") {
        case "tanh": return .rnnTanh
        case "relu": return .rnnReLU
        case let other: throw args.error("nonlinearity must be \"tanh\" or \"relu\", got \"\(other)\"")
        }
    }
}
