import Engine

/// Whole models from the engine's architectures: classifier, tagger, generator.
extension Interpreter {
    static func recurrentKind(_ args: inout Arguments, default kind: String = "lstm") throws -> RecurrentKind {
        switch try args.string(nil, "kind", default: kind) {
        case "lstm": return .lstm
        case "gru": return .gru
        case "rnn", "rnn_tanh": return .rnnTanh
        case "rnn_relu": return .rnnReLU
        case let other: throw args.error("kind must be \"rnn\", \"rnn_relu\", \"lstm\" or \"gru\", got \"\(other)\"")
        }
    }

    static func architectureBuiltins() -> [Builtin] {
        let f = "models"
        let sizes = "kind: \"lstm\", input: or (vocab:, embed:), hidden:, out:, layers: 1, bidirectional: false, batch_first: false, seed: 0"
        return [
            Builtin("classifier", "classifier(\(sizes), readout: \"last\")", family: f,
                    doc: "Many-to-one: a recurrent layer reads the sequence (feature vectors with input:, or token ids with vocab: and embed:) and a linear head maps its last state (readout: \"mean\" averages the steps) to out scores. m(x, lengths: […]) reads padded batches up to each sequence's length; returns logits (B, out). Members rnn, head, embedding.",
                    example: "m = classifier(vocab: 20, embed: 8, hidden: 16, out: 3, seed: 0)\nm([[1, 2], [3, 4], [5, 0]], lengths: [3, 2]).shape") { args, _ in
                let kind = try recurrentKind(&args)
                let hidden = try args.int(nil, "hidden"), out = try args.int(nil, "out")
                let layers = try args.int(nil, "layers", default: 1), bidir = try args.bool(nil, "bidirectional", default: false)
                let batchFirst = try args.bool(nil, "batch_first", default: false), seed = try args.seed()
                guard let readout = SequenceClassifier.Readout(rawValue: try args.string(nil, "readout", default: "last")) else {
                    throw args.error("readout must be \"last\" or \"mean\"")
                }
                if let vocab = try args.optionalInt(nil, "vocab") {
                    return .model(Model(.classifier(try SequenceClassifier(kind, vocabularySize: vocab, embeddingSize: try args.int(nil, "embed"),
                        hiddenSize: hidden, outputSize: out, numLayers: layers, bidirectional: bidir, readout: readout, batchFirst: batchFirst, seed: seed))))
                }
                return .model(Model(.classifier(try SequenceClassifier(kind, inputSize: try args.int(nil, "input"), hiddenSize: hidden, outputSize: out,
                    numLayers: layers, bidirectional: bidir, readout: readout, batchFirst: batchFirst, seed: seed))))
            },
            Builtin("tagger", "tagger(\(sizes))", family: f,
                    doc: "Many-to-many aligned: out scores for every step, (T, B, out). m(x, lengths: […]) for padded batches.",
                    example: "m = tagger(input: 3, hidden: 8, out: 5, bidirectional: true, seed: 0)\nm(randn(6, 2, 3, seed: 1)).shape") { args, _ in
                let kind = try recurrentKind(&args)
                let hidden = try args.int(nil, "hidden"), out = try args.int(nil, "out")
                let layers = try args.int(nil, "layers", default: 1), bidir = try args.bool(nil, "bidirectional", default: false)
                let batchFirst = try args.bool(nil, "batch_first", default: false), seed = try args.seed()
                if let vocab = try args.optionalInt(nil, "vocab") {
                    return .model(Model(.tagger(try SequenceTagger(kind, vocabularySize: vocab, embeddingSize: try args.int(nil, "embed"),
                        hiddenSize: hidden, outputSize: out, numLayers: layers, bidirectional: bidir, batchFirst: batchFirst, seed: seed))))
                }
                return .model(Model(.tagger(try SequenceTagger(kind, inputSize: try args.int(nil, "input"), hiddenSize: hidden, outputSize: out,
                    numLayers: layers, bidirectional: bidir, batchFirst: batchFirst, seed: seed))))
            },
            Builtin("generator", "generator(kind: \"lstm\", vocab:, embed:, hidden:, layers: 1, batch_first: false, seed: 0) or generator(kind:, features:, hidden:, …)", family: f,
                    doc: "A next-step model: a language model over token ids (vocab:, embed:) or a model of real-valued series (features:). m(x, h0:) (and c0: for kind \"lstm\") gives the teacher-forced predictions for every step as a record (output, h, and c for an LSTM); generate(m, prime, length) samples tokens, rollout(m, prime, steps) continues a series.",
                    example: "lm = generator(vocab: 10, embed: 4, hidden: 8, seed: 0)\nlm([[1], [2], [3]]).output.shape") { args, _ in
                let kind = try recurrentKind(&args)
                let hidden = try args.int(nil, "hidden"), layers = try args.int(nil, "layers", default: 1)
                let batchFirst = try args.bool(nil, "batch_first", default: false), seed = try args.seed()
                if let features = try args.optionalInt(nil, "features") {
                    return .model(Model(.generator(try SequenceGenerator(kind, features: features, hiddenSize: hidden, numLayers: layers,
                                                                         batchFirst: batchFirst, seed: seed))))
                }
                return .model(Model(.generator(try SequenceGenerator(kind, vocabularySize: try args.int(nil, "vocab"), embeddingSize: try args.int(nil, "embed"),
                    hiddenSize: hidden, numLayers: layers, batchFirst: batchFirst, seed: seed))))
            },
            Builtin("seq2seq", "seq2seq(kind: \"gru\", source_vocab:, target_vocab:, embed:, hidden:, layers: 1, bidirectional: false, seed: 0)", family: f,
                    doc: "An encoder–decoder over token ids: the encoder reads the whole source, its final state is the decoder's h0 (the bottleneck: the only thing the decoder knows of the source). m(source, target, start: id) gives teacher-forced logits (T_out, B, target_vocab): step t sees the true target[..<t] after the start token. translate(m, source, start:, stop:, max_length:) decodes greedily, feeding each prediction back. Members encoder, decoder, source_embedding, target_embedding, head.",
                    example: "s = seq2seq(source_vocab: 12, target_vocab: 8, embed: 4, hidden: 16, seed: 0)\ns([[1], [2], [3]], [[4], [5]], start: 1).shape") { args, _ in
                let kind = try recurrentKind(&args, default: "gru")
                let m = try Seq2Seq(kind, sourceVocabularySize: try args.int(nil, "source_vocab"), targetVocabularySize: try args.int(nil, "target_vocab"),
                                    embeddingSize: try args.int(nil, "embed"), hiddenSize: try args.int(nil, "hidden"),
                                    numLayers: try args.int(nil, "layers", default: 1),
                                    bidirectionalEncoder: try args.bool(nil, "bidirectional", default: false), seed: try args.seed())
                return .model(Model(.seq2seq(m)))
            },
            Builtin("translate", "translate(m, source, start:, stop: none, max_length: 20, lengths: none)", family: f, methodOf: ["model"],
                    doc: "Greedy decoding with a seq2seq model: from the start token, feed back the most likely token each step until stop (not included) or max_length. source is (S, B) token ids (or (S) for one sequence); returns one list of ids per sequence (a single list for one sequence).",
                    example: "s = seq2seq(source_vocab: 12, target_vocab: 8, embed: 4, hidden: 16, seed: 0)\nlen(translate(s, [1, 2, 3], start: 1, max_length: 5))") { args, _ in
                let m = try args.model(0, "m")
                guard case let .seq2seq(s) = m.layer else { throw args.error("'m' must be a seq2seq model") }
                var source = try args.tensor(1, "source")
                let single = source.rank == 1
                if single { source = try source.unsqueeze(1) }
                let start = try args.int(nil, "start"), stop = try args.optionalInt(nil, "stop")
                let maxLength = try args.int(nil, "max_length", default: 20)
                guard maxLength <= 100_000 else { throw args.error("max_length must be at most 100000") }
                let lengths = try args.get(nil, "lengths").map { try args.convertIntList($0, "lengths") }
                let out = try s.greedyDecode(source: source, start: start, maxLength: maxLength, stop: stop, sourceLengths: lengths)
                let lists = out.map { Value.list($0.map { .number(Double($0)) }) }
                return single ? (lists.first ?? .list([])) : .list(lists)
            },
            Builtin("generate", "generate(m, prime, length, temperature: 1, seed: none)", family: f, methodOf: ["model"],
                    doc: "Continues the token ids in prime with length sampled tokens (temperature 0: always the most likely one); returns the new ids as a list.",
                    example: "lm = generator(vocab: 10, embed: 4, hidden: 8, seed: 0)\nlen(generate(lm, [1, 2], 5, temperature: 0))") { args, interp in
                let m = try args.model(0, "m")
                guard case let .generator(g) = m.layer else { throw args.error("'m' must be a generator") }
                let prime = try args.convertIntList(try args.required(1, "prime"), "prime")
                let length = try args.int(2, "length"), temperature = try args.number(nil, "temperature", default: 1)
                guard length <= 1_000_000 else { throw args.error("length must be at most 10⁶") }
                let ids: [Int]
                if let seed = try args.optionalInt(nil, "seed") {
                    guard seed >= 0 else { throw args.error("'seed' must be ≥ 0") }
                    ids = try g.generate(prime: prime, length: length, temperature: temperature, seed: UInt64(seed))
                } else {
                    ids = try g.generate(prime: prime, length: length, temperature: temperature, generator: &interp.rng)
                }
                return .list(ids.map { .number(Double($0)) })
            },
            Builtin("rollout", "rollout(m, prime, steps)", family: f, methodOf: ["model"],
                    doc: "A series generator reads the observed prime (T, B, features) and predicts the next steps values, each prediction fed back as the next input; returns (steps, B, features).",
                    example: "g = generator(features: 1, hidden: 8, seed: 0)\nrollout(g, randn(10, 1, 1, seed: 1), 4).shape") { args, _ in
                let m = try args.model(0, "m")
                guard case let .generator(g) = m.layer else { throw args.error("'m' must be a generator") }
                let prime = try args.tensor(1, "prime"), steps = try args.int(2, "steps")
                guard steps <= 1_000_000 else { throw args.error("steps must be at most 10⁶") }
                return .tensor(try g.rollout(prime: prime, steps: steps))
            },
        ]
    }
}
