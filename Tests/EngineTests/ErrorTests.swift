import Testing
@testable import Engine

// TensorError.swift: every case, produced by a mistake a learner would really make, and its message.

/// The case name, with an exhaustive switch: a new case fails to compile here until it has a test below.
private func caseName(_ error: TensorError) -> String {
    switch error {
    case .shapeMismatch: "shapeMismatch"
    case .axisOutOfRange: "axisOutOfRange"
    case .indexOutOfRange: "indexOutOfRange"
    case .backwardFromNonScalar: "backwardFromNonScalar"
    case .noGradient: "noGradient"
    case .badLiteral: "badLiteral"
    case .invalidReshape: "invalidReshape"
    case .invalidArgument: "invalidArgument"
    case .interrupted: "interrupted"
    case .overMemoryBudget: "overMemoryBudget"
    }
}

/// One realistic misuse per case, with the exact message the REPL will print (up to a final "…",
/// for a figure that depends on what else is running).
private let misuses: [(what: String, message: String, make: @Sendable () throws -> Any)] = [
    ("adding a bias of the wrong size to a batch of activations",
     "add: shapes (4, 3) and (4,) do not match",
     { try Tensor.zeros([4, 3]) + Tensor.zeros([4]) }),
    ("multiplying weights by an input that was not transposed",
     "matmul: shapes (8, 5) and (8, 5) do not match",
     { try Tensor.zeros([8, 5]).matmul(Tensor.zeros([8, 5])) }),
    ("softmax over axis 2 of a (batch, classes) matrix",
     "softmax: axis 2 is out of range for a tensor of rank 2 (valid: -2…1)",
     { try Tensor.zeros([2, 3]).softmax(axis: 2) }),
    ("summing a scalar loss over axis 0",
     "sum: axis 0 is out of range for a tensor of rank 0 (a scalar has no axes)",
     { try Tensor(1.5).sum(axis: 0) }),
    ("reading step 10 of a 5-step sequence",
     "index 10 is out of range for axis 0 of size 5",
     { try Tensor.zeros([5, 2])[10] }),
    ("looking up token 7 in a 5-row embedding table",
     "select: index 7 is out of range for axis 0 of size 5",
     { try Tensor.zeros([5, 3]).select([1, 7]) }),
    ("calling backward on per-example losses before averaging them",
     "backward: the output has shape (2, 3); backward() starts from a single-element tensor (reduce it first, e.g. with sum or mean)",
     { try (Tensor.ones([2, 3], requiresGrad: true) * 2).backward() }),
    ("calling backward when no parameter requires a gradient",
     "backward: this tensor does not require a gradient (no input of it was created with requires_grad)",
     { try (Tensor.ones([3]) * 2).sum().backward() }),
    ("typing a matrix literal with a short row",
     "tensor literal: ragged nesting: element [1] has 1 entries, expected 2 like the first one",
     { try Tensor(literal: [[1, 2], [3]]) }),
    ("reshaping 6 numbers into 4×2",
     "reshape: cannot reshape (2, 3) (6 elements) into (4, 2)",
     { try Tensor.zeros([2, 3]).reshape([4, 2]) }),
    ("a slice with step 0",
     "slice: slice step cannot be zero",
     { try Tensor.zeros([5]).index([.slice(step: 0)]) }),
    ("pressing Ctrl-C while a million zeros are made (a flag of the test's own, see Cancellation)",
     "interrupted",
     { let flag = Cancellation.Flag(); flag.raise(); return try Cancellation.watching(flag) { try Tensor.zeros([1 << 20]) } }),
    ("a typo that asks for a billion numbers (7.5 GB) in a 64 MB budget",
     "zeros: this needs 7.5 GB but the memory budget is 64.0 MB, with …",
     { try MemoryBudget.withLimit(64 << 20) { try Tensor.zeros([1_000_000_000]) } }),
]

@Suite struct ErrorTests {
    @Test func everyCaseHasARealisticMisuse() throws {
        var covered = Set<String>()
        for misuse in misuses {
            let error = tensorError { try misuse.make() }
            if misuse.message.hasSuffix("…") {
                #expect(error?.description.hasPrefix(String(misuse.message.dropLast())) == true, "\(misuse.what): \(error.map(String.init(describing:)) ?? "no error")")
            } else {
                #expect(error?.description == misuse.message, "\(misuse.what)")
            }
            if let error { covered.insert(caseName(error)) }
        }
        let all: [TensorError] = [
            .shapeMismatch(op: "", lhs: [], rhs: []), .axisOutOfRange(op: "", axis: 0, rank: 0),
            .indexOutOfRange(op: "", index: 0, axis: 0, size: 0), .backwardFromNonScalar(shape: []),
            .noGradient(op: ""), .badLiteral(""), .invalidReshape(from: [], to: []), .invalidArgument(op: "", message: ""),
            .interrupted,
            .overMemoryBudget(op: "", needed: 0, budget: 0, inUse: 0),
        ]
        #expect(covered == Set(all.map(caseName)))
    }

    /// Messages name the operation and the offending shapes or indices, so they make sense without the code.
    @Test func messagesNameOperationShapesAndIndices() {
        let shape = TensorError.shapeMismatch(op: "concat", lhs: [2, 3], rhs: [2, 4]).description
        #expect(shape.hasPrefix("concat:") && shape.contains("(2, 3)") && shape.contains("(2, 4)"))
        let axis = TensorError.axisOutOfRange(op: "mean", axis: -4, rank: 3).description
        #expect(axis == "mean: axis -4 is out of range for a tensor of rank 3 (valid: -3…2)")
        let index = TensorError.indexOutOfRange(op: "index", index: -6, axis: 1, size: 5).description
        #expect(index.contains("-6") && index.contains("axis 1") && index.contains("size 5"))
        #expect(TensorError.invalidReshape(from: [0], to: [2, -1]).description == "reshape: cannot reshape (0,) (0 elements) into (2, -1)")
        #expect(TensorError.backwardFromNonScalar(shape: [7]).description.contains("(7,)"))
    }

    /// The errors are values: they compare, and travel across tasks (the REPL evaluates off the main actor).
    @Test func errorsAreEquatableAndSendable() async throws {
        let error = await Task.detached { () -> TensorError? in tensorError { try Tensor.zeros([2]).reshape([3]) } }.value
        #expect(error == .invalidReshape(from: [2], to: [3]))
        #expect(error != .invalidReshape(from: [2], to: [4]))
    }
}
