import Foundation
import Testing
@testable import Engine

// Checks of the PyTorch reference fixtures (scripts/make_fixtures.py) and of their loader
// (Support/TorchFixture.swift): every file loads, every number reads back bit for bit, every case
// holds the keys and shapes its config implies, and the stored values agree with each other when
// recomputed here in plain loops (which also proves the loader's row-major reading). None of
// this uses the engine's own operations: those are what the fixtures exist to test.

/// Every case the script writes.
private let expectedCases: Set<String> = [
    "rnn_tanh_1layer", "rnn_relu_1layer", "lstm_1layer", "gru_1layer", "lstm_no_h0",
    "rnn_tanh_2layer_batch_first", "lstm_2layer_bidir", "gru_2layer_bidir", "rnn_tanh_bidir_1layer", "lstm_long",
    "clip_grad_norm", "clip_grad_value",
    "sgd_plain", "sgd_momentum", "sgd_nesterov", "adam_default", "adam_weight_decay", "adamw",
    "loss_mse", "loss_cross_entropy", "loss_cross_entropy_ignore_index", "loss_bce_with_logits", "loss_perplexity",
    "linear", "embedding",
    "seq2seq_attention_gru", "seq2seq_attention_lstm",
]

/// The files actually present (an empty list here is caught by `folderHoldsEveryCase`).
private let fixtureNames: [String] = (try? TorchFixture.allNames()) ?? []

private let recomputeTol = 1e-12

// MARK: - Plain helpers

private func data(_ f: TorchFixture, _ key: String) throws -> [Double] { try f.tensor(key).storage }

private func expectValues(
    _ actual: [Double], _ expected: [Double], tol: Double = recomputeTol, _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let a = try! Tensor(shape: [actual.count], storage: actual)
    let b = try! Tensor(shape: [expected.count], storage: expected)
    expectClose(a, b, tol: tol, what, sourceLocation: sourceLocation)
}

/// The `[start, start+count)` slice of a row-major array.
private func slice(_ values: [Double], _ start: Int, _ count: Int) -> [Double] { Array(values[start..<(start + count)]) }

/// `m` (rows × cols, row-major) times vector `v`.
private func matVec(_ m: [Double], rows: Int, cols: Int, _ v: [Double]) -> [Double] {
    (0..<rows).map { r in (0..<cols).reduce(0.0) { $0 + m[r * cols + $1] * v[$1] } }
}

/// Splits a fixture file's text into (key, shape text, data tokens), one tensor per line as the
/// script writes them.
private func lexTensors(_ text: String) -> [(key: String, shape: [Int], tokens: [String])] {
    var result: [(String, [Int], [String])] = []
    for line in text.split(separator: "\n") {
        guard let shapeStart = line.range(of: #"{"shape": ["#), let dataStart = line.range(of: #""data": ["#),
              let keyOpen = line.firstIndex(of: "\"") else { continue }
        let afterKey = line.index(after: keyOpen)
        guard let keyClose = line[afterKey...].firstIndex(of: "\"") else { continue }
        let key = String(line[afterKey..<keyClose])
        let shapeText = line[shapeStart.upperBound...].prefix { $0 != "]" }
        let shape = shapeText.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces))! }
        let dataText = line[dataStart.upperBound...].prefix { $0 != "]" }
        let tokens = dataText.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        result.append((key, shape, tokens))
    }
    return result
}

// MARK: - Every file

@Test func folderHoldsEveryCase() throws {
    let present = Set(try TorchFixture.allNames())
    #expect(present == expectedCases,
            "missing: \(expectedCases.subtracting(present).sorted()), unexpected: \(present.subtracting(expectedCases).sorted())")
}

@Test(arguments: fixtureNames)
func fixtureReadsBackExactly(_ name: String) throws {
    let fixture = try TorchFixture.load(name)
    #expect(fixture.name == name)
    #expect(!fixture.tensorNames.isEmpty)
    #expect(!fixture.configKeys.isEmpty)

    // Independently of JSONSerialization: every number token in the file, parsed by Double(_:),
    // must equal what the loader produced, bit for bit.
    let text = try String(contentsOf: TorchFixture.url(name), encoding: .utf8)
    let lexed = lexTensors(text)
    #expect(lexed.count == fixture.tensorNames.count, "tensor lines vs parsed tensors")
    #expect(Set(lexed.map(\.key)) == Set(fixture.tensorNames))
    for (key, shape, tokens) in lexed {
        let t = try fixture.tensor(key)
        #expect(t.shape == shape, "\(name).\(key) shape")
        #expect(try fixture.shape(key) == shape)
        #expect(t.storage.count == shape.reduce(1, *), "\(name).\(key): data length vs shape")
        #expect(tokens.count == t.storage.count, "\(name).\(key): token count")
        var mismatches = 0
        for (token, value) in zip(tokens, t.storage) {
            guard let exact = Double(token) else {
                Issue.record("\(name).\(key): unparsable token \(token)")
                continue
            }
            if exact.bitPattern != value.bitPattern { mismatches += 1 }
            #expect(exact.isFinite)
        }
        #expect(mismatches == 0, "\(name).\(key): \(mismatches) values differ from the file's decimal text")
    }
    // Scalars are rank 0 with one element.
    for key in fixture.tensorNames where try fixture.shape(key).isEmpty {
        #expect(try fixture.tensor(key).count == 1)
        _ = try fixture.scalar(key)
    }
}

// MARK: - Recurrent layers

private let recurrentCases = ["rnn_tanh_1layer", "rnn_relu_1layer", "lstm_1layer", "gru_1layer", "lstm_no_h0",
                              "rnn_tanh_2layer_batch_first", "lstm_2layer_bidir", "gru_2layer_bidir",
                              "rnn_tanh_bidir_1layer", "lstm_long"]

/// PyTorch's state_dict names and shapes for a recurrent module with this config.
private func recurrentParameters(_ f: TorchFixture) throws -> [(name: String, shape: [Int])] {
    let gates = ["RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3][try f.string("mode")]!
    let I = try f.int("input_size"), H = try f.int("hidden_size"), L = try f.int("num_layers")
    let D = try f.bool("bidirectional") ? 2 : 1
    var params: [(String, [Int])] = []
    for layer in 0..<L {
        for suffix in D == 2 ? ["", "_reverse"] : [""] {
            let inputSize = layer == 0 ? I : D * H
            params.append(("weight_ih_l\(layer)\(suffix)", [gates * H, inputSize]))
            params.append(("weight_hh_l\(layer)\(suffix)", [gates * H, H]))
            params.append(("bias_ih_l\(layer)\(suffix)", [gates * H]))
            params.append(("bias_hh_l\(layer)\(suffix)", [gates * H]))
        }
    }
    return params
}

@Test(arguments: recurrentCases)
func recurrentFixtureHasTheKeysItsConfigImplies(_ name: String) throws {
    let f = try TorchFixture.load(name)
    let mode = try f.string("mode")
    #expect(["RNN_TANH", "RNN_RELU", "LSTM", "GRU"].contains(mode))
    let H = try f.int("hidden_size"), L = try f.int("num_layers"), T = try f.int("seq_len"), B = try f.int("batch")
    let I = try f.int("input_size"), D = try f.bool("bidirectional") ? 2 : 1
    let batchFirst = try f.bool("batch_first"), hasH0 = try f.bool("has_h0"), isLSTM = mode == "LSTM"

    var expected: [String: [Int]] = [:]
    for (param, shape) in try recurrentParameters(f) {
        expected[param] = shape
        expected["grad.\(param)"] = shape
    }
    let xShape = batchFirst ? [B, T, I] : [T, B, I]
    let outShape = batchFirst ? [B, T, D * H] : [T, B, D * H]
    let stateShape = [L * D, B, H]
    for key in ["x", "grad.x"] { expected[key] = xShape }
    for key in ["out", "dout"] { expected[key] = outShape }
    for key in ["hn", "dhn"] { expected[key] = stateShape }
    if hasH0 { for key in ["h0", "grad.h0"] { expected[key] = stateShape } }
    if isLSTM {
        for key in ["cn", "dcn"] { expected[key] = stateShape }
        if hasH0 { for key in ["c0", "grad.c0"] { expected[key] = stateShape } }
    }
    #expect(Set(f.tensorNames) == Set(expected.keys),
            "missing \(Set(expected.keys).subtracting(f.tensorNames).sorted()), extra \(Set(f.tensorNames).subtracting(expected.keys).sorted())")
    for (key, shape) in expected where f.has(key) {
        #expect(try f.shape(key) == shape, "\(name).\(key)")
    }

    // hn of the top layer is out at the last step (forward direction) and at the first step
    // (reverse direction): checks the layouts of out/hn, batch_first included.
    let out = try data(f, "out"), hn = try data(f, "hn")
    func outRow(t: Int, b: Int) -> Int { (batchFirst ? b * T + t : t * B + b) * D * H }
    for b in 0..<B {
        let top = (L - 1) * D
        #expect(slice(out, outRow(t: T - 1, b: b), H) == slice(hn, (top * B + b) * H, H), "\(name): forward hn, batch \(b)")
        if D == 2 {
            #expect(slice(out, outRow(t: 0, b: b) + H, H) == slice(hn, ((top + 1) * B + b) * H, H),
                    "\(name): reverse hn, batch \(b)")
        }
    }
    // The upstream gradients are random, not copies of the outputs.
    #expect(try data(f, "dout") != out)
}

/// A single-layer unidirectional Elman RNN run here in plain loops must reproduce `out` and `hn`.
@Test(arguments: ["rnn_tanh_1layer", "rnn_relu_1layer"])
func plainRNNReproducesTheFixture(_ name: String) throws {
    let f = try TorchFixture.load(name)
    let I = try f.int("input_size"), H = try f.int("hidden_size"), T = try f.int("seq_len"), B = try f.int("batch")
    #expect(try f.int("num_layers") == 1 && !(try f.bool("bidirectional")) && !(try f.bool("batch_first")))
    let relu = try f.string("mode") == "RNN_RELU"
    let wih = try data(f, "weight_ih_l0"), whh = try data(f, "weight_hh_l0")
    let bih = try data(f, "bias_ih_l0"), bhh = try data(f, "bias_hh_l0")
    let x = try data(f, "x"), h0 = try data(f, "h0")
    var out: [Double] = []
    var hn: [Double] = []
    var h = (0..<B).map { slice(h0, $0 * H, H) }
    for t in 0..<T {
        for b in 0..<B {
            let a = matVec(wih, rows: H, cols: I, slice(x, (t * B + b) * I, I))
            let r = matVec(whh, rows: H, cols: H, h[b])
            h[b] = (0..<H).map { j in
                let z = a[j] + bih[j] + r[j] + bhh[j]
                return relu ? max(z, 0) : tanh(z)
            }
            out += h[b]
        }
    }
    for b in 0..<B { hn += h[b] }
    expectValues(out, try data(f, "out"), "\(name) out")
    expectValues(hn, try data(f, "hn"), "\(name) hn")
}

// MARK: - Clipping

@Test func clipGradNormIsConsistentWithItsSource() throws {
    let f = try TorchFixture.load("clip_grad_norm")
    let source = try TorchFixture.load(try f.string("source_case"))
    let params = try recurrentParameters(source).map(\.name)
    #expect(Set(f.tensorNames) == Set(params.map { "grad.\($0)" } + params.map { "clipped.\($0)" } + ["total_norm"]))
    #expect(try f.shape("total_norm") == [])

    var sumSquares = 0.0
    for p in params {
        let g = try data(f, "grad.\(p)")
        #expect(g == (try data(source, "grad.\(p)")), "grad.\(p) is the source case's gradient")
        sumSquares += g.reduce(0) { $0 + $1 * $1 }
    }
    let total = try f.scalar("total_norm")
    #expect(abs(total - sumSquares.squareRoot()) <= recomputeTol)
    let coefficient = min(1, try f.double("max_norm") / (total + f.double("eps")))
    #expect(coefficient < 1, "the case should actually clip")
    for p in params {
        let clipped = try f.tensor("clipped.\(p)")
        #expect(clipped.shape == (try f.shape("grad.\(p)")))
        expectValues(clipped.storage, try data(f, "grad.\(p)").map { $0 * coefficient }, "clipped.\(p)")
    }
}

@Test func clipGradValueClampsEveryElement() throws {
    let f = try TorchFixture.load("clip_grad_value")
    let source = try TorchFixture.load(try f.string("source_case"))
    let params = try recurrentParameters(source).map(\.name)
    #expect(Set(f.tensorNames) == Set(params.map { "grad.\($0)" } + params.map { "valueclipped.\($0)" }))
    let limit = try f.double("clip_value")
    var clippedCount = 0
    for p in params {
        let g = try data(f, "grad.\(p)")
        #expect(g == (try data(source, "grad.\(p)")))
        #expect(try f.shape("valueclipped.\(p)") == f.shape("grad.\(p)"))
        #expect(try data(f, "valueclipped.\(p)") == g.map { min(max($0, -limit), limit) }, "valueclipped.\(p)")
        clippedCount += g.filter { abs($0) > limit }.count
    }
    #expect(clippedCount > 0, "the case should actually clip")
}

// MARK: - Optimizers

private let optimizerCases = ["sgd_plain", "sgd_momentum", "sgd_nesterov", "adam_default", "adam_weight_decay", "adamw"]

/// mse_loss(X @ W.T + b, Y) and its gradients, X: n×k, W: o×k, b: o, Y: n×o.
private func linearMSE(_ W: [Double], _ b: [Double], _ X: [Double], _ Y: [Double], n: Int, k: Int, o: Int)
    -> (loss: Double, gW: [Double], gb: [Double]) {
    var loss = 0.0
    var gW = [Double](repeating: 0, count: o * k), gb = [Double](repeating: 0, count: o)
    let scale = 2.0 / Double(n * o)
    for row in 0..<n {
        for out in 0..<o {
            var pred = b[out]
            for j in 0..<k { pred += X[row * k + j] * W[out * k + j] }
            let r = pred - Y[row * o + out]
            loss += r * r
            gb[out] += scale * r
            for j in 0..<k { gW[out * k + j] += scale * r * X[row * k + j] }
        }
    }
    return (loss / Double(n * o), gW, gb)
}

/// One parameter's optimizer state, updated as PyTorch's single-tensor (foreach=False) code does.
private struct PlainOptimizer {
    let f: TorchFixture
    var step = 0
    var buffer: [Double]? = nil
    var m: [Double] = [], v: [Double] = []

    mutating func update(_ p: inout [Double], _ grad: [Double]) throws {
        step += 1
        let lr = try f.double("lr"), wd = try f.double("weight_decay")
        if try f.string("optimizer") == "SGD" {
            let momentum = try f.double("momentum"), dampening = try f.double("dampening")
            var g = zip(grad, p).map { $0 + wd * $1 }
            if momentum != 0 {
                let buf = buffer.map { zip($0, g).map { momentum * $0 + (1 - dampening) * $1 } } ?? g
                buffer = buf
                g = try f.bool("nesterov") ? zip(g, buf).map { $0 + momentum * $1 } : buf
            }
            p = zip(p, g).map { $0 - lr * $1 }
        } else {
            let b1 = try f.double("beta1"), b2 = try f.double("beta2"), eps = try f.double("eps")
            var g = grad
            if try f.bool("decoupled_weight_decay") {
                p = p.map { $0 * (1 - lr * wd) }
            } else {
                g = zip(g, p).map { $0 + wd * $1 }
            }
            if m.isEmpty { m = [Double](repeating: 0, count: p.count); v = m }
            m = zip(m, g).map { b1 * $0 + (1 - b1) * $1 }
            v = zip(v, g).map { b2 * $0 + (1 - b2) * $1 * $1 }
            let c1 = 1 - pow(b1, Double(step)), c2 = 1 - pow(b2, Double(step))
            for i in p.indices { p[i] -= lr / c1 * m[i] / (v[i].squareRoot() / c2.squareRoot() + eps) }
        }
    }
}

@Test(arguments: optimizerCases)
func optimizerFixtureIsReproducedFromItsConfig(_ name: String) throws {
    let f = try TorchFixture.load(name)
    let steps = try f.int("steps")
    #expect(steps == 3)
    var keys: Set<String> = ["X", "Y"]
    for s in 0...steps { keys.formUnion(["W\(s)", "b\(s)"]) }
    for s in 0..<steps { keys.insert("loss\(s)") }
    #expect(Set(f.tensorNames) == keys)
    #expect(try f.shape("X") == [5, 4] && f.shape("Y") == [5, 3])
    for s in 0...steps { #expect(try f.shape("W\(s)") == [3, 4] && f.shape("b\(s)") == [3]) }
    for s in 0..<steps { #expect(try f.shape("loss\(s)") == []) }
    #expect(try !f.bool("maximize"))
    if try f.string("optimizer") != "SGD" { #expect(try !f.bool("amsgrad")) }

    let X = try data(f, "X"), Y = try data(f, "Y")
    var W = try data(f, "W0"), b = try data(f, "b0")
    var optW = PlainOptimizer(f: f), optB = PlainOptimizer(f: f)
    for s in 0..<steps {
        let (loss, gW, gb) = linearMSE(W, b, X, Y, n: 5, k: 4, o: 3)
        #expect(abs(loss - (try f.scalar("loss\(s)"))) <= recomputeTol, "\(name) loss\(s)")
        try optW.update(&W, gW)
        try optB.update(&b, gb)
        expectValues(W, try data(f, "W\(s + 1)"), "\(name) W\(s + 1)")
        expectValues(b, try data(f, "b\(s + 1)"), "\(name) b\(s + 1)")
    }
    #expect(try f.scalar("loss2") < f.scalar("loss0"), "\(name) should descend")
}

// MARK: - Losses

/// Mean cross-entropy over rows whose target is not `ignore`, and its gradient wrt the logits.
private func crossEntropy(_ logits: [Double], _ targets: [Double], classes c: Int, ignore: Int)
    -> (loss: Double, grad: [Double]) {
    let rows = targets.count
    let counted = targets.filter { Int($0) != ignore }.count
    var loss = 0.0
    var grad = [Double](repeating: 0, count: logits.count)
    for r in 0..<rows where Int(targets[r]) != ignore {
        let row = slice(logits, r * c, c)
        let top = row.max()!
        let sum = row.reduce(0) { $0 + exp($1 - top) }
        let target = Int(targets[r])
        loss += top + log(sum) - row[target]
        for j in 0..<c { grad[r * c + j] = (exp(row[j] - top) / sum - (j == target ? 1 : 0)) / Double(counted) }
    }
    return (loss / Double(counted), grad)
}

@Test func mseLossFixture() throws {
    let f = try TorchFixture.load("loss_mse")
    #expect(Set(f.tensorNames) == ["pred", "target", "loss", "grad.pred"])
    #expect(try f.shape("pred") == [4, 3] && f.shape("target") == [4, 3] && f.shape("grad.pred") == [4, 3])
    let diff = zip(try data(f, "pred"), try data(f, "target")).map { $0 - $1 }
    #expect(abs(diff.reduce(0) { $0 + $1 * $1 } / 12 - (try f.scalar("loss"))) <= recomputeTol)
    expectValues(diff.map { 2 * $0 / 12 }, try data(f, "grad.pred"), "mse grad")
}

@Test(arguments: ["loss_cross_entropy", "loss_cross_entropy_ignore_index"])
func crossEntropyFixture(_ name: String) throws {
    let f = try TorchFixture.load(name)
    #expect(Set(f.tensorNames) == ["logits", "target", "loss", "grad.logits"])
    let c = try f.int("num_classes"), ignore = try f.int("ignore_index")
    #expect(try f.shape("logits") == [6, c] && f.shape("target") == [6] && f.shape("grad.logits") == [6, c])
    let targets = try data(f, "target")
    #expect(targets.allSatisfy { $0 == $0.rounded() && (0..<Double(c)).contains($0) }, "integer class targets")
    let (loss, grad) = crossEntropy(try data(f, "logits"), targets, classes: c, ignore: ignore)
    #expect(abs(loss - (try f.scalar("loss"))) <= recomputeTol)
    expectValues(grad, try data(f, "grad.logits"), "\(name) grad")
    if f.configKeys.contains("ignored_count") {
        let ignoredRows = targets.indices.filter { Int(targets[$0]) == ignore }
        #expect(ignoredRows.count == (try f.int("ignored_count")))
        let g = try data(f, "grad.logits")
        for r in ignoredRows { #expect(slice(g, r * c, c).allSatisfy { $0 == 0 }, "ignored row \(r) has zero gradient") }
    }
}

@Test func bceWithLogitsFixture() throws {
    let f = try TorchFixture.load("loss_bce_with_logits")
    #expect(Set(f.tensorNames) == ["logits", "target", "loss", "grad.logits"])
    let x = try data(f, "logits"), t = try data(f, "target")
    #expect(try f.shape("logits") == [4, 3] && x.count == t.count)
    #expect(t.allSatisfy { $0 == 0 || $0 == 1 } && t.contains(0) && t.contains(1))
    let n = Double(x.count)
    let loss = zip(x, t).reduce(0.0) { $0 + max($1.0, 0) - $1.0 * $1.1 + log1p(exp(-abs($1.0))) } / n
    #expect(abs(loss - (try f.scalar("loss"))) <= recomputeTol)
    expectValues(zip(x, t).map { (1 / (1 + exp(-$0)) - $1) / n }, try data(f, "grad.logits"), "bce grad")
}

@Test func perplexityFixture() throws {
    let f = try TorchFixture.load("loss_perplexity")
    #expect(Set(f.tensorNames) == ["logits", "target", "cross_entropy", "perplexity", "grad.logits"])
    let (ce, dce) = crossEntropy(try data(f, "logits"), try data(f, "target"), classes: try f.int("num_classes"), ignore: -100)
    #expect(abs(ce - (try f.scalar("cross_entropy"))) <= recomputeTol)
    let ppl = try f.scalar("perplexity")
    #expect(abs(ppl - exp(ce)) <= recomputeTol)
    expectValues(dce.map { $0 * ppl }, try data(f, "grad.logits"), "perplexity grad")
}

// MARK: - Linear and Embedding

@Test func linearFixture() throws {
    let f = try TorchFixture.load("linear")
    #expect(Set(f.tensorNames) == ["weight", "bias", "x", "y", "dy", "grad.weight", "grad.bias", "grad.x"])
    let k = try f.int("in_features"), o = try f.int("out_features")
    #expect(try f.shape("weight") == [o, k] && f.shape("bias") == [o] && f.shape("x") == [2, 5, k])
    #expect(try f.shape("y") == [2, 5, o] && f.shape("dy") == [2, 5, o] && f.shape("grad.x") == [2, 5, k])
    let W = try data(f, "weight"), b = try data(f, "bias"), x = try data(f, "x"), dy = try data(f, "dy")
    let rows = 10
    var y: [Double] = [], gx: [Double] = []
    var gW = [Double](repeating: 0, count: o * k), gb = [Double](repeating: 0, count: o)
    for r in 0..<rows {
        y += zip(matVec(W, rows: o, cols: k, slice(x, r * k, k)), b).map { $0 + $1 }
        gx += (0..<k).map { j in (0..<o).reduce(0.0) { $0 + dy[r * o + $1] * W[$1 * k + j] } }
        for i in 0..<o {
            gb[i] += dy[r * o + i]
            for j in 0..<k { gW[i * k + j] += dy[r * o + i] * x[r * k + j] }
        }
    }
    expectValues(y, try data(f, "y"), "linear y")
    expectValues(gx, try data(f, "grad.x"), "linear grad.x")
    expectValues(gW, try data(f, "grad.weight"), "linear grad.weight")
    expectValues(gb, try data(f, "grad.bias"), "linear grad.bias")
}

@Test func embeddingFixture() throws {
    let f = try TorchFixture.load("embedding")
    #expect(Set(f.tensorNames) == ["weight", "indices", "y", "dy", "grad.weight"])
    let n = try f.int("num_embeddings"), d = try f.int("embedding_dim")
    #expect(try f.shape("weight") == [n, d] && f.shape("grad.weight") == [n, d])
    #expect(try f.shape("indices") == [2, 3] && f.shape("y") == [2, 3, d] && f.shape("dy") == [2, 3, d])
    let indices = try data(f, "indices")
    #expect(indices == [1, 2, 2, 9, 0, 1])
    let weight = try data(f, "weight"), y = try data(f, "y"), dy = try data(f, "dy")
    var grad = [Double](repeating: 0, count: n * d)
    for (position, index) in indices.map({ Int($0) }).enumerated() {
        #expect(slice(y, position * d, d) == slice(weight, index * d, d), "row \(position) looks up \(index)")
        for j in 0..<d { grad[index * d + j] += dy[position * d + j] }
    }
    let stored = try data(f, "grad.weight")
    expectValues(grad, stored, "embedding grad.weight")
    for unused in Set(0..<n).subtracting(indices.map { Int($0) }) {
        #expect(slice(stored, unused * d, d).allSatisfy { $0 == 0 }, "unused row \(unused) has zero gradient")
    }
}

// MARK: - The loader itself

@Test func loaderAccessorsAndErrors() throws {
    let f = try TorchFixture.load("rnn_tanh_1layer")
    #expect(try f.string("mode") == "RNN_TANH")
    #expect(try f.int("hidden_size") == 4)
    #expect(try f.double("hidden_size") == 4)
    #expect(try f.bool("batch_first") == false)
    #expect(try f.bool("has_h0") == true)
    #expect(f.has("weight_ih_l0") && f.has("grad.h0") && !f.has("cn") && !f.has("weight_ih_l1"))
    #expect(f.names(withPrefix: "grad.") == ["grad.bias_hh_l0", "grad.bias_ih_l0", "grad.h0", "grad.weight_hh_l0",
                                             "grad.weight_ih_l0", "grad.x"])

    // Fresh tensor objects: mutating one does not change the fixture.
    let x = try f.tensor("x", requiresGrad: true)
    #expect(x.requiresGrad)
    x.storage[0] += 1
    #expect(try f.tensor("x").storage[0] == x.storage[0] - 1)

    #expect { try f.tensor("nope") } throws: { "\($0)".contains("rnn_tanh_1layer") && "\($0)".contains("'nope'") }
    #expect { try f.int("nope") } throws: { "\($0)".contains("no config key 'nope'") }
    #expect { try f.int("mode") } throws: { "\($0)".contains("not an integer") }
    #expect { try f.int("batch_first") } throws: { "\($0)".contains("a bool") }   // bools are not numbers
    #expect { try f.bool("hidden_size") } throws: { "\($0)".contains("not a bool") } // nor numbers bools
    #expect { try f.string("hidden_size") } throws: { "\($0)".contains("not a string") }
    #expect { try TorchFixture.load("no_such_case") } throws: { "\($0)".contains("make_fixtures.py") }

    let sgd = try TorchFixture.load("sgd_momentum")
    #expect(try sgd.double("lr") == 0.1 && sgd.double("dampening") == 0.1 && sgd.double("weight_decay") == 0.01)
    #expect { try sgd.int("lr") } throws: { "\($0)".contains("not an integer") }
}

@Test func parserTurnsEveryJSONNumberIntoTheExactDouble() throws {
    let tokens = ["0.30000000000000004", "0.1", "-0.48733754780140265", "1e-05", "2.2250738585072014e-308",
                  "1.7976931348623157e+308", "3", "-7", "0", "-0.0", "2.0", "123456789", "9007199254740992"]
    let json = """
        {"case": "t", "config": {"i": 3, "f": 3.0, "g": 0.1, "b": true},
         "tensors": {"v": {"shape": [\(tokens.count)], "data": [\(tokens.joined(separator: ", "))]},
                     "s": {"shape": [], "data": [42]}, "e": {"shape": [2, 0], "data": []}}}
        """
    let f = try TorchFixture.parse(Data(json.utf8), name: "t")
    let v = try f.tensor("v").storage
    #expect(v.map(\.bitPattern) == tokens.map { Double($0)!.bitPattern })
    #expect(try f.scalar("s") == 42 && f.tensor("s").shape == [])
    #expect(try f.tensor("e").shape == [2, 0] && f.tensor("e").count == 0)
    #expect(try f.int("i") == 3 && f.int("f") == 3 && f.double("i") == 3 && f.double("g") == 0.1 && f.bool("b"))

    func parseError(_ text: String, name: String = "t") -> String {
        do {
            _ = try TorchFixture.parse(Data(text.utf8), name: name)
            return "no error"
        } catch {
            return "\(error)"
        }
    }
    #expect(parseError(#"{"case": "t", "config": {}, "tensors": {"a": {"shape": [2, 2], "data": [1, 2, 3]}}}"#)
        .contains("3 values"))
    #expect(parseError(#"{"case": "t", "config": {}, "tensors": {"a": {"shape": [1], "data": [true]}}}"#)
        .contains("non-number"))
    #expect(parseError(#"{"case": "u", "config": {}, "tensors": {}}"#).contains("not the file name"))
    #expect(parseError(#"{"case": "t", "tensors": {}}"#).contains("config"))
    #expect(parseError("[1, 2]").contains("not an object"))
    #expect(parseError("{").contains("not valid JSON"))
}

@Test func expectCloseRecordsWhatWhereAndHowMuch() throws {
    let a = try Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6])
    let near = try Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5 + 1e-12, 6])
    #expect(expectClose(a, near, "within tolerance"))

    let far = try Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5.5, 6 + 1e-9])
    withKnownIssue {
        #expect(!expectClose(a, far, "demo values"))
    } matching: { issue in
        let text = issue.comments.map(\.rawValue).joined()
        return text.contains("demo values") && text.contains("[1, 1]") && text.contains("0.5") && text.contains("(2, 3)")
    }
    #expect(expectClose(a, far, tol: 0.6, "loose tolerance"))

    let reshaped = try Tensor(shape: [3, 2], storage: a.storage)
    withKnownIssue {
        expectClose(a, reshaped, "demo shapes")
    } matching: { issue in
        let text = issue.comments.map(\.rawValue).joined()
        return text.contains("demo shapes") && text.contains("(2, 3)") && text.contains("(3, 2)")
    }

    let nan = try Tensor(shape: [2, 3], storage: [1, 2, .nan, 4, 5, 6])
    withKnownIssue {
        expectClose(nan, a, "demo nan")
    } matching: { issue in issue.comments.map(\.rawValue).joined().contains("[0, 2]") }

    let f = try TorchFixture.load("loss_mse")
    let pred = try f.tensor("pred")
    #expect(f.expectClose(pred, to: "pred"))
    withKnownIssue {
        f.expectClose(pred, to: "target")
    } matching: { issue in issue.comments.map(\.rawValue).joined().contains("loss_mse.target") }
    withKnownIssue {
        f.expectClose(a, to: "missing_key")
    } matching: { issue in issue.comments.map(\.rawValue).joined().contains("missing_key") }
}
