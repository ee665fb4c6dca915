import Engine

/// What `train(…)`, `predict` and `inspect` work on: a whole model or a recurrent layer with an
/// optional linear head, seen as embedding → recurrent layer → head.
///
/// Data is time-major: x is (T, N, features) — (T, N) token ids for a model with an embedding —
/// and sequences are batched along axis 1 (axis 0 for a `batch_first` model). y is batched along
/// axis 0 when the model answers once per sequence (a classifier, or a layer whose y has no time
/// axis) and along x's batch axis when it answers at every step (tagger, generator, layer).
struct TrainingTarget {
    enum Kind {
        case classifier(SequenceClassifier)
        case tagger(SequenceTagger)
        case generator(SequenceGenerator)
        /// A recurrent layer, its output compared to y, or a [layer, head] pair.
        case layer(RecurrentLayer, head: Linear?)
        /// Encoder–decoder: x is the source, y the target, fed to the decoder shifted right
        /// after `start` (teacher forcing); the output is the logits for every target step.
        case seq2seq(Seq2Seq, start: Int)
    }

    let kind: Kind
    let parameters: [Tensor]
    let rnn: RecurrentLayer
    let embedding: Embedding?
    let batchFirst: Bool
    /// The model's description for messages: "classifier", "lstm + linear"…
    let name: String

    init(_ v: Value, _ args: Arguments, _ argumentName: String = "model", start: Int? = nil) throws {
        let what = "'\(argumentName)' must be a classifier, tagger or generator, a recurrent layer (rnn, lstm, gru) or a list [layer, head]"
        switch v {
        case let .model(m):
            switch m.layer {
            case let .classifier(c): kind = .classifier(c); rnn = c.rnn; embedding = c.embedding; batchFirst = c.batchFirst
            case let .tagger(t): kind = .tagger(t); rnn = t.rnn; embedding = t.embedding; batchFirst = t.batchFirst
            case let .generator(g): kind = .generator(g); rnn = g.rnn; embedding = g.embedding; batchFirst = g.batchFirst
            case let .recurrent(l): kind = .layer(l, head: nil); rnn = l; embedding = nil; batchFirst = l.batchFirst
            case let .seq2seq(s):
                guard let start else { throw args.error("a seq2seq model needs start: (the id of the token the decoder starts from)") }
                kind = .seq2seq(s, start: start); rnn = s.encoder; embedding = s.sourceEmbedding; batchFirst = s.batchFirst
            default: throw args.error("\(what), got a \(m.name)")
            }
            parameters = m.module.parameters
            name = m.name
        case let .list(items):
            guard items.count == 2, case let .model(a) = items[0], case let .model(b) = items[1],
                  case let .recurrent(l) = a.layer, case let .linear(head) = b.layer else {
                throw args.error("\(what); a list must be [layer, head] with a recurrent layer and a linear head")
            }
            guard head.inFeatures == l.directions * l.hiddenSize else {
                throw args.error("the head reads \(head.inFeatures) features but the layer gives \(l.directions * l.hiddenSize) (directions · hidden)")
            }
            kind = .layer(l, head: head); rnn = l; embedding = nil; batchFirst = l.batchFirst
            parameters = l.parameters + head.parameters
            name = "\(a.name) + linear"
        default:
            throw args.error("\(what), got \(v.kindName)")
        }
    }

    var isClassifier: Bool { if case .classifier = kind { return true }; return false }
    var isTagger: Bool { if case .tagger = kind { return true }; return false }
    var isGenerator: Bool { if case .generator = kind { return true }; return false }
    var isSeq2Seq: Bool { if case .seq2seq = kind { return true }; return false }

    /// Training mode (dropout between stacked layers) of every recurrent layer of the model.
    var training: Bool {
        get { rnn.training }
        nonmutating set {
            if case let .seq2seq(s, _) = kind { s.training = newValue } else { rnn.training = newValue }
        }
    }

    /// Whether the model's output has a time axis: all but the classifier, and a layer whose
    /// target is one vector per sequence (then the last step is read).
    func isAligned(y: Tensor?, timeSteps: Int, batch: Int) -> Bool {
        switch kind {
        case .classifier: return false
        case .tagger, .generator, .seq2seq: return true
        case .layer:
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
        switch kind {
        case let .seq2seq(s, start):
            guard let y else { throw ScriptError("a seq2seq model needs the target to run (teacher forcing); use translate to decode") }
            return (try s(source: x, target: y, start: start, sourceLengths: lengths), nil)
        case let .classifier(c):
            return (try c(x, lengths: lengths), nil)
        case let .tagger(t) where state == nil:
            return (try t(x, lengths: lengths), nil)
        case let .tagger(t):
            let input = try t.embedding.map { try $0(x) } ?? x
            let out = try t.rnn(input, h0: state?.h, c0: state?.c)
            return (try t.head(out.output), RecurrentState(h: out.hn, c: out.cn))
        case let .generator(g):
            let out = try g(x, state: state)
            return (out.output, out.state)
        case let .layer(l, head):
            let out = try l(x, h0: state?.h, c0: state?.c)
            var y = out.output
            if !aligned {
                if let lengths, !l.bidirectional { y = try lastValidStep(y, lengths: lengths, batchFirst: batchFirst) }
                else { y = try y.index(batchFirst ? [.all, .at(-1)] : [.at(-1)]) }
            }
            if let head { y = try head(y) }
            return (y, RecurrentState(h: out.hn, c: out.cn))
        }
    }

}
