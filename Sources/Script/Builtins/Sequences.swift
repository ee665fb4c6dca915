import Engine

/// Batches of sequences of different lengths, and token ids as vectors.
extension Interpreter {
    static func sequenceBuiltins() -> [Builtin] {
        let f = "training"
        return [
            Builtin("pad_sequences", "pad_sequences(sequences, padding: 0, batch_first: false)", family: f,
                    doc: "Token sequences of different lengths (a list of lists or tensors of ids) as one (T, B) id tensor padded after each end, with their lengths: a record with ids and lengths (PyTorch's pad_sequence).",
                    example: "p = pad_sequences(list([1, 2, 3], [4]))\np.ids\np.lengths") { args, _ in
                let v = try args.required(0, "sequences")
                guard case let .list(items) = v else { throw args.error("'sequences' must be a list of id lists, got \(v.kindName)") }
                let sequences = try items.map { try args.convertIntList($0, "sequences") }
                let padded = try padSequences(sequences, padding: try args.int(nil, "padding", default: 0),
                                              batchFirst: try args.bool(nil, "batch_first", default: false))
                return .record(Record(title: "padded", fields: [("ids", .tensor(padded.ids)),
                                                                ("lengths", .list(padded.lengths.map { .number(Double($0)) }))]))
            },
            Builtin("mask", "mask(lengths, steps, batch_first: false)", family: f,
                    doc: "The (T, B) mask with 1 for real steps (t < length) and 0 for padding: multiply per-step losses by it and divide by its sum.",
                    example: "mask([3, 1], 3)") { args, _ in
                let lengths = try args.convertIntList(try args.required(0, "lengths"), "lengths"), steps = try args.int(1, "steps")
                guard steps >= 0, steps <= 100_000_000 / max(1, lengths.count) else { throw args.error("steps must be between 0 and 10⁸ / batch") }
                return .tensor(try maskFromLengths(lengths, steps: steps, batchFirst: try args.bool(nil, "batch_first", default: false)))
            },
            Builtin("last_step", "last_step(output, lengths, batch_first: false)", family: f, methodOf: ["tensor"],
                    doc: "Row b is output[lengths[b] − 1, b]: each sequence's last real state from a padded (T, B, F) output, as (B, F). Differentiable.",
                    example: "last_step(reshape(arange(12), 3, 2, 2), [3, 1])") { args, _ in
                .tensor(try lastValidStep(try args.tensor(0, "output"), lengths: try args.convertIntList(try args.required(1, "lengths"), "lengths"),
                                          batchFirst: try args.bool(nil, "batch_first", default: false)))
            },
            Builtin("one_hot", "one_hot(ids, count)", family: "construction", methodOf: ["tensor"],
                    doc: "Each integer id as a row of count numbers, 1 at the id and 0 elsewhere: shape ids.shape + (count,).",
                    example: "one_hot([0, 2], 3)") { args, _ in
                let ids = try args.tensor(0, "ids")
                let count = try args.int(1, "count")
                guard count > 0 else { throw args.error("'count' must be positive") }
                let positions = try ids.storage.map { try args.convertInt(.number($0), "ids") }
                for p in positions where p < 0 || p >= count { throw args.error("id \(p) is not in 0..<\(count)") }
                let (total, overflow) = positions.count.multipliedReportingOverflow(by: count)
                guard !overflow, total <= 100_000_000 else { throw args.error("the result would have too many elements") }
                var data = [Double](repeating: 0, count: positions.count * count)
                for (k, p) in positions.enumerated() { data[k * count + p] = 1 }
                return .tensor(try Tensor(shape: ids.shape + [count], storage: data))
            },
        ]
    }
}
