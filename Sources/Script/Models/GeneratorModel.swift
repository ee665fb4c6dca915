import Engine

/// `generator`: a next-step model — a language model over token ids or a model of a real-valued
/// series: teacher-forced predictions, sampling (`generate`, `sample`), rollout (`forecast`).
final class GeneratorModel: HeadedModel {
    let model: SequenceGenerator

    init(_ model: SequenceGenerator) { self.model = model }

    static var builtins: [Builtin] {
        let f = "models"
        return [
            Builtin("generator", "generator(kind: \"lstm\", vocab:, embed:, hidden:, layers: 1, batch_first: false, seed: 0) or generator(kind:, features:, hidden:, …)", family: f,
                    doc: "A next-step model: a language model over token ids (vocab:, embed:) or a model of real-valued series (features:). m(x, h0:) (and c0: for kind \"lstm\") gives the teacher-forced predictions for every step as a record (output, h, and c for an LSTM); generate(m, prime, length) samples tokens, rollout(m, prime, steps) continues a series.",
                    example: "lm = generator(vocab: 10, embed: 4, hidden: 8, seed: 0)\nlm([[1], [2], [3]]).output.shape") { args, _ in
                let kind = try ModelSupport.recurrentKind(&args)
                let hidden = try args.size(nil, "hidden"), layers = try args.size(nil, "layers", default: 1)
                let batchFirst = try args.bool(nil, "batch_first", default: false), seed = try args.seed()
                if let features = try args.optionalInt(nil, "features") {
                    return .model(Model(GeneratorModel(try SequenceGenerator(kind, features: features, hiddenSize: hidden, numLayers: layers,
                                                                             batchFirst: batchFirst, seed: seed))))
                }
                return .model(Model(GeneratorModel(try SequenceGenerator(kind, vocabularySize: try args.size(nil, "vocab"), embeddingSize: try args.size(nil, "embed"),
                    hiddenSize: hidden, numLayers: layers, batchFirst: batchFirst, seed: seed))))
            },
            Builtin("generate", "generate(m, prime, length, temperature: 1, top_k: none, top_p: none, seed: none)", family: f, methodOf: ["model"],
                    doc: "Continues the token ids in prime with length sampled tokens (temperature 0: always the most likely one; top_k and top_p cut the unlikely tokens as in sample); returns the new ids as a list.",
                    example: "lm = generator(vocab: 10, embed: 4, hidden: 8, seed: 0)\nlen(generate(lm, [1, 2], 5, temperature: 0))") { args, interp in
                guard let g = try args.model(0, "m").as(GeneratorModel.self)?.model else { throw args.error("'m' must be a generator") }
                let prime = try args.convertIntList(try args.required(1, "prime"), "prime")
                let length = try args.int(2, "length"), d = try Interpreter.decodingOptions(&args)
                guard length <= 1_000_000 else { throw args.error("length must be at most 10⁶") }
                let ids: [Int]
                if let seed = try args.optionalInt(nil, "seed") {
                    guard seed >= 0 else { throw args.error("'seed' must be ≥ 0") }
                    ids = try g.generate(prime: prime, length: length, temperature: d.temperature, topK: d.topK, topP: d.topP, seed: UInt64(seed))
                } else {
                    ids = try g.generate(prime: prime, length: length, temperature: d.temperature, topK: d.topK, topP: d.topP, generator: &interp.rng)
                }
                return .list(ids.map { .number(Double($0)) })
            },
            Builtin("rollout", "rollout(m, prime, steps)", family: f, methodOf: ["model"],
                    doc: "A series generator reads the observed prime (T, B, features) and predicts the next steps values, each prediction fed back as the next input; returns (steps, B, features).",
                    example: "g = generator(features: 1, hidden: 8, seed: 0)\nrollout(g, randn(10, 1, 1, seed: 1), 4).shape") { args, _ in
                guard let g = try args.model(0, "m").as(GeneratorModel.self)?.model else { throw args.error("'m' must be a generator") }
                let prime = try args.tensor(1, "prime"), steps = try args.int(2, "steps")
                guard steps <= 1_000_000 else { throw args.error("steps must be at most 10⁶") }
                return .tensor(try g.rollout(prime: prime, steps: steps))
            },
        ]
    }

    var name: String { "generator" }
    var configuration: String { ModelSupport.architectureConfig(model.rnn, embedding: model.embedding, out: nil) }
    var callUsage: String { "generator(x, h0: none, c0: none)" }

    func call(_ args: inout Arguments, _ interpreter: Interpreter) throws -> Value {
        let x = try args.tensor(0, "x")
        let h0 = try args.optionalTensor(1, "h0"), c0 = try args.optionalTensor(2, "c0")
        let out = try model(x, state: h0.map { RecurrentState(h: $0, c: c0) })
        var fields: [(name: String, value: Value)] = [("output", .tensor(out.output)), ("h", .tensor(out.state.h))]
        if let c = out.state.c { fields.append(("c", .tensor(c))) }
        return .record(Record(title: "generator output", fields: fields))
    }


    /// Token ids train with cross-entropy, real values with mse; every step is a target, so a
    /// padded batch would teach the padding.
    func trainingTarget(start: Int?, _ args: Arguments) throws -> TrainingTarget? {
        let g = model
        return TrainingTarget(name: name, parameters: g.parameters, rnn: g.rnn, embedding: g.embedding, batchFirst: g.batchFirst,
                              defaultLoss: g.embedding == nil ? .mse : .crossEntropy,
                              paddingRefusal: "a generator has no padded batches; cut the text into equal-length sequences",
                              predictRefusal: g.embedding == nil ? "a real-valued generator predicts values, not classes; use forecast or m(x).output" : nil) { x, _, _, state, _ in
            let out = try g(x, state: state)
            return (out.output, out.state)
        }
    }
}
