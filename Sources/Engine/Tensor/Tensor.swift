/// An n-dimensional array of `Double`s in row-major order that can record how it was computed.
///
/// `Tensor` is a class, as in PyTorch: a parameter is one object shared by the layer that owns it,
/// the optimizer that updates it and the graph that differentiates it. Every operation returns a
/// new, contiguous tensor, so the storage is always a plain row-major array that BLAS, the printer
/// and the `.npy` writer can read directly.
///
/// When gradients are enabled (see ``GradMode``) and an input has ``requiresGrad``, the result keeps
/// a ``GradNode``: the inputs and the rule for turning the result's gradient into theirs. That is
/// the whole reverse-mode autodiff; ``backward(gradient:)`` walks those nodes.
public final class Tensor {
    /// Sizes of each axis; `[]` for a scalar.
    public let shape: [Int]
    /// The elements in row-major order. Mutating it in place is for optimizers and loaders only:
    /// it bypasses the graph.
    public var storage: [Double]
    /// Whether gradients are accumulated into ``grad`` for this tensor (a leaf) or flow through it.
    public var requiresGrad: Bool
    /// Accumulated gradient of a leaf, same shape as the tensor; summed across `backward` calls
    /// until ``zeroGrad()``, exactly as PyTorch accumulates `.grad`.
    public var gradStorage: [Double]?
    /// How this tensor was computed, when a gradient must flow through it.
    public internal(set) var gradNode: GradNode?
    /// Whether a non-leaf keeps its gradient (see ``retainGrad()``).
    public internal(set) var retainsGrad = false
    /// The precision of the elements (see ``DType``): float64 unless asked for.
    public internal(set) var dtype: DType = .float64

    /// Wraps `storage` (row-major) as a tensor of `shape`; with `dtype` float32 the values are
    /// rounded to the nearest float32.
    public init(shape: [Int], storage: [Double], dtype: DType = .float64, requiresGrad: Bool = false) throws {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw TensorError.invalidArgument(op: "tensor", message: "negative size in shape \(formatShape(shape))")
        }
        // Checked, not wrapping: (2⁶², 4) wraps to 0 elements and would pass with empty storage,
        // then trap later in stride arithmetic; (0, 2⁶²) holds nothing but sums to (2⁶²,).
        guard let n = Shape.checkedCount(shape) else {
            throw TensorError.invalidArgument(op: "tensor", message: Shape.tooLarge(shape))
        }
        guard n == storage.count else {
            throw TensorError.invalidArgument(
                op: "tensor", message: "shape \(formatShape(shape)) needs \(n) elements, got \(storage.count)")
        }
        self.shape = shape
        self.storage = storage
        self.requiresGrad = requiresGrad
        self.dtype = dtype
        if dtype == .float32 { DType.roundToFloat32(&self.storage) }
        MemoryBudget.track(doubles: n, live: true)
    }

    /// Releases the graph behind this tensor one node at a time.
    ///
    /// Left to itself, releasing the last tensor of an unrolled RNN releases its node, whose inputs
    /// release their nodes, and so on: one nested deinit per operation, which overflows a 512 KB
    /// thread stack after some tens of thousands of steps. Instead, every node that would die with
    /// this tensor is emptied here in a loop — its uniquely held inputs hand their own nodes over
    /// first — so each object is freed with nothing left to release recursively. Nodes still held
    /// elsewhere (by another live tensor) are left untouched.
    deinit {
        // The count the init added: `storage` may since have been replaced, but only by as many elements.
        MemoryBudget.track(doubles: Shape.count(shape), live: false)
        guard gradNode != nil else { return }
        // No local binding of the root: it would hold a second reference and defeat the uniqueness test.
        var pending = [gradNode!]
        gradNode = nil
        while var node = pending.popLast() {
            guard isKnownUniquelyReferenced(&node) else { continue }
            var inputs = node.inputs
            node.inputs = []
            // x + x lists x twice; keep one reference so that the uniqueness test can succeed.
            if inputs.count <= 16 {
                // A node's few inputs (a recurrent layer has 5 per direction) compared pairwise, in
                // place: a Set would be allocated, filled and hashed for every node released.
                var kept = 0
                for i in inputs.indices {
                    var repeated = false
                    for j in 0..<kept where inputs[j] === inputs[i] { repeated = true; break }
                    if !repeated { inputs.swapAt(kept, i); kept += 1 }
                }
                inputs.removeLast(inputs.count - kept)
            } else {
                var seen = Set<ObjectIdentifier>()
                inputs.removeAll { !seen.insert(ObjectIdentifier($0)).inserted }
            }
            for i in inputs.indices where isKnownUniquelyReferenced(&inputs[i]) {
                if let child = inputs[i].gradNode {
                    inputs[i].gradNode = nil
                    pending.append(child)
                }
            }
        }
    }

    /// Internal constructor for results whose shape is known to match their storage: operations
    /// whose inputs were checked. Never for shapes from outside data (files, the prompt) — those go
    /// through ``init(shape:storage:requiresGrad:)``. Every build verifies the promise (a product
    /// over a few dimensions): a broken one must stop the program, never leave a tensor whose
    /// shape claims storage it does not have.
    @usableFromInline init(uncheckedShape shape: [Int], storage: [Double]) {
        precondition(Shape.checkedCount(shape) == storage.count, "shape \(shape) does not match \(storage.count) elements")
        self.shape = shape
        self.storage = storage
        self.requiresGrad = false
        MemoryBudget.track(doubles: Shape.count(shape), live: true)
    }

    /// A rank-0 tensor holding one number.
    public convenience init(_ scalar: Double, requiresGrad: Bool = false) {
        self.init(uncheckedShape: [], storage: [scalar])
        self.requiresGrad = requiresGrad
    }

    /// A rank-1 tensor.
    public convenience init(_ values: [Double], requiresGrad: Bool = false) {
        self.init(uncheckedShape: [values.count], storage: values)
        self.requiresGrad = requiresGrad
    }

    public var rank: Int { shape.count }
    public var count: Int { storage.count }

    /// The single element of a one-element tensor.
    public func item() throws -> Double {
        guard storage.count == 1 else {
            throw TensorError.invalidArgument(op: "item", message: "tensor of shape \(formatShape(shape)) has \(count) elements, not 1")
        }
        return storage[0]
    }

    /// The accumulated gradient as a tensor of this tensor's dtype (nil before the first backward
    /// reaches this leaf).
    public var grad: Tensor? {
        get {
            gradStorage.map {
                let g = Tensor(uncheckedShape: shape, storage: $0)
                g.dtype = dtype
                return g
            }
        }
        set {
            gradStorage = newValue?.storage
            if dtype == .float32, gradStorage != nil { DType.roundToFloat32(&gradStorage!) }
        }
    }

    /// Forgets the accumulated gradient, as `optimizer.zero_grad(set_to_none=True)` does.
    public func zeroGrad() { gradStorage = nil }

    /// Same values, cut from the graph: gradients do not flow through the result.
    public func detach() -> Tensor {
        let out = Tensor(uncheckedShape: shape, storage: storage)
        out.dtype = dtype
        return out
    }

    /// True for tensors created by the user (parameters, inputs) rather than by an operation.
    public var isLeaf: Bool { gradNode == nil }

    /// The element at a full multi-index (no negative indices); for tests and printing.
    public func element(_ index: [Int]) throws -> Double {
        guard index.count == rank else {
            throw TensorError.invalidArgument(op: "element", message: "need \(rank) indices, got \(index.count)")
        }
        var offset = 0
        let strides = Shape.strides(shape)
        for (axis, i) in index.enumerated() {
            guard i >= 0, i < shape[axis] else {
                throw TensorError.indexOutOfRange(op: "element", index: i, axis: axis, size: shape[axis])
            }
            offset += i * strides[axis]
        }
        return storage[offset]
    }
}

extension Tensor: CustomStringConvertible {
    /// A compact form for debugging; the REPL's printer lives in the Terminal target.
    public var description: String {
        func render(_ axis: Int, _ offset: Int, _ strides: [Int]) -> String {
            if axis == rank { return "\(storage[offset])" }
            let parts = (0..<shape[axis]).map { render(axis + 1, offset + $0 * strides[axis], strides) }
            return "[" + parts.joined(separator: ", ") + "]"
        }
        return "tensor(\(render(0, 0, Shape.strides(shape))), shape: \(formatShape(shape)))"
    }
}
