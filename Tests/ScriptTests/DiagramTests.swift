import Figures
import Testing
@testable import Script

/// `diagram(m)` reads its picture off the model value: kind, sizes, nonlinearity, stacking.
@Suite struct DiagramBuiltinTests {
    func cell(_ source: String) -> CellDiagram? {
        guard case let .figure(f) = value(source), f.kind == .diagram else { return nil }
        return f.diagram
    }

    @Test func shapesComeFromTheModelsSizes() {
        #expect(cell("diagram(lstm(input: 3, hidden: 4))") == CellDiagram(cell: .lstm, inputSize: 3, hiddenSize: 4))
        #expect(cell("diagram(lstm(input: 5, hidden: 2))") == CellDiagram(cell: .lstm, inputSize: 5, hiddenSize: 2))
        #expect(cell("lstm(input: 5, hidden: 2).diagram()")?.inputSize == 5)
    }

    @Test func everyRecurrentLayerAndCellHasADiagram() {
        #expect(cell("diagram(gru(input: 2, hidden: 3, layers: 2, bidirectional: true))")
            == CellDiagram(cell: .gru, inputSize: 2, hiddenSize: 3, layers: 2, bidirectional: true))
        #expect(cell("diagram(rnn(input: 2, hidden: 3, nonlinearity: \"relu\"))")?.nonlinearity == "relu")
        #expect(cell("diagram(rnn(input: 2, hidden: 3))")?.nonlinearity == "tanh")
        #expect(cell("diagram(rnn_cell(input: 2, hidden: 3, bias: false))") == CellDiagram(cell: .rnn, inputSize: 2, hiddenSize: 3, bias: false))
        #expect(cell("diagram(lstm_cell(input: 2, hidden: 3))")?.cell == .lstm)
        #expect(cell("diagram(gru_cell(input: 2, hidden: 3))")?.cell == .gru)
        guard case let .figure(f) = value("diagram(gru_cell(input: 2, hidden: 3), title: \"my gru\")") else { Issue.record("no figure"); return }
        #expect(f.title == "my gru")
    }

    @Test func anythingElseIsRefusedInTheLearnersWords() {
        #expect(failure("diagram(zeros(2, 3))").message.hasPrefix("diagram: expected a recurrent layer or cell (rnn, lstm, gru) or a sequence model (classifier, tagger, generator, seq2seq), got a tensor"))
        #expect(failure("diagram(linear(in: 2, out: 3))").message.hasPrefix("diagram: expected a recurrent layer or cell (rnn, lstm, gru) or a sequence model (classifier, tagger, generator, seq2seq), got a linear model"))
    }
}
