import Engine

/// Making tensors: literals' function form, zeros/ones/full/eye, ranges, seeded random numbers.
extension Interpreter {
    /// A freshly made float64 tensor in the `dtype:` asked for, as a leaf with `requires_grad`.
    private static func made(_ t: Tensor, _ args: inout Arguments, requiresGrad: Bool) throws -> Tensor {
        let out = try Tensor(shape: t.shape, storage: t.storage, dtype: try args.dtype())
        out.requiresGrad = requiresGrad
        return out
    }

    static func constructionBuiltins() -> [Builtin] {
        let f = "construction"
        return [
            Builtin("tensor", "tensor(data, requires_grad: false, dtype: \"float64\")", family: f,
                    doc: "A new tensor from a number, a (nested) list of numbers, or a copy of a tensor (cut from the graph, in its dtype unless dtype is given). dtype: \"float32\" rounds every number to the nearest float32.",
                    example: "tensor([[1, 2], [3, 4]])\ntensor([0.1], dtype: \"float32\")") { args, _ in
                let t = try args.tensor(0, "data")
                let grad = try args.bool(nil, "requires_grad", default: false)
                let dtype = try args.dtype(default: t.dtype)
                return .tensor(try Tensor(shape: t.shape, storage: t.storage, dtype: dtype, requiresGrad: grad))
            },
            Builtin("zeros", "zeros(shape…, requires_grad: false, dtype: \"float64\")", family: f,
                    doc: "A tensor of zeros. The shape is given as numbers zeros(2, 3) or a list zeros(x.shape).",
                    example: "h = zeros(1, 4)\nh.shape") { args, _ in
                let grad = try args.bool(nil, "requires_grad", default: false)
                return .tensor(try made(Tensor.zeros(try args.shape(from: 0)), &args, requiresGrad: grad))
            },
            Builtin("ones", "ones(shape…, requires_grad: false, dtype: \"float64\")", family: f,
                    doc: "A tensor of ones.", example: "ones(2, 3)") { args, _ in
                let grad = try args.bool(nil, "requires_grad", default: false)
                return .tensor(try made(Tensor.ones(try args.shape(from: 0)), &args, requiresGrad: grad))
            },
            Builtin("full", "full(shape, value, requires_grad: false, dtype: \"float64\")", family: f,
                    doc: "A tensor of the given shape (a number or a list) filled with one value.", example: "full([2, 2], 0.5)") { args, _ in
                let shape = try args.convertIntList(try args.required(0, "shape"), "shape")
                let value = try args.number(1, "value")
                let grad = try args.bool(nil, "requires_grad", default: false)
                return .tensor(try made(Tensor.full(shape, value), &args, requiresGrad: grad))
            },
            Builtin("zeros_like", "zeros_like(x)", family: f, doc: "Zeros of x's shape and dtype.", example: "zeros_like(ones(2, 3)).shape") { args, _ in
                let x = try args.tensor(0, "x")
                return .tensor(try Tensor.zeros(x.shape).to(x.dtype))
            },
            Builtin("ones_like", "ones_like(x)", family: f, doc: "Ones of x's shape and dtype.", example: "ones_like(zeros(3))") { args, _ in
                let x = try args.tensor(0, "x")
                return .tensor(try Tensor.ones(x.shape).to(x.dtype))
            },
            Builtin("eye", "eye(n, m: n)", family: f, doc: "The n × m identity matrix (square when m is omitted).", example: "eye(3)") { args, _ in
                .tensor(try Tensor.eye(try args.int(0, "n"), try args.optionalInt(1, "m")))
            },
            Builtin("arange", "arange(stop) or arange(start, stop, step: 1)", family: f,
                    doc: "Evenly spaced numbers from start (default 0) up to but not including stop, as a tensor (NumPy's arange).",
                    example: "arange(5)\narange(1, 2, 0.25)") { args, _ in
                let a = try args.number(0, "start")
                let b = try args.optionalNumber(1, "stop")
                let step = try args.number(2, "step", default: 1)
                return .tensor(try Tensor.arange(b == nil ? 0 : a, b ?? a, step: step))
            },
            Builtin("linspace", "linspace(start, stop, count)", family: f,
                    doc: "count evenly spaced numbers from start to stop, both included.", example: "linspace(0, 1, 5)") { args, _ in
                .tensor(try Tensor.linspace(try args.number(0, "start"), try args.number(1, "stop"), count: try args.int(2, "count")))
            },
            Builtin("randn", "randn(shape…, seed: none, mean: 0, std: 1, requires_grad: false, dtype: \"float64\")", family: f,
                    doc: "Normally distributed random numbers. With seed: the same numbers every time (and on every machine); without, the session's generator moves on. With dtype: \"float32\", the same draws rounded to float32.",
                    example: "x = randn(5, 1, 3, seed: 0)\nx.shape") { args, interp in
                let seed = try args.optionalInt(nil, "seed")
                let mean = try args.number(nil, "mean", default: 0), std = try args.number(nil, "std", default: 1)
                let grad = try args.bool(nil, "requires_grad", default: false)
                let shape = try args.shape(from: 0)
                if let seed, seed < 0 { throw args.error("'seed' must be ≥ 0") }
                let t = try seed.map { try Tensor.randn(shape, mean: mean, std: std, seed: UInt64($0)) }
                    ?? Tensor.randn(shape, mean: mean, std: std, generator: &interp.rng)
                return .tensor(try made(t, &args, requiresGrad: grad))
            },
            Builtin("rand", "rand(shape…, seed: none, low: 0, high: 1, requires_grad: false, dtype: \"float64\")", family: f,
                    doc: "Uniformly distributed random numbers in [low, high) (rounded to float32 with dtype: \"float32\").", example: "rand(2, 2, seed: 1).shape") { args, interp in
                let seed = try args.optionalInt(nil, "seed")
                let low = try args.number(nil, "low", default: 0), high = try args.number(nil, "high", default: 1)
                let grad = try args.bool(nil, "requires_grad", default: false)
                let shape = try args.shape(from: 0)
                if let seed, seed < 0 { throw args.error("'seed' must be ≥ 0") }
                let t = try seed.map { try Tensor.rand(shape, low: low, high: high, seed: UInt64($0)) }
                    ?? Tensor.rand(shape, low: low, high: high, generator: &interp.rng)
                return .tensor(try made(t, &args, requiresGrad: grad))
            },
            Builtin("randint", "randint(low, high, shape…, seed: none)", family: f,
                    doc: "Random whole numbers from low up to but not including high, like torch.randint: token ids, symbols of a synthetic task.",
                    example: "randint(0, 10, 5, seed: 1)") { args, interp in
                let low = try args.int(0, "low"), high = try args.int(1, "high")
                guard low < high else { throw args.error("low (\(low)) must be below high (\(high))") }
                let seed = try args.optionalInt(nil, "seed")
                if let seed, seed < 0 { throw args.error("'seed' must be ≥ 0") }
                let shape = try args.shape(from: 2)
                let span = Double(high - low)
                let u = try seed.map { try Tensor.rand(shape, seed: UInt64($0)) } ?? Tensor.rand(shape, generator: &interp.rng)
                return .tensor(try Tensor(shape: u.shape, storage: u.storage.map { Swift.min(Double(high - 1), Double(low) + ($0 * span).rounded(.down)) }))
            },
            Builtin("param", "param(x)", family: f,
                    doc: "A copy of x that is a leaf and requires a gradient: a learnable parameter of your own.",
                    example: "W = param(randn(4, 3, seed: 0))\nW.requires_grad") { args, _ in
                let t = try args.tensor(0, "x")
                return .tensor(try Tensor(shape: t.shape, storage: t.storage, dtype: t.dtype, requiresGrad: true))
            },
        ]
    }
}
