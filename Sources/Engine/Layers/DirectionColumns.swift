/// The columns of a bidirectional layer's output: each direction's kernel buffers are packed
/// (T·B rows of H), the layer's result holds both directions side by side (rows of 2H), so its
/// values are widened into every other half-row, and each direction's backward reads its
/// gradient from there (``RecurrentSequence/backward(_:tape:gradient:stride:finalCellGradient:wIH:wHH:needX:needH0:recorder:)``).

/// `rows` rows of `width` values, packed in `p`, widened into rows `stride` apart from `out` (one
/// direction's outputs into its columns of a bidirectional layer's; one copy when they are packed).
func widenRows<Scalar: KernelScalar>(_ p: UnsafePointer<Scalar>, rows: Int, width: Int,
                                     into out: UnsafeMutablePointer<Double>, stride: Int) {
    if stride == width { return Scalar.toDouble(p, into: out, count: rows * width) }
    for r in 0..<rows { Scalar.toDouble(p + r * width, into: out + r * stride, count: width) }
}

/// a += b elementwise, rounded to `Scalar` (the gradient of an input both directions read): in
/// float32, the sum of two float32 values in double rounded once, which is float32's own sum.
func addRounded<Scalar: KernelScalar>(_ a: inout [Double], _ b: [Double], in: Scalar.Type) {
    addInPlace(&a, b)
    if Scalar.self == Float.self { DType.roundToFloat32(&a) }
}
