import Foundation
import Engine

/// Elementwise functions, reductions, shaping, joining, comparisons.
extension Interpreter {
    /// An elementwise function: a number gives a number, anything else a tensor.
    private static func elementwise(_ name: String, _ doc: String, _ example: String,
                                    _ number: @escaping (Double) -> Double, _ tensor: @escaping (Tensor) throws -> Tensor) -> Builtin {
        Builtin(name, "\(name)(x)", family: "math", methodOf: ["tensor"], doc: doc, example: example) { args, _ in
            let v = try args.required(0, "x")
            if case let .number(x) = v { return .number(number(x)) }
            let x = try args.convertTensor(v, "x")
            // The engine's elementwise functions cannot fail, so the room for the result is checked here.
            try MemoryBudget.check(doubles: x.count, for: name)
            return .tensor(try tensor(x))
        }
    }

    /// A number, or a one-element tensor of rank 0 (kept as a tensor when it carries a gradient).
    private static func scalarArgument(_ v: Value) -> Value? {
        switch v {
        case .number: return v
        case let .tensor(t) where t.rank == 0 && t.count == 1: return t.requiresGrad ? v : .number(t.storage[0])
        default: return nil
        }
    }

    private static func scalarTensor(_ v: Value) throws -> Tensor {
        switch v {
        case let .tensor(t): return t
        case let .number(x): return Tensor(x)
        default: throw ScriptError(.wrongType, "expected a number")
        }
    }

    /// A reduction with optional `axis:` and `keepdims:`.
    private static func reduction(_ name: String, _ doc: String, _ example: String,
                                  _ body: @escaping (Tensor, Int?, Bool) throws -> Tensor) -> Builtin {
        Builtin(name, "\(name)(x, axis: none, keepdims: false)", family: "math", methodOf: ["tensor", "list"], doc: doc, example: example) { args, _ in
            // max(a, b) / min(a, b) of two numbers, as in Python — a one-element tensor of rank 0
            // counts as a number (`min(1, coef)` with coef computed), never as an axis.
            if name == "max" || name == "min", args.count == 2,
               let a = scalarArgument(args.positional[0]), let b = scalarArgument(args.positional[1]) {
                _ = args.rest(from: 0)
                switch (a, b) {
                case let (.number(x), .number(y)):
                    return .number(name == "max" ? Swift.max(x, y) : Swift.min(x, y))
                default:
                    // A tensor that carries a gradient keeps it: max = (a + b + |a − b|) / 2,
                    // min = (a + b − |a − b|) / 2, whose gradient goes to the larger (smaller) one.
                    let ta = try scalarTensor(a), tb = try scalarTensor(b)
                    let spread = try (ta - tb).abs()
                    return .tensor(try (name == "max" ? (ta + tb) + spread : (ta + tb) - spread) * 0.5)
                }
            }
            let x = try args.tensor(0, "x")
            let keep = try args.bool(nil, "keepdims", default: false)
            guard let axes = try reductionAxes(&args, rank: x.rank, single: name.hasPrefix("arg")) else {
                return .tensor(try body(x, nil, keep))
            }
            // Several axes, as NumPy's axis=(0, 1): one axis at a time, the highest first so the
            // lower positions stay where they were (sum, mean, max, min and norm compose so).
            var y = x
            for a in axes.sorted(by: >) { y = try body(y, a, keep) }
            return .tensor(y)
        }
    }

    /// `axis:` as one number or a list of distinct axes (negative counting from the end);
    /// nil when absent.
    private static func reductionAxes(_ args: inout Arguments, rank: Int, single: Bool) throws -> [Int]? {
        guard let v = try args.get(1, "axis"), !v.isNone else { return nil }
        if case .number = v { return [try args.convertInt(v, "axis")] }
        let list = try args.convertIntList(v, "axis")
        let shown = "[" + list.map(String.init).joined(separator: ", ") + "]"
        if single { throw args.error("'axis' must be one axis here, got \(shown)") }
        let normalised = try list.map { a -> Int in
            let n = a < 0 ? a + rank : a
            guard (0..<Swift.max(rank, 1)).contains(n) else { throw args.error("axis \(a) is out of range for a tensor of rank \(rank)") }
            return n
        }
        guard Set(normalised).count == normalised.count else { throw args.error("'axis' names an axis twice: \(shown)") }
        return normalised
    }

    static func mathBuiltins() -> [Builtin] {
        let f = "math"
        return [
            elementwise("tanh", "Hyperbolic tangent, elementwise: squashes to (−1, 1). The RNN's nonlinearity.", "tanh([0, 1, -1])", Foundation.tanh) { $0.tanh() },
            elementwise("sigmoid", "The logistic function σ(x) = 1 / (1 + e^−x), elementwise: the gates' squashing to (0, 1).", "sigmoid(0)", sigmoidScalar) { $0.sigmoid() },
            elementwise("relu", "max(0, x) elementwise.", "relu([-1, 0, 2])", { Swift.max(0, $0) }) { $0.relu() },
            elementwise("exp", "e^x elementwise.", "exp(0)", Foundation.exp) { $0.exp() },
            elementwise("log", "Natural logarithm elementwise.", "log(exp(2))", Foundation.log) { $0.log() },
            elementwise("sin", "Sine elementwise (x in radians); its gradient is cos(x).", "round(sin([0, 1, 2]), 4)", Foundation.sin) { $0.sin() },
            elementwise("cos", "Cosine elementwise (x in radians); its gradient is −sin(x).", "round(cos([0, 1, 2]), 4)", Foundation.cos) { $0.cos() },
            elementwise("sqrt", "Square root elementwise.", "sqrt([4, 9])", Foundation.sqrt) { $0.sqrt() },
            elementwise("abs", "Absolute value elementwise.", "abs([-2, 3])", Swift.abs) { $0.abs() },
            elementwise("floor", "Rounds down to a whole number elementwise (a new tensor without gradient): bins, integer ids from rand.",
                        "floor([-1.5, 2.7])", { Foundation.floor($0) }) { try Tensor(shape: $0.shape, storage: $0.storage.map { Foundation.floor($0) }, dtype: $0.dtype) },
            Builtin("clamp", "clamp(x, min: none, max: none)", family: f, methodOf: ["tensor"],
                    doc: "Limits every element to [min, max] (either bound optional); the gradient passes where x is inside and is 0 where it was clamped.",
                    example: "clamp([-3, 0.5, 4], min: -1, max: 1)") { args, _ in
                let x = try args.convertTensor(try args.required(0, "x"), "x")
                let lo = try args.optionalNumber(1, "min"), hi = try args.optionalNumber(2, "max")
                if let lo, let hi, lo > hi { throw args.error("min (\(formatNumber(lo))) must not exceed max (\(formatNumber(hi)))") }
                var y = x
                if let lo { y = try Tensor.where(try y.compare(Tensor(lo), .less), Tensor(lo), y) }
                if let hi { y = try Tensor.where(try y.compare(Tensor(hi), .greater), Tensor(hi), y) }
                return .tensor(y)
            },
            Builtin("softmax", "softmax(x, axis: -1)", family: f, methodOf: ["tensor"],
                    doc: "e^x / Σ e^x along an axis (the last by default): scores to probabilities.",
                    example: "round(softmax([1, 2, 3]), 4)") { args, _ in
                .tensor(try args.tensor(0, "x").softmax(axis: try args.int(1, "axis", default: -1)))
            },
            Builtin("log_softmax", "log_softmax(x, axis: -1)", family: f, methodOf: ["tensor"],
                    doc: "log(softmax(x)) computed stably.", example: "round(log_softmax([0, 0]), 4)") { args, _ in
                .tensor(try args.tensor(0, "x").logSoftmax(axis: try args.int(1, "axis", default: -1)))
            },
            reduction("sum", "Sum of all elements, or along one axis.", "sum([[1, 2], [3, 4]], axis: 0)") { try $0.sum(axis: $1, keepdims: $2) },
            reduction("mean", "Mean of all elements, or along one axis.", "mean([1, 2, 3, 4])") { try $0.mean(axis: $1, keepdims: $2) },
            reduction("max", "Largest element, or the largest along one axis; max(a, b) of two numbers is the larger.", "max([[1, 5], [3, 2]], axis: 1)") { try $0.max(axis: $1, keepdims: $2) },
            reduction("min", "Smallest element, or the smallest along one axis; min(a, b) of two numbers is the smaller.", "min([3, 1, 2])") { try $0.min(axis: $1, keepdims: $2) },
            reduction("argmax", "Position of the largest element (of the flattened tensor), or along one axis.", "argmax([0.1, 0.7, 0.2])") { try $0.argmax(axis: $1, keepdims: $2) },
            reduction("argmin", "Position of the smallest element (of the flattened tensor), or along one axis.", "argmin([0.1, 0.7, 0.2])") { try $0.argmin(axis: $1, keepdims: $2) },
            reduction("norm", "Euclidean norm √(Σ x²) of all elements, or along one axis.", "norm([3, 4])") { try $0.norm(axis: $1, keepdims: $2) },
            Builtin("matmul", "matmul(a, b)", family: f, methodOf: ["tensor"],
                    doc: "Matrix product, the same as a @ b (batched over leading axes, vectors allowed).",
                    example: "matmul([[1, 2]], [[3], [4]])") { args, _ in
                .tensor(try args.tensor(0, "a").matmul(try args.tensor(1, "b")))
            },
            Builtin("pow", "pow(x, y)", family: f, methodOf: ["tensor"], doc: "x ** y elementwise.", example: "pow([1, 2, 3], 2)") { args, interp in
                try interp.binary("**", try args.required(0, "x"), try args.required(1, "y"))
            },
            Builtin("reshape", "reshape(x, shape…)", family: f, methodOf: ["tensor"],
                    doc: "The same elements in a new shape; one size may be -1 (worked out from the others).",
                    example: "reshape(arange(6), 2, -1)") { args, _ in
                let x = try args.tensor(0, "x")
                var shape: [Int] = []
                let rest = args.rest(from: 1)
                if rest.count == 1 { shape = try args.convertIntList(rest[0], "shape") } else { shape = try rest.map { try args.convertInt($0, "shape") } }
                return .tensor(try x.reshape(shape))
            },
            Builtin("flatten", "flatten(x)", family: f, methodOf: ["tensor"], doc: "All elements in one axis.", example: "flatten(eye(2))") { args, _ in
                .tensor(try args.tensor(0, "x").flatten())
            },
            Builtin("transpose", "transpose(x, a: 0, b: 1)", family: f, methodOf: ["tensor"],
                    doc: "Swaps two axes (the first two by default; for a matrix, the same as x.T).",
                    example: "transpose([[1, 2, 3]])") { args, _ in
                let x = try args.tensor(0, "x")
                let a = try args.int(1, "a", default: 0), b = try args.int(2, "b", default: 1)
                return .tensor(try x.transpose(a, b))
            },
            Builtin("permute", "permute(x, axes…)", family: f, methodOf: ["tensor"],
                    doc: "Reorders all axes: permute(x, 1, 0, 2) turns (T, B, I) into (B, T, I).",
                    example: "permute(zeros(5, 2, 3), 1, 0, 2).shape") { args, _ in
                let x = try args.tensor(0, "x")
                let rest = args.rest(from: 1)
                let axes = rest.count == 1 ? try args.convertIntList(rest[0], "axes") : try rest.map { try args.convertInt($0, "axes") }
                return .tensor(try x.permute(axes))
            },
            Builtin("squeeze", "squeeze(x, axis: none)", family: f, methodOf: ["tensor"],
                    doc: "Removes an axis of size 1 (all of them without axis).", example: "squeeze(zeros(1, 3, 1)).shape") { args, _ in
                .tensor(try args.tensor(0, "x").squeeze(try args.optionalInt(1, "axis")))
            },
            Builtin("unsqueeze", "unsqueeze(x, axis)", family: f, methodOf: ["tensor"],
                    doc: "Inserts an axis of size 1.", example: "unsqueeze([1, 2], 0).shape") { args, _ in
                .tensor(try args.tensor(0, "x").unsqueeze(try args.int(1, "axis")))
            },
            Builtin("concat", "concat(tensors, axis: 0)", family: f,
                    doc: "Joins a list of tensors along an existing axis.", example: "concat([ones(1, 2), zeros(1, 2)], axis: 0)") { args, _ in
                let parts = try tensorList(try args.required(0, "tensors"), args, "tensors")
                return .tensor(try Tensor.concat(parts, axis: try args.int(1, "axis", default: 0)))
            },
            Builtin("stack", "stack(tensors, axis: 0)", family: f,
                    doc: "Joins a list of same-shaped tensors along a new axis: stack(hs) turns T states (B, H) into (T, B, H).",
                    example: "stack([zeros(2), ones(2)]).shape") { args, _ in
                let parts = try tensorList(try args.required(0, "tensors"), args, "tensors")
                return .tensor(try Tensor.stack(parts, axis: try args.int(1, "axis", default: 0)))
            },
            Builtin("split", "split(x, parts_or_sizes, axis: 0)", family: f, methodOf: ["tensor"],
                    doc: "Cuts a tensor into a list: into n equal parts, or by a list of sizes. split(W, 4) gives an LSTM weight's i, f, g, o blocks.",
                    example: "split(arange(6), 3)") { args, _ in
                let x = try args.tensor(0, "x")
                let how = try args.required(1, "parts_or_sizes")
                let axis = try args.int(2, "axis", default: 0)
                let parts: [Tensor]
                if case .number = how { parts = try x.split(parts: try args.convertInt(how, "parts"), axis: axis) }
                else { parts = try x.split(sizes: try args.convertIntList(how, "sizes"), axis: axis) }
                return .list(parts.map(Value.tensor))
            },
            Builtin("select", "select(x, positions, axis: 0)", family: f, methodOf: ["tensor"],
                    doc: "The slices at the given positions along an axis (repeats allowed), like x[[0, 2]].",
                    example: "select([10, 20, 30], [2, 0])") { args, _ in
                let x = try args.tensor(0, "x")
                let positions = try args.convertIntList(try args.required(1, "positions"), "positions")
                return .tensor(try x.select(positions, axis: try args.int(2, "axis", default: 0)))
            },
            Builtin("where", "where(condition, a, b)", family: f,
                    doc: "Elementwise choice: a where condition is non-zero, else b (all broadcast together).",
                    example: "where([1, 0, 1], [1, 2, 3], 0)") { args, _ in
                .tensor(try Tensor.where(try args.tensor(0, "condition"), try args.tensor(1, "a"), try args.tensor(2, "b")))
            },
            Builtin("round", "round(x, digits: 0)", family: f, methodOf: ["tensor"],
                    doc: "Rounds to a number of decimal digits (a new tensor without gradient, for display).",
                    example: "round(3.14159, 2)") { args, _ in
                let v = try args.required(0, "x")
                let digits = try args.int(1, "digits", default: 0)
                let scale = Foundation.pow(10.0, Double(digits))
                // As Python's round: digits past what a double holds (10³⁰⁸ overflows the scale)
                // leave x as it is; a scale that underflows to 0 (digits ≤ −324) rounds x to 0.
                func r(_ x: Double) -> Double {
                    guard x.isFinite else { return x }
                    if scale == 0 { return 0 }
                    let scaled = x * scale
                    guard scaled.isFinite, scale.isFinite else { return x }
                    let y = scaled.rounded() / scale
                    if y == 0 { return 0 }  // no -0
                    return y.isFinite ? y : x
                }
                if case let .number(x) = v { return .number(r(x)) }
                let t = try args.convertTensor(v, "x")
                return .tensor(try Tensor(shape: t.shape, storage: t.storage.map(r), dtype: t.dtype))
            },
            Builtin("item", "item(x)", family: f, methodOf: ["tensor"],
                    doc: "The number in a one-element tensor.", example: "item(sum([1, 2]))") { args, _ in
                .number(try args.tensor(0, "x").item())
            },
            Builtin("any", "any(x, axis: none)", family: f, methodOf: ["tensor"], doc: "True if any element is non-zero; with axis:, a 0/1 tensor saying so along that axis.", example: "any([0, 0, 1])") { args, _ in
                let x = try args.tensor(0, "x")
                guard let axis = try args.optionalInt(1, "axis") else { return .bool(x.storage.contains { $0 != 0 }) }
                return .tensor(try x.compare(Tensor(0), .notEqual).max(axis: axis, keepdims: false))
            },
            Builtin("all", "all(x, axis: none)", family: f, methodOf: ["tensor"], doc: "True if every element is non-zero; with axis:, a 0/1 tensor saying so along that axis.", example: "all([1, 1, 0])") { args, _ in
                let x = try args.tensor(0, "x")
                guard let axis = try args.optionalInt(1, "axis") else { return .bool(x.storage.allSatisfy { $0 != 0 }) }
                return .tensor(try x.compare(Tensor(0), .notEqual).min(axis: axis, keepdims: false))
            },
            Builtin("dropout", "dropout(x, p, seed: none)", family: f, methodOf: ["tensor"],
                    doc: "Zeroes each element with probability p and scales the rest by 1/(1 − p) (inverted dropout).",
                    example: "dropout(ones(6), 0.5, seed: 0)") { args, interp in
                let x = try args.tensor(0, "x"), p = try args.number(1, "p")
                if let seed = try args.optionalInt(nil, "seed") {
                    guard seed >= 0 else { throw args.error("'seed' must be ≥ 0") }
                    var g = RandomGenerator(seed: UInt64(seed))
                    return .tensor(try Dropout.apply(x, probability: p, generator: &g))
                }
                return .tensor(try Dropout.apply(x, probability: p, generator: &interp.rng))
            },
        ]
    }

    /// A list of tensors (or a tensor, whose rows are taken).
    static func tensorList(_ v: Value, _ args: Arguments, _ name: String) throws -> [Tensor] {
        switch v {
        case let .list(items): return try items.map { try args.convertTensor($0, name) }
        case let .tensor(t) where t.rank > 0: return try (0..<t.shape[0]).map { try t[$0] }
        default: throw args.error("'\(name)' must be a list of tensors, got \(v.kindName)")
        }
    }
}
