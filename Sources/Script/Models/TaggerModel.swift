import Engine

/// `tagger`: many-to-many aligned — a label (class scores) for every step.
final class TaggerModel: HeadedModel {
    let model: SequenceTagger

    init(_ model: SequenceTagger) { self.model = model }

    static var builtins: [Builtin] {
        [
            Builtin("tagger", "tagger(\(ClassifierModel.sizes))", family: "models",
                    doc: "Many-to-many aligned: out scores for every step, (T, B, out). m(x, lengths: […]) for padded batches.",
                    example: "m = tagger(input: 3, hidden: 8, out: 5, bidirectional: true, seed: 0)\nm(randn(6, 2, 3, seed: 1)).shape") { args, _ in
                let kind = try ModelSupport.recurrentKind(&args)
                let hidden = try args.size(nil, "hidden"), out = try args.size(nil, "out")
                let layers = try args.size(nil, "layers", default: 1), bidir = try args.bool(nil, "bidirectional", default: false)
                let batchFirst = try args.bool(nil, "batch_first", default: false), seed = try args.seed()
                if let vocab = try args.optionalInt(nil, "vocab") {
                    return .model(Model(TaggerModel(try SequenceTagger(kind, vocabularySize: vocab, embeddingSize: try args.size(nil, "embed"),
                        hiddenSize: hidden, outputSize: out, numLayers: layers, bidirectional: bidir, batchFirst: batchFirst, seed: seed))))
                }
                return .model(Model(TaggerModel(try SequenceTagger(kind, inputSize: try args.size(nil, "input"), hiddenSize: hidden, outputSize: out,
                    numLayers: layers, bidirectional: bidir, batchFirst: batchFirst, seed: seed))))
            },
        ]
    }

    var name: String { "tagger" }
    var configuration: String { ModelSupport.architectureConfig(model.rnn, embedding: model.embedding, out: model.head.outFeatures) }
    var callUsage: String { "tagger(x, lengths: none)" }

    func call(_ args: inout Arguments, _ interpreter: Interpreter) throws -> Value {
        let x = try args.tensor(0, "x")
        let lengths = try args.get(1, "lengths").map { try args.convertIntList($0, "lengths") }
        return .tensor(try model(x, lengths: lengths))
    }


    /// With a state (a bptt chunk after the first) the pieces run one by one so the state goes in.
    func trainingTarget(start: Int?, _ args: Arguments) throws -> TrainingTarget? {
        let t = model
        return TrainingTarget(name: name, parameters: t.parameters, rnn: t.rnn, embedding: t.embedding, batchFirst: t.batchFirst) { x, lengths, _, state, _ in
            guard let state else { return (try t(x, lengths: lengths), nil) }
            let input = try t.embedding.map { try $0(x) } ?? x
            let out = try t.rnn(input, h0: state.h, c0: state.c)
            return (try t.head(out.output), RecurrentState(h: out.hn, c: out.cn))
        }
    }
}
