import Engine

/// Gradients: backward, .grad, detach, zero_grad, no_grad.
extension Interpreter {
    static func autodiffBuiltins() -> [Builtin] {
        let f = "autodiff"
        return [
            Builtin("backward", "backward(loss, gradient: none)", family: f, methodOf: ["tensor"],
                    doc: "Backpropagates from a one-element tensor (or with a gradient of its shape) and adds ∂loss/∂p to every leaf p's .grad. Gradients accumulate until zero_grad.",
                    example: "w = randn(3, seed: 0, requires_grad: true)\nloss = sum(w * w)\nbackward(loss)\nround(w.grad - 2 * w, 6)") { args, _ in
                let loss = try args.tensor(0, "loss")
                try loss.backward(gradient: try args.optionalTensor(1, "gradient"))
                return .none
            },
            Builtin("grad", "grad(x)", family: f, doc: "x's accumulated gradient (none before any backward reaches it); the same as x.grad.",
                    example: "x = param([1, 2])\nbackward(sum(x * 3))\ngrad(x)") { args, _ in
                try args.tensor(0, "x").grad.map(Value.tensor) ?? .none
            },
            Builtin("detach", "detach(x)", family: f, methodOf: ["tensor"],
                    doc: "The same numbers cut from the graph: no gradient flows back through the result.",
                    example: "h = param(ones(2))\ndetach(h * 2).requires_grad") { args, _ in
                .tensor(try args.tensor(0, "x").detach())
            },
            Builtin("retain_grad", "retain_grad(x)", family: f, methodOf: ["tensor"],
                    doc: "Asks a computed (non-leaf) tensor to keep its gradient in .grad after backward: how to see ∂L/∂hₜ of a hand-unrolled RNN.",
                    example: "w = param([1, 2])\nh = w * 2\nretain_grad(h)\nbackward(sum(h * h))\nh.grad") { args, _ in
                try args.tensor(0, "x").retainGrad()
                return .none
            },
            Builtin("zero_grad", "zero_grad(model_or_optimizer_or_tensors)", family: f, methodOf: ["model", "optimizer", "tensor", "list", "record"],
                    doc: "Forgets accumulated gradients (of a model's parameters, an optimizer's, a tensor or a list of them).",
                    example: "m = linear(in: 2, out: 1, seed: 0)\nbackward(sum(m([1, 2])))\nzero_grad(m)\nm.weight.grad") { args, _ in
                for p in try parameterList(try args.required(0, "target"), args) { p.zeroGrad() }
                return .none
            },
            Builtin("no_grad", "no_grad(f) — or the block form no_grad { … }", family: f,
                    doc: "Calls the function f (no arguments) without recording gradients and returns its result. The block form runs statements the same way: for evaluation and hand-written updates.",
                    example: "w = param([1, 2])\nno_grad(fn() { return w * 2 }).requires_grad") { args, interp in
                let body = try args.required(0, "f")
                return try GradMode.withoutGrad { try interp.callValue(body, []) }
            },
            Builtin("gradcheck", "gradcheck(f, inputs, eps: 1e-6, atol: 1e-6, rtol: 1e-5)", family: f,
                    doc: "Compares the backward pass of f (taking the tensors in inputs, returning a tensor) with central differences; returns a record with passed and the largest errors.",
                    example: "r = gradcheck(fn(x) { return tanh(x) * x }, [randn(3, seed: 0)])\nr.passed") { args, interp in
                let body = try args.required(0, "f")
                let inputs = try tensorList(try args.required(1, "inputs"), args, "inputs").map { $0.detach() }
                let eps = try args.number(nil, "eps", default: 1e-6), atol = try args.number(nil, "atol", default: 1e-6)
                let rtol = try args.number(nil, "rtol", default: 1e-5)
                let result = try Engine.gradcheck(inputs, eps: eps, atol: atol, rtol: rtol) { xs in
                    try args.convertTensor(try interp.callValue(body, xs.map(Value.tensor)), "the result of f")
                }
                return .record(Record(title: "gradcheck", fields: [
                    ("passed", .bool(result.passed)), ("max_absolute_error", .number(result.maxAbsoluteError)),
                    ("max_relative_error", .number(result.maxRelativeError)),
                ]))
            },
        ]
    }

    /// The tensors a model, optimizer, record of parameters, tensor or list of those stands for.
    static func parameterList(_ v: Value, _ args: Arguments) throws -> [Tensor] {
        switch v {
        case let .model(m): return m.module.parameters
        case let .optimizer(o): return o.optimizer.parameters
        case let .tensor(t): return [t]
        case let .record(r): return try r.fields.flatMap { try parameterList($0.value, args) }
        case let .list(items): return try items.flatMap { try parameterList($0, args) }
        default: throw args.error("expected a model, an optimizer, a tensor or a list of them, got \(v.kindName)")
        }
    }
}
