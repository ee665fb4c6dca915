import Foundation
import Testing
@testable import Engine

/// The text of the error `body` throws, or nil if it does not throw.
func messageThrown(_ body: () throws -> Void) -> String? {
    do { try body() } catch { return "\(error)" }
    return nil
}

@Suite struct LossesTests {
    // MARK: Mean squared error

    @Test func mseByHand() throws {
        let x = Tensor([1, 2, 3], requiresGrad: true)
        let y = Tensor([1, 1, 1], requiresGrad: true)
        let loss = try Loss.mse(x, y)
        #expect(loss.shape == [])
        #expect(try loss.item() == 5.0 / 3)  // (0 + 1 + 4) / 3
        try loss.backward()
        #expect(x.grad!.storage == [0, 2 / 3.0, 4 / 3.0] as [Double])  // 2(x − y)/n
        #expect(y.grad!.storage == [0, -2 / 3.0, -4 / 3.0] as [Double])
    }

    /// The sum of squares in eight lanes: exactly the lanes' order (lane k sums i ≡ k mod 8, then the
    /// lanes, then the tail), within rounding of a plain running sum, for every length around the
    /// vector width, and a long sum's error is no worse than the plain loop's against an exact sum.
    @Test func mseSumsInEightLanes() throws {
        var g = RandomGenerator(seed: 5)
        for n in [0, 1, 7, 8, 9, 15, 16, 17, 100, 1001] {
            let x = (0..<n).map { _ in g.normal() }, y = (0..<n).map { _ in g.normal() }
            var lanes = [Double](repeating: 0, count: 8)
            for i in 0..<(n / 8 * 8) { let d = x[i] - y[i]; lanes[i % 8] += d * d }
            var expected = lanes.reduce(0, +)
            for i in (n / 8 * 8)..<n { let d = x[i] - y[i]; expected += d * d }
            let total = x.withUnsafeBufferPointer { px in
                y.withUnsafeBufferPointer { py in Loss.sumOfSquaredDifferences(px.baseAddress, py.baseAddress, count: n) }
            }
            #expect(total.bitPattern == expected.bitPattern, "n = \(n)")
            let plain = zip(x, y).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            #expect(abs(total - plain) <= 1e-12 * Swift.max(plain, 1), "n = \(n)")
            if n > 0 { #expect(try Loss.mse(Tensor(shape: [n], storage: x), Tensor(shape: [n], storage: y)).item() == total / Double(n)) }
        }
    }

    /// Float32 operands: the loss and both gradients are the double computation rounded once to
    /// float32 (formed rounded, the walk need not round them again). With one operand float64 the
    /// loss is float64 (PyTorch's promotion) and unrounded, the float64 operand's gradient stays in
    /// double and the float32 one's is rounded.
    @Test(arguments: [(DType.float32, DType.float32), (.float32, .float64), (.float64, .float32)])
    func mseOfFloat32TensorsIsRoundedOnce(predictionType: DType, targetType: DType) throws {
        var r = RandomGenerator(seed: 21)
        let n = 1000
        let xs = (0..<n).map { _ in Double(Float(r.normal())) }, ys = (0..<n).map { _ in Double(Float(r.normal())) }
        let exact = zip(xs, ys).map { 2 / Double(n) * ($0 - $1) }
        #expect(exact.contains { Double(Float($0)) != $0 })
        let x = try Tensor(shape: [n], storage: xs, dtype: predictionType, requiresGrad: true)
        let y = try Tensor(shape: [n], storage: ys, dtype: targetType, requiresGrad: true)
        let loss = try Loss.mse(x, y)
        let mean = zip(xs, ys).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Double(n)
        let value = try loss.item()
        let both32 = predictionType == .float32 && targetType == .float32
        #expect(loss.dtype == (both32 ? .float32 : .float64))
        if both32 {
            #expect(value == Double(Float(value)) && abs(value - mean) <= 1e-7 * mean)
        } else {
            #expect(abs(value - mean) <= 1e-14 * mean)
        }
        try loss.backward()
        #expect(x.grad!.storage == exact.map { predictionType == .float32 ? Double(Float($0)) : $0 })
        #expect(y.grad!.storage == exact.map { targetType == .float32 ? -Double(Float($0)) : -$0 })
    }

    @Test func mseRefusesBroadcastingShapes() throws {
        let prediction = try Tensor.zeros([4, 1]), target = try Tensor.zeros([4])
        #expect(throws: TensorError.shapeMismatch(op: "mse", lhs: [4, 1], rhs: [4])) {
            try Loss.mse(prediction, target)
        }
        #expect(messageThrown { _ = try Loss.mse(prediction, target) }! == "mse: shapes (4, 1) and (4,) do not match")
    }

    @Test func mseGradcheck() throws {
        let x = try Tensor.randn([3, 4], seed: 1), y = try Tensor.randn([3, 4], seed: 2)
        let result = try gradcheck([x, y]) { try Loss.mse($0[0], $0[1]) }
        #expect(result.passed, "\(result)")
    }

    // MARK: Cross-entropy

    @Test func crossEntropyOfUniformLogitsIsLogC() throws {
        let logits = try Tensor.full([4, 5], 0.7, requiresGrad: true)
        let loss = try Loss.crossEntropy(logits: logits, targets: [0, 4, 2, 2])
        #expect(abs(try loss.item() - log(5)) < 1e-15)
        #expect(abs(try Loss.perplexity(loss).item() - 5) < 1e-14)
        try loss.backward()
        // (softmax − one-hot)/N = (1/5 − [j = t])/4
        for r in 0..<4 {
            for c in 0..<5 {
                let expected = (0.2 - ([0, 4, 2, 2][r] == c ? 1 : 0)) / 4
                #expect(abs(logits.grad!.storage[r * 5 + c] - expected) < 1e-16)
            }
        }
    }

    @Test func crossEntropyIsStableForHugeLogits() throws {
        // e^1000 overflows; the max-shifted form gives the exact answers 1000 and 0.
        let logits = try Tensor(literal: [[1000, 0], [0, 1000]], requiresGrad: true)
        #expect(try Loss.crossEntropy(logits: logits, targets: [1, 1]).item() == 500)
        let confident = try Tensor(shape: [1, 2], storage: [1e10, 1e10 - 1e4])
        #expect(try Loss.crossEntropy(logits: confident, targets: [0]).item() == 0)
        try Loss.crossEntropy(logits: logits, targets: [1, 1]).backward()
        #expect(logits.grad!.storage == [0.5, -0.5, 0, 0])
    }

    @Test func crossEntropyIgnoresRows() throws {
        let logits = try Tensor.randn([4, 3], seed: 7)
        logits.requiresGrad = true
        let loss = try Loss.crossEntropy(logits: logits, targets: [2, -100, 0, -100], ignoreIndex: -100)
        let kept = try Loss.crossEntropy(logits: logits.select([0, 2]).detach(), targets: [2, 0])
        #expect(abs(try loss.item() - kept.item()) < 1e-15)  // mean over the 2 kept rows, not 4
        try loss.backward()
        let g = logits.grad!.storage
        #expect(Array(g[3..<6]) == [0, 0, 0] && Array(g[9..<12]) == [0, 0, 0])
    }

    @Test func crossEntropyWithEveryRowIgnoredIsNaN() throws {
        let logits = try Tensor.randn([2, 3], seed: 8)
        logits.requiresGrad = true
        let loss = try Loss.crossEntropy(logits: logits, targets: [5, 5], ignoreIndex: 5)
        #expect(try loss.item().isNaN)  // 0/0, as PyTorch
        try loss.backward()
        #expect(logits.grad!.storage.allSatisfy { $0 == 0 })  // PyTorch's gradient here is 0 too
    }

    @Test func crossEntropyOverASequenceBatchFlattensTheLeadingAxes() throws {
        let seq = try Tensor.randn([3, 2, 4], seed: 9)  // (T, B, C)
        let targets = try Tensor(literal: [[0, 3], [1, 1], [2, 0]])  // (T, B)
        let flat = [0, 3, 1, 1, 2, 0]
        let a = try Loss.crossEntropy(logits: seq, targets: targets)
        let b = try Loss.crossEntropy(logits: seq, targets: flat)
        let c = try Loss.crossEntropy(logits: seq.reshape([6, 4]), targets: flat)
        #expect(try a.item() == c.item() && b.item() == c.item())
        let message = messageThrown { _ = try Loss.crossEntropy(logits: seq, targets: [0, 3, 1, 1, 9, 0]) }
        #expect(message == "cross_entropy: target 9 at position (2, 0) is out of range for 4 classes (valid: 0…3)")
    }

    @Test func crossEntropyNamesTheBadTargetRowAndValue() throws {
        let logits = try Tensor.zeros([3, 5])
        #expect(messageThrown { _ = try Loss.crossEntropy(logits: logits, targets: [0, 7, 1]) }
            == "cross_entropy: target 7 at row 1 is out of range for 5 classes (valid: 0…4)")
        #expect(messageThrown { _ = try Loss.crossEntropy(logits: logits, targets: [0, 1, -1], ignoreIndex: -100) }
            == "cross_entropy: target -1 at row 2 is out of range for 5 classes (valid: 0…4, or the ignore_index -100)")
        #expect(messageThrown { _ = try Loss.crossEntropy(logits: logits, targets: Tensor([0, 1.5, 1])) }
            == "cross_entropy: target 1.5 at row 1 is not a class index (a whole number)")
    }

    @Test func crossEntropyNamesBothShapes() throws {
        let logits = try Tensor.zeros([4, 5])
        #expect(messageThrown { _ = try Loss.crossEntropy(logits: logits, targets: [0, 1, 2]) }
            == "cross_entropy: logits of shape (4, 5) need targets of shape (4,) (one class index per row of 5 scores), but the targets have shape (3,)")
        #expect(messageThrown { _ = try Loss.crossEntropy(logits: logits, targets: Tensor.zeros([4, 1])) }!
            .contains("need targets of shape (4,) (one class index per row of 5 scores), but the targets have shape (4, 1)"))
        #expect(messageThrown { _ = try Loss.crossEntropy(logits: Tensor(3), targets: [0]) }
            == "cross_entropy: logits must have a class axis (shape (N, C)); got a scalar")
    }

    @Test func crossEntropyGradcheck() throws {
        let logits = try Tensor.randn([5, 4], std: 3, seed: 10)
        let plain = try gradcheck([logits]) { try Loss.crossEntropy(logits: $0[0], targets: [3, 0, 1, 3, 2]) }
        #expect(plain.passed, "\(plain)")
        let ignoring = try gradcheck([logits]) { try Loss.crossEntropy(logits: $0[0], targets: [3, 9, 1, 9, 2], ignoreIndex: 9) }
        #expect(ignoring.passed, "\(ignoring)")
        let seq = try Tensor.randn([2, 3, 4], seed: 11)
        let targets = try Tensor(literal: [[0, 1, 2], [3, 2, 1]])
        let batched = try gradcheck([seq]) { try Loss.crossEntropy(logits: $0[0], targets: targets) }
        #expect(batched.passed, "\(batched)")
        let perplexity = try gradcheck([logits]) { try Loss.perplexity(Loss.crossEntropy(logits: $0[0], targets: [3, 0, 1, 3, 2])) }
        #expect(perplexity.passed, "\(perplexity)")
    }

    // MARK: Binary cross-entropy with logits

    @Test func bceAtZeroIsLog2() throws {
        let x = try Tensor.zeros([2, 2], requiresGrad: true)
        let y = try Tensor(literal: [[0, 1], [1, 0.25]])
        let loss = try Loss.binaryCrossEntropyWithLogits(x, y)
        #expect(abs(try loss.item() - log(2)) < 1e-16)  // σ(0) = ½ whatever the target
        try loss.backward()
        #expect(x.grad!.storage == [0.125, -0.125, -0.125, 0.0625] as [Double])  // (½ − y)/4
    }

    @Test func bceIsStableForHugeLogits() throws {
        // log(1 − σ(800)) would be log 0 = −∞; the stable form gives the exact loss 800.
        let x = Tensor([800, -800, 800], requiresGrad: true)
        let loss = try Loss.binaryCrossEntropyWithLogits(x, Tensor([0, 1, 1]))
        #expect(try loss.item() == 1600.0 / 3)
        try loss.backward()
        #expect(x.grad!.storage == [1 / 3.0, -1 / 3.0, 0] as [Double])
    }

    @Test func bceRequiresEqualShapes() throws {
        #expect(throws: TensorError.shapeMismatch(op: "binaryCrossEntropyWithLogits", lhs: [3], rhs: [3, 1])) {
            try Loss.binaryCrossEntropyWithLogits(Tensor.zeros([3]), Tensor.zeros([3, 1]))
        }
    }

    @Test func bceGradcheck() throws {
        let x = try Tensor.randn([3, 4], std: 2, seed: 12), y = try Tensor.rand([3, 4], seed: 13)
        let result = try gradcheck([x, y]) { try Loss.binaryCrossEntropyWithLogits($0[0], $0[1]) }
        #expect(result.passed, "\(result)")
    }

    // MARK: PyTorch fixtures (scripts/make_fixtures.py)

    @Test func mseMatchesPyTorch() throws {
        let f = try TorchFixture.load("loss_mse")
        let pred = try f.tensor("pred", requiresGrad: true)
        let loss = try Loss.mse(pred, f.tensor("target"))
        f.expectClose(loss, to: "loss")
        try loss.backward()
        f.expectClose(pred.grad!, to: "grad.pred")
    }

    @Test(arguments: ["loss_cross_entropy", "loss_cross_entropy_ignore_index"])
    func crossEntropyMatchesPyTorch(_ name: String) throws {
        let f = try TorchFixture.load(name)
        let logits = try f.tensor("logits", requiresGrad: true)
        let loss = try Loss.crossEntropy(logits: logits, targets: f.tensor("target"), ignoreIndex: f.int("ignore_index"))
        f.expectClose(loss, to: "loss")
        try loss.backward()
        f.expectClose(logits.grad!, to: "grad.logits")
    }

    @Test func bceMatchesPyTorch() throws {
        let f = try TorchFixture.load("loss_bce_with_logits")
        let logits = try f.tensor("logits", requiresGrad: true)
        let loss = try Loss.binaryCrossEntropyWithLogits(logits, f.tensor("target"))
        f.expectClose(loss, to: "loss")
        try loss.backward()
        f.expectClose(logits.grad!, to: "grad.logits")
    }

    @Test func perplexityMatchesPyTorch() throws {
        let f = try TorchFixture.load("loss_perplexity")
        let logits = try f.tensor("logits", requiresGrad: true)
        let ce = try Loss.crossEntropy(logits: logits, targets: f.tensor("target"))
        f.expectClose(ce, to: "cross_entropy")
        let ppl = Loss.perplexity(ce)
        f.expectClose(ppl, to: "perplexity")
        #expect(abs(Loss.perplexity(try ce.item()) - (try f.scalar("perplexity"))) <= 1e-10)
        try ppl.backward()
        f.expectClose(logits.grad!, to: "grad.logits")
    }
}
