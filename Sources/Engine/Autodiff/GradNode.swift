/// One recorded operation in the graph: which tensors went in, and how to send a gradient back to them.
///
/// This is micrograd's idea at tensor granularity. An operation computes its result, then — only
/// if a gradient will be needed — records a node whose `backward` closure maps ∂L/∂output to
/// ∂L/∂input for each input (or `nil` for an input that needs none). The closure sits right beside
/// the forward code of each operation, so forward and backward are read together.
///
/// Gradients travel as plain row-major `[Double]` buffers of the matching shape: the backward pass
/// is not itself differentiated (no higher-order gradients), which keeps it fast and allocation-light.
public final class GradNode {
    /// Name of the operation, for error messages and graph inspection.
    public let op: String
    /// The operands, in the order `backward` returns their gradients. Settable inside the engine
    /// only so that ``Tensor``'s deinit can take a dying graph apart without recursion.
    public internal(set) var inputs: [Tensor]
    /// ∂L/∂output ↦ [∂L/∂input₀, ∂L/∂input₁, …]; entries may be nil when an input needs no gradient.
    let backward: ([Double]) -> [[Double]?]
    /// The gradients `backward` returns are float32 values already (a float kernel's results,
    /// widened), so the walk does not scan them for rounding.
    let exactGradients: Bool

    init(op: String, inputs: [Tensor], exactGradients: Bool = false, backward: @escaping ([Double]) -> [[Double]?]) {
        self.op = op
        self.inputs = inputs
        self.exactGradients = exactGradients
        self.backward = backward
    }
}

/// Whether operations record the graph. Off inside ``GradMode/withoutGrad(_:)``, like `torch.no_grad()`.
///
/// A learner's session runs one computation at a time, but the switch is still task-local (and
/// thread-local outside tasks), as PyTorch's grad mode is thread-local: with a plain global, one
/// thread's no-grad scope — a `gradcheck` on a test thread, an evaluation on a background
/// thread — would silently stop every other thread from recording its graph.
public enum GradMode {
    @TaskLocal private static var enabled = true

    public static var isEnabled: Bool { enabled }

    /// Runs `body` without recording any graph: for evaluation, optimizer updates and sampling.
    public static func withoutGrad<T>(_ body: () throws -> T) rethrows -> T {
        try $enabled.withValue(false, operation: body)
    }

    /// Runs `body` recording the graph or not as given: work deferred from a forward pass (a
    /// layer's final states, built when first read) keeps the mode that pass ran in.
    static func with<T>(enabled: Bool, _ body: () throws -> T) rethrows -> T {
        if enabled == Self.enabled { return try body() }
        return try $enabled.withValue(enabled, operation: body)
    }
}

extension Tensor {
    /// Wraps an operation's result and, when a gradient must flow, the node that sends it back.
    ///
    /// `backward` is an autoclosure so that no closure context is even allocated when gradients are off.
    ///
    /// The result's dtype is `dtype` when given (a conversion), else the promotion of the inputs'
    /// (``DType/promoted(_:)``); a float32 result is rounded to float32 here, once for every
    /// operation, so no operation has to know about precisions to give float32 results.
    @usableFromInline
    static func result(
        shape: [Int], storage: [Double], op: String, inputs: [Tensor], dtype: DType? = nil, exact: Bool = false,
        backward: @autoclosure () -> ([Double]) -> [[Double]?]
    ) -> Tensor {
        Allocator.keepFreedMemory()
        let resultType = dtype ?? DType.promoted(inputs)
        var storage = storage
        // `exact`: the caller's values, and the gradients its backward returns, are a float kernel's
        // results widened, float32 already, so the scans that would find nothing to round are
        // skipped (checked in debug builds).
        assert(!exact || resultType != .float32 || DType.allFloat32(storage),
               "\(op): values said to be exact in float32 are not")
        if resultType == .float32 && !exact { DType.roundToFloat32(&storage) }
        let out = Tensor(uncheckedShape: shape, storage: storage)
        out.dtype = resultType
        if GradMode.isEnabled && inputs.contains(where: { $0.requiresGrad }) {
            out.requiresGrad = true
            out.gradNode = GradNode(op: op, inputs: inputs, exactGradients: exact, backward: backward())
        }
        return out
    }
}
