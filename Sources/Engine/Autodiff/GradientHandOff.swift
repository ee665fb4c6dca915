/// One walk of ``Tensor/backward(gradient:)``: an identity, so that a gradient one node hands to
/// another during a walk is never taken up by a later walk.
final class BackwardWalk: Sendable {
    /// The walk running on this task or thread (nil outside a backward pass), task-local as
    /// ``GradMode`` is: tests walk separate graphs on several threads at once.
    @TaskLocal static var current: BackwardWalk?
}

/// A gradient passed sideways from one node's backward to another's within the same walk.
///
/// A node whose result is made of two tensors of different shapes — a recurrent sequence's
/// outputs h₁…h_T (T × B × H) and its final cell state c_T (B × H) — must receive both gradients
/// before it can run: backpropagation through time starts from ∂L/∂c_T at the last step. Packing
/// the two into one (T+1) × B × H result would cost a copy of the outputs forwards and a zeroed
/// (T+1) × B × H buffer backwards. Instead c_T is a small node computed *from* the outputs: the
/// walk reaches a tensor only after every tensor computed from it, so c_T's backward runs first
/// and leaves ∂L/∂c_T here, and the sequence's backward takes it.
///
/// A value is only taken by the walk that left it: a walk stopped by Ctrl-C between the two
/// nodes leaves one behind, and a later walk that does not pass through c_T must not use it.
final class GradientHandOff {
    private var value: [Double]?
    private var walk: BackwardWalk?

    /// Leaves `gradient` for the current walk (replacing anything an earlier walk left).
    func put(_ gradient: [Double]) {
        value = gradient
        walk = BackwardWalk.current
    }

    /// What the current walk left, if anything; the hand-off is empty afterwards.
    func take() -> [Double]? {
        defer { value = nil; walk = nil }
        guard let walk, let current = BackwardWalk.current, walk === current else { return nil }
        return value
    }
}
