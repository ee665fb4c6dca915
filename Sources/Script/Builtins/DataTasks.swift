import Engine

/// Seeded synthetic tasks, each isolating one thing a recurrent network must learn: a noisy
/// periodic signal, the adding problem (two distant values), copying across a delay (memory), and
/// date formats to ISO (sequence to sequence).
extension Interpreter {
    static func dataTaskBuiltins() -> [Builtin] {
        let f = "data"
        return [
            Builtin("noisy_sine", "noisy_sine(n, period: 20, noise: 0.1, seed: 0)", family: f,
                    doc: "n values of sin(2π t / period) + noise · ε with ε ~ N(0, 1), t = 0, 1, …: a series to forecast whose clean part is known.",
                    example: "s = noisy_sine(100, seed: 0)\ns.shape") { args, _ in
                .tensor(try SyntheticTasks.noisySine(try args.int(0, "n"), period: try args.number(nil, "period", default: 20),
                                                     noise: try args.number(nil, "noise", default: 0.1), seed: try args.seed()))
            },
            Builtin("adding_problem", "adding_problem(n, steps, seed: 0)", family: f,
                    doc: "Hochreiter's adding problem: a record with x (steps, n, 2) — channel 0 random values in [0, 1), channel 1 two markers of 1, one in each half of the sequence — and y (n, 1), the sum of the two marked values. Predicting 1 always gives MSE ≈ 0.167; beating it takes memory across the gap.",
                    example: "task = adding_problem(4, 10, seed: 0)\ntask.x.shape\ntask.y.shape") { args, _ in
                let (x, y) = try SyntheticTasks.addingProblem(try args.int(0, "n"), steps: try args.int(1, "steps"), seed: try args.seed())
                return .record(Record(title: "adding_problem", fields: [("x", .tensor(x)), ("y", .tensor(y))]))
            },
            Builtin("copy_task", "copy_task(n, steps, symbols: 4, delay: 10, seed: 0)", family: f,
                    doc: "The copy (recall) task over T = steps + delay + steps time steps: a record with x (T, n, symbols + 2) one-hot inputs, y (T, n) target ids, and data (steps, n) the symbols to remember. Ids 0 ..< symbols are data symbols, id symbols is the blank, id symbols + 1 the go marker. The input shows the data symbols first, then blanks with go at step steps + delay − 1; the target is blank until step steps + delay, then the data symbols in order.",
                    example: "task = copy_task(2, 3, symbols: 4, delay: 2, seed: 0)\ntask.x.shape\ntask.y[:, 0]") { args, _ in
                let (x, y, data) = try SyntheticTasks.copyTask(try args.int(0, "n"), steps: try args.int(1, "steps"),
                                                                symbols: try args.int(nil, "symbols", default: 4),
                                                                delay: try args.int(nil, "delay", default: 10), seed: try args.seed())
                return .record(Record(title: "copy_task", fields: [("x", .tensor(x)), ("y", .tensor(y)), ("data", .tensor(data))]))
            },
            Builtin("date_pairs", "date_pairs(n, seed: 0)", family: f,
                    doc: "Dates for sequence to sequence: a record with source, n dates in varied human formats (\"25 November 2026\", \"November 25, 2026\", \"nov 25, 2026\", \"25 nov 2026\", \"25/11/2026\", \"25.11.2026\", \"NOVEMBER 25 2026\", \"25-nov-2026\", \"Nov 25th, 2026\"; numeric dates are day first), and target, the same dates as ISO \"2026-11-25\". Years 1950–2049.",
                    example: "d = date_pairs(3, seed: 0)\nd.source\nd.target") { args, _ in
                let (source, target) = try SyntheticTasks.datePairs(try args.int(0, "n"), seed: try args.seed())
                return .record(Record(title: "date_pairs", fields: [("source", .list(source.map { .string($0) })),
                                                                   ("target", .list(target.map { .string($0) }))]))
            },
        ]
    }
}
