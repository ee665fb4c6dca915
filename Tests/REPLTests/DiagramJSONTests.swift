import Foundation
import Figures
@testable import REPL
import Script
@testable import Terminal
import Testing

/// `--format json` of a diagram: a figure whose data names its kind and carries the cell.
@Suite struct DiagramJSONTests {
    @Test func aDiagramIsWellFormedJSONWithItsKind() throws {
        let (values, error) = Interpreter().run("diagram(lstm(input: 3, hidden: 4, layers: 2))")
        #expect(error == nil)
        let text = ValueJSON.encode(try #require(values.last?.value))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["kind"] as? String == "figure")
        let figure = try #require(object["figure"] as? [String: Any])
        #expect(figure["kind"] as? String == "diagram")
        #expect(figure["title"] as? String == "lstm cell")
        let cell = try #require(figure["diagram"] as? [String: Any])
        #expect(cell["cell"] as? String == "lstm")
        #expect(cell["inputSize"] as? Int == 3 && cell["hiddenSize"] as? Int == 4 && cell["layers"] as? Int == 2)
    }
}

/// The numbers drawn by `diagram(m, trace, step:)` and `unroll(m, x, grad: true)` are the trace's
/// own: read off the rendered picture and compared with the tensors the same session holds.
@Suite struct DiagramNumbersTests {
    func tensor(_ source: String, _ interpreter: Interpreter) throws -> [Double] {
        let (values, error) = interpreter.run(source)
        #expect(error == nil, "\(source)")
        guard case let .tensor(t) = try #require(values.last?.value) else { Issue.record("not a tensor"); return [] }
        return t.storage
    }

    func figure(_ source: String, _ interpreter: Interpreter) throws -> Figure {
        let (values, error) = interpreter.run(source)
        #expect(error == nil, "\(source)")
        guard case let .figure(f) = try #require(values.last?.value) else { Issue.record("not a figure"); return Figure(kind: .bars) }
        return f
    }

    @Test func theGateBoxesHoldTheTracedGates() throws {
        let interpreter = Interpreter()
        _ = interpreter.run("m = lstm(input: 3, hidden: 4, seed: 1)\nout = m(randn(5, 2, 3, seed: 0), trace: true)")
        let text = render(try figure("diagram(m, out.trace, step: 3, row: 1)", interpreter), options: RenderOptions(width: 60, color: false))
        let rows = text.split(separator: "\n").map(String.init)
        let nameRow = try #require(rows.firstIndex { $0.contains("| sigm| | sigm| | tanh| | sigm+") })
        // Box columns: f, i, g, o, in the order the drawing puts them.
        let boxes = ["f", "i", "g", "o"]
        for (k, gate) in boxes.enumerated() {
            let traced = try tensor("out.trace.\(gate)[3, 1, 0:3]", interpreter)
            for u in 0..<3 {
                let line = Array(rows[nameRow + 1 + u])
                let column = try #require(Array(rows[nameRow]).indices.filter { Array(rows[nameRow])[$0] == "|" }.dropFirst(2 * k).first)
                let drawn = String(line[(column + 1)...(column + 5)]).trimmingCharacters(in: .whitespaces)
                #expect(drawn == CellDiagramRenderer.fit(traced[u], width: 5), "\(gate) unit \(u)")
            }
        }
        // The states beside the wires: c_t on the right of the top wire, h_t-1 left of the boxes.
        let c = try tensor("out.trace.c[3, 1, 0:3]", interpreter), hPrev = try tensor("out.trace.h[2, 1, 0:3]", interpreter)
        for u in 0..<3 {
            #expect(rows[2 + u].hasSuffix(" " + CellDiagramRenderer.fit(c[u], width: 5)), "c unit \(u): \(rows[2 + u])")
            #expect(rows[nameRow + 1 + u].trimmingCharacters(in: .whitespaces).hasPrefix(CellDiagramRenderer.fit(hPrev[u], width: 5) + " "))
        }
    }

    @Test func theWiresHoldTheTracedGradientNorms() throws {
        let interpreter = Interpreter()
        _ = interpreter.run("m = rnn(input: 3, hidden: 2, seed: 0)\nxs = randn(3, 3, seed: 1)\nout = m(xs, trace: true)\nbackward(sum(out.output[-1] ** 2))")
        let f = try figure("unroll(m, xs, grad: true)", interpreter)
        let text = render(f, options: RenderOptions(width: 60, color: false))
        let norms = try tensor("out.trace.dh_norm", interpreter)
        let gradientRow = try #require(text.split(separator: "\n").first { $0.hasPrefix("dL/dh_t") })
        let drawn = gradientRow.split(separator: " ").dropFirst().filter { Double($0) != nil }.map(String.init)
        #expect(drawn == norms.map(UnrollRenderer.short), "\(gradientRow)")
        let hNorms = try tensor("stack([norm(out.trace.h[0]), norm(out.trace.h[1]), norm(out.trace.h[2])])", interpreter)
        let stateRow = try #require(text.split(separator: "\n").first { $0.hasPrefix("    h_t") })
        let states = stateRow.split(separator: " ").dropFirst().filter { Double($0) != nil }.map(String.init)
        #expect(states == ["0"] + hNorms.map(UnrollRenderer.short), "\(stateRow)")
    }

    @Test func bothFiguresAreWellFormedJSON() throws {
        let interpreter = Interpreter()
        _ = interpreter.run("m = gru(input: 2, hidden: 2, seed: 0)\nx = randn(4, 2, seed: 1)\nout = m(x, trace: true)\nbackward(sum(out.output))")
        for (source, kind, key) in [("diagram(m, out.trace, step: 1)", "diagram", "diagram"), ("unroll(m, x, grad: true)", "unroll", "unroll")] {
            let text = ValueJSON.encode(.figure(try figure(source, interpreter)))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            let fig = try #require(object["figure"] as? [String: Any])
            #expect(fig["kind"] as? String == kind)
            let data = try #require(fig[key] as? [String: Any])
            if kind == "diagram" {
                let values = try #require(data["values"] as? [String: Any])
                #expect(values["step"] as? Int == 1 && (values["units"] as? [Int]) == [0, 1])
            } else {
                #expect((data["gradients"] as? [Double])?.count == 4 && (data["states"] as? [Double])?.count == 4)
            }
        }
    }
}
