import Foundation
import Testing
@testable import Engine

/// The optimizer a PyTorch optimizer fixture's config describes (`make_fixtures.py` and
/// `make_float32_fixtures.py` write the same keys): SGD with its momentum, dampening, weight
/// decay and Nesterov flag, Adam, or AdamW (`decoupled_weight_decay`), over `parameters`.
func makeOptimizer(_ f: TorchFixture, _ parameters: [Tensor]) throws -> any Optimizer {
    #expect(try !f.bool("maximize"))
    let lr = try f.double("lr"), weightDecay = try f.double("weight_decay")
    switch try f.string("optimizer") {
    case "SGD":
        return try SGD(
            parameters, lr: lr, momentum: f.double("momentum"), dampening: f.double("dampening"),
            weightDecay: weightDecay, nesterov: f.bool("nesterov"))
    case "Adam", "AdamW":
        #expect(try !f.bool("amsgrad"))
        let betas = (try f.double("beta1"), try f.double("beta2")), eps = try f.double("eps")
        if try f.bool("decoupled_weight_decay") {
            return try AdamW(parameters, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay)
        }
        return try Adam(parameters, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay)
    case let other:
        throw TorchFixture.Failure.malformed(name: f.name, reason: "unknown optimizer \(other)")
    }
}

/// Replays one optimizer case of `scripts/make_fixtures.py`: parameters W (3×4) and b (3), loss
/// mse(X @ Wᵀ + b, Y), and after each of the 3 steps W, b and the loss compared with PyTorch's.
/// Returns the largest absolute difference seen.
@discardableResult
func replayOptimizerFixture(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Double {
    let f = try TorchFixture.load(name)
    let X = try f.tensor("X"), Y = try f.tensor("Y")
    let W = try f.tensor("W0", requiresGrad: true), b = try f.tensor("b0", requiresGrad: true)
    let optimizer = try makeOptimizer(f, [W, b])
    var worst = 0.0
    func compare(_ actual: Tensor, _ key: String) throws {
        f.expectClose(actual, to: key, sourceLocation: sourceLocation)
        let expected = try f.tensor(key).storage
        for (a, e) in zip(actual.storage, expected) { worst = max(worst, abs(a - e)) }
    }
    for step in 0..<(try f.int("steps")) {
        optimizer.zeroGrad()
        do {
            let loss = try Loss.mse(X.matmul(W.T) + b, Y)
            try compare(loss, "loss\(step)")
            try loss.backward()
        }
        try optimizer.step()
        try compare(W, "W\(step + 1)")
        try compare(b, "b\(step + 1)")
    }
    return worst
}
