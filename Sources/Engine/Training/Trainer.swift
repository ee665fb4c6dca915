import Foundation

/// The training loop, as a learner would write it by hand —
///
///     for each epoch: shuffle the sequences (seeded), cut them into batches
///         for each batch (and each bptt chunk of it, the state carried over detached):
///             opt.zeroGrad(); loss = model.loss(batch); loss.backward()
///             clipGradNorm(params, clip); opt.step()
///         validate
///
/// — step for step, so the same seed gives the same weights as that hand-written loop (and as
/// `train(…)` in the language, which runs this loop). It adds what a hand loop rarely has: a
/// report after every step, a clean stop on cancellation (after the current step, the weights
/// kept; a step whose gradients were cut short is not taken) and on a NaN/Inf loss (before that
/// step's update), and the history.
///
///     let trainer = Trainer(optimizer: try Adam(model.parameters, lr: 0.05), options: .init(batchSize: 16, clip: 1))
///     let history = try trainer.fit(objective, on: try SequenceDataset(x: x, y: y, yBatchAxis: 0), epochs: 5)
public final class Trainer {
    public let optimizer: any Optimizer
    public let options: TrainingOptions
    /// Loss (and a metric) on held-out data, run after every epoch or every `validateEvery` steps
    /// and at the end; the caller decides how (usually without a graph and in eval mode).
    public var validate: (() throws -> (loss: Double, metric: Double?))?
    /// Called after every completed step (before its validation), with the step count.
    public var afterStep: ((Int) -> Void)?
    /// Called after every completed step and once at the end (then `stopped` is set).
    public var onProgress: ((TrainingStatus) -> Void)?
    /// Checked after every step and when a step fails: true stops the run.
    public var isCancelled: () -> Bool = { Cancellation.isRequested }

    public init(optimizer: any Optimizer, options: TrainingOptions = TrainingOptions()) {
        self.optimizer = optimizer; self.options = options
    }

    /// Optimizer steps in one pass over `data`: batches × bptt chunks per batch.
    public func stepsPerEpoch(_ data: SequenceDataset) -> Int {
        let batches = (data.count + options.batchSize - 1) / max(1, options.batchSize)
        return batches * chunksPerBatch(data)
    }

    private func chunksPerBatch(_ data: SequenceDataset) -> Int {
        options.bptt.map { (timeSteps(data) + $0 - 1) / $0 } ?? 1
    }

    private func timeSteps(_ data: SequenceDataset) -> Int { data.x.shape[data.xBatchAxis == 0 ? 1 : 0] }

    /// Trains for `epochs` whole passes over `data`.
    public func fit(_ model: some Trainable, on data: SequenceDataset, epochs: Int) throws -> TrainingHistory {
        try fit(model, on: data, steps: epochs * stepsPerEpoch(data))
    }

    /// Trains for `total` optimizer steps (or until stopped), epoch after epoch.
    public func fit(_ model: some Trainable, on data: SequenceDataset, steps total: Int) throws -> TrainingHistory {
        let op = "train"
        guard options.batchSize >= 1 else { throw TensorError.invalidArgument(op: op, message: "batch size must be at least 1, got \(options.batchSize)") }
        if let bptt = options.bptt, bptt < 1 { throw TensorError.invalidArgument(op: op, message: "bptt must be at least 1 step, got \(bptt)") }
        guard data.count >= 1, timeSteps(data) >= 1 else { throw TensorError.invalidArgument(op: op, message: "the data has no sequences or no steps") }
        guard total >= 1 else { throw TensorError.invalidArgument(op: op, message: "steps must be at least 1, got \(total)") }

        let start = Date()
        let stepsPerEpoch = stepsPerEpoch(data), chunks = chunksPerBatch(data), T = timeSteps(data)
        var history = TrainingHistory(stepsPerEpoch: stepsPerEpoch)
        var generator = RandomGenerator(seed: options.seed)
        let epochs = (total + stepsPerEpoch - 1) / stepsPerEpoch
        var epoch = 0
        var step = 0
        let saved = model.training
        defer { model.training = saved }

        func report(final: Bool) {
            onProgress?(TrainingStatus(step: step, total: total, epoch: max(1, epoch), epochs: epochs, loss: history.losses.last ?? .nan,
                                       valLoss: history.valLosses.last, elapsed: Date().timeIntervalSince(start),
                                       stopped: final ? history.stopped : nil))
        }

        func validateNow() throws {
            guard let validate, history.valSteps.last != Double(step) else { return }
            let (l, m) = try validate()
            history.valLosses.append(l)
            if let m { history.valMetrics.append(m) }
            history.valSteps.append(Double(step))
        }

        training: while step < total {
            epoch += 1
            let order = options.shuffle ? Shuffling.permutation(data.count, generator: &generator) : Array(0..<data.count)
            for indices in try Shuffling.batchPositions(data.count, size: options.batchSize, order: order) {
                let batch = try data.batch(indices)
                var state: RecurrentState? = nil
                for chunk in 0..<chunks {
                    guard step < total else { break training }
                    let part = try options.bptt.map { try batch.steps((chunk * $0)..<min(T, (chunk + 1) * $0)) } ?? batch
                    model.training = true
                    optimizer.zeroGrad()
                    let loss: Tensor
                    do {
                        let out = try model.loss(on: part, state: state)
                        loss = out.loss
                        state = out.state?.detached()
                    } catch _ where isCancelled() {
                        history.stopped = .interrupted        // cancelled inside the loss: the step did not happen
                        break training
                    }
                    let value = loss.storage[0]
                    guard value.isFinite else {
                        history.losses.append(value)
                        history.stopped = .nan
                        break training
                    }
                    do {
                        try loss.backward()
                        if let clip = options.clip { _ = try clipGradNorm(optimizer.parameters, maxNorm: clip) }
                        // Cancelled while the gradients were computed: they may be incomplete, so the step is not taken.
                        try Cancellation.check()
                    } catch _ where isCancelled() {
                        optimizer.zeroGrad()
                        history.stopped = .interrupted        // the weights are those after the previous step
                        break training
                    }
                    try optimizer.step()
                    step += 1
                    history.losses.append(value)
                    afterStep?(step)
                    if let every = options.validateEvery, step % every == 0 { try validateNow() }
                    report(final: false)
                    if isCancelled() {
                        history.stopped = .interrupted
                        break training
                    }
                }
            }
            if options.validateEvery == nil, step % stepsPerEpoch == 0 { try validateNow() }
        }
        if history.stopped == .done { try validateNow() }
        history.seconds = Date().timeIntervalSince(start)
        report(final: true)
        return history
    }
}

/// How ``Trainer`` goes through the data.
public struct TrainingOptions {
    /// Sequences per optimizer step (the last batch of an epoch may be smaller).
    public var batchSize: Int
    /// Caps the gradients' total norm before each update (``clipGradNorm(_:maxNorm:)``).
    public var clip: Double?
    /// Truncated BPTT: each batch in chunks of this many steps, the state carried over detached.
    public var bptt: Int?
    /// A new seeded order of the sequences every epoch (``Shuffling``), or always 0..<N.
    public var shuffle: Bool
    public var seed: UInt64
    /// Validate every this many steps; nil: after every epoch.
    public var validateEvery: Int?

    public init(batchSize: Int = 32, clip: Double? = nil, bptt: Int? = nil, shuffle: Bool = true, seed: UInt64 = 0, validateEvery: Int? = nil) {
        self.batchSize = batchSize; self.clip = clip; self.bptt = bptt; self.shuffle = shuffle; self.seed = seed; self.validateEvery = validateEvery
    }
}

/// Why a run ended.
public enum TrainingStop: String, Sendable {
    /// Every step asked for was taken.
    case done
    /// Cancelled (Ctrl-C): the weights are those after the last completed step.
    case interrupted
    /// A loss was NaN or infinite: the run stopped before that step's update.
    case nan
}

/// What a run leaves behind: the loss of every step and the validation curve.
public struct TrainingHistory {
    /// The loss of every step taken, then — when the run stopped on it — the non-finite one.
    public internal(set) var losses: [Double] = []
    public internal(set) var valLosses: [Double] = []
    public internal(set) var valMetrics: [Double] = []
    /// The step after which each validation ran.
    public internal(set) var valSteps: [Double] = []
    public internal(set) var stopped = TrainingStop.done
    public internal(set) var seconds = 0.0
    public let stepsPerEpoch: Int

    init(stepsPerEpoch: Int) { self.stepsPerEpoch = stepsPerEpoch }

    /// Optimizer steps taken.
    public var steps: Int { losses.count - (stopped == .nan ? 1 : 0) }
    /// Passes over the data, fractional when a run stopped mid-epoch.
    public var epochs: Double { Double(steps) / Double(stepsPerEpoch) }
}

/// One report of a run in progress (or, with `stopped` set, of the finished run).
public struct TrainingStatus: Sendable {
    public let step: Int
    public let total: Int
    public let epoch: Int
    public let epochs: Int
    /// The last step's loss.
    public let loss: Double
    public let valLoss: Double?
    /// Seconds since the run started.
    public let elapsed: Double
    public let stopped: TrainingStop?
}
