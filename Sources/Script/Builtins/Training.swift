import Engine

/// Losses, optimizers, clipping, truncated BPTT.
extension Interpreter {
    static func trainingBuiltins() -> [Builtin] {
        let f = "training"
        return [
            Builtin("mse", "mse(prediction, target)", family: f, methodOf: ["tensor"],
                    doc: "Mean squared error, PyTorch's F.mse_loss: mean((prediction − target)²).",
                    example: "mse([1, 2, 3], [1, 2, 5])") { args, _ in
                .tensor(try Loss.mse(try args.tensor(0, "prediction"), try args.tensor(1, "target")))
            },
            Builtin("cross_entropy", "cross_entropy(logits, targets, ignore_index: none)", family: f, methodOf: ["tensor"],
                    doc: "Mean softmax cross-entropy between rows of logits (…, C) and class ids (the logits' shape without the last axis); targets equal to ignore_index are left out.",
                    example: "round(cross_entropy([[2, 0, 0], [0, 2, 0]], [0, 1]), 4)") { args, _ in
                .tensor(try Loss.crossEntropy(logits: try args.tensor(0, "logits"), targets: try args.tensor(1, "targets"),
                                              ignoreIndex: try args.optionalInt(nil, "ignore_index")))
            },
            Builtin("bce_with_logits", "bce_with_logits(logits, targets)", family: f, methodOf: ["tensor"],
                    doc: "Binary cross-entropy on logits (σ applied inside, stably), mean over elements.",
                    example: "round(bce_with_logits([0, 0], [1, 0]), 4)") { args, _ in
                .tensor(try Loss.binaryCrossEntropyWithLogits(try args.tensor(0, "logits"), try args.tensor(1, "targets")))
            },
            Builtin("perplexity", "perplexity(cross_entropy)", family: f, methodOf: ["tensor"],
                    doc: "e^(cross-entropy): the effective number of choices a language model hesitates between.",
                    example: "perplexity(log(4))") { args, _ in
                let v = try args.required(0, "cross_entropy")
                if case let .number(x) = v { return .number(Loss.perplexity(x)) }
                return .tensor(Loss.perplexity(try args.convertTensor(v, "cross_entropy")))
            },
            Builtin("sgd", "sgd(params, lr: 0.001, momentum: 0, dampening: 0, weight_decay: 0, nesterov: false)", family: f,
                    doc: "Stochastic gradient descent (PyTorch's torch.optim.SGD) over a model's parameters (or a list of models and tensors). opt.step() updates, opt.zero_grad() clears the gradients.",
                    example: "m = linear(in: 2, out: 1, seed: 0)\nopt = sgd(m, lr: 0.1)\nbackward(mse(m([1, 2]), [0]))\nopt.step()") { args, _ in
                let params = try parameterList(try args.required(0, "params"), args)
                let o = try SGD(params, lr: try args.number(nil, "lr", default: 1e-3), momentum: try args.number(nil, "momentum", default: 0),
                                dampening: try args.number(nil, "dampening", default: 0), weightDecay: try args.number(nil, "weight_decay", default: 0),
                                nesterov: try args.bool(nil, "nesterov", default: false))
                return .optimizer(OptimizerValue(name: "sgd", optimizer: o))
            },
            Builtin("adam", "adam(params, lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0)", family: f,
                    doc: "Adam (PyTorch's torch.optim.Adam) over a model's parameters or a list.",
                    example: "opt = adam(lstm(input: 2, hidden: 3), lr: 0.01)\nopt.lr") { args, _ in
                let params = try parameterList(try args.required(0, "params"), args)
                let betas = try betasArgument(&args)
                let o = try Adam(params, lr: try args.number(nil, "lr", default: 1e-3), betas: betas,
                                 eps: try args.number(nil, "eps", default: 1e-8), weightDecay: try args.number(nil, "weight_decay", default: 0))
                return .optimizer(OptimizerValue(name: "adam", optimizer: o))
            },
            Builtin("adamw", "adamw(params, lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0.01)", family: f,
                    doc: "AdamW, Adam with decoupled weight decay (PyTorch's torch.optim.AdamW).",
                    example: "opt = adamw(linear(in: 2, out: 2), lr: 0.01)\nopt.name") { args, _ in
                let params = try parameterList(try args.required(0, "params"), args)
                let betas = try betasArgument(&args)
                let o = try AdamW(params, lr: try args.number(nil, "lr", default: 1e-3), betas: betas,
                                  eps: try args.number(nil, "eps", default: 1e-8), weightDecay: try args.number(nil, "weight_decay", default: 1e-2))
                return .optimizer(OptimizerValue(name: "adamw", optimizer: o))
            },
            Builtin("step", "step(opt)", family: f, methodOf: ["optimizer"],
                    doc: "One update of every parameter that has a gradient (also opt.step()).",
                    example: "w = param([1, 2])\nopt = sgd([w], lr: 0.5)\nbackward(sum(w * w))\nstep(opt)\nw") { args, _ in
                let v = try args.required(0, "opt")
                guard case let .optimizer(o) = v else { throw args.error("'opt' must be an optimizer (from sgd, adam, adamw), got \(v.kindName)") }
                try o.optimizer.step()
                return .none
            },
            Builtin("clip_grad_norm", "clip_grad_norm(params, max_norm:, norm_type: 2)", family: f, methodOf: ["model", "optimizer"],
                    doc: "Scales all gradients together so their total norm is at most max_norm (PyTorch's clip_grad_norm_); returns the norm before clipping. The cure for exploding gradients.",
                    example: "w = param([3, 4])\nbackward(sum(w * w))\nclip_grad_norm([w], max_norm: 1)") { args, _ in
                let params = try parameterList(try args.required(0, "params"), args)
                let maxNorm = try args.number(1, "max_norm")
                let normType = try args.get(nil, "norm_type").map { v -> Double in
                    if case .string("inf") = v { return .infinity }
                    return try args.convertNumber(v, "norm_type")
                } ?? 2
                return .number(try clipGradNorm(params, maxNorm: maxNorm, normType: normType))
            },
            Builtin("clip_grad_value", "clip_grad_value(params, value)", family: f, methodOf: ["model", "optimizer"],
                    doc: "Clamps every gradient element into [−value, value] (PyTorch's clip_grad_value_).",
                    example: "w = param([3, 4])\nbackward(sum(w * w))\nclip_grad_value([w], 7)\nw.grad") { args, _ in
                let params = try parameterList(try args.required(0, "params"), args)
                try clipGradValue(params, try args.number(1, "value"))
                return .none
            },
            Builtin("grad_norm", "grad_norm(params)", family: f, methodOf: ["model", "optimizer"],
                    doc: "The total norm of all gradients together, without changing them.",
                    example: "w = param([3, 4])\nbackward(sum(w * w))\ngrad_norm([w])") { args, _ in
                .number(try totalGradNorm(try parameterList(try args.required(0, "params"), args)))
            },
            Builtin("truncated_bptt", "truncated_bptt(m, input, chunk, body, h0: none, c0: none)", family: f,
                    doc: "Runs a recurrent layer over input in chunks of `chunk` steps, calling the function body(c) for each chunk; c has index, start, stop, output, h, c. The state carries over detached, so gradients stop at chunk boundaries. Returns the final state as a record.",
                    example: "m = rnn(input: 1, hidden: 2, seed: 0)\nr = truncated_bptt(m, randn(6, 1, 1, seed: 0), chunk: 4, body: fn(c) { print(c.start, c.stop) })\nr.h.shape") { args, interp in
                guard let layer = try args.model(0, "m").as(RecurrentModel.self)?.layer else { throw args.error("'m' must be a recurrent layer (rnn, lstm, gru)") }
                let input = try args.tensor(1, "input")
                let chunk = try args.int(2, "chunk")
                let body = try args.required(3, "body")
                let h0 = try args.optionalTensor(nil, "h0"), c0 = try args.optionalTensor(nil, "c0")
                let final = try truncatedBPTT(layer: layer, input: input, chunkLength: chunk, h0: h0, c0: c0) { c in
                    var fields: [(name: String, value: Value)] = [
                        ("index", .number(Double(c.index))), ("start", .number(Double(c.steps.lowerBound))), ("stop", .number(Double(c.steps.upperBound))),
                        ("output", .tensor(c.result.output)), ("h", .tensor(c.result.hn)),
                    ]
                    if let cn = c.result.cn { fields.append(("c", .tensor(cn))) }
                    _ = try interp.callValue(body, [.record(Record(title: "chunk", fields: fields))])
                }
                var fields: [(name: String, value: Value)] = [("h", .tensor(final.hn))]
                if let c = final.cn { fields.append(("c", .tensor(c))) }
                return .record(Record(title: "final state", fields: fields))
            },
        ]
    }

    private static func betasArgument(_ args: inout Arguments) throws -> (Double, Double) {
        guard let v = try args.get(nil, "betas") else { return (0.9, 0.999) }
        let t = try args.convertTensor(v, "betas")
        guard t.count == 2 else { throw args.error("'betas' must be two numbers, e.g. [0.9, 0.999]") }
        return (t.storage[0], t.storage[1])
    }
}
