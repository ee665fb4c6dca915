import Foundation
import Testing
import Engine
import Figures
@testable import Script
import TestSupport

/// Every builtin at least once, against what the engine computes for the same call.
@Suite struct BuiltinTests {
    /// One name, one builtin: a duplicate would silently replace the first in the table.
    @Test func everyBuiltinNameIsRegisteredOnce() {
        let names = Interpreter.registeredBuiltins().map(\.name)
        let repeated = Dictionary(grouping: names, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        #expect(repeated == [], "registered twice: \(repeated)")
        #expect(Interpreter().builtinList.count == names.count)
    }

    /// axis: [0, 2] reduces both axes, as NumPy's axis=(0, 2); all/any take an axis too.
    @Test func reductionsOverSeveralAxes() {
        let out = run("""
        x = reshape(arange(24), 2, 3, 4)
        sum(x, axis: [0, 2]) == sum(sum(x, axis: 2), axis: 0)
        mean(x, axis: [-1, 0], keepdims: true).shape
        max(x, axis: [0, 1])
        all(x > 0, axis: 1)
        any(x > 22, axis: 2)
        p = param(x * 1.0); backward(sum(mean(p, axis: [0, 1]))); round(p.grad[0, 0], 4)
        """)
        #expect(out.map(\.description).filter { $0 != "none" } == ["tensor([1, 1, 1])", "[1, 3, 1]", "tensor([20, 21, 22, 23])",
                                            "tensor([[0, 1, 1, 1], [1, 1, 1, 1]])", "tensor([[0, 0, 0], [0, 0, 1]])",
                                            "tensor([0.1667, 0.1667, 0.1667, 0.1667])"])
        #expect(failure("argmax(ones(2, 2), axis: [0, 1])").message.contains("'axis' must be one axis here, got [0, 1]"))
        #expect(failure("sum(ones(2, 2), axis: [0, 0])").message.contains("names an axis twice: [0, 0]"))
        #expect(failure("sum(ones(2, 2), axis: [0, 5])").message.contains("axis 5 is out of range for a tensor of rank 2"))
    }

    /// min(a, b) and max(a, b) of two scalars, a rank-0 tensor among them (`min(1, coef)`):
    /// never read as an axis, and a gradient reaches the one chosen.
    @Test func minAndMaxOfTwoScalars() {
        let out = run("""
        min(1, tensor(0.5))
        max(tensor(2), 3)
        c = tensor(0.5, requires_grad: true); m = min(1, c); backward(m); c.grad
        d = tensor(4, requires_grad: true); backward(min(1, d)); d.grad
        e = tensor(4, requires_grad: true); backward(max(1, e) * 3); e.grad
        """)
        #expect(out.map(\.description).filter { $0 != "none" } == ["0.5", "3", "tensor(1)", "tensor(0)", "tensor(3)"])
    }

    @Test func construction() throws {
        #expect(show("tensor([[1, 2]])") == "tensor([[1, 2]])")
        #expect(show("tensor(3, requires_grad: true).requires_grad") == "true")
        #expect(show("zeros(2, 2)") == "tensor([[0, 0], [0, 0]])")
        #expect(show("zeros([1, 2]).shape") == "[1, 2]")
        #expect(show("x = ones(2, 3); zeros(x.shape).shape") == "[2, 3]")
        #expect(show("ones(2)") == "tensor([1, 1])")
        #expect(show("full([2], 0.5)") == "tensor([0.5, 0.5])")
        #expect(show("zeros_like(ones(2, 1))") == "tensor([[0], [0]])")
        #expect(show("ones_like(zeros(2))") == "tensor([1, 1])")
        #expect(show("eye(2, 3)") == "tensor([[1, 0, 0], [0, 1, 0]])")
        #expect(show("arange(3)") == "tensor([0, 1, 2])")
        #expect(show("arange(1, 2, 0.25)") == "tensor([1, 1.25, 1.5, 1.75])")
        #expect(show("linspace(0, 1, 3)") == "tensor([0, 0.5, 1])")
        #expect(tensor("randn(2, 3, seed: 7)").storage == (try Tensor.randn([2, 3], seed: 7)).storage)
        #expect(tensor("randn(2, seed: 7, mean: 1, std: 2)").storage == (try Tensor.randn([2], mean: 1, std: 2, seed: 7)).storage)
        #expect(tensor("rand(4, seed: 3, low: -1, high: 1)").storage == (try Tensor.rand([4], low: -1, high: 1, seed: 3)).storage)
        // Without a seed the session generator moves on, and reset() starts it again.
        let i = Interpreter()
        let a = tensor("randn(3)", in: i), b = tensor("randn(3)", in: i)
        #expect(a.storage != b.storage)
        i.reset()
        #expect(tensor("randn(3)", in: i).storage == a.storage)
        #expect(show("w = param(zeros(2)); list(w.requires_grad, w.is_leaf)") == "[true, true]")
    }

    @Test func elementwiseMath() throws {
        let x = try Tensor.randn([3, 4], seed: 1)
        let i = Interpreter()
        define("x", .tensor(x), in: i)
        #expect(tensor("tanh(x)", in: i).storage == x.tanh().storage)
        #expect(tensor("sigmoid(x)", in: i).storage == x.sigmoid().storage)
        #expect(tensor("relu(x)", in: i).storage == x.relu().storage)
        #expect(tensor("exp(x)", in: i).storage == x.exp().storage)
        #expect(tensor("log(abs(x))", in: i).storage == x.abs().log().storage)
        #expect(tensor("sqrt(abs(x))", in: i).storage == x.abs().sqrt().storage)
        #expect(tensor("softmax(x, axis: 0)", in: i).storage == (try x.softmax(axis: 0)).storage)
        #expect(tensor("log_softmax(x)", in: i).storage == (try x.logSoftmax()).storage)
        #expect(tensor("pow(x, 2)", in: i).storage == (try x.pow(2)).storage)
        #expect(tensor("sin(x)", in: i).storage == x.sin().storage)
        #expect(tensor("x.cos()", in: i).storage == x.cos().storage)
        #expect(show("sin(0) + cos(0)") == "1")
        #expect(show("t = param([0.5, 1]); backward(sum(sin(t) + cos(t))); t.grad")
                == Value.tensor(Tensor([Foundation.cos(0.5) - Foundation.sin(0.5), Foundation.cos(1) - Foundation.sin(1)])).description)
        #expect(show("tanh(0)") == "0")
        #expect(show("sigmoid(0)") == "0.5")
        #expect(show("exp(0) + log(1) + sqrt(4) + abs(-1) + relu(-3)") == "4")
    }

    @Test func reductions() throws {
        let x = try Tensor.randn([3, 4], seed: 2)
        let i = Interpreter()
        define("x", .tensor(x), in: i)
        #expect(tensor("sum(x, axis: 1)", in: i).storage == (try x.sum(axis: 1)).storage)
        #expect(tensor("mean(x, axis: 0, keepdims: true)", in: i).shape == [1, 4])
        #expect(tensor("max(x)", in: i).storage == (try x.max()).storage)
        #expect(tensor("min(x, axis: -1)", in: i).storage == (try x.min(axis: -1)).storage)
        #expect(tensor("argmax(x, axis: 1)", in: i).storage == (try x.argmax(axis: 1)).storage)
        #expect(tensor("argmin(x, axis: 1)", in: i).storage == (try x.argmin(axis: 1)).storage)
        #expect(show("argmin([0.3, -1, 2])") == "tensor(1)")
        #expect(show("[[1, 5, 3], [4, 2, 6]].argmin(axis: 0, keepdims: true)") == "tensor([[0, 1, 0]])")
        #expect(tensor("norm(x)", in: i).storage == (try x.norm()).storage)
        #expect(show("item(mean([1, 2, 3]))") == "2")
        #expect(show("any([0, 1])") == "true")
        #expect(show("all([0, 1])") == "false")
    }

    @Test func shapingAndJoining() throws {
        #expect(show("reshape(arange(6), 2, 3)") == "tensor([[0, 1, 2], [3, 4, 5]])")
        #expect(show("reshape(arange(6), [3, -1]).shape") == "[3, 2]")
        #expect(show("flatten(eye(2))") == "tensor([1, 0, 0, 1])")
        #expect(show("transpose(zeros(2, 3, 4), 0, 2).shape") == "[4, 3, 2]")
        #expect(show("permute(zeros(2, 3, 4), 2, 0, 1).shape") == "[4, 2, 3]")
        #expect(show("squeeze(zeros(1, 2, 1), 0).shape") == "[2, 1]")
        #expect(show("unsqueeze(zeros(2), -1).shape") == "[2, 1]")
        #expect(show("concat([ones(1, 2), zeros(2, 2)]).shape") == "[3, 2]")
        #expect(show("concat([ones(2), zeros(2)], axis: 0)") == "tensor([1, 1, 0, 0])")
        #expect(show("stack([ones(2), zeros(2)], axis: 1)") == "tensor([[1, 0], [1, 0]])")
        #expect(show("split(arange(5), [2, 3])") == "[tensor([0, 1]), tensor([2, 3, 4])]")
        #expect(show("len(split(zeros(8, 2), 4))") == "4")
        #expect(show("select([10, 20, 30], [2, 2])") == "tensor([30, 30])")
        #expect(show("where([1, 0], [1, 2], [3, 4])") == "tensor([1, 4])")
        #expect(show("matmul(eye(2), [[1], [2]])") == "tensor([[1], [2]])")
        #expect(show("round([1.234, -0.0001], 2)") == "tensor([1.23, 0])")
        // Digits past what a double holds leave the value alone (10⁴⁰⁰ overflows the scale);
        // rounding to 10⁴⁰⁰ gives 0, as in Python.
        #expect(show("round([1.5], 400)") == "tensor([1.5])")
        #expect(show("round(2.25, 330)") == "2.25")
        #expect(show("round([1234.5], -400)") == "tensor([0])")
        #expect(show("round(1e308, -1)") == "1e+308")
        #expect(show("x = dropout(ones(1000), 0.5, seed: 0); list(item(min(x)), item(max(x)))") == "[0, 2]")
        #expect(tensor("dropout(ones(4), 0.3, seed: 5)").storage == {
            var g = RandomGenerator(seed: 5)
            return try! Dropout.apply(Tensor.ones([4]), probability: 0.3, generator: &g).storage
        }())
    }

    @Test func autodiff() throws {
        #expect(show("w = param([1, 2, 3]); backward(sum(w * w)); w.grad") == "tensor([2, 4, 6])")
        #expect(show("w = param([1, 2, 3]); sum(w * w).backward(); grad(w)") == "tensor([2, 4, 6])")
        #expect(show("w = param([1, 2]); backward(sum(w)); backward(sum(w)); w.grad") == "tensor([2, 2])")  // accumulates
        #expect(show("w = param([1, 2]); backward(sum(w)); zero_grad(w); w.grad") == "none")
        #expect(show("w = param([1, 2]); y = w * 3; backward(y, gradient: [1, 10]); w.grad") == "tensor([3, 30])")
        #expect(show("w = param([1, 2]); detach(w * 2).requires_grad") == "false")
        #expect(show("w = param([1, 2]); h = w * 2; retain_grad(h); backward(sum(h * h)); h.grad") == "tensor([4, 8])")
        #expect(show("w = param([1]); w.grad = [5]; w.grad") == "tensor([5])")
        #expect(show("x = zeros(2); x.requires_grad = true; backward(sum(x * 2)); x.grad") == "tensor([2, 2])")
        #expect(show("r = gradcheck(fn(a, b) { return tanh(a @ b) }, [randn(2, 3, seed: 0), randn(3, 2, seed: 1)]); r.passed") == "true")
        #expect(failure("backward(sum(zeros(2)))").message.contains("does not require a gradient"))
        #expect(failure("w = param([1, 2]); backward(w * 2)").message.contains("single-element"))
    }

    @Test func models() throws {
        let i = Interpreter()
        run("m = gru(input: 3, hidden: 4, layers: 2, bidirectional: true, batch_first: true, seed: 5)", in: i)
        let layer = try RecurrentLayer(.gru, inputSize: 3, hiddenSize: 4, numLayers: 2, batchFirst: true, bidirectional: true, seed: 5)
        let x = try Tensor.randn([2, 5, 3], seed: 0)
        define("x", .tensor(x), in: i)
        let out = try layer(x)
        #expect(tensor("m(x).output", in: i).storage == out.output.storage)
        #expect(tensor("m(x).h", in: i).storage == out.hn.storage)
        #expect(tensor("m(x).hn", in: i).storage == out.hn.storage)
        #expect(show("m.weight_hh_l1_reverse.shape", in: i) == "[12, 4]")
        #expect(show("len(m.parameters)", in: i) == "16")
        #expect(show("m", in: i) == "gru(input: 3, hidden: 4, layers: 2, bidirectional: true, batch_first: true) with \(layer.parameterCount) parameters")
        #expect(show("m.eval().training", in: i) == "false")
        #expect(show("train(m).training", in: i) == "true")
        #expect(show("parameters(m).weight_ih_l0.shape", in: i) == "[12, 3]")

        #expect(show("m = rnn(input: 2, hidden: 3, nonlinearity: \"relu\"); m.hidden_size") == "3")
        let relu = try RecurrentLayer(.rnnReLU, inputSize: 2, hiddenSize: 3, seed: 9)
        let xr = try Tensor.randn([4, 2], seed: 1)
        let j = Interpreter()
        define("x", .tensor(xr), in: j)
        #expect(tensor("rnn(input: 2, hidden: 3, nonlinearity: \"relu\", seed: 9)(x).output", in: j).storage == (try relu(xr)).output.storage)
        #expect(tensor("lstm(input: 2, hidden: 3, seed: 9)(x, h0: ones(1, 3), c0: ones(1, 3)).c", in: j).storage
                == (try RecurrentLayer(.lstm, inputSize: 2, hiddenSize: 3, seed: 9)(xr, h0: Tensor.ones([1, 3]), c0: Tensor.ones([1, 3]))).cn?.storage)
        #expect(show("lstm(input: 2, hidden: 2, layers: 2, dropout: 0.5, bias: false)") == "lstm(input: 2, hidden: 2, layers: 2, dropout: 0.5, bias: false) with 64 parameters")
    }

    @Test func cells() throws {
        let x = try Tensor.randn([2, 3], seed: 0), h = try Tensor.randn([2, 4], seed: 1)
        let i = Interpreter()
        define("x", .tensor(x), in: i); define("h", .tensor(h), in: i)
        for (name, kind) in [("rnn_cell", RecurrentKind.rnnTanh), ("gru_cell", .gru)] {
            let cell = try RecurrentCell(kind, inputSize: 3, hiddenSize: 4, seed: 2)
            #expect(tensor("\(name)(input: 3, hidden: 4, seed: 2)(x, h)", in: i).storage == (try cell(x, h: h)).h.storage)
        }
        let lstmCell = try RecurrentCell(.lstm, inputSize: 3, hiddenSize: 4, seed: 2)
        let expected = try lstmCell(x, h: h, c: h)
        #expect(tensor("s = lstm_cell(input: 3, hidden: 4, seed: 2)(x, h, h); s.c", in: i).storage == expected.c?.storage)
        #expect(tensor("s.h", in: i).storage == expected.h.storage)
        #expect(show("rnn_cell(input: 3, hidden: 4, nonlinearity: \"relu\").weight_ih.shape") == "[4, 3]")
    }

    @Test func linearAndEmbedding() throws {
        let lin = try Linear(inFeatures: 3, outFeatures: 2, seed: 4)
        let x = try Tensor.randn([5, 3], seed: 0)
        let i = Interpreter()
        define("x", .tensor(x), in: i)
        #expect(tensor("linear(in: 3, out: 2, seed: 4)(x)", in: i).storage == (try lin(x)).storage)
        #expect(show("linear(in: 3, out: 2, bias: false).parameter_count") == "6")
        let emb = try Embedding(count: 5, dimension: 2, seed: 3)
        #expect(tensor("embedding(count: 5, dim: 2, seed: 3)([[0, 4], [4, 1]])").storage == (try emb(Tensor(literal: [[0, 4], [4, 1]]))).storage)
    }

    @Test func traces() throws {
        let i = Interpreter()
        run("""
        m = lstm(input: 3, hidden: 4, layers: 2, bidirectional: true, seed: 1)
        x = randn(5, 2, 3, seed: 0)
        out = m(x, trace: true)
        """, in: i)
        let layer = try RecurrentLayer(.lstm, inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, seed: 1)
        let trace = RecurrentTrace()
        let out = try layer(try Tensor.randn([5, 2, 3], seed: 0), trace: trace)
        #expect(tensor("out.trace.f[2]", in: i).storage == (try trace.entry()!.tensor("f")![2]).storage)
        #expect(tensor("out.trace.l1_reverse.c", in: i).storage == trace.entry(layer: 1, direction: 1)!.tensor("c")!.storage)
        #expect(failure("out.trace.dh", in: i).message.contains("no member 'dh'"))
        #expect(failure("out.trace.dh_norm", in: i).message.contains("no member 'dh_norm'"))
        // After backward the live trace record shows the gradients.
        run("backward(mse(out.output, zeros(5, 2, 8)))", in: i)
        try Loss.mse(out.output, Tensor.zeros([5, 2, 8])).backward()
        #expect(tensor("out.trace.dh_norm", in: i).storage == trace.gradients()!.tensor("dhNorm")!.storage)
        #expect(tensor("out.trace.l1.jacobian_norm", in: i).storage == trace.gradients(layer: 1)!.tensor("jacobianNorm")!.storage)
        #expect(tensor("m.weight_ih_l0.grad", in: i).storage == layer.weights[0][0].weightIH.grad!.storage)
        #expect(failure("m(x).trace", in: i).message.contains("no member 'trace'"))
    }

    @Test func lossesAgainstTheEngine() throws {
        let logits = try Tensor.randn([4, 3], seed: 0)
        let i = Interpreter()
        define("z", .tensor(logits), in: i)
        #expect(tensor("cross_entropy(z, [0, 2, 1, 2])", in: i).storage == (try Loss.crossEntropy(logits: logits, targets: [0, 2, 1, 2])).storage)
        #expect(tensor("cross_entropy(z, [0, -100, 1, 2], ignore_index: -100)", in: i).storage
                == (try Loss.crossEntropy(logits: logits, targets: [0, -100, 1, 2], ignoreIndex: -100)).storage)
        #expect(tensor("bce_with_logits(z, ones(4, 3))", in: i).storage == (try Loss.binaryCrossEntropyWithLogits(logits, Tensor.ones([4, 3]))).storage)
        #expect(tensor("mse(z, ones(4, 3))", in: i).storage == (try Loss.mse(logits, Tensor.ones([4, 3]))).storage)
        #expect(show("perplexity(0)") == "1")
        #expect(show("perplexity(tensor(0))") == "tensor(1)")
    }

    @Test func optimizersAndClipping() throws {
        // Three SGD-with-momentum steps in the language and in Swift give the same weights.
        let script = """
        m = linear(in: 3, out: 2, seed: 1)
        x = randn(4, 3, seed: 2)
        opt = sgd(m, lr: 0.1, momentum: 0.9, weight_decay: 0.01, nesterov: true)
        for k in 0..<3 { opt.zero_grad(); backward(mse(m(x), zeros(4, 2))); opt.step() }
        m.weight
        """
        let lin = try Linear(inFeatures: 3, outFeatures: 2, seed: 1)
        let x = try Tensor.randn([4, 3], seed: 2)
        let opt = try SGD(lin.parameters, lr: 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true)
        for _ in 0..<3 { opt.zeroGrad(); try Loss.mse(try lin(x), Tensor.zeros([4, 2])).backward(); try opt.step() }
        #expect(tensor(script).storage == lin.weight.storage)

        for (name, make) in [("adam(m, lr: 0.01, betas: [0.8, 0.9], eps: 1e-6, weight_decay: 0.1)",
                              { (p: [Tensor]) throws -> any Optimizer in try Adam(p, lr: 0.01, betas: (0.8, 0.9), eps: 1e-6, weightDecay: 0.1) }),
                             ("adamw(m, lr: 0.01)", { (p: [Tensor]) throws -> any Optimizer in try AdamW(p, lr: 0.01) })] {
            let l = try Linear(inFeatures: 3, outFeatures: 2, seed: 1)
            let o = try make(l.parameters)
            for _ in 0..<2 { o.zeroGrad(); try Loss.mse(try l(x), Tensor.ones([4, 2])).backward(); try o.step() }
            let s = "m = linear(in: 3, out: 2, seed: 1); x = randn(4, 3, seed: 2); opt = \(name)\nfor k in 0..<2 { zero_grad(opt); backward(mse(m(x), ones(4, 2))); step(opt) }\nm.bias"
            #expect(tensor(s).storage == l.bias!.storage)
        }
        #expect(show("opt = adam(linear(in: 1, out: 1)); opt.lr = 0.5; opt.lr") == "0.5")
        #expect(show("opt = sgd(linear(in: 1, out: 1), lr: 0.1); opt") == "sgd(lr: 0.1) over 2 tensors")

        #expect(number("w = param([3, 4]); backward(sum(w * w)); clip_grad_norm([w], max_norm: 1)") == 10)
        #expect(show("w = param([3, 4]); backward(sum(w * w)); clip_grad_norm([w], max_norm: 1); round(w.grad, 4)") == "tensor([0.6, 0.8])")
        #expect(number("w = param([3, 4]); backward(sum(w * w)); clip_grad_norm([w], 1, norm_type: \"inf\")") == 8)
        #expect(show("w = param([3, 4]); backward(sum(w * w)); clip_grad_value([w], 7); w.grad") == "tensor([6, 7])")
        #expect(number("w = param([3, 4]); backward(sum(w * w)); grad_norm(w)") == 10)
        #expect(show("m = linear(in: 2, out: 1); backward(sum(m([1, 1]))); m.clip_grad_norm(max_norm: 100) > 0") == "true")
    }

    @Test func truncatedBPTT() throws {
        var texts: [String] = []
        let i = Interpreter(emit: { if case let .text(t) = $0 { texts.append(t) } })
        run("""
        m = rnn(input: 1, hidden: 2, seed: 0)
        x = randn(7, 1, 1, seed: 3)
        final = truncated_bptt(m, x, chunk: 3, body: fn(c) { print(c.index, c.start, c.stop, c.output.shape) })
        """, in: i)
        // The shape (a list of numbers) joins the numbers before it on one line.
        #expect(texts == ["0 0 3 [3, 1, 2]", "1 3 6 [3, 1, 2]", "2 6 7 [1, 1, 2]"])
        let layer = try RecurrentLayer(.rnnTanh, inputSize: 1, hiddenSize: 2, seed: 0)
        #expect(tensor("final.h", in: i).storage == (try layer(try Tensor.randn([7, 1, 1], seed: 3))).hn.storage)
    }

    @Test func filesRoundTrip() throws {
        let dir = try temporaryDirectory("script")
        defer { try? FileManager.default.removeItem(at: dir) }
        let npy = dir.appendingPathComponent("x.npy").path, npz = dir.appendingPathComponent("w.npz").path
        #expect(show("save_npy([[1, 2], [3, 4.5]], \"\(npy)\"); load_npy(\"\(npy)\")") == "tensor([[1, 2], [3, 4.5]])")
        #expect(try NPY.read(contentsOf: URL(fileURLWithPath: npy)).storage == [1, 2, 3, 4.5])
        let i = Interpreter()
        run("a = lstm(input: 2, hidden: 3, seed: 1); save_npz(a, \"\(npz)\"); b = lstm(input: 2, hidden: 3, seed: 2); load_npz(b, \"\(npz)\")", in: i)
        #expect(show("all(a.weight_ih_l0 == b.weight_ih_l0)", in: i) == "true")
        #expect(show("w = load(\"\(npz)\"); w.bias_hh_l0.shape", in: i) == "[12]")
        run("c = lstm(input: 2, hidden: 3, seed: 3); load(c, \"\(npz)\")", in: i)
        #expect(show("all(a.weight_hh_l0 == c.weight_hh_l0)", in: i) == "true")
        let e = failure("g = gru(input: 2, hidden: 3); load_npz(g, \"\(npz)\")", in: i)
        #expect(e.message.contains("weight_ih_l0"))
        let rec = dir.appendingPathComponent("r.npz").path
        #expect(show("save_npz(record(a: [1, 2], b: eye(2)), \"\(rec)\"); load_npz(\"\(rec)\").b") == "tensor([[1, 0], [0, 1]])")
        #expect(failure("load_npy(\"\(dir.path)/missing.npy\")").message.contains("missing.npy"))
    }

    @Test func figures() throws {
        func figure(_ s: String) -> Figure? { if case let .figure(f) = value(s) { return f }; return nil }
        #expect(figure("spark([1, 3, 2], title: \"t\")") == Figure.sparkline([1, 3, 2], title: "t"))
        #expect(figure("heatmap([[1, -1], [0, 2]])") == Figure.heatmap([[1, -1], [0, 2]]))
        #expect(figure("heatmap(zeros(3, 1, 2))")?.matrix.count == 3)
        #expect(figure("heatmap(eye(2), row_labels: [\"a\", \"b\"], col_labels: [\"x\", \"y\"], scale: \"sequential\", x_label: \"unit\", y_label: \"t\")")
                == Figure.heatmap([[1, 0], [0, 1]], rowLabels: ["a", "b"], columnLabels: ["x", "y"], scale: .sequential, xLabel: "unit", yLabel: "t"))
        #expect(figure("plot([1, 2], [3, 4], labels: [\"a\", \"b\"], log: true, title: \"loss\", height: 5)")
                == Figure.linePlot([[1, 2], [3, 4]], labels: ["a", "b"], title: "loss", logScale: true, height: 5))
        #expect(figure("plot([1, 2], x: [10, 20], x_label: \"step\", y_label: \"loss\")")
                == Figure.linePlot([[1, 2]], x: [10, 20], xLabel: "step", yLabel: "loss"))
        #expect(figure("bars([3, 1], labels: [\"a\", \"b\"], title: \"n\")") == Figure.bars([3, 1], labels: ["a", "b"], title: "n"))
        #expect(failure("bars([1], labels: [\"a\", \"b\"])").message.contains("1 values but 2 labels"))
        // Numbers are labels too, written as print writes them.
        #expect(figure("bars(arange(3), labels: 0..<3)")?.labels == ["0", "1", "2"])
        #expect(figure("bars([1, 2], labels: [0.5, \"b\"])")?.labels == ["0.5", "b"])
        #expect(figure("plot([1, 2], [3, 4], labels: arange(2) * 10)")?.seriesLabels == ["0", "10"])
        #expect(figure("heatmap(eye(2), row_labels: 1..<3, col_labels: [10, 20])")
                == Figure.heatmap([[1, 0], [0, 1]], rowLabels: ["1", "2"], columnLabels: ["10", "20"]))
        #expect(failure("bars([1], labels: [zeros(2)])").message.contains("'labels' must be a list of strings or numbers, found tensor"))
        #expect(failure("heatmap(eye(2), row_labels: 3)").message.contains("'row_labels' must be a list of strings or numbers"))
        // A 2-D tensor is one line per column, named after it; more dimensions are refused.
        #expect(figure("plot([[1, 10], [2, 20], [3, 30]])") == Figure.linePlot([[1, 2, 3], [10, 20, 30]], labels: ["column 0", "column 1"]))
        #expect(figure("plot([5, 6, 7], [[1, 10], [2, 20], [3, 30]])")?.seriesLabels == ["series 1", "series 2, column 0", "series 2, column 1"])
        #expect(figure("plot(zeros(5, 4), labels: [\"a\", \"b\", \"c\", \"d\"])")?.series.count == 4)
        #expect(failure("plot(zeros(2, 3, 4))").message.contains("shape (2, 3, 4)"))
        #expect(show("spark([1, 2]).kind") == "\"sparkline\"")
        #expect(show("spark([1, 2], title: \"x\")") == "<figure sparkline \"x\">")
    }

    @Test func languageUtilities() {
        #expect(show("len(list(1, 2, 3))") == "3")
        #expect(show("len(\"abc\")") == "3")
        #expect(show("len(record(a: 1))") == "1")
        #expect(show("str(1.5) + str(true)") == "\"1.5true\"")
        #expect(show("number(\"2.5\") + number(sum([1, 2]))") == "5.5")
        #expect(show("list(arange(3))") == "[0, 1, 2]")
        #expect(show("len(list(zeros(2, 3)))") == "2")
        #expect(show("list(\"ab\")") == "[\"a\", \"b\"]")
        #expect(show("range(4)") == "[0, 1, 2, 3]")
        #expect(show("range(5, 0, -2)") == "[5, 3, 1]")
        #expect(show("shape(zeros(2, 1))") == "[2, 1]")
        #expect(show("type(lstm(input: 1, hidden: 1))") == "\"model\"")
    }

    @Test func everyBuiltinHasDocAndAnExampleThatRuns() {
        let i = Interpreter()
        for b in i.builtinList {
            #expect(!b.doc.isEmpty, "\(b.name) has no doc")
            #expect(!b.example.isEmpty, "\(b.name) has no example")
            #expect(b.signature.hasPrefix(b.name + "("), "\(b.name)'s signature")
            let (_, error) = Interpreter().run(b.example)
            #expect(error == nil, "example of \(b.name) fails: \(error.map { "\($0)" } ?? "")")
            #expect(i.help(b.name)?.contains(b.example.components(separatedBy: "\n")[0]) == true)
        }
        #expect(i.builtinList.count >= 80)
    }
}
