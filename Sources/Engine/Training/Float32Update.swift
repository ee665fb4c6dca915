/// An optimizer's update of a float32 parameter, computed in float arithmetic as PyTorch's float32
/// kernels compute it (the same vectorised loop as in double, CSupport/optimizer_kernels_impl.h,
/// instantiated for float): a step rounds every product and sum to float32, so a float64 update
/// rounded once can land an ulp away, and over thousands of steps a trained float32 model would
/// drift from PyTorch's.
///
/// Float32 values are held widened in double storage (see ``DType``), so the parameter, its
/// gradient and its state (momentum, Adam's moments) are narrowed into float buffers — exactly,
/// as they hold float32 values — updated there, and widened back. The copies cost a few
/// milliseconds for a million parameters, against hundreds for the training step that precedes
/// the update.
enum Float32Update {
    /// Runs `kernel(p, g, state)` on float copies of `parameter` (written back), `gradient` (read)
    /// and each of `state` (written back); all of them hold `parameter.count` values.
    static func run(_ parameter: inout [Double], gradient: [Double], state: inout [[Double]],
                    _ kernel: (_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ state: [UnsafeMutablePointer<Float>]) -> Void) {
        let count = parameter.count
        guard count > 0 else { return }
        precondition(gradient.count == count && state.allSatisfy { $0.count == count }, "a parameter, its gradient and its state differ in size")
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
