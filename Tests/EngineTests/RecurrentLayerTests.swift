import Foundation
import Testing
@testable import Engine

/// PyTorch parity: every recurrent fixture made by scripts/make_fixtures.py is loaded into a
/// freshly built layer by state_dict name, run forward and backward with the same upstream
/// gradients, and compared to 1e-10.
@Suite struct RecurrentLayerParityTests {
    static let cases = [
        "rnn_tanh_1layer", "rnn_relu_1layer", "lstm_1layer", "gru_1layer", "lstm_no_h0",
        "rnn_tanh_2layer_batch_first", "lstm_2layer_bidir", "gru_2layer_bidir", "rnn_tanh_bidir_1layer", "lstm_long",
    ]

    @Test(arguments: cases)
    func matchesPyTorch(_ name: String) throws {
        let f = try TorchFixture.load(name)
        let kind = try #require(RecurrentKind(rawValue: try f.string("mode")))
        let layer = try RecurrentLayer(
            kind, inputSize: try f.int("input_size"), hiddenSize: try f.int("hidden_size"),
            numLayers: try f.int("num_layers"), batchFirst: try f.bool("batch_first"),
            bidirectional: try f.bool("bidirectional"))
        var state: [String: Tensor] = [:]
        for (name, _) in layer.namedParameters { state[name] = try f.tensor(name) }
        try layer.loadStateDict(state)

        let x = try f.tensor("x", requiresGrad: true)
        let h0 = f.has("h0") ? try f.tensor("h0", requiresGrad: true) : nil
        let c0 = f.has("c0") ? try f.tensor("c0", requiresGrad: true) : nil
        let result = try layer(x, h0: h0, c0: c0)
        f.expectClose(result.output, to: "out")
        f.expectClose(result.hn, to: "hn")
        if let cn = result.cn { f.expectClose(cn, to: "cn") }

        // L = Σ out⊙dout + Σ hn⊙dhn (+ Σ cn⊙dcn): its gradients are the vector–Jacobian products PyTorch computed.
        var loss = try (result.output * f.tensor("dout")).sum() + (result.hn * f.tensor("dhn")).sum()
        if let cn = result.cn { loss = try loss + (cn * f.tensor("dcn")).sum() }
        try loss.backward()
        for (name, p) in layer.namedParameters {
            f.expectClose(try #require(p.grad, "no gradient for \(name)"), to: "grad.\(name)")
        }
        f.expectClose(try #require(x.grad), to: "grad.x")
        if let h0 { f.expectClose(try #require(h0.grad), to: "grad.h0") }
        if let c0 { f.expectClose(try #require(c0.grad), to: "grad.c0") }
    }
}
