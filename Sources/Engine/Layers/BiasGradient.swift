import CSupport

/// A bias gradient, Σₜ ∂L/∂aₜ: the column sums of the gate gradients over all T·B rows.
///
/// Float64 sums the rows in place after the loop, in time order (the order its results have
/// always had). Float32 keeps its sums in double and rounds them once (a long sequence sums T·B
/// terms), and adds each step's rows as BPTT writes them, while they are still in cache: summed
/// after the loop they came back from L3, 1.2 % of a small LSTM step. BPTT walks time backwards,
/// so the additions come in another order; in double that moves a sum by at most T·B·2⁻⁵³ of its
/// terms' magnitudes, far below one float32 rounding, though a sum that lands next to a midpoint
/// between two floats may round to the other one (one bit in the last place, rarely).
struct BiasGradient<Scalar: KernelScalar> {
    private let width: Int
    /// Float32's running sums (empty in float64, and for a width of 0: nothing to sum).
    private var sums: [Double]

    init(width: Int) {
        self.width = width
        sums = Scalar.self == Float.self ? [Double](repeating: 0, count: width) : []
    }

    /// Adds one step's rows (rows × width) — in float32; float64 waits for ``total(of:rows:)``.
    mutating func add(step p: UnsafePointer<Scalar>, rows: Int) {
        guard !sums.isEmpty else { return }
        let width = width
        sums.withUnsafeMutableBufferPointer { o in
            // Scalar is Float here (the only other KernelScalar), so p's memory is bound to Float.
            rnnlab_column_sums_f32(UnsafeRawPointer(p).assumingMemoryBound(to: Float.self), rows, width, o.baseAddress!)
        }
    }

    /// The gradient as a tensor's storage (doubles), given all the rows (rows × width): float32
    /// rounds the sums it kept, in their own array; float64 sums the rows now.
    consuming func total(of p: UnsafePointer<Scalar>, rows: Int) -> [Double] {
        if Scalar.self == Float.self {
            sums.withUnsafeMutableBufferPointer { s in for k in s.indices { s[k] = Double(Float(s[k])) } }
            return sums
        }
        // Scalar is Double here (the only other KernelScalar).
        let p = UnsafeRawPointer(p).assumingMemoryBound(to: Double.self)
        var out = [Double](repeating: 0, count: width)
        out.withUnsafeMutableBufferPointer { o in
            for i in 0..<rows { let r = p + i * width; for k in 0..<width { o[k] += r[k] } }
        }
        return out
    }
}
