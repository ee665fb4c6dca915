import Engine

/// Printing, help, and small utilities on values.
extension Interpreter {
    static let familyTitles: [(family: String, title: String)] = [
        ("construction", "Making tensors"), ("math", "Math, reductions and shapes"), ("autodiff", "Gradients"),
        ("models", "Models"), ("training", "Losses, optimizers, clipping"), ("io", "Files (.npy, .npz)"),
        ("data", "Data: files, windows, vocabularies, batches, tasks"),
        ("figures", "Pictures"), ("language", "Values and printing"),
    ]

    /// `help()` without a name: every builtin by family.
    func overview() -> String {
        var lines = ["Builtins (help(name) or name? for details and an example):"]
        for (family, title) in Interpreter.familyTitles {
            let names = builtinList.filter { $0.family == family }.map(\.name)
            if !names.isEmpty {
                lines.append(wrap("\(title): " + names.joined(separator: ", "), width: max(20, textWidth - 4)).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n    "))
            }
        }
        lines.append(wrap("help(\"models\") (or another family: construction, math, autodiff, training, io, data, figures, language) lists a family with one line each.", width: textWidth))
        lines.append(wrap("Syntax: see docs/language.md — x = 1; f(a, b, name: v); x[1:3, 0]; for t in 0..<5 { … }; def f(x) { return x }", width: textWidth))
        return lines.joined(separator: "\n")
    }

    static func helpBuiltins() -> [Builtin] {
        let f = "language"
        return [
            Builtin("help", "help(name)", family: f,
                    doc: "Prints the documentation of a builtin (give the builtin or its name as a string) with an example; without a name, lists every builtin. `name?` does the same.",
                    example: "help(tanh)\nhelp(\"lstm\")") { args, interp in
                guard let v = try args.get(0, "name") else { interp.emit(.text(interp.overview())); return .none }
                let text: String
                switch v {
                case let .builtin(b): text = b.helpText(width: interp.textWidth)
                case let .string(s):
                    guard let h = interp.help(s) else {
                        let hint = closestName(to: s, in: Array(interp.builtins.keys)).map { " — did you mean '\($0)'?" } ?? ""
                        throw args.error("no help for '\(s)'\(hint)")
                    }
                    text = h
                default: text = describeForHelp("this", v)
                }
                interp.emit(.text(text))
                return .none
            },
            Builtin("print", "print(values…)", family: f,
                    doc: "Shows values separated by spaces: strings without quotes, numbers, scalar tensors and lists of numbers or strings (such as x.shape) together on one line; other values (tensors, records, models, figures) start a new line and are shown as the REPL shows them.",
                    example: "print(\"loss\", 0.25, \"shape\", zeros(2, 3).shape)") { args, interp in
                var line: [String] = []
                func flush() { if !line.isEmpty { interp.emit(.text(line.joined(separator: " "))); line = [] } }
                for v in args.rest(from: 0) {
                    if let text = v.printLineText { line.append(text) } else { flush(); interp.emit(.value(v)) }
                }
                flush()
                return .none
            },
            Builtin("type", "type(x)", family: f, methodOf: ["any"], doc: "The kind of a value as a string: number, tensor, list, record, model…",
                    example: "type(zeros(2))") { args, _ in
                .string(try args.required(0, "x").kindName)
            },
            Builtin("len", "len(x)", family: f, doc: "Length of a list or string, size of a tensor's first axis, number of members of a record.",
                    example: "len(zeros(5, 3))") { args, _ in
                let v = try args.required(0, "x")
                switch v {
                case let .list(items): return .number(Double(items.count))
                case let .string(s): return .number(Double(s.count))
                case let .tensor(t):
                    guard t.rank > 0 else { throw args.error("a scalar tensor has no length") }
                    return .number(Double(t.shape[0]))
                case let .record(r): return .number(Double(r.fields.count))
                default: throw args.error("a \(v.kindName) has no length")
                }
            },
            Builtin("str", "str(x)", family: f, doc: "A value as text (what print shows for it).", example: "\"step \" + str(3)") { args, _ in
                .string(try args.required(0, "x").printText)
            },
            Builtin("number", "number(x)", family: f, doc: "A number from a one-element tensor, a bool or a numeric string.", example: "number(sum([1, 2]))") { args, _ in
                let v = try args.required(0, "x")
                if case let .string(s) = v {
                    guard let x = Double(s) else { throw args.error("\"\(s)\" is not a number") }
                    return .number(x)
                }
                return .number(try args.convertNumber(v, "x"))
            },
            Builtin("list", "list(x)", family: f, methodOf: ["tensor"],
                    doc: "A list: of numbers for a 1-axis tensor, of rows for a bigger one, of characters for a string; or of the arguments given.",
                    example: "list(arange(3))") { args, _ in
                let all = args.rest(from: 0)
                try checkNesting(.list(all))
                guard all.count == 1 else { return .list(all) }
                switch all[0] {
                // Checked against the memory budget first, then built in chunks that look for
                // Ctrl-C (list(arange(1e8)) is 10⁸ values).
                case let .tensor(t) where t.rank == 1:
                    try MemoryRoom.checkList(count: t.count, for: "list")
                    let values = t.storage
                    return .list(try Cancellation.map(count: values.count) { .number(values[$0]) })
                case let .tensor(t) where t.rank > 1:
                    // Each row becomes a tensor of its own: as much again as the tensor, plus the list.
                    try MemoryRoom.checkList(count: t.shape[0], for: "list")
                    try MemoryBudget.check(doubles: t.count, for: "list")
                    return .list(try Cancellation.map(count: t.shape[0]) { .tensor(try t[$0]) })
                case let .string(s):
                    // A one-character string fits inline in its Value: the list is all the room it takes.
                    try MemoryRoom.checkList(count: s.utf8.count, for: "list")
                    return .list(s.map { .string(String($0)) })
                case .list: return all[0]
                default: return .list(all)
                }
            },
            Builtin("range", "range(stop) or range(start, stop, step: 1)", family: f,
                    doc: "A list of whole numbers from start (0) up to but not including stop; 0..<n is range(n).",
                    example: "range(1, 10, 3)") { args, _ in
                let a = try args.int(0, "start")
                let b = try args.optionalInt(1, "stop")
                let step = try args.int(2, "step", default: 1)
                guard step != 0 else { throw args.error("step cannot be zero") }
                let (lo, hi) = b == nil ? (0, a) : (a, b ?? 0)
                let n = step > 0 ? max(0, (hi - lo + step - 1) / step) : max(0, (lo - hi - step - 1) / -step)
                guard n <= 10_000_000 else { throw args.error("too long (at most 10⁷ numbers)") }
                try MemoryRoom.checkList(count: n, for: "range")
                return .list(try Cancellation.map(count: n) { .number(Double(lo + $0 * step)) })
            },
            Builtin("record", "record(name: value, …)", family: f,
                    doc: "A record with the given named members (read them with r.name, change them with r.name = v).",
                    example: "r = record(loss: 0.5, step: 3)\nr.step") { args, _ in
                .record(Record(title: "record", fields: args.named.map { (name: $0.name, value: $0.value) }))
            }.allowingAnyNames(),
            Builtin("shape", "shape(x)", family: f, doc: "A tensor's shape as a list (also x.shape).", example: "shape(zeros(2, 3))") { args, _ in
                .list(try args.tensor(0, "x").shape.map { .number(Double($0)) })
            },
        ]
    }
}

extension Builtin {
    /// For `record(…)`: any argument names are accepted.
    func allowingAnyNames() -> Builtin { acceptsAnyNames = true; return self }
    /// For `train(…)`: its value after Ctrl-C is whole (see ``finishesOnInterrupt``).
    func finishingOnInterrupt() -> Builtin { finishesOnInterrupt = true; return self }
}

extension Interpreter {
    /// `help("for")`, `if?`…: the language's own constructs.
    static let topicHelp: [String: String] = [
        "for": "for NAME in SEQUENCE { … } — runs the block once per element: a range 0..<n, a list, the rows of a tensor (x[0], x[1], …).\n\nExample:\n    for t in 0..<3 { print(t) }",
        "while": "while CONDITION { … } — repeats the block while the condition is true; break and continue work as in Python.\n\nExample:\n    n = 0; while n < 3 { n = n + 1 }",
        "if": "if CONDITION { … } elif CONDITION { … } else { … } — runs the first block whose condition is true.\n\nExample:\n    if 2 > 1 { print(\"yes\") } else { print(\"no\") }",
        "def": "def NAME(a, b, c: default) { … return value } — a function; fn(x) { … } without a name is an anonymous function.\n\nExample:\n    def step(x, h) { return tanh(x + h) }",
        "no_grad": "no_grad { … } — runs the block without recording gradients (hand-written updates, evaluation).\n\nExample:\n    no_grad { w = w - 0.1 * w.grad }",
        "slicing": "x[i], x[-1], x[1:3], x[::-1], x[:, 0], x[none], x[[0, 2]] — NumPy's indexing rules; an integer removes the axis, a slice keeps it.\n\nExample:\n    arange(10)[2:8:2]",
    ]
}
