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
        #expect(failure("diagram(embedding(count: 5, dim: 2))").message.contains("got an embedding model"))
        #expect(failure("unroll(embedding(count: 5, dim: 2), zeros(2, 1, 5))").message.contains("an embedding model"))
    }

    @Test func theArticleFollowsHowTheNameIsReadAloud() {
        #expect(Interpreter.article("lstm") == "an")
        #expect(Interpreter.article("rnn_cell") == "an")
        #expect(Interpreter.article("gru") == "a")
        #expect(Interpreter.article("embedding") == "an")
        #expect(Interpreter.article("seq2seq") == "a")
    }
}

/// `diagram(m, trace, step:)` copies one step of m's own trace; anything else is refused.
@Suite struct SteppedDiagramBuiltinTests {
    let setup = "m = lstm(input: 3, hidden: 5, seed: 1)\nx = randn(6, 2, 3, seed: 0)\nout = m(x, trace: true)\n"

    func values(_ source: String, in interpreter: Interpreter) -> CellStepValues? {
        guard case let .figure(f) = value(source, in: interpreter), f.kind == .diagram else { return nil }
        return f.diagram?.values
    }

    @Test func theNumbersAreTheTracesOwnForOneRowAndTheFirstThreeUnits() throws {
        let interpreter = Interpreter()
        run(setup, in: interpreter)
        let v = try #require(values("diagram(m, out.trace, step: 4, row: 1)", in: interpreter))
        #expect(v.step == 4 && v.steps == 6 && v.row == 1 && v.batch == 2 && v.units == [0, 1, 2] && v.part == nil)
        for name in ["i", "f", "g", "o", "c", "h"] {
            let t = tensor("out.trace.\(name)[4, 1, 0:3]", in: interpreter)
            #expect(v.vector(name) == t.storage, "\(name)")
        }
        #expect(v.vector("h_prev") == tensor("out.trace.h[3, 1, 0:3]", in: interpreter).storage)
        #expect(v.vector("c_prev") == tensor("out.trace.c[3, 1, 0:3]", in: interpreter).storage)
        // Step 0's incoming state is the initial one, which the trace does not hold.
        let first = try #require(values("m.diagram(out.trace, step: 0)", in: interpreter))
        #expect(first.vector("h_prev") == nil && first.vector("c_prev") == nil && first.row == 0)
    }

    @Test func smallLayersShowEveryUnitAndStackedOnesNameTheirPart() throws {
        let interpreter = Interpreter()
        run("g = gru(input: 2, hidden: 2, layers: 2, bidirectional: true, seed: 0)\no = g(randn(3, 2, seed: 1), trace: true)", in: interpreter)
        let top = try #require(values("diagram(g, o.trace, step: 1)", in: interpreter))
        #expect(top.units == [0, 1] && top.part == "layer 0, forward direction")
        let reverse = try #require(values("diagram(g, o.trace.l1_reverse, step: 1)", in: interpreter))
        #expect(reverse.part == "layer 1, reverse direction")
        // The reverse direction's previous state is the later step's.
        #expect(reverse.vector("h_prev") == tensor("o.trace.l1_reverse.h[2]", in: interpreter).storage)
        #expect(reverse.vector("z") == tensor("o.trace.l1_reverse.z[1]", in: interpreter).storage)
        guard case let .figure(f) = value("diagram(g, o.trace.l1, step: 0)", in: interpreter) else { Issue.record("no figure"); return }
        #expect(f.diagram?.inputSize == 4)
    }

    @Test func wrongTracesStepsAndRowsAreRefusedInTheLearnersWords() {
        let interpreter = Interpreter()
        run(setup + "twin = lstm(input: 3, hidden: 5, seed: 1)\nother = gru(input: 3, hidden: 2)\not = other(x, trace: true)", in: interpreter)
        func message(_ s: String) -> String { failure(s, in: interpreter).message }
        #expect(message("diagram(m, out.trace, step: 6)").hasPrefix("diagram: step 6 is out of range: the trace has 6 steps, 0…5"))
        #expect(message("diagram(m, out.trace, step: -1)").hasPrefix("diagram: step -1 is out of range: the trace has 6 steps, 0…5"))
        #expect(message("diagram(m, out.trace, step: 0, row: 2)").hasPrefix("diagram: row 2 is out of range: the trace holds 2 batch rows, 0…1"))
        #expect(message("diagram(m, out.trace)").hasPrefix("diagram: step: is needed with a trace: which step to draw, 0…5"))
        #expect(message("diagram(twin, out.trace, step: 0)").hasPrefix("diagram: this trace comes from another lstm of the same size, not from m"))
        #expect(message("diagram(m, ot.trace, step: 0)").hasPrefix("diagram: this trace comes from a gru with input 3 and hidden 2, not from m (an lstm with input 3 and hidden 5)"))
        #expect(message("diagram(m, out, step: 0)").hasPrefix("diagram: trace must be the trace of a call of m"))
        #expect(message("diagram(m, zeros(2), step: 0)").contains("got a tensor"))
        #expect(message("diagram(m, step: 0)").hasPrefix("diagram: step: and row: choose numbers from a trace"))
        #expect(message("diagram(lstm_cell(input: 3, hidden: 5), out.trace, step: 0)").contains("is one step and keeps no trace"))
    }
}

/// `unroll(m, x)`: the states, outputs and inputs of each step as norms, and ∂L/∂hₜ after backward.
@Suite struct UnrollBuiltinTests {
    func graph(_ source: String, in interpreter: Interpreter) -> UnrolledGraph? {
        guard case let .figure(f) = value(source, in: interpreter), f.kind == .unroll else { return nil }
        return f.unroll
    }

    @Test func eachWireCarriesTheNormOfItsVector() throws {
        let interpreter = Interpreter()
        run("m = gru(input: 3, hidden: 4, seed: 2)\nx = randn(5, 2, 3, seed: 0)\nout = m(x, trace: true)", in: interpreter)
        let g = try #require(graph("unroll(m, x, row: 1)", in: interpreter))
        #expect(g.steps == 5 && g.row == 1 && g.batch == 2 && g.gradients == nil && g.initial == 0 && g.inputsAreNorms && g.statesAreNorms)
        for t in 0..<5 {
            let h = tensor("norm(out.trace.h[\(t), 1])", in: interpreter).storage[0]
            let y = tensor("norm(out.output[\(t), 1])", in: interpreter).storage[0]
            let xt = tensor("norm(x[\(t), 1])", in: interpreter).storage[0]
            #expect(abs(g.states[t] - h) < 1e-14 && abs(g.outputs[t] - y) < 1e-14 && abs(g.inputs[t] - xt) < 1e-14)
        }
    }

    @Test func gradientsAreTheTracesDhAfterBackward() throws {
        let interpreter = Interpreter()
        run("m = rnn(input: 1, hidden: 3, seed: 0, batch_first: true)\nx = randn(2, 7, 1, seed: 4)\nout = m(x, trace: true)\nbackward(sum(out.output[:, -1]))", in: interpreter)
        let g = try #require(graph("unroll(m, x, grad: true)", in: interpreter))
        let dh = try #require(g.gradients)
        #expect(!g.inputsAreNorms)
        for t in 0..<7 {
            let expected = tensor("norm(out.trace.dh[\(t), 0])", in: interpreter).storage[0]
            #expect(abs(dh[t] - expected) < 1e-14, "step \(t)")
            #expect(g.inputs[t] == tensor("x[0, \(t), 0]", in: interpreter).storage[0])
        }
        // One sequence: the wire's gradient is the trace's dh_norm.
        run("u = rnn(input: 2, hidden: 2, seed: 0)\nxs = randn(4, 2, seed: 1)\nou = u(xs, trace: true)\nbackward(sum(ou.output[-1]))", in: interpreter)
        let one = try #require(graph("u.unroll(xs, grad: true)", in: interpreter))
        let norms = tensor("ou.trace.dh_norm", in: interpreter).storage
        #expect(zip(try #require(one.gradients), norms).allSatisfy { abs($0 - $1) < 1e-14 })
    }

    @Test func gradWithoutItsBackwardIsRefusedClearly() {
        let interpreter = Interpreter()
        run("m = lstm(input: 2, hidden: 2, seed: 0)\nx = randn(3, 2, seed: 1)\ny = randn(3, 2, seed: 2)", in: interpreter)
        func message(_ s: String) -> String { failure(s, in: interpreter).message }
        #expect(message("unroll(m, x, grad: true)").contains("m has not been called with trace: true"))
        run("out = m(x, trace: true)", in: interpreter)
        #expect(message("unroll(m, x, grad: true)").contains("no loss computed from its output has been backpropagated"))
        #expect(message("unroll(m, y, grad: true)").contains("that call read another input than x"))
        run("backward(sum(out.output))\nno_grad { m.weight_hh_l0[:] = zeros(8, 2) }", in: interpreter)
        #expect(message("unroll(m, x, grad: true)").contains("its weights changed since"))
    }

    @Test func otherModelsAndRowsAreRefused() {
        #expect(failure("unroll(zeros(2), zeros(3, 1))").message.hasPrefix("unroll: expected an rnn, lstm or gru layer, got a tensor"))
        #expect(failure("unroll(rnn_cell(input: 1, hidden: 2), zeros(3, 1))").message.contains("which is one step"))
        #expect(failure("unroll(rnn(input: 1, hidden: 2, layers: 2), zeros(3, 1))").message.hasPrefix("unroll: unroll draws one layer in one direction, and m has 2 layers"))
        #expect(failure("unroll(gru(input: 1, hidden: 2, bidirectional: true), zeros(3, 1))").message.contains("two directions"))
        #expect(failure("unroll(rnn(input: 1, hidden: 2), zeros(3, 2, 1), row: 2)").message.hasPrefix("unroll: row 2 is out of range: x holds 2 sequences, batch rows 0…1"))
    }
}
