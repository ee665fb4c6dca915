import Testing
import Engine
@testable import Script

/// Errors are typed: each says what sort of mistake it is, and its words are rendered in one
/// place, in the learner's names rather than the Swift API's.
@Suite struct ErrorKindTests {
    @Test func eachMistakeHasItsKind() {
        #expect(failure("1 +").kind == .syntax)
        #expect(failure("x = (1, 2").kind == .syntax)
        #expect(failure("nosuchname").kind == .unknownName)
        #expect(failure("x = zeros(2)\nx.nosuchmember").kind == .unknownName)
        #expect(failure("zeros(2, bogus: 1)").kind == .argument)
        #expect(failure("x = 3\nx(1)").kind == .wrongType)
        #expect(failure("def f() { f() }\nf()").kind == .limit)
        // A function without a name is not called "<anonymous>" in front of the learner.
        #expect(failure("f = fn(n) { f(n + 1) }\nf(0)").message.hasSuffix("does this function call itself without ever stopping?"))
        #expect(failure("def g(n) { g(n + 1) }\ng(0)").message.hasSuffix("does g call itself without ever stopping?"))
        #expect(failure("[\"a\", \"b\"][5]").kind == .index)
        #expect(failure("x = zeros(2, requires_grad: true)\nx.grad = zeros(3)").kind == .shape)
        #expect(failure("\"a\" - 1").kind == .wrongType)
        #expect(failure("\"ab\" * 1e8").kind == .limit)
        #expect(failure("def f(a) { a }\nf(1, 2)").kind == .argument)
        #expect(failure("load_npy(\"/nonexistent/a.npy\")").kind.isFile)
        guard case let .engine(e) = failure("zeros(2, 3) @ zeros(2, 3)").kind else {
            Issue.record("matmul of mismatched shapes is not an engine error"); return
        }
        #expect(e == .shapeMismatch(op: "matmul", lhs: [2, 3], rhs: [2, 3]))
    }

    /// An engine error raised inside a builtin names the builtin the learner called, not the
    /// engine operation that refused (`lstm` builds its weights with the engine's `rand`).
    @Test func engineErrorsNameWhatTheLearnerCalled() {
        let huge = failure("lstm(input: 3, hidden: 1e9)")
        #expect(huge.message.hasPrefix("lstm: "), "\(huge.message)")
        #expect(huge.callee == "lstm")
        if case .engine = huge.kind {} else { Issue.record("expected an engine error, got \(huge.kind)") }
        // `zeros` fills with the engine's `full`; the learner sees the name they typed.
        #expect(failure("zeros(1e300)").message.hasPrefix("zeros: "))
        // An operation that is itself a builtin is kept after the caller's name.
        let message = failure("x = randn(4, 3)\ny = randn(4, 2)\nm = linear(in: 5, out: 2)\nm(x)").message
        #expect(!message.contains("inputSize") && !message.contains("Linear"), "\(message)")
    }

    /// A file that cannot be read is reported by the builtin that read it, then the file's own words.
    @Test func fileErrorsNameTheBuiltinThatReadTheFile() {
        let e = failure("read_csv(\"/nonexistent/x.csv\")")
        #expect(e.message == "read_csv: /nonexistent/x.csv: no such file")
        if case .data = e.kind {} else { Issue.record("expected a data error, got \(e.kind)") }
        #expect(failure("load_npy(\"/nonexistent/x.npy\")").message.hasPrefix("load_npy: /nonexistent/x.npy"))
    }

    /// A model's size is refused by the argument the learner gave, before the engine sees it.
    @Test func sizesAreRefusedByTheirArgumentName() {
        #expect(failure("lstm(input: 0, hidden: 4)").message.hasPrefix("lstm: 'input' must be at least 1, got 0"))
        #expect(failure("gru(input: 3, hidden: 4, layers: 0)").message.hasPrefix("gru: 'layers' must be at least 1, got 0"))
        #expect(failure("seq2seq(kind: \"gru\", source_vocab: 5, target_vocab: 0, embed: 3, hidden: 4)").message
                    .hasPrefix("seq2seq: 'target_vocab' must be at least 1, got 0"))
        #expect(failure("lstm(input: 0, hidden: 4)").kind == .argument)
    }

    /// Words rendered from a typed engine error: the engine's op name, or the caller's in its place.
    @Test func renderingIsOnePlace() {
        let e = TensorError.invalidArgument(op: "full", message: "sizes cannot be negative")
        #expect(ScriptError.render(.engine(e), text: "", callee: nil) == "full: sizes cannot be negative")
        #expect(ScriptError.render(.engine(e), text: "", callee: "zeros") == "zeros: sizes cannot be negative")
        #expect(ScriptError(.engine(e)).calledAs("zeros").message == "zeros: sizes cannot be negative")
        // A callee is given once: an error already told as raised by one builtin keeps that name.
        #expect(ScriptError(.engine(e)).calledAs("zeros").calledAs("train").message == "zeros: sizes cannot be negative")
        #expect(ScriptError.interrupted().message == "interrupted")
        #expect(ScriptError.from(TensorError.interrupted).kind == .interrupted)
        #expect(ScriptError.from(NPYError.interrupted).kind == .interrupted)
    }

    /// The scan `make test` runs over every message the tests provoke finds the Swift API's names…
    @Test func theAuditFindsSwiftNames() {
        #expect(MessageAudit.swiftNames(in: "lstm: the layer expects inputSize 3") == ["inputSize"])
        #expect(MessageAudit.swiftNames(in: "not a zip: read it with NPY.read") == ["NPY.read"])
        #expect(MessageAudit.swiftNames(in: "TensorError.invalidArgument") .contains("TensorError"))
        #expect(MessageAudit.swiftNames(in: "bad header: NPYError") == ["NPYError"])
        #expect(MessageAudit.swiftNames(in: "got Optional(3)") == ["Optional"])
        #expect(MessageAudit.swiftNames(in: "value was nil") == ["nil"])
        #expect(MessageAudit.swiftNames(in: "no LSTMCell here") == ["LSTMCell"])
    }

    /// …and leaves alone the learner's own words and the field's proper names.
    @Test func theAuditLeavesTheLearnersWordsAlone() {
        #expect(MessageAudit.swiftNames(in: "unknown name 'myVar' — did you mean 'myVal'?").isEmpty)
        #expect(MessageAudit.swiftNames(in: "as NumPy and PyTorch print shapes; GRUs and LSTMs, RNNs").isEmpty)
        #expect(MessageAudit.swiftNames(in: "shapes (2, 3) and (3,) do not match").isEmpty)
        #expect(MessageAudit.swiftNames(in: "read_npz: \"camelCase.npz\" is missing").isEmpty)
        #expect(MessageAudit.swiftNames(in: "use `x.sum()` first").isEmpty)
        // A path is the machine's words (mktemp names folders at random), wherever it stands…
        #expect(MessageAudit.swiftNames(
            in: "read_text: a lesson may only read files in /tmp/rnnlab-sandbox-1/lessons, /tmp/tmp.UBDheycwDz/p/Datasets; \"passwd\" is outside them").isEmpty)
        #expect(MessageAudit.swiftNames(in: "no file at /home/aB/dataSet.csv").isEmpty)
        // …but a name outside a path is still found, and a division is not a path.
        #expect(MessageAudit.swiftNames(in: "in /tmp/x: expected inputSize") == ["inputSize"])
        #expect(MessageAudit.swiftNames(in: "x / inputSize") == ["inputSize"])
    }
}

extension ScriptError.Kind {
    var isFile: Bool { if case .file = self { true } else { false } }
}
