import Engine

/// The loss `train(…)` descends: a built-in one (masked for padded batches) or the learner's
/// function fn(output, y).
enum TrainingLoss { case mse, crossEntropy, bce, function(Value) }

/// What `train(…, val:, metric:)` measures on the validation data besides the loss.
enum TrainingMetric { case accuracy, function(Value) }

/// `train(…)` seen from the engine's ``Trainer``: a model's ``TrainingTarget`` with the run's loss.
///
/// The engine owns the loop (order, batches, clipping, the update, stopping); this adapter owns
/// what is the language's: the loss kinds and their messages, functions written in the language
/// as losses and metrics, padded steps left out, and the validation pass.
final class LanguageObjective: Trainable {
    let target: TrainingTarget
    let loss: TrainingLoss
    let metric: TrainingMetric?
    /// Whether the model answers at every step (y time-major like x), fixed for the run.
    let aligned: Bool
    let batchSize: Int
    let interpreter: Interpreter
    /// y (and val.y) as given, checked against the model's classes at the first cross-entropy.
    var labels = ClassLabels(sets: [])
    /// Scheduled sampling for a seq2seq model's training updates (validation stays teacher-forced).
    var sampling: SamplingSchedule?
    private var labelsChecked = false

    init(target: TrainingTarget, loss: TrainingLoss, metric: TrainingMetric?, aligned: Bool, batchSize: Int, interpreter: Interpreter) {
        self.target = target; self.loss = loss; self.metric = metric; self.aligned = aligned
        self.batchSize = batchSize; self.interpreter = interpreter
    }

    var training: Bool {
        get { target.training }
        set { target.training = newValue }
    }

    func loss(on batch: SequenceBatch, state: RecurrentState?) throws -> (loss: Tensor, state: RecurrentState?) {
        if sampling != nil, let scheduled = target.scheduledForward {
            let p = sampling!.next()
            if p > 0 {
                let logits = try scheduled(batch.x, batch.lengths, batch.y, p, &sampling!.generator)
                return (try lossValue(logits, batch.y, lengths: batch.lengths), nil)
            }
        }
        let out = try target.forward(batch.x, lengths: batch.lengths, aligned: aligned, state: state, target: batch.y)
        return (try lossValue(out.output, batch.y, lengths: batch.lengths), out.state)
    }

    // MARK: losses

    /// The batch's loss as a one-element tensor; padded steps (lengths) are left out.
    func lossValue(_ output: Tensor, _ y: Tensor, lengths: [Int]?) throws -> Tensor {
        let padded = targetLengths(lengths)
        switch loss {
        case .crossEntropy:
            guard output.rank >= 1, y.shape == Array(output.shape.dropLast()) else {
                throw ScriptError(.shape, "train: cross-entropy needs class ids y of shape \(formatShape(Array(output.shape.dropLast()))) for the model's output \(formatShape(output.shape)), got \(formatShape(y.shape))")
            }
            if !labelsChecked, let classes = output.shape.last {
                labelsChecked = true
                try labels.check(classes: classes, target: target, aligned: aligned)
            }
            if let padded {
                let mask = try maskFromLengths(padded, steps: y.shape[target.xTimeAxis], batchFirst: target.batchFirst)
                let targets = try Tensor(shape: y.shape, storage: zip(y.storage, mask.storage).map { $1 == 0 ? -100 : $0 })
                return try Loss.crossEntropy(logits: output, targets: targets, ignoreIndex: -100)
            }
            return try Loss.crossEntropy(logits: output, targets: y)
        case .mse, .bce:
            guard y.shape == output.shape else {
                throw ScriptError(.shape, "train: y must have the model's output shape \(formatShape(output.shape)), got \(formatShape(y.shape))")
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
                throw ScriptError(.wrongType, "train: the loss function must return a one-element tensor (a loss that backward can start from), got \(v.kindName) \(v.shortDescription)")
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
        aligned && !target.decodesTarget ? lengths : nil
    }

    // MARK: validation

    /// Loss (and metric) over a whole data set, in batches, without a graph and in eval mode;
    /// each batch weighs by the targets it counts (real steps for a padded tagger).
    func evaluate(_ data: SequenceDataset) throws -> (loss: Double, metric: Double?) {
        let n = data.count
        let saved = target.training
        target.training = false
        defer { target.training = saved }
        return try GradMode.withoutGrad {
            var lossSum = 0.0, weightSum = 0.0, correct = 0.0, counted = 0.0, metricSum = 0.0
            for b in stride(from: 0, to: n, by: batchSize) {
                let batch = try data.batch(Array(b..<min(n, b + batchSize)))
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
                        throw ScriptError(.wrongType, "train: the metric function must return a number, got \(v.kindName) \(v.shortDescription)")
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
            throw ScriptError(.shape, "train: accuracy compares class ids y of shape \(formatShape(predicted.shape)) with the predictions, got \(formatShape(y.shape))")
        }
        let mask = try lengths.map { try maskFromLengths($0, steps: y.shape[target.xTimeAxis], batchFirst: target.batchFirst).storage }
        var correct = 0.0, counted = 0.0
        for k in 0..<y.count where mask?[k] ?? 1 != 0 {
            counted += 1
            if predicted.storage[k] == y.storage[k] { correct += 1 }
        }
        return (correct, counted)
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
