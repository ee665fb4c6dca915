import Testing
@testable import Engine
import TestSupport

// Helpers shared by the Engine test files: tensor literals, seeded samples, expectations on
// tensors and a gradcheck that reports. Helpers every test target uses are in Tests/TestSupport.

/// A tensor from a nested literal; the literal tests themselves live in TensorTests.
func literal(_ literal: TensorLiteral, requiresGrad: Bool = false) throws -> Tensor {
    try Tensor(literal: literal, requiresGrad: requiresGrad)
}

/// Seeded N(0, 1) samples, so that gradchecks run at generic points (no ties, no zeros).
func gaussian(_ shape: [Int], seed: UInt64) throws -> Tensor {
    try Tensor.randn(shape, seed: seed)
}

/// Expects `t` to have `shape` and elements close to `values`, printing both on failure.
func expectTensor(
    _ t: Tensor, shape: [Int], _ values: [Double], tolerance: Double = 1e-12,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(t.shape == shape, "shape \(t.shape), expected \(shape)", sourceLocation: sourceLocation)
    #expect(valuesClose(t.storage, values, tolerance: tolerance), "got \(t.storage), expected \(values)", sourceLocation: sourceLocation)
}

/// Runs ``gradcheck`` and expects it to pass, printing the result (worst element) when it does not.
@discardableResult
func expectGradcheck(
    _ inputs: [Tensor], eps: Double = 1e-6, atol: Double = 1e-6, rtol: Double = 1e-5,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ f: ([Tensor]) throws -> Tensor
) throws -> GradCheckResult {
    let result = try gradcheck(inputs, eps: eps, atol: atol, rtol: rtol, f)
    #expect(result.passed, "\(result)", sourceLocation: sourceLocation)
    return result
}

/// The error `body` throws, which must be a ``TensorError``; nil (and a recorded issue) otherwise.
func tensorError(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Any) -> TensorError? {
    #expect(throws: TensorError.self, sourceLocation: sourceLocation) { _ = try body() }
}
