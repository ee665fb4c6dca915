/// Changing a tensor's precision: PyTorch's `x.float()`, `x.double()` and `x.to(dtype)`.
///
/// float64 → float32 rounds every element to the nearest float32 (ties to even; beyond float32's
/// range, ±∞). float32 → float64 is exact. The conversion is differentiable: the gradient comes
/// back converted to the input's dtype, as PyTorch's `ToCopyBackward` does.
extension Tensor {
    /// This tensor in `dtype`: itself when it already is (PyTorch returns the same tensor too),
    /// otherwise a converted copy that gradients flow through.
    public func to(_ dtype: DType) -> Tensor {
        if dtype == self.dtype { return self }
        return Tensor.result(shape: shape, storage: storage, op: "to \(dtype.rawValue)", inputs: [self], dtype: dtype,
                             backward: { g in [g] })  // rounded to the input's dtype where it arrives
    }
}

extension Module {
    /// Every parameter converted to `dtype` in place — PyTorch's `model.float()` and
    /// `model.double()`. The parameters stay the same objects (an optimizer built before still
    /// updates them); accumulated gradients are dropped, since they belong to the old values.
    public func convert(to dtype: DType) {
        for p in parameters where p.dtype != dtype {
            p.dtype = dtype
            if dtype == .float32 { DType.roundToFloat32(&p.storage) }
            p.zeroGrad()
        }
    }

    /// The dtype of the parameters when they share one (nil for a module without parameters or
    /// with mixed precisions).
    public var dtype: DType? {
        let kinds = Set(parameters.map(\.dtype))
        return kinds.count == 1 ? kinds.first : nil
    }
}

extension DType {
    /// Throws the learner's error when `tensors` do not share one dtype: matrix products and the
    /// recurrent layers do not mix precisions (PyTorch's rule), where silently widening would
    /// hide a slow or unintended float64 computation.
    static func requireSame(_ tensors: [Tensor], op: String, hint: String? = nil) throws {
        guard let first = tensors.first, let other = tensors.first(where: { $0.dtype != first.dtype }) else { return }
        var message = "expects tensors of one dtype, got \(first.dtype.rawValue) and \(other.dtype.rawValue)"
        if let hint { message += "; \(hint)" }
        throw TensorError.invalidArgument(op: op, message: message)
    }
}
