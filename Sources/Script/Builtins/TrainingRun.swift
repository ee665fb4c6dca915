import Engine

/// `train(model, x, y, …)`: the whole training loop as one call (and `train(m)`: training mode).
extension Interpreter {
    static let trainSignature = "train(model, x, y, epochs: none, steps: none, batch_size: 32, optimizer: \"adam\", lr: 0.01, clip: none, bptt: none, val: none, loss: none, metric: none, lengths: none, shuffle: true, seed: 0, every: none, start: none, scheduled_sampling: none, sampling_schedule: \"linear\") — or train(m): training mode"

    static func trainingRunBuiltins() -> [Builtin] {
        [
            Builtin("train", trainSignature, family: "training", methodOf: ["model"],
                    doc: "Trains a model on x and y and returns its history (loss per step, val_loss and val_metric per evaluation, val_steps, steps, epochs, seconds, stopped: \"done\", \"interrupted\" or \"nan\", optimizer); plot(history) draws the curves. model: a classifier, tagger or generator, a recurrent layer (its output compared to y) or a list [layer, head]. x is time-major (T, N, features) or (T, N) token ids, batched along axis 1; y is batched along axis 0 for a classifier ((N) class ids) and along axis 1 for a tagger or generator ((T, N) ids or (T, N, features) values). Give epochs or steps. The loss is cross_entropy for class ids and mse for real values unless loss: \"mse\", \"cross_entropy\", \"bce\" or a function fn(output, y). Sequences are shuffled each epoch (seeded); clip: caps the gradient norm; bptt: k trains in chunks of k steps, the state carried over detached; val: record(x:, y:) is evaluated after every epoch (or every `every` steps) without a graph, with metric: \"accuracy\" (or a function). For a seq2seq model, scheduled_sampling: p lets each decoder step read the model's own previous prediction (its argmax) instead of the true token with probability p, one seeded coin per step and sequence, so it practises on its own mistakes (Bengio et al. 2015); sampling_schedule: \"linear\" (the default) raises the probability from 0 at the first update to p at the last, \"constant\" uses p throughout; val: is still scored with teacher forcing. Ctrl-C stops after the current step and keeps the weights; a NaN or infinite loss stops with advice. With one argument, train(m) puts a model in training mode (dropout on) and returns it.",
                    example: "m = classifier(input: 2, hidden: 8, out: 2, seed: 0)\nx = randn(6, 64, 2, seed: 1)\ny = where(x[-1, :, 0] > 0, 1, 0)\nh = train(m, x, y, epochs: 5, lr: 0.05)\nh.loss[-1] < h.loss[0]") { args, interp in
                if args.count == 1 && args.named.isEmpty {
                    let m = try args.model(0, "m")
                    m.training = true
                    return .model(m)
                }
                return .record(try interp.runTraining(&args))
            }.finishingOnInterrupt(),
        ]
    }

    func runTraining(_ args: inout Arguments) throws -> Record {
        let start = try args.optionalInt(nil, "start")
        let target = try TrainingTarget(try args.required(0, "model"), args, start: start)
        if start != nil, !target.decodesTarget { throw args.error("start: is for a seq2seq model (the decoder's first input)") }
        let x = try args.tensor(1, "x"), y = try args.tensor(2, "y")
        // A float32 model trains on its data in float32, as a PyTorch user's loop would after
        // x.float(): the data (values, or token and class ids — exact below 2²⁴) is converted once.
        let precision: DType = target.parameters.allSatisfy { $0.dtype == .float32 } && !target.parameters.isEmpty ? .float32 : .float64
        let epochs = try args.optionalInt(nil, "epochs"), steps = try args.optionalInt(nil, "steps")
        let batchSize = try args.int(nil, "batch_size", default: 32)
        let clip = try args.optionalNumber(nil, "clip"), bptt = try args.optionalInt(nil, "bptt")
        let every = try args.optionalInt(nil, "every")
        let shuffle = try args.bool(nil, "shuffle", default: true)
        let seed = try args.seed()
        let lengths = try Interpreter.optionalLengths(try args.get(nil, "lengths"), args, "lengths")
        let sampling = try samplingOption(&args, target)

        // How long.
        switch (epochs, steps) {
        case (nil, nil):
            if let typo = args.misspelling(of: "epochs") ?? args.misspelling(of: "steps") { throw typo }
            throw args.error("give epochs: (passes over the data) or steps: (optimizer updates)")
        case (.some, .some): throw args.error("give epochs: or steps:, not both")
        default: break
        }
        if let epochs, epochs < 1 { throw args.valueError("epochs must be at least 1, got \(epochs)") }
        if let steps, steps < 1 { throw args.valueError("steps must be at least 1, got \(steps)") }
        guard batchSize >= 1 else { throw args.valueError("batch_size must be at least 1, got \(batchSize)") }
        if let clip, !(clip > 0) { throw args.error("clip must be a positive gradient norm, got \(formatNumber(clip))") }
        if let every, every < 1 { throw args.valueError("every must be at least 1 step, got \(every)") }

        // The data's shapes.
        try target.checkInput(x, "x", args)
        let N = x.shape[target.xBatchAxis], T = x.shape[target.xTimeAxis]
        let aligned = target.isAligned(y: y, timeSteps: T, batch: N)
        let yAxis = aligned ? target.xBatchAxis : 0
        guard y.rank > yAxis, y.shape[yAxis] == N else {
            let want = aligned ? "time-major like x, (T, N, …) with T = \(T) and N = \(N)" : "one row per sequence, (N, …) with N = \(N)"
            throw args.error("y must be \(want) for this \(target.name); got shape \(formatShape(y.shape)) for x \(formatShape(x.shape))")
        }
        if aligned, !target.decodesTarget, y.shape[target.xTimeAxis] != T {
            throw args.error("y has \(y.shape[target.xTimeAxis]) steps but x has \(T): a \(target.name)'s y is time-major like x (y shape \(formatShape(y.shape)), x \(formatShape(x.shape)))")
        }
        if let lengths { try Interpreter.checkLengths(lengths, N, T, "lengths", args, target) }
        if let bptt {
            guard bptt >= 1 else { throw args.valueError("bptt must be at least 1 step, got \(bptt)") }
            guard aligned, target.carriesState else {
                throw args.error("bptt: needs a model with an output at every step of its input (tagger, generator or layer); a classifier answers once at the end, a seq2seq model after reading the whole source")
            }
            guard !target.rnn.bidirectional, !target.batchFirst, lengths == nil else {
                throw args.error("bptt: needs a unidirectional, time-major model without lengths: (the state is carried forward from chunk to chunk)")
            }
        }

        // The loss.
        let loss: TrainingLoss
        switch try args.get(nil, "loss") {
        case nil, .some(.none): loss = target.defaultLoss
        case .some(.string("mse")): loss = .mse
        case .some(.string("cross_entropy")): loss = .crossEntropy
        case .some(.string("bce")), .some(.string("bce_with_logits")): loss = .bce
        case let .some(v):
            switch v {
            case .function, .builtin: loss = .function(v)
            default: throw args.error("loss must be \"mse\", \"cross_entropy\", \"bce\" or a function fn(output, y), got \(v.kindName) \(v.shortDescription)")
            }
        }
        let metric: TrainingMetric?
        switch try args.get(nil, "metric") {
        case nil, .some(.none): metric = nil
        case .some(.string("accuracy")): metric = .accuracy
        case let .some(v):
            switch v {
            case .function, .builtin: metric = .function(v)
            default: throw args.error("metric must be \"accuracy\" or a function fn(output, y) returning a number, got \(v.kindName) \(v.shortDescription)")
            }
        }

        // Validation data.
        var val: SequenceDataset? = nil
        var labels = ClassLabels(sets: [.init(name: "y", y: y, lengths: lengths)])
        if let v = try args.get(nil, "val"), !v.isNone {
            guard case let .record(r) = v, let vx = r["x"], let vy = r["y"] else {
                throw args.error("val must be a record with x and y, e.g. val: record(x: vx, y: vy)")
            }
            let tx = try args.convertTensor(vx, "val.x"), ty = try args.convertTensor(vy, "val.y")
            try target.checkInput(tx, "val.x", args)
            let vn = tx.shape[target.xBatchAxis], vt = tx.shape[target.xTimeAxis]
            guard ty.rank > yAxis, ty.shape[yAxis] == vn, !aligned || target.decodesTarget || ty.shape[target.xTimeAxis] == vt, ty.rank == y.rank else {
                throw args.error("val.y must be shaped like y (\(formatShape(y.shape)) for x \(formatShape(x.shape))) for its x \(formatShape(tx.shape)); got \(formatShape(ty.shape))")
            }
            let vl = try Interpreter.optionalLengths(r["lengths"], args, "val.lengths")
            if let vl { try Interpreter.checkLengths(vl, vn, vt, "val.lengths", args, target) }
            val = try SequenceDataset(x: tx.to(precision), y: ty.to(precision), lengths: vl, xBatchAxis: target.xBatchAxis, yBatchAxis: yAxis)
            labels.sets.append(.init(name: "val.y", y: ty, lengths: vl))
        } else if metric != nil {
            throw args.error("metric: is measured on the validation data; give val: record(x:, y:) too")
        }

        // The optimizer.
        let lrGiven = try args.get(nil, "lr")
        let optimizer: OptimizerValue
        switch try args.get(nil, "optimizer") ?? .string("adam") {
        case let .optimizer(o):
            if lrGiven != nil { throw args.error("lr: is for an optimizer named by a string; set the learning rate on your optimizer (opt.lr = …)") }
            optimizer = o
        case let .string(name):
            let lr = try lrGiven.map { try args.convertNumber($0, "lr") } ?? 0.01
            switch name {
            case "adam": optimizer = OptimizerValue(name: name, optimizer: try Adam(target.parameters, lr: lr))
            case "adamw": optimizer = OptimizerValue(name: name, optimizer: try AdamW(target.parameters, lr: lr))
            case "sgd": optimizer = OptimizerValue(name: name, optimizer: try SGD(target.parameters, lr: lr))
            default: throw args.error("optimizer must be \"adam\", \"adamw\", \"sgd\" or an optimizer from adam(…), got \"\(name)\"")
            }
        case let v: throw args.error("optimizer must be \"adam\", \"adamw\", \"sgd\" or an optimizer from adam(…), got \(v.kindName)")
        }

        let objective = LanguageObjective(target: target, loss: loss, metric: metric, aligned: aligned, batchSize: batchSize, interpreter: self)
        objective.labels = labels
        let data = try SequenceDataset(x: x.to(precision), y: y.to(precision), lengths: lengths, xBatchAxis: target.xBatchAxis, yBatchAxis: yAxis)
        let trainer = Trainer(optimizer: optimizer.optimizer,
                              options: TrainingOptions(batchSize: batchSize, clip: clip, bptt: bptt, shuffle: shuffle, seed: seed, validateEvery: every))
        try args.checkAllUsed()
        if let val { trainer.validate = { try objective.evaluate(val) } }
        trainer.afterStep = trainingStepHook
        trainer.isCancelled = { [unowned self] in self.cancellationRequested }
        trainer.onProgress = progressReporter()
        let total = steps ?? (epochs ?? 1) * trainer.stepsPerEpoch(data)
        if let sampling { objective.sampling = SamplingSchedule(probability: sampling.p, shape: sampling.shape, updates: total, seed: seed) }
        let history = try trainer.fit(objective, on: data, steps: total)
        if history.stopped == .nan {
            let what = history.losses.last.map { TrainingProgress.compact($0) } ?? "nan"
            emit(.text("training stopped at step \(history.steps + 1): the loss is \(what). The weights are those after step \(history.steps). "
                + "Try a lower learning rate (e.g. lr: \(formatNumber(optimizer.optimizer.lr / 10))), clip: 1 to limit the gradient norm, "
                + "or normalise the inputs to mean 0 and standard deviation 1."))
        }
        return Record(title: "training history", fields: [
            ("loss", .tensor(Tensor(history.losses))),
            ("val_loss", .tensor(Tensor(history.valLosses))),
            ("val_metric", metric == nil ? .none : .tensor(Tensor(history.valMetrics))),
            ("val_steps", .tensor(Tensor(history.valSteps))),
            ("steps", .number(Double(history.steps))),
            ("epochs", .number(history.epochs)),
            ("seconds", .number(history.seconds)),
            ("stopped", .string(history.stopped.rawValue)),
            ("optimizer", .optimizer(optimizer)),
        ])
    }

    /// Turns the engine's per-step reports into progress emissions: the loss smoothed over the
    /// steps, at most one update per `progressInterval` besides the first and the final one.
    private func progressReporter() -> (TrainingStatus) -> Void {
        var smoothed = SmoothedLoss()
        var lastEmit = -Double.infinity
        return { [unowned self] status in
            let final = status.stopped != nil
            if !final { smoothed.update(status.loss) }
            guard final || status.step == 1 || status.elapsed - lastEmit >= progressInterval else { return }
            lastEmit = status.elapsed
            let rate = status.elapsed > 0 ? Double(status.step) / status.elapsed : 0
            let eta = rate > 0 ? Double(status.total - status.step) / rate : nil
            emit(.progress(TrainingProgress(
                step: status.step, total: status.total, epoch: status.epoch, epochs: status.epochs, loss: smoothed.value, lastLoss: status.loss,
                valLoss: status.valLoss, rate: rate, elapsed: status.elapsed, eta: final ? 0 : eta, final: final, stopped: status.stopped?.rawValue)))
        }
    }

    /// `scheduled_sampling:` and `sampling_schedule:` — a probability in [0, 1], for a seq2seq model.
    private func samplingOption(_ args: inout Arguments, _ target: TrainingTarget) throws -> (p: Double, shape: SamplingSchedule.Shape)? {
        let schedule = try args.get(nil, "sampling_schedule")
        guard let v = try args.get(nil, "scheduled_sampling"), !v.isNone else {
            if let schedule, !schedule.isNone { throw args.error("sampling_schedule: needs scheduled_sampling: p too (the probability the schedule leads to)") }
            return nil
        }
        guard target.scheduledForward != nil else {
            throw args.error("scheduled_sampling: is for a seq2seq model (a decoder that can read its own predictions); this is a \(target.name)")
        }
        guard let p = Interpreter.scalar(v), case .number = v, p >= 0, p <= 1 else {
            throw args.error("scheduled_sampling must be a probability between 0 and 1 (the share of decoder steps that read the model's own prediction), got \(v.shortDescription)")
        }
        var shape = SamplingSchedule.Shape.linear
        if let schedule, !schedule.isNone {
            guard case let .string(name) = schedule, let s = SamplingSchedule.Shape(rawValue: name) else {
                throw args.error("sampling_schedule must be \"linear\" (from 0 to scheduled_sampling over the run) or \"constant\", got \(schedule.shortDescription)")
            }
            shape = s
        }
        return (p, shape)
    }

    static func optionalLengths(_ v: Value?, _ args: Arguments, _ name: String) throws -> [Int]? {
        guard let v, !v.isNone else { return nil }
        return try args.convertIntList(v, name)
    }

    static func checkLengths(_ lengths: [Int], _ n: Int, _ t: Int, _ name: String, _ args: Arguments, _ target: TrainingTarget) throws {
        guard lengths.count == n else { throw args.error("\(name) has \(lengths.count) entries but there are \(n) sequences") }
        if let bad = lengths.first(where: { $0 < 1 || $0 > t }) { throw args.error("\(name) must be between 1 and \(t) (the steps of x), found \(bad)") }
        if let refusal = target.paddingRefusal { throw args.error("\(name): \(refusal)") }
    }
}

