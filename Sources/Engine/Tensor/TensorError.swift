/// Everything a caller can do wrong with a tensor, with the context needed to say so plainly.
///
/// Every public operation that can be misused from user input throws one of these instead of
/// trapping: a learner's typo at the prompt must never end their session. The messages are
/// built in one place (``description``) so the engine, the language and the REPL word them alike.
public enum TensorError: Error, Equatable, Sendable {
    /// Two operands whose shapes do not fit together for `op` (broadcasting, matmul, concat…).
    case shapeMismatch(op: String, lhs: [Int], rhs: [Int])
    /// An axis argument outside `-rank ..< rank`.
    case axisOutOfRange(op: String, axis: Int, rank: Int)
    /// An index outside `-size ..< size` along `axis`.
    case indexOutOfRange(op: String, index: Int, axis: Int, size: Int)
    /// `backward()` needs a single-element output unless a gradient is supplied (as in PyTorch).
    case backwardFromNonScalar(shape: [Int])
    /// `backward()` on a tensor that no gradient flows to.
    case noGradient(op: String)
    /// A nested literal that is ragged or otherwise not a rectangular array.
    case badLiteral(String)
    /// `reshape` to a shape with a different number of elements, or with more than one `-1`.
    case invalidReshape(from: [Int], to: [Int])
    /// Any other argument that makes no sense for `op` (negative size, zero step, …).
    case invalidArgument(op: String, message: String)
    /// The computation stopped early because cancellation was requested (Ctrl-C, see
    /// ``Cancellation``); its partial result was discarded.
    case interrupted
    /// A request for `needed` bytes that does not fit in the session's ``MemoryBudget`` of `budget`
    /// bytes next to the `inUse` bytes live tensors already hold.
    case overMemoryBudget(op: String, needed: Int, budget: Int, inUse: Int)
}

extension TensorError: CustomStringConvertible {
    /// `operation: detail`, as the Swift API names the operation.
    public var description: String {
        operation.map { "\($0): \(detail)" } ?? detail
    }

    /// The operation that refused (`matmul`, `reshape`, `lstm`…), as the Swift API names it; nil
    /// for errors that belong to no one operation (`interrupted`). A language on top of the engine
    /// puts its own name for what the user called in its place.
    public var operation: String? {
        switch self {
        // Indexing needs no name in front: "index 5 is out of range" already says what it was.
        case let .indexOutOfRange(op, _, _, _):
            return op == "index" ? nil : op
        case let .shapeMismatch(op, _, _), let .axisOutOfRange(op, _, _),
             let .noGradient(op), let .invalidArgument(op, _), let .overMemoryBudget(op, _, _, _):
            return op
        case .backwardFromNonScalar: return "backward"
        case .badLiteral: return "tensor literal"
        case .invalidReshape: return "reshape"
        case .interrupted: return nil
        }
    }

    /// What was wrong, without the operation's name: the words of the one message, built here.
    public var detail: String {
        switch self {
        case let .shapeMismatch(_, lhs, rhs):
            return "shapes \(formatShape(lhs)) and \(formatShape(rhs)) do not match"
        case let .axisOutOfRange(_, axis, rank):
            // A rank-0 tensor has no axis at all; "valid: -1…0" would invite a retry that fails again.
            guard rank > 0 else { return "axis \(axis) is out of range for a tensor of rank 0 (a scalar has no axes)" }
            return "axis \(axis) is out of range for a tensor of rank \(rank) (valid: \(-rank)…\(rank - 1))"
        case let .indexOutOfRange(_, index, axis, size):
            return "index \(index) is out of range for axis \(axis) of size \(size)"
        case let .backwardFromNonScalar(shape):
            return "the output has shape \(formatShape(shape)); backward() starts from a single-element tensor (reduce it first, e.g. with sum or mean)"
        case .noGradient:
            return "this tensor does not require a gradient (no input of it was created with requires_grad)"
        case let .badLiteral(message):
            return message
        case let .invalidReshape(from, to):
            return "cannot reshape \(formatShape(from)) (\(Shape.count(from)) elements) into \(formatShape(to))"
        case let .invalidArgument(_, message):
            return message
        case .interrupted:
            // Exactly the word the language uses for its own Ctrl-C stop, so the REPL treats both alike.
            return "interrupted"
        case let .overMemoryBudget(_, needed, budget, inUse):
            return MemoryBudget.explain(needed: needed, budget: budget, inUse: inUse)
        }
    }
}

/// `(2, 3)` style, as NumPy and PyTorch print shapes; `()` for a scalar.
public func formatShape(_ shape: [Int]) -> String {
    shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
}
