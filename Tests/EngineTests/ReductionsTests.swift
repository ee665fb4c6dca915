import Foundation
import Testing
@testable import Engine

// Reductions.swift: sum, mean, max, min, argmax, argmin and norm over each axis and over everything.

@Suite struct ReductionValueTests {
    /// [[1, 5, 3], [4, 2, 6]]: small enough to reduce by hand.
    let x: Tensor

    init() throws { x = try literal([[1, 5, 3], [4, 2, 6]]) }

    @Test func sum() throws {
        expectTensor(try x.sum(), shape: [], [21])
        expectTensor(try x.sum(axis: 0), shape: [3], [5, 7, 9])
        expectTensor(try x.sum(axis: 1), shape: [2], [9, 12])
        expectTensor(try x.sum(axis: -1), shape: [2], [9, 12])
        expectTensor(try x.sum(axis: 0, keepdims: true), shape: [1, 3], [5, 7, 9])
        expectTensor(try x.sum(axis: 1, keepdims: true), shape: [2, 1], [9, 12])
        expectTensor(try x.sum(keepdims: true), shape: [1, 1], [21])
    }

    @Test func mean() throws {
        expectTensor(try x.mean(), shape: [], [3.5])
        expectTensor(try x.mean(axis: 0), shape: [3], [2.5, 3.5, 4.5])
        expectTensor(try x.mean(axis: -1, keepdims: true), shape: [2, 1], [3, 4])
    }

    @Test func maxAndMin() throws {
        expectTensor(try x.max(), shape: [], [6])
        expectTensor(try x.max(axis: 0), shape: [3], [4, 5, 6])
        expectTensor(try x.max(axis: 1, keepdims: true), shape: [2, 1], [5, 6])
        expectTensor(try x.min(), shape: [], [1])
        expectTensor(try x.min(axis: 0), shape: [3], [1, 2, 3])
        expectTensor(try x.min(axis: -1), shape: [2], [1, 2])
        expectTensor(try x.min(keepdims: true), shape: [1, 1], [1])
    }

    @Test func argmax() throws {
        expectTensor(try x.argmax(), shape: [], [5])  // flat position of the 6
        expectTensor(try x.argmax(axis: 0), shape: [3], [1, 0, 1])
        expectTensor(try x.argmax(axis: 1, keepdims: true), shape: [2, 1], [1, 2])
        // Ties go to the first, as np.argmax.
        expectTensor(try Tensor([2, 7, 7, 1]).argmax(), shape: [], [1])
    }

    @Test func argmin() throws {
        expectTensor(try x.argmin(), shape: [], [0])  // flat position of the 1
        expectTensor(try x.argmin(axis: 0), shape: [3], [0, 1, 0])
        expectTensor(try x.argmin(axis: 1, keepdims: true), shape: [2, 1], [0, 1])
        expectTensor(try x.argmin(axis: -1), shape: [2], [0, 1])
        // Ties go to the first, NaN wins, as np.argmin.
        expectTensor(try Tensor([7, 1, 1, 2]).argmin(), shape: [], [1])
        expectTensor(try Tensor([1, .nan, 0]).argmin(), shape: [], [1])
        #expect(throws: TensorError.self) { try Tensor.zeros([0]).argmin() }
    }

    @Test func norm() throws {
        expectTensor(try x.norm(), shape: [], [Foundation.sqrt(91)])  // 1 + 25 + 9 + 16 + 4 + 36
        expectTensor(try x.norm(axis: 0), shape: [3], [Foundation.sqrt(17), Foundation.sqrt(29), Foundation.sqrt(45)])
        expectTensor(try x.norm(axis: 1, keepdims: true), shape: [2, 1], [Foundation.sqrt(35), Foundation.sqrt(56)])
        expectTensor(try Tensor([3, 4]).norm(), shape: [], [5])
    }

    /// NaN wins a comparison, as in NumPy (np.max([1, nan, 3]) is nan, np.argmax gives 1).
    @Test func nanPropagatesThroughMaxAndMin() throws {
        let v = Tensor([1, .nan, 3])
        #expect(try v.max().item().isNaN)
        #expect(try v.min().item().isNaN)
        #expect(try v.argmax().item() == 1)
        #expect(try Tensor([.nan, 5]).argmax().item() == 0)
    }

    @Test func emptyReductionsFollowNumPy() throws {
        let e = try Tensor.zeros([0, 3])
        expectTensor(try e.sum(axis: 0), shape: [3], [0, 0, 0])      // np.zeros((0,3)).sum(0)
        expectTensor(try e.sum(), shape: [], [0])
        expectTensor(try e.mean(axis: 0), shape: [3], [.nan, .nan, .nan])  // with a RuntimeWarning in NumPy
        expectTensor(try e.max(axis: 1), shape: [0], [])             // nothing to reduce, nothing to compare
        // np.zeros((0,3)).max(0) raises "zero-size array to reduction operation maximum which has no identity".
        let empty = TensorError.invalidArgument(op: "max", message: "cannot reduce an empty axis (no elements to compare)")
        #expect(tensorError { try e.max(axis: 0) } == empty)
        #expect(tensorError { try e.max() } == empty)
        #expect(tensorError { try e.min(axis: -2) } == .invalidArgument(op: "min", message: "cannot reduce an empty axis (no elements to compare)"))
        #expect(tensorError { try Tensor([]).argmax() } == .invalidArgument(op: "argmax", message: "cannot reduce an empty axis (no elements to compare)"))
    }

    @Test func axisOutOfRange() throws {
        #expect(tensorError { try x.sum(axis: 2) } == .axisOutOfRange(op: "sum", axis: 2, rank: 2))
        #expect(tensorError { try x.mean(axis: -3) } == .axisOutOfRange(op: "mean", axis: -3, rank: 2))
        #expect(tensorError { try x.max(axis: 5) } == .axisOutOfRange(op: "max", axis: 5, rank: 2))
        #expect(tensorError { try x.norm(axis: 2) } == .axisOutOfRange(op: "norm", axis: 2, rank: 2))
        #expect(tensorError { try Tensor(1).sum(axis: 0) } == .axisOutOfRange(op: "sum", axis: 0, rank: 0))
        // Over everything a scalar reduces to itself.
        expectTensor(try Tensor(4).sum(), shape: [], [4])
    }
}

/// A (2, 3, 4) tensor with no ties, and each reduction over each axis, from NumPy 2.4:
/// x = np.arange(24.).reshape(2,3,4)**1.5 % 7; x.sum(axis=a).ravel().tolist() and so on.
@Suite struct ReductionThreeDTests {
    let x: Tensor

    init() throws {
        x = try Tensor(shape: [2, 3, 4], storage: [
            0.0, 1.0, 2.8284271247461903, 5.196152422706632, 1.0, 4.180339887498949, 0.6969384566990691, 4.520259177452132,
            1.6274169979695223, 6.0, 3.6227766016837926, 1.4828726939093997, 6.569219381653056, 4.872166581031863,
            3.3832034148351795, 2.0947501931112527, 1.0, 0.09279563550022374, 6.367532368147138, 5.819079927272796,
            5.442719099991592, 5.234089594072643, 5.189146716115445, 5.304125036192545,
        ])
    }

    @Test func sumOverEachAxis() throws {
        expectTensor(try x.sum(axis: 0), shape: [3, 4], [
            6.569219381653056, 5.872166581031863, 6.211630539581369, 7.290902615817885, 2.0, 4.273135522999173,
            7.064470824846207, 10.339339104724928, 7.0701360979611145, 11.234089594072643, 8.811923317799238, 6.786997730101945,
        ])
        expectTensor(try x.sum(axis: 1), shape: [2, 4], [
            2.6274169979695223, 11.180339887498949, 7.1481421831290515, 11.199284294068164, 13.011938481644648,
            10.199051810604729, 14.939882499097763, 13.217955156576593,
        ])
        expectTensor(try x.sum(axis: 2, keepdims: true), shape: [2, 3, 1], [
            9.024579547452822, 10.39753752165015, 12.733066293562715, 16.91933957063135, 13.279407930920158, 21.170080446372225,
        ])
    }

    @Test func meanOverTheMiddleAxis() throws {
        expectTensor(try x.mean(axis: 1), shape: [2, 4], [
            0.8758056659898408, 3.72677996249965, 2.3827140610430173, 3.733094764689388, 4.337312827214883,
            3.399683936868243, 4.979960833032588, 4.4059850521921975,
        ])
    }

    @Test func maxMinArgmaxOverEachAxis() throws {
        expectTensor(try x.max(axis: 1), shape: [2, 4], [
            1.6274169979695223, 6.0, 3.6227766016837926, 5.196152422706632, 6.569219381653056, 5.234089594072643,
            6.367532368147138, 5.819079927272796,
        ])
        expectTensor(try x.min(axis: 2), shape: [2, 3], [0.0, 0.6969384566990691, 1.4828726939093997, 2.0947501931112527, 0.09279563550022374, 5.189146716115445])
        expectTensor(try x.min(axis: 0), shape: [3, 4], [
            0.0, 1.0, 2.8284271247461903, 2.0947501931112527, 1.0, 0.09279563550022374, 0.6969384566990691,
            4.520259177452132, 1.6274169979695223, 5.234089594072643, 3.6227766016837926, 1.4828726939093997,
        ])
        expectTensor(try x.argmax(axis: 0), shape: [3, 4], [1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 1, 1])
        expectTensor(try x.argmax(axis: 1), shape: [2, 4], [2, 2, 2, 0, 0, 2, 1, 1])
        expectTensor(try x.argmax(axis: 2), shape: [2, 3], [3, 3, 1, 0, 2, 0])
    }

    @Test func normOverTheMiddleAxisAndAll() throws {
        // np.linalg.norm(x, axis=1) and np.linalg.norm(x)
        expectTensor(try x.norm(axis: 1), shape: [2, 4], [
            1.91010106677111, 7.3807344875029015, 4.648680836337729, 7.044973701702679, 8.58940245219069,
            7.151385327478245, 8.883624116706292, 8.147601608516052,
        ])
        expectTensor(try x.norm(), shape: [], [19.98969613680759])
    }
}

@Suite struct ReductionGradientTests {
    let x: Tensor

    init() throws { x = try gaussian([2, 3, 4], seed: 61) }

    @Test(arguments: [nil, 0, 1, 2, -1] as [Int?])
    func gradcheckEveryDifferentiableReduction(axis: Int?) throws {
        for keepdims in [false, true] {
            try expectGradcheck([x]) { try $0[0].sum(axis: axis, keepdims: keepdims) }
            try expectGradcheck([x]) { try $0[0].mean(axis: axis, keepdims: keepdims) }
            try expectGradcheck([x]) { try $0[0].max(axis: axis, keepdims: keepdims) }
            try expectGradcheck([x]) { try $0[0].min(axis: axis, keepdims: keepdims) }
            try expectGradcheck([x]) { try $0[0].norm(axis: axis, keepdims: keepdims) }
        }
    }

    /// Broadcasting a keepdims reduction back, as in x − mean(x, axis, keepdims: true).
    @Test func gradcheckCentering() throws {
        try expectGradcheck([x]) { try $0[0] - $0[0].mean(axis: 1, keepdims: true) }
        try expectGradcheck([x]) { try $0[0] / $0[0].norm(axis: -1, keepdims: true) }
    }

    @Test func gradientsByHand() throws {
        let v = try Tensor(shape: [4], storage: [3, 9, 9, 4], requiresGrad: true)
        try v.max().backward()
        #expect(v.grad?.storage == [0, 1, 0, 0])  // the first of the tied maxima, as torch.max(dim)
        v.zeroGrad()
        try v.mean().backward()
        #expect(v.grad?.storage == [0.25, 0.25, 0.25, 0.25])
        v.zeroGrad()
        let w = try Tensor(shape: [2], storage: [3, 4], requiresGrad: true)
        try w.norm().backward()
        #expect(w.grad?.storage == [0.6, 0.8])  // x/‖x‖
        // At 0 the norm has no gradient; 0 is used (as PyTorch's subgradient), not NaN.
        let z = try Tensor.zeros([3], requiresGrad: true)
        try z.norm().backward()
        #expect(z.grad?.storage == [0, 0, 0])
    }

    @Test func argmaxIsNotDifferentiable() throws {
        x.requiresGrad = true
        let y = try x.argmax(axis: 1)
        #expect(!y.requiresGrad)
        #expect(y.gradNode == nil)
    }
}
