import Engine

/// What `train(…)`, `predict` and `inspect` work on: a whole model or a recurrent layer with an
/// optional linear head, seen as embedding → recurrent layer → head.
///
/// Each model describes itself with one of these (``ScriptModel/trainingTarget(start:_:)``):
/// its forward pass for a batch and the few facts the checks and the default loss depend on, so
/// `train` needs no list of architectures.
///
/// Data is time-major: x is (T, N, features) — (T, N) token ids for a model with an embedding —
/// and sequences are batched along axis 1 (axis 0 for a `batch_first` model). y is batched along
/// axis 0 when the model answers once per sequence (a classifier, or a layer whose y has no time
/// axis) and along x's batch axis when it answers at every step (tagger, generator, layer).
struct TrainingTarget {
    /// How a model's output lines up with x.
    enum Alignment {
        /// One answer per sequence (a classifier): y is batched along axis 0.
        case oncePerSequence
        /// An answer at every step: y is time-major like x.
        case everyStep
        /// A recurrent layer: at every step when y has x's time and batch axes, else its last step.
        case byShape
    }

    /// The model's description for messages: "classifier", "lstm + linear"…
    let name: String
    let parameters: [Tensor]
    let rnn: RecurrentLayer
    let embedding: Embedding?
    let batchFirst: Bool
    let alignment: Alignment
    /// The loss `train` uses when none is given.
    let defaultLoss: TrainingLoss
    /// Whether the state can be carried from chunk to chunk (`bptt:`): not for a model that
    /// answers once at the end or reads the whole source first.
    let carriesState: Bool
    /// Encoder–decoder: y is a sequence of its own that the decoder reads shifted right after
    /// `start` (teacher forcing), so its steps need not match x's and lengths are x's only.
    let decodesTarget: Bool
    /// Why this model takes no `lengths:` (nil: it does).
    let paddingRefusal: String?
    /// Why `predict` does not apply (nil: its output is class scores).
    let predictRefusal: String?
    /// A window model [layer, head] whose head predicts the layer's next input (`forecast`).
    let window: (layer: RecurrentLayer, head: Linear)?
    /// An encoder–decoder's scheduled-sampling pass (`train(…, scheduled_sampling: p)`): the logits
    /// when each decoder step reads the model's own previous prediction with probability p, the
    /// coins drawn from the generator (nil: the model has no decoder to feed).
    let scheduledForward: ScheduledForward?
    typealias ScheduledForward = (_ x: Tensor, _ lengths: [Int]?, _ y: Tensor, _ p: Double, _ generator: inout RandomGenerator) throws -> Tensor
    private let setTraining: (Bool) -> Void
    private let run: (_ x: Tensor, _ lengths: [Int]?, _ aligned: Bool, _ state: RecurrentState?, _ y: Tensor?) throws -> (output: Tensor, state: RecurrentState?)

    init(name: String, parameters: [Tensor], rnn: RecurrentLayer, embedding: Embedding?, batchFirst: Bool,
         alignment: Alignment = .everyStep, defaultLoss: TrainingLoss = .crossEntropy, carriesState: Bool = true,
         decodesTarget: Bool = false, paddingRefusal: String? = nil, predictRefusal: String? = nil,
         window: (layer: RecurrentLayer, head: Linear)? = nil, scheduledForward: ScheduledForward? = nil, setTraining: ((Bool) -> Void)? = nil,
         forward: @escaping (_ x: Tensor, _ lengths: [Int]?, _ aligned: Bool, _ state: RecurrentState?, _ y: Tensor?) throws -> (output: Tensor, state: RecurrentState?)) {
        self.name = name; self.parameters = parameters; self.rnn = rnn; self.embedding = embedding; self.batchFirst = batchFirst
        self.alignment = alignment; self.defaultLoss = defaultLoss; self.carriesState = carriesState; self.decodesTarget = decodesTarget
        self.paddingRefusal = paddingRefusal; self.predictRefusal = predictRefusal; self.window = window
        self.scheduledForward = scheduledForward
        self.setTraining = setTraining ?? { rnn.training = $0 }
        self.run = forward
    }

    init(_ v: Value, _ args: Arguments, _ argumentName: String = "model", start: Int? = nil) throws {
        let what = "'\(argumentName)' must be a classifier, tagger or generator, a recurrent layer (rnn, lstm, gru) or a list [layer, head]"
        switch v {
        case let .model(m):
            guard let target = try m.base.trainingTarget(start: start, args) else { throw args.error("\(what), got a \(m.name)") }
            self = target
        case let .list(items):
            guard items.count == 2, case let .model(a) = items[0], case let .model(b) = items[1],
                  let l = a.as(RecurrentModel.self)?.layer, let head = b.as(LinearModel.self)?.layer else {
                throw args.error("\(what); a list must be [layer, head] with a recurrent layer and a linear head")
            }
            guard head.inFeatures == l.directions * l.hiddenSize else {
                throw args.error("the head reads \(head.inFeatures) features but the layer gives \(l.directions * l.hiddenSize) (directions · hidden)")
            }
            self = TrainingTarget.layer(l, head: head, name: "\(a.name) + linear")
        default:
            throw args.error("\(what), got \(v.kindName)")
        }
    }

    /// A recurrent layer trained on its own output, or followed by a linear head; y per step
    /// when it has x's time axis, else compared with the last (real) step. Real-valued: mse.
    static func layer(_ l: RecurrentLayer, head: Linear?, name: String) -> TrainingTarget {
        TrainingTarget(name: name, parameters: l.parameters + (head?.parameters ?? []), rnn: l, embedding: nil, batchFirst: l.batchFirst,
                       alignment: .byShape, defaultLoss: .mse, window: head.map { (l, $0) }) { x, lengths, aligned, state, _ in
            let out = try l(x, h0: state?.h, c0: state?.c)
            var y = out.output
            if !aligned {
                if let lengths, !l.bidirectional { y = try lastValidStep(y, lengths: lengths, batchFirst: l.batchFirst) }
                else { y = try y.index(l.batchFirst ? [.all, .at(-1)] : [.at(-1)]) }
            }
            if let head { y = try head(y) }
            return (y, RecurrentState(h: out.hn, c: out.cn))
        }
    }

    /// Training mode (dropout between stacked layers) of every recurrent layer of the model.
    var training: Bool {
        get { rnn.training }
        nonmutating set { setTraining(newValue) }
    }

    /// Whether the model's output has a time axis: all but the classifier, and a layer whose
    /// target is one vector per sequence (then the last step is read).
    func isAligned(y: Tensor?, timeSteps: Int, batch: Int) -> Bool {
        switch alignment {
        case .oncePerSequence: return false
        case .everyStep: return true
        case .byShape:
            guard let y else { return true }
            let (t, n) = batchFirst ? (1, 0) : (0, 1)
            return y.rank >= 2 && y.shape[t] == timeSteps && y.shape[n] == batch
        }
    }

    var xBatchAxis: Int { batchFirst ? 0 : 1 }
    var xTimeAxis: Int { batchFirst ? 1 : 0 }

    /// Checks x's rank and features: (T, N) ids with an embedding, (T, N, input) otherwise.
    func checkInput(_ x: Tensor, _ label: String, _ args: Arguments) throws {
        let layout = batchFirst ? "(N, T" : "(T, N"
        if embedding != nil {
            guard x.rank == 2 else {
                throw args.error("\(label) must be token ids \(layout)) for this \(name), got shape \(formatShape(x.shape))")
            }
        } else {
            guard x.rank == 3, x.shape[2] == rnn.inputSize else {
                let hint = x.rank == 2 && rnn.inputSize == 1 ? " (add the feature axis: unsqueeze(\(label), 2))" : ""
                throw args.error("\(label) must be \(layout), \(rnn.inputSize)) for this \(name), got shape \(formatShape(x.shape))\(hint)")
            }
        }
        guard x.shape[0] > 0, x.shape[1] > 0 else { throw args.error("\(label) has no steps or no sequences: shape \(formatShape(x.shape))") }
    }

    /// The model's output for a batch: logits (N, C) for a classifier, (T, N, out) per step
    /// otherwise — or (N, out) for a layer read at its last (real) step. `state` continues a
    /// sequence (truncated BPTT); the state after the batch is returned for the next chunk.
    func forward(_ x: Tensor, lengths: [Int]?, aligned: Bool, state: RecurrentState?, target y: Tensor? = nil) throws -> (output: Tensor, state: RecurrentState?) {
        try run(x, lengths, aligned, state, y)
    }
}
