import Engine
import Figures

/// `diagram(m)` of a whole sequence model — classifier, tagger, generator, seq2seq — read off the
/// model value: which architecture it is, its cell and every size. The learner's model is the
/// picture's only source, so a lesson that changes `hidden:` or `bidirectional:` sees the sketch
/// change with it.
extension Interpreter {
    /// The sketch of `m`'s architecture, or nil when `m` is not one of the sequence models.
    static func architectureSketch(of m: Model) -> ArchitectureSketch? {
        if let c = m.as(ClassifierModel.self)?.model {
            return ArchitectureSketch(architecture: .manyToOne, model: "classifier", rnn: recurrence(c.rnn),
                                      vocabulary: c.embedding?.count, outputSize: c.head.outFeatures, meanReadout: c.readout == .mean)
        }
        if let t = m.as(TaggerModel.self)?.model {
            return ArchitectureSketch(architecture: .manyToMany, model: "tagger", rnn: recurrence(t.rnn),
                                      vocabulary: t.embedding?.count, outputSize: t.head.outFeatures)
        }
        if let g = m.as(GeneratorModel.self)?.model {
            return ArchitectureSketch(architecture: .nextStep, model: "generator", rnn: recurrence(g.rnn),
                                      vocabulary: g.embedding?.count, outputSize: g.head.outFeatures)
        }
        if let s = m.as(Seq2SeqModel.self)?.model {
            return ArchitectureSketch(architecture: .encoderDecoder, model: "seq2seq", rnn: recurrence(s.encoder),
                                      decoder: recurrence(s.decoder), vocabulary: s.sourceEmbedding?.count,
                                      outputSize: s.head.outFeatures)
        }
        return nil
    }

    private static func recurrence(_ l: RecurrentLayer) -> ArchitectureSketch.Recurrence {
        let cell: CellDiagram.Cell = switch l.kind {
        case .rnnTanh, .rnnReLU: .rnn
        case .lstm: .lstm
        case .gru: .gru
        }
        return .init(cell: cell, inputSize: l.inputSize, hiddenSize: l.hiddenSize, layers: l.numLayers, bidirectional: l.bidirectional)
    }
}
