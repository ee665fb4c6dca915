import Foundation
import Engine

/// The loop behind `train(…)`: what a learner would write by hand —
///
///     for each epoch: shuffle the sequences (seeded), cut them into batches
///         for each batch (and each bptt chunk of it, the state carried over detached):
///             opt.zero_grad(); loss = loss_fn(model(x_batch), y_batch); loss.backward()
///             clip_grad_norm(params, clip); opt.step()
///         validate (no graph, eval mode)
///
/// — step for step, so the same seed gives the same weights as that hand-written loop. It adds
/// what a hand loop rarely has: progress, a clean stop on Ctrl-C (after the current step, the
/// weights kept) and on a NaN/Inf loss (before that step's update), and the history.
final class TrainingLoop {
    enum LossKind { case mse, crossEntropy, bce, function(Value) }
    enum Metric { case accuracy, function(Value) }

    struct Data {
        let x: Tensor
        let y: Tensor
        let lengths: [Int]?
    }

    let target: TrainingTarget
    let train: Data
    let val: Data?
    let loss: LossKind
    let metric: Metric?
    let optimizer: OptimizerValue
    let batchSize: Int
    let clip: Double?
    let bptt: Int?
    let shuffle: Bool
    let seed: UInt64
    let every: Int?
    let aligned: Bool
    let interpreter: Interpreter

    /// Filled while running.
    private(set) var losses: [Double] = []
    private(set) var valLosses: [Double] = []
    private(set) var valMetrics: [Double] = []
    private(set) var valSteps: [Double] = []
    private(set) var stopped = "done"
    private(set) var seconds = 0.0

    init(target: TrainingTarget, train: Data, val: Data?, loss: LossKind, metric: Metric?, optimizer: OptimizerValue,
         batchSize: Int, clip: Double?, bptt: Int?, shuffle: Bool, seed: UInt64, every: Int?, aligned: Bool, interpreter: Interpreter) {
        self.target = target; self.train = train; self.val = val; self.loss = loss; self.metric = metric
        self.optimizer = optimizer; self.batchSize = batchSize; self.clip = clip; self.bptt = bptt
        self.shuffle = shuffle; self.seed = seed; self.every = every; self.aligned = aligned; self.interpreter = interpreter
    }

    var count: Int { train.x.shape[target.xBatchAxis] }
    var timeSteps: Int { train.x.shape[target.xTimeAxis] }
    var batchesPerEpoch: Int { (count + batchSize - 1) / batchSize }
    var chunksPerBatch: Int { bptt.map { (timeSteps + $0 - 1) / $0 } ?? 1 }
    var stepsPerEpoch: Int { batchesPerEpoch * chunksPerBatch }
    var yBatchAxis: Int { aligned ? target.xBatchAxis : 0 }

    /// The order of the sequences in an epoch: Fisher–Yates with the run's generator (for i from
    /// N − 1 down to 1, swap i with a position drawn below i + 1), or 0..<N without shuffling.
    static func permutation(_ n: Int, _ g: inout RandomGenerator) -> [Int] {
        var order = Array(0..<n)
        var i = n - 1
        while i > 0 {
            order.swapAt(i, g.int(below: i + 1))
            i -= 1
        }
        return order
    }

    /// Runs `total` optimizer steps (or until stopped).
    func run(total: Int) throws {
        let start = Date()
        var generator = RandomGenerator(seed: seed)
        var smoothed = SmoothedLoss()
        var lastEmit = -Double.infinity
        let epochs = (total + stepsPerEpoch - 1) / stepsPerEpoch
        var epoch = 0
        var step = 0
        let saved = target.training
        defer { target.training = saved }

        func progress(final: Bool) {
            let elapsed = Date().timeIntervalSince(start)
            guard final || step == 1 || elapsed - lastEmit >= interpreter.progressInterval else { return }
            lastEmit = elapsed
            let rate = elapsed > 0 ? Double(step) / elapsed : 0
            let eta = rate > 0 ? Double(total - step) / rate : nil
            interpreter.emit(.progress(TrainingProgress(
                step: step, total: total, epoch: max(1, epoch), epochs: epochs, loss: smoothed.value, lastLoss: losses.last ?? .nan,
                valLoss: valLosses.last, rate: rate, elapsed: elapsed, eta: final ? 0 : eta, final: final, stopped: final ? stopped : nil)))
        }

        func validate() throws {
            guard let val, valSteps.last != Double(step) else { return }
            let (l, m) = try evaluate(val)
            valLosses.append(l)
            if let m { valMetrics.append(m) }
            valSteps.append(Double(step))
        }

        training: while step < total {
            epoch += 1
            let order = shuffle ? TrainingLoop.permutation(count, &generator) : Array(0..<count)
            for b in 0..<batchesPerEpoch {
                let indices = Array(order[(b * batchSize)..<min(count, (b + 1) * batchSize)])
                let batch = try select(train, indices)
                var state: RecurrentState? = nil
                for chunk in 0..<chunksPerBatch {
                    guard step < total else { break training }
                    let (x, y) = try bptt.map { try cut(batch, chunk: chunk, length: $0) } ?? (batch.x, batch.y)
                    target.training = true
                    optimizer.optimizer.zeroGrad()
                    let lossTensor: Tensor
                    do {
                        let out = try target.forward(x, lengths: batch.lengths, aligned: aligned, state: state, target: y)
                        lossTensor = try lossValue(out.output, y, lengths: batch.lengths)
                        state = out.state?.detached()
                    } catch _ where interpreter.cancellationRequested {
                        stopped = "interrupted"          // Ctrl-C inside a loss function: the step did not happen
                        break training
                    }
                    let value = lossTensor.storage[0]
                    guard value.isFinite else {
                        losses.append(value)
                        stopped = "nan"
                        break training
                    }
                    do {
                        try lossTensor.backward()
                        if let clip { _ = try clipGradNorm(optimizer.optimizer.parameters, maxNorm: clip) }
                        // Ctrl-C while the gradients were computed: they may be incomplete, so the step is not taken.
                        try Cancellation.check()
                    } catch _ where interpreter.cancellationRequested {
                        optimizer.optimizer.zeroGrad()
                        stopped = "interrupted"          // the weights are those after the previous step
                        break training
                    }
                    try optimizer.optimizer.step()
                    step += 1
                    losses.append(value)
                    smoothed.update(value)
                    interpreter.trainingStepHook?(step)
                    if let every, step % every == 0 { try validate() }
                    progress(final: false)
                    if interpreter.cancellationRequested {
                        stopped = "interrupted"
                        break training
                    }
                }
            }
            if every == nil, step % stepsPerEpoch == 0 { try validate() }
        }
        if stopped == "done" { try validate() }
        seconds = Date().timeIntervalSince(start)
        progress(final: true)
        if stopped == "nan" {
            let what = losses.last.map { TrainingProgress.compact($0) } ?? "nan"
            interpreter.emit(.text("training stopped at step \(step + 1): the loss is \(what). The weights are those after step \(step). "
                + "Try a lower learning rate (e.g. lr: \(formatNumber(optimizer.optimizer.lr / 10))), clip: 1 to limit the gradient norm, "
                + "or normalise the inputs to mean 0 and standard deviation 1."))
        }
    }

    // MARK: batches

    /// The sequences at `indices`: x along its batch axis, y along its own, and their lengths.
    func select(_ data: Data, _ indices: [Int]) throws -> Data {
        let yAxis = aligned ? target.xBatchAxis : 0
        let whole = indices == Array(0..<data.x.shape[target.xBatchAxis])
        return Data(x: whole ? data.x : try data.x.select(indices, axis: target.xBatchAxis),
                    y: whole ? data.y : try data.y.select(indices, axis: yAxis),
                    lengths: data.lengths.map { l in indices.map { l[$0] } })
    }

    /// Steps [chunk·length, (chunk + 1)·length) of a time-major batch, x and y alike.
    func cut(_ batch: Data, chunk: Int, length: Int) throws -> (Tensor, Tensor) {
        let slice = TensorIndex.slice(start: chunk * length, stop: min(timeSteps, (chunk + 1) * length), step: 1)
        return (try batch.x.index([slice]), try batch.y.index([slice]))
    }

    // MARK: losses

    /// The batch's loss as a one-element tensor; padded steps (lengths) are left out.
    func lossValue(_ output: Tensor, _ y: Tensor, lengths: [Int]?) throws -> Tensor {
        let padded = targetLengths(lengths)
        switch loss {
        case .crossEntropy:
            guard output.rank >= 1, y.shape == Array(output.shape.dropLast()) else {
                throw ScriptError("train: cross-entropy needs class ids y of shape \(formatShape(Array(output.shape.dropLast()))) for the model's output \(formatShape(output.shape)), got \(formatShape(y.shape))")
            }
            if let padded {
                let mask = try maskFromLengths(padded, steps: y.shape[target.xTimeAxis], batchFirst: target.batchFirst)
                let targets = try Tensor(shape: y.shape, storage: zip(y.storage, mask.storage).map { $1 == 0 ? -100 : $0 })
                return try Loss.crossEntropy(logits: output, targets: targets, ignoreIndex: -100)
            }
            return try Loss.crossEntropy(logits: output, targets: y)
        case .mse, .bce:
            guard y.shape == output.shape else {
                throw ScriptError("train: y must have the model's output shape \(formatShape(output.shape)), got \(formatShape(y.shape))")
            }
            if let padded {
                let mask = try maskFromLengths(padded, steps: y.shape[target.xTimeAxis], batchFirst: target.batchFirst)
                    .reshape(Array(y.shape.prefix(2)) + Array(repeating: 1, count: y.rank - 2))
                let perElement: Tensor
                if case .mse = loss { let d = try output - y; perElement = try d * d }
                else { perElement = try bceElements(output, y) }
                let realElements = try mask.sum().item() * Double(y.count / max(1, y.shape[0] * y.shape[1]))
                return try (perElement * mask).sum() / Tensor(max(1, realElements))
            }
            if case .mse = loss { return try Loss.mse(output, y) }
            return try Loss.binaryCrossEntropyWithLogits(output, y)
        case let .function(f):
            let v = try interpreter.callValue(f, [.tensor(output), .tensor(y)])
            guard case let .tensor(t) = v, t.count == 1 else {
                throw ScriptError("train: the loss function must return a one-element tensor (a loss that backward can start from), got \(v.kindName) \(v.shortDescription)")
            }
            return t
        }
    }

    /// max(z, 0) − z·y + log(1 + e^−|z|) elementwise: binary cross-entropy on logits, stably.
    private func bceElements(_ z: Tensor, _ y: Tensor) throws -> Tensor {
        let relu = z.relu()
        return try relu - z * y + (Tensor(1) + (-z.abs()).exp()).log()
    }

    /// Lengths that mark padded *target* steps: a per-step model's own (a seq2seq model's lengths
    /// are its source's, a classifier's target has no steps).
    func targetLengths(_ lengths: [Int]?) -> [Int]? {
        aligned && !target.isSeq2Seq ? lengths : nil
    }

    // MARK: validation

    /// Loss (and metric) over a whole data set, in batches, without a graph and in eval mode;
    /// each batch weighs by the targets it counts (real steps for a padded tagger).
    func evaluate(_ data: Data) throws -> (Double, Double?) {
        let n = data.x.shape[target.xBatchAxis]
        let saved = target.training
        target.training = false
        defer { target.training = saved }
        return try GradMode.withoutGrad {
            var lossSum = 0.0, weightSum = 0.0, correct = 0.0, counted = 0.0, metricSum = 0.0
            for b in stride(from: 0, to: n, by: batchSize) {
                let batch = try select(data, Array(b..<min(n, b + batchSize)))
                let output = try target.forward(batch.x, lengths: batch.lengths, aligned: aligned, state: nil, target: batch.y).output
                let weight = Double(aligned ? (targetLengths(batch.lengths)?.reduce(0, +) ?? batch.y.shape[0] * batch.y.shape[1]) : batch.y.shape[0])
                lossSum += try lossValue(output, batch.y, lengths: batch.lengths).item() * weight
                weightSum += weight
                switch metric {
                case .accuracy:
                    let (c, k) = try accuracy(output, batch.y, lengths: targetLengths(batch.lengths))
                    correct += c; counted += k
                case let .function(f):
                    let v = try interpreter.callValue(f, [.tensor(output), .tensor(batch.y)])
                    guard let x = Interpreter.scalar(v) else {
                        throw ScriptError("train: the metric function must return a number, got \(v.kindName) \(v.shortDescription)")
                    }
                    metricSum += x * weight
                case nil: break
                }
            }
            let m: Double?
            switch metric {
            case .accuracy: m = counted > 0 ? correct / counted : .nan
            case .function: m = metricSum / max(weightSum, 1e-300)
            case nil: m = nil
            }
            return (lossSum / max(weightSum, 1e-300), m)
        }
    }

    /// Correct arg-max predictions and how many were counted (padded steps are not).
    func accuracy(_ output: Tensor, _ y: Tensor, lengths: [Int]?) throws -> (Double, Double) {
        let predicted = try output.argmax(axis: output.rank - 1)
        guard predicted.shape == y.shape else {
            throw ScriptError("train: accuracy compares class ids y of shape \(formatShape(predicted.shape)) with the predictions, got \(formatShape(y.shape))")
        }
        let mask = try lengths.map { try maskFromLengths($0, steps: y.shape[target.xTimeAxis], batchFirst: target.batchFirst).storage }
        var correct = 0.0, counted = 0.0
        for k in 0..<y.count where mask?[k] ?? 1 != 0 {
            counted += 1
            if predicted.storage[k] == y.storage[k] { correct += 1 }
        }
        return (correct, counted)
    }

    // MARK: history

    /// `loss`, `val_loss`, `val_metric`, `val_steps`, `steps`, `epochs`, `seconds`, `stopped`, `optimizer`.
    func history() -> Record {
        let steps = losses.count - (stopped == "nan" ? 1 : 0)
        return Record(title: "training history", fields: [
            ("loss", .tensor(Tensor(losses))),
            ("val_loss", .tensor(Tensor(valLosses))),
            ("val_metric", metric == nil ? .none : .tensor(Tensor(valMetrics))),
            ("val_steps", .tensor(Tensor(valSteps))),
            ("steps", .number(Double(steps))),
            ("epochs", .number(Double(steps) / Double(stepsPerEpoch))),
            ("seconds", .number(seconds)),
            ("stopped", .string(stopped)),
            ("optimizer", .optimizer(optimizer)),
        ])
    }
}

extension Interpreter {
    /// A number from a number, bool or one-element tensor.
    static func scalar(_ v: Value) -> Double? {
        switch v {
        case let .number(x): return x
        case let .bool(b): return b ? 1 : 0
        case let .tensor(t) where t.count == 1: return t.storage[0]
        default: return nil
        }
    }
}
