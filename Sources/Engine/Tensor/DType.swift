import CSupport

/// The precision of a tensor's elements: PyTorch's `torch.float64` (rnnlab's default, in which
/// every lesson's numbers are recorded) or `torch.float32` (what PyTorch users train in).
///
/// A float32 tensor holds values that are exactly representable as a 32-bit `Float`. rnnlab keeps
/// them widened in the same `[Double]` storage as float64 tensors — exact, since every `Float` is a
/// `Double` — so that one printer, one `.npy` writer and one language serve both precisions. Every
/// operation whose result is float32 rounds that result to `Float` (round to nearest, ties to even)
/// in one place (``Tensor/result(shape:storage:op:inputs:dtype:backward:)``), and every gradient
/// that reaches a float32 tensor is rounded the same way, as PyTorch's float32 gradients are.
/// For +, −, ×, ÷ and √ that gives exactly float32's own result: the exact value rounded to
/// Double and then to Float equals the exact value rounded to Float, because a Double carries more
/// than 2·24 + 2 significant bits. The recurrent layers and the matrix products, where the time
/// goes, compute in `Float` itself.
public enum DType: String, Sendable, CaseIterable {
    case float64
    case float32

    /// Bytes per element in a `.npy` file and in PyTorch.
    public var itemSize: Int { self == .float64 ? 8 : 4 }

    /// The dtype of an elementwise operation's result: PyTorch's promotion rule.
    ///
    /// Operands of one dtype keep it. Mixing float32 and float64 gives float64 — except that
    /// 0-dimensional (scalar) operands do not promote dimensioned ones: `x * 2` and `x + loss_scale`
    /// stay float32 for a float32 `x`, as in PyTorch, where a Python number or a 0-dim tensor never
    /// widens a tensor of the same kind.
    public static func promoted(_ inputs: [Tensor]) -> DType {
        var dimensioned: DType? = nil, scalar: DType? = nil
        for t in inputs {
            if t.rank > 0 { dimensioned = wider(dimensioned, t.dtype) } else { scalar = wider(scalar, t.dtype) }
        }
        return dimensioned ?? scalar ?? .float64
    }

    private static func wider(_ a: DType?, _ b: DType) -> DType {
        a == .float64 || b == .float64 ? .float64 : .float32
    }

    /// Whether every value is a float32 held as a double (NaN counting as one): vectorised, and
    /// stopping at the first that is not.
    @inline(__always)
    static func allFloat32(_ values: [Double]) -> Bool {
        values.withUnsafeBufferPointer { p in p.isEmpty || rnnlab_all_float32(p.baseAddress!, p.count) != 0 }
    }

    /// `values` rounded in place to the nearest float32 (ties to even); ±∞ and NaN stay what they
    /// are, and values beyond float32's range become ±∞, as a cast does in PyTorch and NumPy.
    @inline(__always)
    public static func roundToFloat32(_ values: inout [Double]) {
        // Values that are float32 already (a float kernel's results, widened) are left unwritten,
        // so an array shared with another tensor is not copied. A float64 result usually fails
        // this at its first element.
        if allFloat32(values) { return }
        values.withUnsafeMutableBufferPointer { p in
            for i in p.indices { p[i] = Double(Float(p[i])) }
        }
    }
}

extension DType {
    /// The number an element reads as when printed: for float32, the shortest decimal that rounds
    /// back to the same float32 (NumPy's and PyTorch's repr: float32 0.1 prints as 0.1, not as its
    /// exact value 0.10000000149011612), held as the nearest Double; for float64, the element itself.
    @inline(__always)
    public func printed(_ x: Double) -> Double {
        guard self == .float32, x.isFinite else { return x }
        return Double("\(Float(x))") ?? x
    }
}

extension Tensor {
    /// The elements as they are printed (see ``DType/printed(_:)``): the storage itself for float64.
    public var printedValues: [Double] { dtype == .float64 ? storage : storage.map(dtype.printed) }
}
