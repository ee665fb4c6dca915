/// One walk of ``Tensor/backward(gradient:)``, and the gradients its nodes hand to one another
/// sideways (``GradientHandOff``). Each walk has its own, so what one walk leaves — even one
/// stopped by Ctrl-C between the two nodes — dies with it, and walks running at the same time on
/// different threads never see each other's.
///
/// `@unchecked Sendable`: a walk is run by one thread from start to end, and only that thread's
/// nodes reach its `handed` (the task-local binding is visible to that thread alone).
final class BackwardWalk: @unchecked Sendable {
    /// The walk running on this task or thread (nil outside a backward pass), task-local as
    /// ``GradMode`` is.
    @TaskLocal static var current: BackwardWalk?

    /// Gradients left by one node for another during this walk, keyed by their hand-off.
    fileprivate var handed: [ObjectIdentifier: [Double]] = [:]
}

/// A gradient passed sideways from one node's backward to another's within the same walk.
///
/// A node whose result is made of two tensors of different shapes — a recurrent sequence's
/// outputs h₁…h_T (T × B × H) and its final cell state c_T (B × H) — must receive both gradients
/// before it can run: backpropagation through time starts from ∂L/∂c_T at the last step. Packing
/// the two into one (T+1) × B × H result would cost a copy of the outputs forwards and a zeroed
/// (T+1) × B × H buffer backwards on every step, used or not. Instead c_T is part of a small node
/// computed *from* the sequences (a layer's c_n, one node over all its layers and directions,
/// FinalStates.swift): the walk reaches a tensor only after every tensor computed from it, so
/// c_n's backward runs first and leaves each direction's ∂L/∂c_T in its hand-off, and each
/// sequence's backward takes its own. (A walk through c_n still sends each sequence a zero
/// T × B × D·H gradient, so that it is reached when the loss uses c_n alone; a walk that does not
/// use c_n pays nothing.)
///
/// The hand-off itself holds nothing: it is the key under which the current ``BackwardWalk`` keeps
/// the value. It lives as long as the graph whose closures share it, so the key is not reused
/// while a walk over that graph runs.
final class GradientHandOff {
    /// Leaves `gradient` for the rest of the current walk (outside a walk there is no one to take it).
    func put(_ gradient: [Double]) {
        BackwardWalk.current?.handed[ObjectIdentifier(self)] = gradient
    }

    /// What the current walk left here, if anything; it is removed.
    func take() -> [Double]? {
        BackwardWalk.current?.handed.removeValue(forKey: ObjectIdentifier(self))
    }
}
