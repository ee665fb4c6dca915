import Foundation
import Testing
@testable import Engine

/// The PyTorch float32 reference cases written by `scripts/make_float32_fixtures.py` into
/// `Tests/EngineTests/Fixtures/torch32/`: `nn.RNN` (tanh, relu), `nn.LSTM` and `nn.GRU`, and the
/// SGD, Adam and AdamW steps, computed by PyTorch in float32, its default dtype.
///
/// The files have the layout of the float64 ones, so they are parsed by ``TorchFixture/parse(_:name:)``
/// and read with its accessors; only the folder differs. Every value in them is a float32 written
/// as the shortest decimal of the same number held as a Double, so it parses to exactly the
/// float32 value widened (`Double(Float(v)) == v`), which is how a float32 tensor holds its
/// elements in the engine.
///
/// ```swift
/// let f = try TorchFloat32Fixture.load("lstm_2layer_bidir")
/// let c = try Float32RecurrentCase.load("lstm_2layer_bidir")   // the same, sorted for a parity test
/// ```
enum TorchFloat32Fixture {
    /// `Tests/EngineTests/Fixtures/torch32`, found from this source file's path.
    static var directory: URL { TorchFixture.directory(folder: "torch32") }

    /// The JSON file that holds case `name`.
    static func url(_ name: String) -> URL { TorchFixture.url(name, in: directory) }

    /// `lstm_2layer_bidir`'s `state_dict` exactly as `np.savez(f, **{k: v.detach().numpy()})`
    /// writes it: sixteen `<f4` arrays under PyTorch's names, in PyTorch's order.
    static let stateDictNPZCase = "lstm_2layer_bidir"
    static var stateDictNPZ: URL {
        directory.appendingPathComponent("\(stateDictNPZCase).state_dict.npz", isDirectory: false)
    }

    /// The optimizer cases (Float32OptimizerTests): make_fixtures.py's six, in float32 on a larger problem.
    static let optimizerNames = ["sgd_plain", "sgd_momentum", "sgd_nesterov", "adam_default", "adam_weight_decay", "adamw"]

    /// Names of every JSON case in the folder, sorted.
    static func allNames() throws -> [String] { try TorchFixture.allNames(in: directory) }

    /// Reads and parses `Fixtures/torch32/<name>.json`.
    static func load(_ name: String) throws -> TorchFixture {
        let url = url(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw TorchFixture.Failure.malformed(
                name: name,
                reason: "no file at \(url.path) (run `../shared/bench/.venv/bin/python scripts/make_float32_fixtures.py`)")
        }
        return try TorchFixture.parse(Data(contentsOf: url), name: name)
    }

    /// The values among `values` that a Float cannot hold exactly (at most `limit` of them, in order).
    static func valuesNotFloat(_ values: [Double], limit: Int = 5) -> [Double] {
        var found: [Double] = []
        for v in values where Double(Float(v)).bitPattern != v.bitPattern {
            found.append(v)
            if found.count == limit { break }
        }
        return found
    }
}

/// One float32 recurrent case, sorted into what a parity test needs: how to build the layer, the
/// state dict to load, the inputs and upstream gradients to feed, and the tensors to expect.
///
/// The tensors hold PyTorch's float32 values widened to Double (the engine's storage); a float32
/// test converts them to its dtype, which is exact. `load` hands out fresh tensors each time.
///
/// ```swift
/// let c = try Float32RecurrentCase.load("gru_bidir")
/// let layer = try RecurrentLayer(c.kind, inputSize: c.inputSize, hiddenSize: c.hiddenSize,
///                                numLayers: c.numLayers, batchFirst: c.batchFirst, bidirectional: c.bidirectional)
/// try layer.loadStateDict(c.stateDict)
/// let r = try layer(c.x, h0: c.h0, c0: c.c0)
/// c.fixture.expectClose(r.output, to: "out", tol: …)   // or compare with c.expected["out"]
/// ```
struct Float32RecurrentCase {
    /// Every case the script writes, in its order: RNN tanh and relu, LSTM, GRU, each 1 layer,
    /// 2 layers and bidirectional, then 2-layer bidirectional LSTM and GRU.
    static let names = [
        "rnn_tanh_1layer", "rnn_tanh_2layer", "rnn_tanh_bidir",
        "rnn_relu_1layer", "rnn_relu_2layer", "rnn_relu_bidir",
        "lstm_1layer", "lstm_2layer", "lstm_bidir", "lstm_2layer_bidir",
        "gru_1layer", "gru_2layer", "gru_bidir", "gru_2layer_bidir",
    ]

    let name: String
    /// The parsed file, for its `expectClose(_:to:tol:)` and config.
    let fixture: TorchFixture

    // How to build the layer.
    let kind: RecurrentKind
    let inputSize: Int, hiddenSize: Int, numLayers: Int
    let batchFirst: Bool, bidirectional: Bool
    let seqLen: Int, batch: Int

    /// PyTorch's state_dict names in PyTorch's order (`weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`,
    /// `bias_hh_l0`, then `_reverse`, then the next layer).
    let parameterNames: [String]
    /// Each of ``parameterNames`` with its tensor, for `loadStateDict`.
    let stateDict: [String: Tensor]

    // Inputs: x is (T, B, I), or (B, T, I) when batch first; h0/c0 are (L·D, B, H) or absent.
    let x: Tensor
    let h0: Tensor?
    let c0: Tensor?

    // Upstream gradients for out, hn and cn (LSTM only).
    let dout: Tensor
    let dhn: Tensor
    let dcn: Tensor?

    /// `out`, `hn`, `cn` (LSTM), `grad.<parameter>` for every parameter, `grad.x`, and `grad.h0`/
    /// `grad.c0` when h0/c0 were given: the gradients of Σ out⊙dout + Σ hn⊙dhn (+ Σ cn⊙dcn).
    let expected: [String: Tensor]

    var isLSTM: Bool { kind == .lstm }
    var directions: Int { bidirectional ? 2 : 1 }

    /// PyTorch's state_dict names and shapes for this configuration, in PyTorch's order.
    static func parameterShapes(kind: RecurrentKind, inputSize: Int, hiddenSize: Int, numLayers: Int,
                                bidirectional: Bool) -> [(name: String, shape: [Int])] {
        let rows = kind.gateCount * hiddenSize, D = bidirectional ? 2 : 1
        var result: [(String, [Int])] = []
        for layer in 0..<numLayers {
            let columns = layer == 0 ? inputSize : D * hiddenSize
            for suffix in bidirectional ? ["", "_reverse"] : [""] {
                result.append(("weight_ih_l\(layer)\(suffix)", [rows, columns]))
                result.append(("weight_hh_l\(layer)\(suffix)", [rows, hiddenSize]))
                result.append(("bias_ih_l\(layer)\(suffix)", [rows]))
                result.append(("bias_hh_l\(layer)\(suffix)", [rows]))
            }
        }
        return result
    }

    /// Loads `Fixtures/torch32/<name>.json` and sorts its tensors; a missing tensor or an unknown
    /// mode is an error naming the case.
    static func load(_ name: String) throws -> Float32RecurrentCase {
        let f = try TorchFloat32Fixture.load(name)
        let mode = try f.string("mode")
        guard let kind = RecurrentKind(rawValue: mode) else {
            throw TorchFixture.Failure.malformed(name: name, reason: "unknown recurrent mode '\(mode)'")
        }
        let inputSize = try f.int("input_size"), hiddenSize = try f.int("hidden_size")
        let numLayers = try f.int("num_layers"), bidirectional = try f.bool("bidirectional")
        let names = parameterShapes(kind: kind, inputSize: inputSize, hiddenSize: hiddenSize,
                                    numLayers: numLayers, bidirectional: bidirectional).map(\.name)
        var stateDict: [String: Tensor] = [:]
        for p in names { stateDict[p] = try f.tensor(p) }

        var expectedKeys = ["out", "hn"] + names.map { "grad.\($0)" } + ["grad.x"]
        if kind == .lstm { expectedKeys.append("cn") }
        if f.has("h0") { expectedKeys.append("grad.h0") }
        if f.has("c0") { expectedKeys.append("grad.c0") }
        var expected: [String: Tensor] = [:]
        for key in expectedKeys { expected[key] = try f.tensor(key) }

        return Float32RecurrentCase(
            name: name, fixture: f, kind: kind, inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers,
            batchFirst: try f.bool("batch_first"), bidirectional: bidirectional,
            seqLen: try f.int("seq_len"), batch: try f.int("batch"),
            parameterNames: names, stateDict: stateDict,
            x: try f.tensor("x", requiresGrad: true),
            h0: f.has("h0") ? try f.tensor("h0", requiresGrad: true) : nil,
            c0: f.has("c0") ? try f.tensor("c0", requiresGrad: true) : nil,
            dout: try f.tensor("dout"), dhn: try f.tensor("dhn"), dcn: kind == .lstm ? try f.tensor("dcn") : nil,
            expected: expected)
    }

    /// Every case of ``names``.
    static func all() throws -> [Float32RecurrentCase] { try names.map(load) }
}
