/// What every optimizer does: turn the gradients that `backward()` left on the parameters into a
/// small change of the parameters, then forget those gradients before the next batch.
///
/// The training loop is PyTorch's:
///
///     optimizer.zeroGrad()           // gradients accumulate, so clear last batch's
///     let loss = try Loss.mse(model(x), y)
///     try loss.backward()            // fills p.grad for every parameter p
///     try optimizer.step()           // p ← p − (something computed from p.grad)
///
/// An optimizer updates `parameter.storage` *in place*: the parameter is the same object the
/// model holds, so the model sees the new values without being told. Parameters whose gradient is
/// `nil` (no loss reached them since the last ``zeroGrad()``) are skipped, state and all, as in
/// PyTorch; so are parameters frozen with `requiresGrad = false` (backward gives them no gradient,
/// and one stored before they were frozen is not applied). The update bypasses the graph: it is not an operation that anything differentiates.
///
/// "In place" also means "without allocating": the per-parameter state (momentum, Adam's moments)
/// is allocated on the first step and reused after that. One exception is deliberate: if a recorded
/// graph still shares a parameter's storage (the `loss` of this batch is still alive and its
/// backward closures captured the old values), the first write copies the buffer — copy-on-write
/// keeps the values the graph saved intact (where PyTorch would instead fail the next backward of
/// that graph with "modified by an inplace operation").
public protocol Optimizer: AnyObject {
    /// The tensors this optimizer updates, in the order it was given them.
    var parameters: [Tensor] { get }
    /// The learning rate. Settable between steps, which is all a learning-rate schedule needs.
    var lr: Double { get set }
    /// Applies one update to every parameter that has a gradient.
    ///
    /// Throws (before changing anything) if a hyper-parameter was set to an invalid value since
    /// construction, or a gradient's or an optimizer state's size does not match its parameter's.
    func step() throws
    /// Forgets every parameter's gradient (PyTorch's `zero_grad(set_to_none=True)`, the default
    /// since 2.0): the next `backward()` starts the sums afresh.
    func zeroGrad()
}

extension Optimizer {
    public func zeroGrad() {
        for p in parameters { p.zeroGrad() }
    }
}

/// Checks shared by every optimizer's initializer and `step()`.
enum OptimizerCheck {
    /// `condition` or an `invalidArgument` error naming the optimizer and the parameter.
    ///
    /// Written as `require(lr >= 0, …)` so that NaN — for which every comparison is false — is
    /// rejected too, where PyTorch's `if lr < 0` would let it through.
    static func require(_ condition: Bool, _ op: String, _ message: @autoclosure () -> String) throws {
        if !condition { throw TensorError.invalidArgument(op: op, message: message()) }
    }

    /// A hyper-parameter as a message shows it: `nan` for every NaN (Swift's own text for a NaN
    /// with the sign bit set, which is what 0/0 gives on x86, is "-nan"), else the shortest form.
    static func show(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        return "\(x)"
    }

    /// The parameter list must be non-empty, hold only leaves and name no tensor twice.
    ///
    /// PyTorch raises for the first two; it only warns for duplicates, but a tensor listed twice
    /// would be stepped twice per `step()`, a bug nobody wants, so it is an error here.
    static func parameters(_ parameters: [Tensor], _ op: String) throws {
        try require(!parameters.isEmpty, op, "got an empty parameter list (did the model register its parameters?)")
        var seen = Set<ObjectIdentifier>()
        for (i, p) in parameters.enumerated() {
            try require(p.isLeaf, op, "parameter \(i) (shape \(formatShape(p.shape))) is the result of an operation, not a leaf; optimize the tensors it was computed from")
            try require(seen.insert(ObjectIdentifier(p)).inserted, op, "parameter \(i) (shape \(formatShape(p.shape))) appears more than once in the list")
        }
    }

    /// Every parameter's optimizer state (momentum; Adam's two moments) has as many elements as the
    /// parameter — not so once its storage was replaced by hand with one of another size after the
    /// state was made, and the update loops would run past the state's end. `counts(i)` gives the
    /// sizes of parameter i's state arrays (nil where there is none yet): counts, not the arrays,
    /// so that the check every step makes allocates nothing. Checked for all parameters before
    /// any is updated, so a failing `step()` changes nothing.
    static func states(_ parameters: [Tensor], _ op: String, counts: (Int) -> (Int?, Int?)) throws {
        for (i, p) in parameters.enumerated() {
            func check(_ count: Int?) throws {
                guard let count, count != p.storage.count else { return }
                throw TensorError.invalidArgument(
                    op: op, message: "parameter \(i) has \(p.storage.count) elements but its optimizer state has \(count) (its storage was replaced after the optimizer's first step); make a new optimizer")
            }
            let (first, second) = counts(i)
            try check(first)
            try check(second)
        }
    }

    /// Every existing gradient has as many elements as its parameter (checked for all parameters
    /// before any is updated, so a failing `step()` changes nothing).
    static func gradients(_ parameters: [Tensor], _ op: String) throws {
        for (i, p) in parameters.enumerated() {
            guard let g = p.gradStorage else { continue }
            guard g.count == p.storage.count else {
                throw TensorError.invalidArgument(
                    op: op, message: "parameter \(i) has \(p.storage.count) elements but its gradient has \(g.count)")
            }
        }
    }
}
