import Engine

/// `attend`: dot-product attention by hand — the step a seq2seq model with `attention: "dot"` takes
/// at every output position, on tensors the learner chooses (see ``DotAttention`` for the equations).
extension Interpreter {
    static func attentionBuiltins() -> [Builtin] {
        [
            Builtin("attend", "attend(query, keys, values: none, mask: none)", family: "math",
                    doc: "Dot-product attention: scores = query @ keysᵀ (one per key, not scaled), weights = their softmax over the keys the mask allows (1 = may attend, 0 = may not: weight exactly 0), context = weights @ values. query is (d) for one query or (T, d) for T of them (a leading batch axis is fine); keys (S, d); values (S, d_v), the keys themselves if left out; mask (S) or (T, S). Returns record(scores:, weights:, context:).",
                    example: "keys = [[1, 0], [0, 1], [1, 1]]\na = attend([2, 0], keys, mask: [1, 1, 0])\nround(a.weights, 3)\nround(a.context, 3)") { args, _ in
                var query = try args.tensor(0, "query")
                let keys = try args.tensor(1, "keys")
                let values = try args.optionalTensor(2, "values") ?? keys
                let mask = try args.optionalTensor(3, "mask")
                let single = query.rank == 1
                if single { query = try query.unsqueeze(0) }
                guard query.rank >= 2, keys.rank >= 2, values.rank >= 2 else {
                    throw args.error("query must be (d) or (T, d), keys (S, d) and values (S, d_v); got query \(formatShape(query.shape)), keys \(formatShape(keys.shape)), values \(formatShape(values.shape))")
                }
                let a = try DotAttention.attend(query: query, keys: keys, values: values, mask: mask)
                func shaped(_ t: Tensor) throws -> Value { .tensor(single ? try t.squeeze(-2) : t) }
                return .record(Record(title: "attention", fields: [
                    ("scores", try shaped(a.scores)), ("weights", try shaped(a.weights)), ("context", try shaped(a.context)),
                ]))
            },
        ]
    }
}
