import Engine

/// Using a trained model: text from a language model, forecasts from a series model, class ids
/// from a classifier or tagger, and the recurrent layer's gates and states on a chosen input.
/// All run as inference — no graph, dropout off — and leave the model's mode as it was.
extension Interpreter {
    static func inferenceBuiltins() -> [Builtin] {
        let f = "models"
        return [
            Builtin("sample", "sample(model, vocab, prime: \"\", length: 100, temperature: 1, top_k: none, top_p: none, seed: none)", family: f, methodOf: ["model"],
                    doc: "Text from a token generator: reads prime, then samples length tokens (temperature 0: always the most likely; higher: more surprising) and returns prime followed by them as a string. top_k: k keeps only the k likeliest tokens at each step; top_p: p keeps the fewest likeliest tokens whose probabilities add up to at least p (nucleus sampling); both renormalise, after the temperature, top_k before top_p (sampling_probs shows the distribution drawn from). vocab is a record with a tokens list (token id = position), such as vocabulary(…) returns; single-character tokens are joined as characters, longer ones with spaces. An empty prime starts after a line break (or a space, or token 0) that is not shown. With seed: the same text every time.",
                    example: "v = record(tokens: list(\"a\", \"b\", \"c\", \" \"))\nlm = generator(vocab: 4, embed: 3, hidden: 8, seed: 0)\nsample(lm, v, prime: \"ab\", length: 5, temperature: 0)") { args, interp in
                guard let g = try args.model(0, "model").as(GeneratorModel.self)?.model, let embedding = g.embedding else {
                    throw args.error("'model' must be a token generator (generator(vocab:, embed:, hidden:)); for a real-valued one use forecast")
                }
                let tokens = try vocabularyTokens(try args.required(1, "vocab"), args)
                guard tokens.count == embedding.count else {
                    throw args.error("the vocabulary has \(tokens.count) tokens but the model was built with vocab: \(embedding.count)")
                }
                let prime = try args.string(nil, "prime", default: "")
                let length = try args.int(nil, "length", default: 100)
                guard (0...1_000_000).contains(length) else { throw args.error("length must be between 0 and 10⁶, got \(length)") }
                let d = try decodingOptions(&args)
                let characters = tokens.allSatisfy { $0.count == 1 }
                var index: [String: Int] = [:]
                for (k, t) in tokens.enumerated() where index[t] == nil { index[t] = k }
                let pieces = characters ? prime.map(String.init) : prime.split(separator: " ").map(String.init)
                var ids: [Int] = []
                for p in pieces {
                    guard let id = index[p] else { throw args.error("the prime's \(characters ? "character" : "word") \"\(p)\" is not in the vocabulary") }
                    ids.append(id)
                }
                if ids.isEmpty { ids = [index["\n"] ?? index[" "] ?? 0] }
                let generated: [Int]
                if let seed = try args.optionalInt(nil, "seed") {
                    guard seed >= 0 else { throw args.error("'seed' must be ≥ 0") }
                    generated = try g.generate(prime: ids, length: length, temperature: d.temperature, topK: d.topK, topP: d.topP,
                                               seed: UInt64(seed))
                } else {
                    generated = try g.generate(prime: ids, length: length, temperature: d.temperature, topK: d.topK, topP: d.topP,
                                               generator: &interp.rng)
                }
                let words = generated.map { tokens[$0] }
                if characters { return .string(prime + words.joined()) }
                return .string(([prime].filter { !$0.isEmpty } + words).joined(separator: " "))
            },
            Builtin("sampling_probs", "sampling_probs(logits, temperature: 1, top_k: none, top_p: none)", family: f,
                    doc: "The distribution sample and generate draw the next token from, given one step's scores (V): softmax(logits / temperature); then top_k: k keeps the k largest scores, top_p: p the fewest likeliest tokens whose probabilities add up to at least p, each renormalised to sum to 1 (top_k first). A token tied with the last one kept is kept too. Temperature 0 gives all the probability to the largest score (greedy).",
                    example: "round(sampling_probs([2, 1, 0, -1], top_k: 2), 4)") { args, _ in
                let logits = try args.tensor(0, "logits")
                guard logits.rank == 1, logits.count > 0 else {
                    throw args.error("'logits' must be one score per token, shape (V), got \(formatShape(logits.shape))")
                }
                let d = try decodingOptions(&args)
                return .tensor(try Tensor(shape: [logits.count],
                                          storage: try Sampling.probabilities(logits.storage, temperature: d.temperature, topK: d.topK, topP: d.topP)))
            },
            Builtin("forecast", "forecast(model, history, steps: 1)", family: f, methodOf: ["model"],
                    doc: "The next steps values of a series after history: steps: 1 is the one-step forecast; more steps roll out, each prediction fed back as the next input (errors compound). model is a real-valued generator, or a window model [layer, head] (the head reads the layer's last state and predicts the next step's features), which is run on the last T steps each time, the window sliding over its own predictions. history is (T, features), (T, N, features) or, for one feature, (T); the result has the same layout with steps in place of T. For one-step predictions at every point of a series use m(x).output.",
                    example: "g = generator(features: 1, hidden: 8, seed: 0)\nforecast(g, sin(linspace(0, 6, 30)), steps: 3).shape") { args, _ in
                let v = try args.required(0, "model")
                let history = try args.tensor(1, "history")
                let steps = try args.int(2, "steps", default: 1)
                guard (1...1_000_000).contains(steps) else { throw args.error("steps must be between 1 and 10⁶, got \(steps)") }
                let roll: (Tensor) throws -> Tensor         // (T, N, F) → (steps, N, F)
                let features: Int
                switch v {
                case let .model(m):
                    guard let g = m.as(GeneratorModel.self)?.model, g.embedding == nil, !g.batchFirst else {
                        throw args.error("'model' must be a real-valued generator (generator(features:, hidden:)) or a window model [layer, head]; for a token model use sample")
                    }
                    features = g.rnn.inputSize
                    roll = { try g.rollout(prime: $0, steps: steps) }
                case .list:
                    let target = try TrainingTarget(v, args)
                    guard let (layer, head) = target.window, head.outFeatures == layer.inputSize, !layer.batchFirst else {
                        throw args.error("a window model [layer, head] must predict the layer's input features: head out = layer input")
                    }
                    features = layer.inputSize
                    roll = { prime in
                        try inference(target) {
                            var window = prime
                            var out: [Tensor] = []
                            for _ in 0..<steps {
                                let next = try head(try layer(window).output[window.shape[0] - 1])         // (N, F)
                                out.append(next)
                                window = try Tensor.concat([try window.index([.slice(start: 1, stop: nil, step: 1)]), try next.unsqueeze(0)])
                            }
                            return try Tensor.stack(out)
                        }
                    }
                default:
                    throw args.error("'model' must be a real-valued generator or a window model [layer, head], got \(v.kindName)")
                }
                let prime: Tensor
                switch history.rank {
                case 1:
                    guard features == 1 else { throw args.error("a history of shape \(formatShape(history.shape)) has one feature but the model has \(features); give (T, \(features))") }
                    prime = try history.reshape([history.count, 1, 1])
                case 2: prime = try history.unsqueeze(1)
                case 3: prime = history
                default: throw args.error("history must be (T), (T, features) or (T, N, features), got \(formatShape(history.shape))")
                }
                guard prime.shape[2] == features, prime.shape[0] > 0 else {
                    throw args.error("history must have \(features) feature\(features == 1 ? "" : "s") per step and at least one step, got \(formatShape(history.shape))")
                }
                let result = try roll(prime)
                switch history.rank {
                case 1: return .tensor(try result.reshape([steps]))
                case 2: return .tensor(try result.squeeze(1))
                default: return .tensor(result)
                }
            },
            Builtin("predict", "predict(model, x, lengths: none)", family: f, methodOf: ["model"],
                    doc: "Class ids — the arg-max of the scores — of a classifier ((N) for x (T, N, …)), a tagger or a [layer, head] pair ((T, N): one per step), or the most likely next token of a token generator at every step. Inference: no graph, no dropout.",
                    example: "m = classifier(input: 2, hidden: 4, out: 3, seed: 0)\npredict(m, randn(5, 4, 2, seed: 1))") { args, _ in
                let v = try args.required(0, "model")
                let target = try TrainingTarget(v, args, start: 0)
                if let refusal = target.predictRefusal { throw args.error(refusal) }
                let x = try args.tensor(1, "x")
                let lengths = try optionalLengths(try args.get(2, "lengths"), args, "lengths")
                let scores = try inference(target) { try target.forward(x, lengths: lengths, aligned: true, state: nil).output }
                return .tensor(try scores.argmax(axis: scores.rank - 1))
            },
            Builtin("inspect", "inspect(model, x, lengths: none)", family: f, methodOf: ["model"],
                    doc: "Runs the model's recurrent layer (a seq2seq model's encoder) on x (token ids are embedded first) with a trace, as inference, and returns the trace record: every gate and state at every step, each (T, N, hidden) — i f g o c h for an LSTM, r z n h for a GRU, a h for an RNN; for one sequence (T) or (T, features), (T, hidden). What moves the hidden state, word by word.",
                    example: "m = classifier(vocab: 10, embed: 4, hidden: 6, out: 2, seed: 0)\nt = inspect(m, [1, 5, 2])\nt.h.shape") { args, _ in
                let target = try TrainingTarget(try args.required(0, "model"), args, start: 0)
                let x = try args.tensor(1, "x")
                let unbatched = x.rank == (target.embedding == nil ? 2 : 1)
                var input = x
                if target.batchFirst && !unbatched { input = try input.transpose(0, 1) }
                if let e = target.embedding {
                    guard x.rank == 1 || x.rank == 2 else { throw args.error("x must be token ids (T) or (T, N) for this \(target.name), got shape \(formatShape(x.shape))") }
                    input = try e(input)
                }
                let trace = RecurrentTrace()
                let layer = target.rnn
                _ = try inference(target) { try layer(input, trace: trace) }
                return .record(traceRecord(trace, layer: layer, unbatched: unbatched))
            },
        ]
    }

    /// temperature:, top_k: and top_p:, checked here so a mistake names the argument as typed.
    static func decodingOptions(_ args: inout Arguments) throws -> (temperature: Double, topK: Int?, topP: Double?) {
        let temperature = try args.number(nil, "temperature", default: 1)
        guard temperature >= 0, temperature.isFinite else {
            throw args.error("'temperature' must be a finite number ≥ 0 (0 = greedy), got \(formatNumber(temperature))")
        }
        let topK = try args.optionalInt(nil, "top_k")
        if let topK, topK < 1 {
            throw args.error("'top_k' must be at least 1: how many of the likeliest tokens to keep, got \(topK)")
        }
        let topP = try args.optionalNumber(nil, "top_p")
        if let topP, !(topP > 0 && topP <= 1) {
            throw args.error("'top_p' must be more than 0 and at most 1: the probability the kept tokens must add up to, got \(formatNumber(topP))")
        }
        return (temperature, topK, topP)
    }

    /// The tokens of a vocabulary record (its `tokens` list), or of a plain list of strings.
    static func vocabularyTokens(_ v: Value, _ args: Arguments) throws -> [String] {
        var list = v
        if case let .record(r) = v {
            guard let t = r["tokens"] else { throw args.error("'vocab' must have a tokens member (a list of strings, id = position)") }
            list = t
        }
        guard case let .list(items) = list else { throw args.error("'vocab' must be a record with a tokens list, got \(v.kindName)") }
        return try items.map {
            guard case let .string(s) = $0 else { throw args.error("the vocabulary's tokens must be strings, found \($0.kindName) \($0.shortDescription)") }
            return s
        }
    }

    /// No graph, recurrent dropout off; the mode is restored afterwards.
    static func inference<R>(_ target: TrainingTarget, _ body: () throws -> R) throws -> R {
        let saved = target.training
        target.training = false
        defer { target.training = saved }
        return try GradMode.withoutGrad(body)
    }
}
