import Engine

/// `classifier`: many-to-one — embedding (optional) → recurrent layer → linear head on the last
/// (or mean) state: one answer per sequence.
final class ClassifierModel: HeadedModel {
    let model: SequenceClassifier

    init(_ model: SequenceClassifier) { self.model = model }

    static let sizes = "kind: \"lstm\", input: or (vocab:, embed:), hidden:, out:, layers: 1, bidirectional: false, batch_first: false, seed: 0"

    static var builtins: [Builtin] {
        [
            Builtin("classifier", "classifier(\(sizes), readout: \"last\")", family: "models",
                    doc: "Many-to-one: a recurrent layer reads the sequence (feature vectors with input:, or token ids with vocab: and embed:) and a linear head maps its last state (readout: \"mean\" averages the steps) to out scores. m(x, lengths: […]) reads padded batches up to each sequence's length; returns logits (B, out). Members rnn, head, embedding.",
                    example: "m = classifier(vocab: 20, embed: 8, hidden: 16, out: 3, seed: 0)\nm([[1, 2], [3, 4], [5, 0]], lengths: [3, 2]).shape") { args, _ in
                let kind = try ModelSupport.recurrentKind(&args)
                let hidden = try args.size(nil, "hidden"), out = try args.size(nil, "out")
                let layers = try args.size(nil, "layers", default: 1), bidir = try args.bool(nil, "bidirectional", default: false)
                let batchFirst = try args.bool(nil, "batch_first", default: false), seed = try args.seed()
                guard let readout = SequenceClassifier.Readout(rawValue: try args.string(nil, "readout", default: "last")) else {
                    throw args.error("readout must be \"last\" or \"mean\"")
                }
                if let vocab = try args.optionalInt(nil, "vocab") {
                    return .model(Model(ClassifierModel(try SequenceClassifier(kind, vocabularySize: vocab, embeddingSize: try args.size(nil, "embed"),
                        hiddenSize: hidden, outputSize: out, numLayers: layers, bidirectional: bidir, readout: readout, batchFirst: batchFirst, seed: seed))))
                }
                return .model(Model(ClassifierModel(try SequenceClassifier(kind, inputSize: try args.size(nil, "input"), hiddenSize: hidden, outputSize: out,
                    numLayers: layers, bidirectional: bidir, readout: readout, batchFirst: batchFirst, seed: seed))))
            },
        ]
    }

    var name: String { "classifier" }
    var configuration: String {
        ModelSupport.architectureConfig(model.rnn, embedding: model.embedding, out: model.head.outFeatures) + (model.readout == .mean ? ", readout: \"mean\"" : "")
    }
    var callUsage: String { "classifier(x, lengths: none)" }

    func call(_ args: inout Arguments, _ interpreter: Interpreter) throws -> Value {
        let x = try args.tensor(0, "x")
        let lengths = try args.get(1, "lengths").map { try args.convertIntList($0, "lengths") }
        return .tensor(try model(x, lengths: lengths))
    }


    func trainingTarget(start: Int?, _ args: Arguments) throws -> TrainingTarget? {
        let c = model
        return TrainingTarget(name: name, parameters: c.parameters, rnn: c.rnn, embedding: c.embedding, batchFirst: c.batchFirst,
                              alignment: .oncePerSequence, carriesState: false) { x, lengths, _, _, _ in
            (try c(x, lengths: lengths), nil)
        }
    }
}
