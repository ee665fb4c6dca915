/// An optimizer's update of a float32 parameter, computed in float arithmetic as PyTorch's float32
/// kernels compute it (the same vectorised loop as in double, CSupport/optimizer_kernels_impl.h,
/// instantiated for float): a step rounds every product and sum to float32, so a float64 update
/// rounded once can land an ulp away, and over thousands of steps a trained float32 model would
/// drift from PyTorch's.
///
/// Float32 values are held widened in double storage (see ``DType``), so the parameter, its
/// gradient and its state (momentum, Adam's moments) are narrowed into float buffers — exactly,
/// as they hold float32 values (a gradient assigned by hand in float64 is rounded, as PyTorch
/// would refuse or cast it) — updated there, and widened back. The copies cost a few
/// milliseconds for a million parameters, against hundreds for the training step that precedes
/// the update.
enum Float32Update {
    /// Runs `kernel(p, g, state)` on float copies of `parameter` (written back), `gradient` (read)
    /// and each of `state` (written back); all of them hold `parameter.count` values.
    /// Throws, before changing anything, if the sizes differ (a parameter whose storage was
    /// replaced by hand with one of another size after its state was made).
    static func run(_ parameter: inout [Double], gradient: [Double], state: inout [[Double]], op: String,
                    _ kernel: (_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ state: [UnsafeMutablePointer<Float>]) -> Void) throws {
        let count = parameter.count
        for array in [gradient] + state where array.count != count {
            throw TensorError.invalidArgument(
                op: op, message: "a parameter has \(count) values but its gradient or optimizer state has \(array.count)")
        }
        guard count > 0 else { return }
        let buffers = (0..<(2 + state.count)).map { _ in UnsafeMutablePointer<Float>.allocate(capacity: count) }
        defer { for b in buffers { b.deallocate() } }
        parameter.withUnsafeBufferPointer { Float.fromDouble($0.baseAddress!, into: buffers[0], count: count) }
        gradient.withUnsafeBufferPointer { Float.fromDouble($0.baseAddress!, into: buffers[1], count: count) }
        for (k, s) in state.enumerated() { s.withUnsafeBufferPointer { Float.fromDouble($0.baseAddress!, into: buffers[2 + k], count: count) } }
        kernel(buffers[0], buffers[1], Array(buffers[2...]))
        parameter.withUnsafeMutableBufferPointer { Float.toDouble(buffers[0], into: $0.baseAddress!, count: count) }
        for k in state.indices { state[k].withUnsafeMutableBufferPointer { Float.toDouble(buffers[2 + k], into: $0.baseAddress!, count: count) } }
    }
}
