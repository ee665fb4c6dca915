/// Reverse-mode differentiation: walk the recorded graph from the output back to the leaves.
extension Tensor {
    /// Computes ∂self/∂leaf for every leaf with ``requiresGrad`` and adds it to that leaf's ``grad``.
    ///
    /// As in PyTorch, gradients *accumulate* across calls until ``zeroGrad()``, and a call without
    /// `gradient` is only allowed on a single-element tensor (a loss). With `gradient` (same shape
    /// as `self`) it computes the vector–Jacobian product instead.
    ///
    /// The walk visits every node once, in reverse topological order, so a tensor used several
    /// times (a weight shared by all time steps of an RNN) receives the sum of its uses' gradients
    /// before it passes its own on.
    ///
    /// Ctrl-C (see ``Cancellation``) is looked for after every node, whose own loops stop part-way
    /// once it is pending; the walk then throws ``TensorError/interrupted``. The leaves' gradients are
    /// added only after the whole walk, so an interrupted backward leaves every ``grad`` as it was.
    public func backward(gradient: Tensor? = nil) throws {
        guard requiresGrad else { throw TensorError.noGradient(op: "backward") }
        var seed: [Double]
        if let gradient {
            guard gradient.shape == shape else {
                throw TensorError.shapeMismatch(op: "backward(gradient:)", lhs: shape, rhs: gradient.shape)
            }
            seed = gradient.storage
            if dtype == .float32, gradient.dtype != .float32 { DType.roundToFloat32(&seed) }
        } else {
            guard count == 1 else { throw TensorError.backwardFromNonScalar(shape: shape) }
            seed = [1]
        }

        try BackwardWalk.$current.withValue(BackwardWalk()) { try walk(from: seed) }
    }

    /// The walk itself (``backward(gradient:)``), from ∂L/∂self = `seed`.
    private func walk(from seed: [Double]) throws {
        // Room for a training step's graph from the start (a layer, a loss, a head): growing from
        // empty would reallocate and rehash four or five times per backward.
        var pending = [ObjectIdentifier: [Double]](minimumCapacity: 32)
        pending[ObjectIdentifier(self)] = seed
        // Gradients that end up in `grad` (leaves, and tensors that retain theirs), added at the end.
        var finished: [(Tensor, [Double])] = []
        for tensor in topologicalOrder().reversed() {
            guard let g = pending.removeValue(forKey: ObjectIdentifier(tensor)) else { continue }
            if tensor.gradNode == nil || tensor.retainsGrad {
                finished.append((tensor, g))
            }
            guard let node = tensor.gradNode else { continue }
            var inputGrads = node.backward(g)
            try Cancellation.check()  // the node's loops may have stopped part-way
            for (k, input) in node.inputs.prefix(inputGrads.count).enumerated() where input.requiresGrad {
                guard var inputGrad = inputGrads[k] else { continue }
                // Taken out of the list, so that rounding it below writes in place instead of
                // copying a buffer the list still shares (a copy of every gradient a loss sends).
                inputGrads[k] = nil
                // A float32 tensor's gradient is float32, as in PyTorch: rounded as it arrives (unless
                // its node computed it in float, see `Tensor.result(exact:)`), and again after each
                // sum of several uses.
                if input.dtype == .float32 {
                    if node.exactGradients {
                        assert(DType.allFloat32(inputGrad), "\(node.op): a gradient said to be float32 is not")
                    } else {
                        DType.roundToFloat32(&inputGrad)
                    }
                }
                let key = ObjectIdentifier(input)
                if var existing = pending[key] {
                    pending[key] = nil  // keep the buffer uniquely referenced so it is added in place
                    addInPlace(&existing, inputGrad)
                    if input.dtype == .float32 { DType.roundToFloat32(&existing) }
                    pending[key] = existing
                } else {
                    pending[key] = inputGrad
                }
            }
        }
        for (tensor, g) in finished { tensor.accumulateGrad(g) }
    }

    /// Tensors reachable from `self` through nodes, each after all of its inputs (iterative DFS,
    /// so a 10,000-step unrolled RNN does not overflow the stack).
    func topologicalOrder() -> [Tensor] {
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>(minimumCapacity: 32)
        var stack: [(Tensor, Bool)] = [(self, false)]
        order.reserveCapacity(32)
        stack.reserveCapacity(32)
        while let (tensor, inputsDone) = stack.popLast() {
            if inputsDone { order.append(tensor); continue }
            guard visited.insert(ObjectIdentifier(tensor)).inserted else { continue }
            stack.append((tensor, true))
            for input in tensor.gradNode?.inputs ?? [] where input.requiresGrad
                && !visited.contains(ObjectIdentifier(input)) {
                stack.append((input, false))
            }
        }
        return order
    }

    /// Adds `g` to the stored gradient. A stored gradient of another length can only have been
    /// assigned by hand (``grad`` and ``gradStorage`` are settable); it is replaced, because adding
    /// to it would read past the end of one of the two buffers.
    ///
    /// `g` comes from the walk, which rounded it to float32 as it reached a float32 tensor, so it
    /// is stored as it is; only a sum with an earlier gradient needs rounding again.
    func accumulateGrad(_ g: [Double]) {
        guard gradStorage?.count == g.count else { gradStorage = g; return }
        addInPlace(&gradStorage!, g)
        if dtype == .float32 { DType.roundToFloat32(&gradStorage!) }
    }

    /// Asks a non-leaf tensor to keep its gradient in ``grad`` after backward, like `retain_grad()`:
    /// how a lesson shows ∂L/∂hₜ of a hand-unrolled RNN.
    public func retainGrad() { retainsGrad = true }
}

/// `a += b` elementwise (same length).
@inline(__always) func addInPlace(_ a: inout [Double], _ b: [Double]) {
    a.withUnsafeMutableBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            for i in 0..<pa.count { pa[i] += pb[i] }
        }
    }
}
