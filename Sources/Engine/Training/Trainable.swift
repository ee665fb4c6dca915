/// What the training loop needs from a model: a loss to descend, and a switch for dropout.
///
/// The loop (``Trainer``) knows nothing of architectures. A model — or an adapter around one, as
/// the language's `train(…)` has — says how one batch becomes one loss; the loop does the rest
/// (order, batches, gradients, clipping, the update, validation, stopping). So a new architecture
/// trains as soon as it can compute its loss.
public protocol Trainable: AnyObject {
    /// Training mode (dropout between stacked recurrent layers on). The loop turns it on for
    /// every step and restores the model's own mode when it returns.
    var training: Bool { get set }

    /// The loss of one batch as a one-element tensor with its graph, ready for `backward()`.
    ///
    /// `state` is the recurrent state the previous chunk of the same batch ended in (truncated
    /// BPTT, already detached), nil for a batch's first chunk; return the state this chunk ends
    /// in to carry it on, or nil.
    func loss(on batch: SequenceBatch, state: RecurrentState?) throws -> (loss: Tensor, state: RecurrentState?)
}

/// A ``Trainable`` from a closure: the shortest way to train a model of your own from Swift.
///
///     let objective = TrainingClosure(model.training) { batch, _ in
///         (try Loss.crossEntropy(logits: model(batch.x), targets: batch.y), nil)
///     }
public final class TrainingClosure: Trainable {
    public var training: Bool { didSet { setTraining(training) } }
    private let setTraining: (Bool) -> Void
    private let body: (SequenceBatch, RecurrentState?) throws -> (loss: Tensor, state: RecurrentState?)

    /// `setTraining` switches the model's dropout (leave it out for a model without dropout).
    public init(_ training: Bool = true, setTraining: @escaping (Bool) -> Void = { _ in },
                loss: @escaping (SequenceBatch, RecurrentState?) throws -> (loss: Tensor, state: RecurrentState?)) {
        self.training = training; self.setTraining = setTraining; self.body = loss
    }

    public func loss(on batch: SequenceBatch, state: RecurrentState?) throws -> (loss: Tensor, state: RecurrentState?) {
        try body(batch, state)
    }
}
