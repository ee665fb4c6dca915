import Foundation

/// Elementwise arithmetic with NumPy broadcasting: `+ − × ÷`, power and negation.
///
/// Each operation's backward follows its forward. For broadcast operands the gradient is summed
/// over the axes that were broadcast (``BroadcastPlan`` does that by accumulating through stride 0).
extension Tensor {
    /// Shared shape of a binary elementwise operation: forward `f`, and the two partial derivatives
    /// ∂f/∂a and ∂f/∂b given (a, b, f(a, b)).
    @inline(__always)
    static func elementwise(
        _ a: Tensor, _ b: Tensor, op: String,
        _ f: (Double, Double) -> Double,
        da: @escaping (Double, Double, Double) -> Double,
        db: @escaping (Double, Double, Double) -> Double
    ) throws -> Tensor {
        let plan = try BroadcastPlan(a.shape, b.shape, op: op)
        var av = a.storage, bv = b.storage
        // A float32 result takes a 0-d float64 operand (which does not promote it, see DType) in
        // float32 first, as PyTorch casts a scalar to the result's dtype before the arithmetic.
        if DType.promoted([a, b]) == .float32 {
            if a.dtype == .float64 { DType.roundToFloat32(&av) }
            if b.dtype == .float64 { DType.roundToFloat32(&bv) }
        }
        var out = [Double](repeating: 0, count: Shape.count(plan.shape))
        out.withUnsafeMutableBufferPointer { po in
            av.withUnsafeBufferPointer { pa in
                bv.withUnsafeBufferPointer { pb in
                    plan.forEach { o, i, j in po[o] = f(pa[i], pb[j]) }
                }
            }
        }
        try Cancellation.check()  // forEach stops part-way on Ctrl-C: `out` is then incomplete
        let (needA, needB) = (a.requiresGrad, b.requiresGrad)
        return result(shape: plan.shape, storage: out, op: op, inputs: [a, b], backward: { [out] g in
            // One pass per operand through raw pointers: each gradient receives the same additions in
            // the same order as in a combined loop, without an Optional unwrap and a copy-on-write
            // check per element.
            func accumulate(_ count: Int, _ partial: (Double, Double, Double) -> Double, at index: (Int, Int) -> Int) -> [Double] {
                var grad = [Double](repeating: 0, count: count)
                grad.withUnsafeMutableBufferPointer { pgrad in
                    g.withUnsafeBufferPointer { pg in
                        av.withUnsafeBufferPointer { pa in
                            bv.withUnsafeBufferPointer { pb in
                                out.withUnsafeBufferPointer { po in
                                    plan.forEach { o, i, j in pgrad[index(i, j)] += pg[o] * partial(pa[i], pb[j], po[o]) }
                                }
                            }
                        }
                    }
                }
                return grad
            }
            return [needA ? accumulate(av.count, da, at: { i, _ in i }) : nil,
                    needB ? accumulate(bv.count, db, at: { _, j in j }) : nil]
        })
    }

    /// a + b; ∂/∂a = 1, ∂/∂b = 1.
    public static func + (a: Tensor, b: Tensor) throws -> Tensor {
        try elementwise(a, b, op: "add", +, da: { _, _, _ in 1 }, db: { _, _, _ in 1 })
    }

    /// a − b; ∂/∂a = 1, ∂/∂b = −1.
    public static func - (a: Tensor, b: Tensor) throws -> Tensor {
        try elementwise(a, b, op: "subtract", -, da: { _, _, _ in 1 }, db: { _, _, _ in -1 })
    }

    /// a ⊙ b (elementwise, the Hadamard product used by every gate); ∂/∂a = b, ∂/∂b = a.
    public static func * (a: Tensor, b: Tensor) throws -> Tensor {
        try elementwise(a, b, op: "multiply", *, da: { _, b, _ in b }, db: { a, _, _ in a })
    }

    /// a ÷ b; ∂/∂a = 1/b, ∂/∂b = −a/b².
    public static func / (a: Tensor, b: Tensor) throws -> Tensor {
        try elementwise(a, b, op: "divide", /, da: { _, b, _ in 1 / b }, db: { a, b, _ in -a / (b * b) })
    }

    /// aᵇ elementwise; ∂/∂a = b·aᵇ⁻¹, ∂/∂b = aᵇ·ln a (taken as 0 where a = 0, as PyTorch does).
    public func pow(_ exponent: Tensor) throws -> Tensor {
        try Tensor.elementwise(
            self, exponent, op: "pow", Foundation.pow,
            da: { a, b, _ in b == 0 ? 0 : b * Foundation.pow(a, b - 1) },
            db: { a, _, y in a == 0 ? 0 : y * Foundation.log(a) })
    }

    /// aᵖ for a number p.
    public func pow(_ exponent: Double) throws -> Tensor { try pow(Tensor(exponent)) }

    /// −a.
    public static prefix func - (a: Tensor) -> Tensor {
        a.map(op: "negate", { -$0 }, derivative: { _, _ in -1 })
    }

    // Mixed tensor–number forms, so that `x * 2` and `1 - z` read as in the equations. The number
    // takes the tensor's dtype, as a Python number does in PyTorch (`sum / n` of a float32 stays float32).
    public static func + (a: Tensor, b: Double) throws -> Tensor { try a + number(b, like: a) }
    public static func + (a: Double, b: Tensor) throws -> Tensor { try number(a, like: b) + b }
    public static func - (a: Tensor, b: Double) throws -> Tensor { try a - number(b, like: a) }
    public static func - (a: Double, b: Tensor) throws -> Tensor { try number(a, like: b) - b }
    public static func * (a: Tensor, b: Double) throws -> Tensor { try a * number(b, like: a) }
    public static func * (a: Double, b: Tensor) throws -> Tensor { try number(a, like: b) * b }
    public static func / (a: Tensor, b: Double) throws -> Tensor { try a / number(b, like: a) }
    public static func / (a: Double, b: Tensor) throws -> Tensor { try number(a, like: b) / b }

    /// A number as an operand of `t`, in t's dtype.
    static func number(_ x: Double, like t: Tensor) -> Tensor { Tensor(x).to(t.dtype) }
}
