import Engine

/// `seq2seq`: an encoder–decoder over token ids — teacher-forced logits, greedy `translate`.
final class Seq2SeqModel: ScriptModel {
    let model: Seq2Seq

    init(_ model: Seq2Seq) { self.model = model }

    static var builtins: [Builtin] {
        let f = "models"
        return [
            Builtin("seq2seq", "seq2seq(kind: \"gru\", source_vocab:, target_vocab:, embed:, hidden:, layers: 1, bidirectional: false, attention: none, seed: 0)", family: f,
                    doc: "An encoder–decoder over token ids: the encoder reads the whole source, its final state is the decoder's h0 (the bottleneck: the only thing the decoder knows of the source). m(source, target, start: id) gives teacher-forced logits (T_out, B, target_vocab): step t sees the true target[..<t] after the start token. translate(m, source, start:, stop:, max_length:) decodes greedily, feeding each prediction back. attention: \"dot\" adds Luong's dot-product attention: at every step the decoder's output h scores every encoder output (h · h̄ₛ), a softmax over the real source positions gives the weights, their weighted average of the encoder outputs is the context c, and the head reads tanh(combine.weight @ [c; h]) instead of h; translate(…, weights: true) returns the weights. Members encoder, decoder, source_embedding, target_embedding, head (and combine with attention).",
                    example: "s = seq2seq(source_vocab: 12, target_vocab: 8, embed: 4, hidden: 16, seed: 0)\ns([[1], [2], [3]], [[4], [5]], start: 1).shape\na = seq2seq(source_vocab: 12, target_vocab: 8, embed: 4, hidden: 16, attention: \"dot\", seed: 0)\na.combine.weight.shape") { args, _ in
                let kind = try ModelSupport.recurrentKind(&args, default: "gru")
                let m = try Seq2Seq(kind, sourceVocabularySize: try args.size(nil, "source_vocab"), targetVocabularySize: try args.size(nil, "target_vocab"),
                                    embeddingSize: try args.size(nil, "embed"), hiddenSize: try args.size(nil, "hidden"),
                                    numLayers: try args.size(nil, "layers", default: 1),
                                    bidirectionalEncoder: try args.bool(nil, "bidirectional", default: false),
                                    attention: try attentionOption(&args), seed: try args.seed())
                return .model(Model(Seq2SeqModel(m)))
            },
            Builtin("translate", "translate(m, source, start:, stop: none, max_length: 20, lengths: none, weights: false, beam: none, steps: false)", family: f, methodOf: ["model"],
                    doc: "Greedy decoding with a seq2seq model: from the start token, feed back the most likely token each step until stop (not included) or max_length. source is (S, B) token ids (or (S) for one sequence); returns one list of ids per sequence (a single list for one sequence). With weights: true (a model with attention) it returns record(tokens:, weights:): weights is the alignment, one row per token written and one column per source position (its own length), each row summing to 1 — a (T_out, S) tensor for one sequence, a list of them for several. beam: k searches instead of choosing greedily: it keeps the k most probable partial translations (by the sum of the log-probabilities of their tokens), extends each by every token, keeps the k best of those, sets aside the ones that wrote stop, and returns the most probable finished translation (the plain sum, not divided by length, so shorter ones are favoured). beam: 1 is greedy decoding; k may exceed target_vocab (the first step then keeps every token). With steps: true it returns record(tokens:, log_prob:, steps:): steps holds, for every step, the hypotheses kept, best first, each record(tokens:, log_prob:, finished:) (finished: it wrote stop at that step; stop is not in tokens) — one such list per sequence for several.",
                    example: "s = seq2seq(source_vocab: 12, target_vocab: 8, embed: 4, hidden: 16, seed: 0)\nlen(translate(s, [1, 2, 3], start: 1, max_length: 5))\ntranslate(s, [1, 2, 3], start: 1, stop: 0, max_length: 3, beam: 2, steps: true).steps[0]") { args, _ in
                guard let s = try args.model(0, "m").as(Seq2SeqModel.self)?.model else { throw args.error("'m' must be a seq2seq model") }
                var source = try args.tensor(1, "source")
                let single = source.rank == 1
                if single { source = try source.unsqueeze(1) }
                let start = try args.int(nil, "start"), stop = try args.optionalInt(nil, "stop")
                let maxLength = try args.int(nil, "max_length", default: 20)
                guard maxLength <= 100_000 else { throw args.error("max_length must be at most 100000") }
                let lengths = try args.get(nil, "lengths").map { try args.convertIntList($0, "lengths") }
                let wantWeights = try args.bool(nil, "weights", default: false)
                if wantWeights && !s.attends {
                    throw args.error("weights: true needs a model with attention (seq2seq(…, attention: \"dot\")); this one has none")
                }
                let beam = try args.optionalInt(nil, "beam"), wantSteps = try args.bool(nil, "steps", default: false)
                if let k = beam {
                    guard k >= 1 else { throw args.error("beam must be at least 1 (the number of translations kept at each step), got \(k)") }
                    guard k <= 1000 else { throw args.error("beam must be at most 1000, got \(k)") }
                    if wantWeights { throw args.error("weights: true works with greedy decoding only: leave out beam: or weights:") }
                    let results = try s.beamSearch(source: source, start: start, maxLength: maxLength, beamWidth: k, stop: stop, sourceLengths: lengths)
                    return beamValue(results, single: single, steps: wantSteps)
                }
                if wantSteps { throw args.error("steps: true records a beam search: give beam: k too") }
                let out = try s.greedyDecodeAligned(source: source, start: start, maxLength: maxLength, stop: stop, sourceLengths: lengths)
                let lists = out.tokens.map { Value.list($0.map { .number(Double($0)) }) }
                let tokens = single ? (lists.first ?? .list([])) : .list(lists)
                guard wantWeights, let weights = out.weights else { return tokens }
                let alignment: Value = single ? .tensor(weights[0]) : .list(weights.map { .tensor($0) })
                return .record(Record(title: "translation", fields: [("tokens", tokens), ("weights", alignment)]))
            },
        ]
    }

    /// Beam search's answer: the best token lists, or with `steps` the record a learner prints as a
    /// beam table — per step, the hypotheses kept, best first.
    private static func beamValue(_ results: [BeamSearchResult], single: Bool, steps: Bool) -> Value {
        func ids(_ tokens: [Int]) -> Value { .list(tokens.map { .number(Double($0)) }) }
        func hypothesis(_ h: BeamHypothesis) -> Value {
            .record(Record(title: "hypothesis", fields: [("tokens", ids(h.tokens)), ("log_prob", .number(h.logProbability)),
                                                         ("finished", .bool(h.finished))]))
        }
        func each(_ f: (BeamSearchResult) -> Value) -> Value { single ? f(results[0]) : .list(results.map(f)) }
        let tokens = each { ids($0.best.tokens) }
        guard steps else { return tokens }
        return .record(Record(title: "beam search", fields: [
            ("tokens", tokens), ("log_prob", each { .number($0.best.logProbability) }),
            ("steps", each { .list($0.steps.map { .list($0.map(hypothesis)) }) }),
        ]))
    }

    /// `attention:` — none (the plain bottleneck model) or "dot".
    private static func attentionOption(_ args: inout Arguments) throws -> Bool {
        guard let v = try args.get(nil, "attention") else { return false }
        switch v {
        case .none: return false
        case .string("dot"): return true
        default: throw args.error("attention must be \"dot\" (dot-product attention) or none, got \(v.shortDescription)")
        }
    }

    var module: any Module { model }
    var name: String { "seq2seq" }

    var configuration: String {
        let m = model
        var parts = ["kind: \"\(ModelSupport.kindName(m.encoder.kind))\""]
        if let e = m.sourceEmbedding { parts.append("source_vocab: \(e.count)") }
        parts += ["target_vocab: \(m.targetEmbedding.count)", "embed: \(m.targetEmbedding.dimension)", "hidden: \(m.encoder.hiddenSize)"]
        if m.encoder.numLayers != 1 { parts.append("layers: \(m.encoder.numLayers)") }
        if m.encoder.bidirectional { parts.append("bidirectional: true") }
        if m.attends { parts.append("attention: \"dot\"") }
        return parts.joined(separator: ", ")
    }

    var callUsage: String { "seq2seq(source, target, start:, lengths: none)" }

    func call(_ args: inout Arguments, _ interpreter: Interpreter) throws -> Value {
        let source = try args.tensor(0, "source"), target = try args.tensor(1, "target")
        let start = try args.int(2, "start")
        let lengths = try args.get(3, "lengths").map { try args.convertIntList($0, "lengths") }
        return .tensor(try model(source: source, target: target, start: start, sourceLengths: lengths))
    }

    var members: [(name: String, value: Value)] {
        let s = model
        var out: [(name: String, value: Value)] = [
            ("encoder", .model(Model(RecurrentModel(s.encoder)))), ("decoder", .model(Model(RecurrentModel(s.decoder)))),
            ("head", .model(Model(LinearModel(s.head)))), ("target_embedding", .model(Model(EmbeddingModel(s.targetEmbedding)))),
        ]
        if let e = s.sourceEmbedding { out.append(("source_embedding", .model(Model(EmbeddingModel(e))))) }
        if let c = s.combine { out.append(("combine", .model(Model(LinearModel(c))))) }
        return out
    }

    var training: Bool {
        get { model.encoder.training }
        set { model.training = newValue; model.encoder.training = newValue }
    }

    /// x is the source, y the target, fed to the decoder shifted right after `start` (teacher
    /// forcing); the output is the logits for every target step. With `scheduled_sampling:` some
    /// decoder steps read the model's own previous prediction instead (``Seq2Seq/scheduledSampling(source:target:start:probability:generator:sourceLengths:)``).
    func trainingTarget(start: Int?, _ args: Arguments) throws -> TrainingTarget? {
        guard let start else { throw args.error("a seq2seq model needs start: (the id of the token the decoder starts from)") }
        let s = model
        return TrainingTarget(name: name, parameters: s.parameters, rnn: s.encoder, embedding: s.sourceEmbedding, batchFirst: s.batchFirst,
                              carriesState: false, decodesTarget: true,
                              predictRefusal: "a seq2seq model's predictions are decoded one token at a time: use translate",
                              scheduledForward: { x, lengths, y, p, generator in
                                  try s.scheduledSampling(source: x, target: y, start: start, probability: p, generator: &generator,
                                                          sourceLengths: lengths).logits
                              },
                              setTraining: { s.training = $0 }) { x, lengths, _, _, y in
            guard let y else { throw ScriptError(.argument, "a seq2seq model needs the target to run (teacher forcing); use translate to decode") }
            return (try s(source: x, target: y, start: start, sourceLengths: lengths), nil)
        }
    }
}
