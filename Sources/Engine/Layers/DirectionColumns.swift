/// The columns of a bidirectional layer's output: each direction's kernel buffers are packed
/// (T·B rows of H), the layer's result holds both directions side by side (rows of 2H), so its
/// values are widened into, and its gradient narrowed out of, every other half-row.

/// `rows` rows of `width` values, packed in `p`, widened into rows `stride` apart from `out` (one
/// direction's outputs into its columns of a bidirectional layer's; one copy when they are packed).
func widenRows<Scalar: KernelScalar>(_ p: UnsafePointer<Scalar>, rows: Int, width: Int,
                                     into out: UnsafeMutablePointer<Double>, stride: Int) {
    if stride == width { return Scalar.toDouble(p, into: out, count: rows * width) }
    for r in 0..<rows { Scalar.toDouble(p + r * width, into: out + r * stride, count: width) }
}

/// The reverse of ``widenRows(_:rows:width:into:stride:)``: `rows` rows of `width` values, `stride`
/// apart from `p`, narrowed into one packed array (one direction's half of a bidirectional
/// layer's gradient).
func narrowedRows<Scalar: KernelScalar>(_ p: UnsafePointer<Double>, rows: Int, width: Int, stride: Int) -> [Scalar] {
    [Scalar](unsafeUninitializedCapacity: rows * width) { out, initialized in
        for r in 0..<rows { Scalar.fromDouble(p + r * stride, into: out.baseAddress! + r * width, count: width) }
        initialized = rows * width
    }
}

/// a += b elementwise, rounded to `Scalar` (the gradient of an input both directions read): in
/// float32, the sum of two float32 values in double rounded once, which is float32's own sum.
func addRounded<Scalar: KernelScalar>(_ a: inout [Double], _ b: [Double], in: Scalar.Type) {
    addInPlace(&a, b)
    if Scalar.self == Float.self { DType.roundToFloat32(&a) }
}
