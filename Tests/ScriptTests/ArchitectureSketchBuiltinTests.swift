import Figures
import Testing
@testable import Script

/// `diagram(m)` of a whole sequence model reads its sketch off the model value: the architecture,
/// the cell and every size; nothing is typed in.
@Suite struct ArchitectureSketchBuiltinTests {
    func sketch(_ source: String) -> ArchitectureSketch? {
        guard case let .figure(f) = value(source), f.kind == .architecture else { return nil }
        return f.sketch
    }

    @Test func aClassifierIsManyToOneWithItsSizes() {
        let s = sketch("diagram(classifier(kind: \"rnn\", input: 3, hidden: 4, out: 2, seed: 0))")
        #expect(s == ArchitectureSketch(architecture: .manyToOne, model: "classifier",
                                        rnn: .init(cell: .rnn, inputSize: 3, hiddenSize: 4), outputSize: 2))
        let t = sketch("classifier(vocab: 20, embed: 8, hidden: 16, out: 3, bidirectional: true, readout: \"mean\").diagram()")
        #expect(t?.rnn == .init(cell: .lstm, inputSize: 8, hiddenSize: 16, bidirectional: true))
        #expect(t?.vocabulary == 20 && t?.outputSize == 3 && t?.meanReadout == true)
    }

    @Test func taggerGeneratorAndSeq2SeqEachHaveTheirArchitecture() {
        let tagger = sketch("diagram(tagger(kind: \"gru\", input: 5, hidden: 6, out: 7, layers: 2))")
        #expect(tagger?.architecture == .manyToMany && tagger?.rnn == .init(cell: .gru, inputSize: 5, hiddenSize: 6, layers: 2) && tagger?.outputSize == 7)
        let gen = sketch("diagram(generator(kind: \"gru\", vocab: 5, embed: 3, hidden: 4))")
        #expect(gen?.architecture == .nextStep && gen?.vocabulary == 5 && gen?.outputSize == 5 && gen?.rnn.inputSize == 3)
        let series = sketch("diagram(generator(features: 2, hidden: 4))")
        #expect(series?.vocabulary == nil && series?.outputSize == 2)
        let s2s = sketch("diagram(seq2seq(source_vocab: 13, target_vocab: 14, embed: 16, hidden: 64, bidirectional: true))")
        #expect(s2s?.architecture == .encoderDecoder && s2s?.vocabulary == 13 && s2s?.outputSize == 14)
        #expect(s2s?.rnn == .init(cell: .gru, inputSize: 16, hiddenSize: 64, bidirectional: true))
        #expect(s2s?.decoder == .init(cell: .gru, inputSize: 16, hiddenSize: 128))
    }

    @Test func theTitleIsTheArchitectureUnlessNamed() {
        guard case let .figure(f) = value("diagram(tagger(input: 2, hidden: 3, out: 4))") else { Issue.record("no figure"); return }
        #expect(f.title == "tagger: many-to-many")
        guard case let .figure(g) = value("diagram(tagger(input: 2, hidden: 3, out: 4), title: \"mine\")") else { Issue.record("no figure"); return }
        #expect(g.title == "mine")
    }

    @Test func aModelWithoutARecurrenceIsRefusedInTheLearnersWords() {
        let expected = "diagram: expected a recurrent layer or cell (rnn, lstm, gru) or a sequence model (classifier, tagger, generator, seq2seq), got "
        #expect(failure("diagram(linear(in: 2, out: 3))").message.hasPrefix(expected + "a linear model"))
        #expect(failure("diagram(embedding(count: 10, dim: 4))").message.hasPrefix(expected + "an embedding model"))
        #expect(failure("diagram(\"text\")").message.hasPrefix(expected + "a string"))
    }
}
