/// Anything with learnable parameters: a layer, a stack of layers, a whole model.
///
/// Parameters are listed under PyTorch's `state_dict` names (`weight_ih_l0`, `bias_hh_l1_reverse`,
/// `weight`, …) and in PyTorch's order, so weights move between rnnlab and PyTorch by name
/// (see the `.npz` loader) and an optimizer sees them in the same order as `model.parameters()`.
public protocol Module: AnyObject {
    /// (name, tensor) pairs in `state_dict` order. The tensors are the live parameters, not copies.
    var namedParameters: [(name: String, tensor: Tensor)] { get }
}

extension Module {
    /// The parameter tensors in order, for optimizers and clipping.
    public var parameters: [Tensor] { namedParameters.map(\.tensor) }

    /// Total number of learnable numbers.
    public var parameterCount: Int { namedParameters.reduce(0) { $0 + $1.tensor.count } }

    /// Clears every parameter's accumulated gradient.
    public func zeroGrad() { for p in parameters { p.zeroGrad() } }

    /// Copies of the parameter values keyed by name (PyTorch's `state_dict()`).
    public func stateDict() -> [(name: String, tensor: Tensor)] {
        namedParameters.map { ($0.name, $0.tensor.detach()) }
    }

    /// Replaces parameter values by name (PyTorch's `load_state_dict(strict=True)`): every name
    /// must be present with the right shape, and no extra names are accepted.
    public func loadStateDict(_ values: [String: Tensor]) throws {
        let own = namedParameters
        let missing = own.map(\.name).filter { values[$0] == nil }
        let unexpected = values.keys.filter { key in !own.contains { $0.name == key } }.sorted()
        guard missing.isEmpty, unexpected.isEmpty else {
            var parts: [String] = []
            if !missing.isEmpty { parts.append("missing \(missing.joined(separator: ", "))") }
            if !unexpected.isEmpty { parts.append("unexpected \(unexpected.joined(separator: ", "))") }
            throw TensorError.invalidArgument(op: "loadStateDict", message: parts.joined(separator: "; "))
        }
        for (name, tensor) in own {
            let value = values[name]!
            guard value.shape == tensor.shape else {
                throw TensorError.shapeMismatch(op: "loadStateDict \(name)", lhs: tensor.shape, rhs: value.shape)
            }
        }
        // Values take the parameter's dtype, as PyTorch's `param.copy_(value)` does: a float32
        // model loads a float64 state dict rounded, and a float32 one as it is.
        for (name, tensor) in own {
            tensor.storage = values[name]!.storage
            if tensor.dtype == .float32, values[name]!.dtype != .float32 { DType.roundToFloat32(&tensor.storage) }
        }
    }
}
