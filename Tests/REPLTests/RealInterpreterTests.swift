import Foundation
@testable import REPL
import Script
import Terminal
import Testing

/// The session on the real interpreter, in-process.
@Suite("Session on the interpreter")
struct RealInterpreterTests {
    final class Harness {
        var out = "", err = ""
        lazy var session = Session(options: RenderOptions(width: 80, color: false), numbered: true,
                                   write: { [unowned self] in self.out += $0 },
                                   writeError: { [unowned self] in self.err += $0 })
        func take() -> (out: String, err: String) { defer { out = ""; err = "" }; return (out, err) }
    }

    @Test func numberedResultsAreVariablesAndUnderscoreIsTheLast() {
        let h = Harness()
        h.session.submit("a = 20")
        h.session.submit("a + 1")
        h.session.submit("print(\"between\")")
        h.session.submit("_ * 2")
        h.session.submit("_1 + _2")
        #expect(h.take().out == "Out[1]: 21\nbetween\nOut[2]: 42\nOut[3]: 63\n")
    }

    @Test func printsAndResultsComeOutInTheOrderTheyHappen() {
        // One line, three statements: the result of `2` belongs between the two prints; `_` and
        // `_n` are bound as each result is shown, so the last statement already sees them.
        let h = Harness()
        h.session.submit("print(1); 2; print(3); _1 * 10")
        #expect(h.take().out == "1\nOut[1]: 2\n3\nOut[2]: 20\n")
        // A script run as `rnnlab run` prints bare values in the same order.
        var out = ""
        let status = Runner.run(source: "print(\"a\"); [1, 2]; print(\"b\")", file: "t.rnn", format: .text,
                                options: RenderOptions(width: 80, color: false), write: { out += $0 }, writeError: { _ in })
        #expect(status == 0)
        #expect(out == "a\ntensor (2,)\n[1. 2.]\nb\n")
    }

    @Test func varsShowsKindsAndShapes() {
        let h = Harness()
        h.session.submit("x = zeros(2, 3)")
        h.session.submit("m = linear(in: 3, out: 2, seed: 0)")
        h.session.submit("n = 1.5")
        h.session.submit("x")
        _ = h.take()
        h.session.submit(":vars")
        #expect(h.take().out == """
            m  model   linear(in: 3, out: 2) with 8 parameters
            n  number  1.5
            x  tensor  (2, 3)

            """)
    }

    @Test func shapeMismatchReportsBothShapesAndTheSessionGoesOn() {
        let h = Harness()
        h.session.submit("a = ones(2, 3)")
        #expect(h.session.submit("a @ a") == .failure)
        let err = h.take().err
        #expect(err.hasPrefix("<input>:1:3: "))
        #expect(err.contains("(2, 3) and (2, 3)"))
        #expect(err.hasSuffix("a @ a\n  ^\n"))
        h.session.submit("a.shape")
        #expect(h.take().out == "Out[1]: [2, 3]\n")
    }

    @Test func membersCompleteAfterADot() {
        let h = Harness()
        h.session.submit("m = lstm(input: 3, hidden: 4, seed: 1)")
        let completion = h.session.complete("y = m.weight_i")
        #expect(completion.stem == "weight_i")
        #expect(completion.candidates == ["weight_ih_l0"])
        #expect(h.session.complete("ze").candidates.contains("zeros"))
    }

    @Test func modelsPrintTheirParameters() {
        let h = Harness()
        h.session.submit("linear(in: 3, out: 2, seed: 0)")
        #expect(h.take().out == """
            Out[1]:
            linear(in: 3, out: 2) with 8 parameters
              weight  (2, 3)  6
              bias    (2,)    2

            """)
    }

    @Test func precisionAppliesToTensors() {
        let h = Harness()
        h.session.submit(":precision 2")
        _ = h.take()
        h.session.submit("tensor([1/3, 2/3])")
        #expect(h.take().out == "Out[1]:\ntensor (2,)\n[0.33 0.67]\n")
    }

    /// Tensors inside a list get the session's precision, as on their own, on one line.
    @Test func listsOfTensorsUseThePrecision() {
        let h = Harness()
        h.session.submit("a = tensor(0.7692461242088552); b = tensor(0.42967631496107794)")
        h.session.submit("[a, b]")
        #expect(h.take().out == "Out[1]: [tensor(0.7692), tensor(0.4297)]\n")
        h.session.submit(":precision 2")
        _ = h.take()
        h.session.submit("[a, tensor([1/3, 2/3]), zeros(3, 4), 5, \"s\"]")
        #expect(h.take().out == "Out[2]: [tensor(0.77), tensor([0.33, 0.67]), tensor (3, 4), 5, \"s\"]\n")
        // print keeps the lines of its arguments: text on one line, the list drawn on its own.
        h.session.submit("print(\"norms\", [a, b], \"shape\", zeros(2, 3).shape)")
        #expect(h.take().out == "norms\n[tensor(0.77), tensor(0.43)]\nshape [2, 3]\n")
    }

    @Test func jsonOfTensorsRecordsAndNumbers() {
        var out = "", err = ""
        let status = Runner.run(source: "x = tensor([[0.1, -2], [1e-300, 3]])\nx\n2.5\nrecord(a: 1, b: \"s\")\nnone\n",
                                file: "t.rnn", format: .json, options: RenderOptions(),
                                write: { out += $0 }, writeError: { err += $0 })
        #expect(status == 0)
        #expect(err == "")
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines == [
            #"{"file": "t.rnn", "line": 2, "column": 1, "value": {"shape": [2, 2], "data": [[0.1, -2], [1e-300, 3]]}}"#,
            #"{"file": "t.rnn", "line": 3, "column": 1, "value": 2.5}"#,
            #"{"file": "t.rnn", "line": 4, "column": 1, "value": {"kind": "record", "title": "record", "fields": {"a": 1, "b": "s"}}}"#,
        ])
    }

    /// A record's fields nest under "fields", so a field named kind or title keeps the keys unique.
    @Test func jsonRecordFieldsDoNotClashWithItsOwnKeys() throws {
        var out = "", err = ""
        let status = Runner.run(source: "record(kind: 5, title: \"t\")\n", file: "t.rnn", format: .json, options: RenderOptions(),
                                write: { out += $0 }, writeError: { err += $0 })
        #expect(status == 0)
        #expect(err == "")
        #expect(out == #"{"file": "t.rnn", "line": 1, "column": 1, "value": {"kind": "record", "title": "record", "fields": {"kind": 5, "title": "t"}}}"# + "\n")
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        let value = try #require(parsed["value"] as? [String: Any])
        #expect(value["kind"] as? String == "record")
        #expect((value["fields"] as? [String: Any])?["kind"] as? Int == 5)
    }
}

@Suite("JSON encoding")
struct ValueJSONTests {
    @Test func numbersRoundTrip() throws {
        for x in [0.1, 1.0 / 3.0, -2.5e-310, 1e300, 123456789012345678.0, Double.pi, -0.0, 42] {
            let text = ValueJSON.number(x)
            let parsed = try #require(try JSONSerialization.jsonObject(with: Data("[\(text)]".utf8), options: []) as? [NSNumber])
            #expect(parsed[0].doubleValue == x, "\(text)")
        }
        #expect(ValueJSON.number(.nan) == "null")
        #expect(ValueJSON.number(-.infinity) == "null")
        #expect(ValueJSON.number(3) == "3")
    }

    @Test func stringsAreEscaped() {
        #expect(ValueJSON.string("a\"b\\c\nd\u{1}é") == #""a\"b\\c\nd\u0001é""#)
    }
}
