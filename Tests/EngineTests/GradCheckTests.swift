import Testing
@testable import Engine
import TestSupport

// GradCheck.swift: the checker itself must be able to fail, or every gradcheck elsewhere proves nothing.

/// x² elementwise with a chosen backward rule dy/dx = `derivative(x)`, built the way every engine op is,
/// so the checker can be fed a gradient that is right, wrong, missing or NaN.
private func square(_ x: Tensor, derivative: @escaping (Double) -> Double) -> Tensor {
    let values = x.storage
    return Tensor.result(shape: x.shape, storage: values.map { $0 * $0 }, op: "square", inputs: [x], backward: { g in
        [zip(g, values).map { $0 * derivative($1) }]
    })
}

@Suite struct GradCheckTests {
    let x: Tensor

    init() throws { x = try gaussian([2, 3], seed: 91) }

    @Test func passesOnTheRightGradient() throws {
        let result = try gradcheck([x]) { square($0[0], derivative: { 2 * $0 }) }
        #expect(result.passed, "\(result)")
        #expect(result.maxAbsoluteError < 1e-8)
        #expect(result.description.hasPrefix("gradcheck passed"))
    }

    @Test func failsOnAWrongGradient() throws {
        let result = try gradcheck([x]) { square($0[0], derivative: { $0 }) }  // forgot the factor 2
        #expect(!result.passed, "\(result)")
        #expect(result.description.hasPrefix("gradcheck FAILED"), "\(result)")
        // The worst element is reported with both values: analytic = numeric / 2 there.
        let worst = try #require(result.worst)
        #expect(worst.input == 0)
        #expect(valuesClose([worst.analytic * 2], [worst.numeric], tolerance: 1e-6), "\(result)")
        #expect(result.maxRelativeError > 0.4)
    }

    @Test func failsOnAMissingGradient() throws {
        let noGradient = { (t: Tensor) in
            Tensor.result(shape: t.shape, storage: t.storage.map { $0 * $0 }, op: "square", inputs: [t], backward: { _ in [nil] })
        }
        let result = try gradcheck([x]) { noGradient($0[0]) }
        #expect(!result.passed, "\(result)")
    }

    /// NaN compares false with everything, so a plain `error > tolerance` let a NaN gradient pass.
    @Test func failsOnANaNGradient() throws {
        let result = try gradcheck([x]) { square($0[0], derivative: { _ in .nan }) }
        #expect(!result.passed, "\(result)")
        #expect(result.maxAbsoluteError == .infinity)
        #expect(try #require(result.worst).analytic.isNaN, "\(result)")
        // A function that is NaN itself fails too (torch.allclose without equal_nan).
        let negative = try Tensor(shape: [2], storage: [-1, -2])
        let undefined = try gradcheck([negative]) { $0[0].sqrt() }
        #expect(!undefined.passed, "\(undefined)")
    }

    @Test func toleranceIsAbsolutePlusRelative() throws {
        // Off by 1e-4 everywhere: fails the default atol 1e-6, passes atol 1e-3.
        let offByALittle = { (t: Tensor) in square(t, derivative: { 2 * $0 + 1e-4 }) }
        let strict = try gradcheck([x]) { offByALittle($0[0]) }
        #expect(!strict.passed, "\(strict)")
        let loose = try gradcheck([x], atol: 1e-3) { offByALittle($0[0]) }
        #expect(loose.passed, "\(loose)")
    }

    @Test func inputsAreRestoredAndBecomeLeavesThatRequireGrad() throws {
        let before = x.storage
        let result = try gradcheck([x]) { $0[0].tanh() }
        #expect(result.passed, "\(result)")
        #expect(x.storage == before)
        #expect(x.requiresGrad)
        #expect(x.grad != nil)
    }

    @Test func computedInputsAreRefused() throws {
        let leaf = Tensor([1, 2], requiresGrad: true)
        let computed = try leaf * 2
        let error = tensorError { try gradcheck([computed]) { $0[0].tanh() } }
        #expect(error == .invalidArgument(op: "gradcheck", message: "input 0 of shape (2,) was computed by multiply; pass a leaf (e.g. its detach())"))
        let detached = try gradcheck([computed.detach()]) { $0[0].tanh() }
        #expect(detached.passed, "\(detached)")
    }

    @Test func aFunctionThatIgnoresItsInputsCannotBeChecked() throws {
        #expect(tensorError { try gradcheck([x]) { _ in Tensor([1, 2]) } } == .noGradient(op: "backward"))
    }

    @Test func anOutputThatChangesShapeIsReported() throws {
        let error = tensorError { try gradcheck([x]) { xs in GradMode.isEnabled ? xs[0] : try xs[0].sum() } }
        #expect(error == .shapeMismatch(op: "gradcheck (output changed shape)", lhs: [2, 3], rhs: []))
    }

    @Test func emptyInputsPassTrivially() throws {
        let empty = try Tensor.zeros([0, 3])
        let result = try gradcheck([empty]) { $0[0].tanh() }
        #expect(result.passed, "\(result)")
        #expect(result.worst == nil)
        #expect(result.description == "gradcheck passed (no elements)")
    }
}
