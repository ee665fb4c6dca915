import Foundation
import Testing
@testable import Engine
import TestSupport

// Softmax.swift: softmax and logSoftmax along an axis, stable for large inputs, and their gradients.
// NumPy references (2.4) use the stable formulas written out:
//   e = np.exp(x - x.max(axis=a, keepdims=True)); e / e.sum(axis=a, keepdims=True)
//   x - m - np.log(np.exp(x - m).sum(axis=a, keepdims=True)),  m = x.max(axis=a, keepdims=True)
// with x = [[1, 2, 3], [-1, 0, 1000]].

@Suite struct SoftmaxValueTests {
    let x: Tensor

    init() throws { x = try literal([[1, 2, 3], [-1, 0, 1000]]) }

    @Test func softmaxOverTheLastAxis() throws {
        expectTensor(try x.softmax(), shape: [2, 3], [0.09003057317038046, 0.24472847105479764, 0.6652409557748218, 0.0, 0.0, 1.0])
        expectTensor(try x.softmax(axis: 1), shape: [2, 3], try x.softmax().storage)
    }

    @Test func softmaxOverTheFirstAxis() throws {
        expectTensor(try x.softmax(axis: 0), shape: [2, 3], [0.8807970779778823, 0.8807970779778823, 0.0, 0.11920292202211755, 0.11920292202211755, 1.0])
    }

    @Test func logSoftmaxOverEachAxis() throws {
        expectTensor(try x.logSoftmax(), shape: [2, 3], [-2.4076059644443806, -1.4076059644443804, -0.4076059644443804, -1001.0, -1000.0, 0.0])
        expectTensor(try x.logSoftmax(axis: 0), shape: [2, 3], [-0.1269280110429726, -0.1269280110429726, -997.0, -2.1269280110429727, -2.1269280110429727, 0.0])
    }

    @Test func rowsSumToOne() throws {
        let y = try gaussian([5, 7], seed: 71).softmax()
        expectTensor(try y.sum(axis: -1), shape: [5], [Double](repeating: 1, count: 5), tolerance: 1e-15)
        #expect(y.storage.allSatisfy { $0 > 0 && $0 < 1 })
        let columns = try gaussian([4, 3, 2], seed: 72).softmax(axis: 0)
        expectTensor(try columns.sum(axis: 0), shape: [3, 2], [Double](repeating: 1, count: 6), tolerance: 1e-15)
        // exp(logSoftmax) is softmax.
        let z = try gaussian([3, 4], seed: 73)
        #expect(valuesClose(try z.logSoftmax().exp().storage, try z.softmax().storage, tolerance: 1e-15))
    }

    /// exp(1000) overflows: without subtracting the maximum first this would be ∞/∞ = NaN.
    @Test func largeInputsAreStable() throws {
        let big = Tensor([1000, 1001, 1002])
        expectTensor(try big.softmax(), shape: [3], [0.09003057317038046, 0.24472847105479764, 0.6652409557748218])
        expectTensor(try big.logSoftmax(), shape: [3], [-2.4076059644443806, -1.4076059644443804, -0.4076059644443804])
        // Shift invariance: softmax(x + c) = softmax(x).
        expectTensor(try (big - 1000).softmax(), shape: [3], try big.softmax().storage)
        let tiny = Tensor([-1000, 0])
        expectTensor(try tiny.softmax(), shape: [2], [0, 1])
        expectTensor(try tiny.logSoftmax(), shape: [2], [-1000, 0])  // finite, where log(softmax) would be −∞
    }

    @Test func axisErrors() throws {
        #expect(tensorError { try x.softmax(axis: 2) } == .axisOutOfRange(op: "softmax", axis: 2, rank: 2))
        #expect(tensorError { try x.logSoftmax(axis: -3) } == .axisOutOfRange(op: "logSoftmax", axis: -3, rank: 2))
    }
}

@Suite struct SoftmaxGradientTests {
    @Test(arguments: [0, -1, 1])
    func gradcheckSoftmaxAndLogSoftmax(axis: Int) throws {
        let x = try gaussian([3, 4, 5], seed: 74)
        try expectGradcheck([x]) { try $0[0].softmax(axis: axis) }
        try expectGradcheck([x]) { try $0[0].logSoftmax(axis: axis) }
    }

    @Test func gradcheckOnAMatrixAndAtLargeInputs() throws {
        let m = try gaussian([4, 6], seed: 75)
        try expectGradcheck([m]) { try $0[0].softmax(axis: 0) }
        try expectGradcheck([m]) { try $0[0].logSoftmax(axis: -1) }
        let shifted = try (gaussian([2, 5], seed: 76) + 500).detach()
        try expectGradcheck([shifted], eps: 1e-5) { try $0[0].logSoftmax() }
    }

    /// Cross-entropy by hand: L = −log softmax(x)[target] has ∂L/∂x = softmax(x) − onehot(target).
    @Test func crossEntropyGradientByHand() throws {
        let x = try Tensor(shape: [3], storage: [1, 2, 3], requiresGrad: true)
        try (-x.logSoftmax()[2]).backward()
        let p = [0.09003057317038046, 0.24472847105479764, 0.6652409557748218]
        #expect(valuesClose(try #require(x.grad).storage, [p[0], p[1], p[2] - 1], tolerance: 1e-15))
    }
}
