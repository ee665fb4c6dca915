import Testing
import Engine
@testable import Script

@Suite struct ErrorTests {
    /// "Did you mean" proposes only names at a sensible distance: a one-letter name is never
    /// "corrected" to an unrelated one-letter name.
    @Test func suggestionsStayAtASensibleDistance() {
        #expect(failure("B = 1; s").message == "unknown name 's'")
        #expect(failure("lstn").message == "unknown name 'lstn' — did you mean 'lstm'?")
        #expect(failure("x = 1; xs").message == "unknown name 'xs' — did you mean 'x'?")
        #expect(closestName(to: "s", in: ["B"]) == nil)
        #expect(closestName(to: "b", in: ["B"]) == "B")
        #expect(closestName(to: "zq", in: ["ab"]) == nil)
        #expect(editDistance("tnah", "tanh") == 1)
        #expect(editDistance("kitten", "sitting") == 3)
    }

    /// A variable named like a builtin hides it; calling it then says so instead of "a string
    /// cannot be called".
    @Test func aVariableHidingABuiltinIsNamedWhenCalled() {
        let e = failure("full = \"abc\"\nfull(2, 2)")
        #expect(e.message == "'full' is a string here: a variable of that name hides the builtin full(…); rename the variable to call the builtin again")
        #expect(e.location?.line == 2)
        #expect(failure("x = 3\nx(1)").message == "a number cannot be called like a function")
    }

    /// Strings print as typed: a newline token inside a list must not break the line.
    @Test func stringsPrintWithEscapes() {
        #expect(show("[\"\\n\", \"\\\"\", \"a\\tb\"]") == #"["\n", "\"", "a\tb"]"#)
        #expect(show("\"two\\nlines\"") == #""two\nlines""#)
        #expect(show("str(\"x\")") == #""x""#)
    }

    @Test func parseErrorCaretView() {
        let e = failure("1 +")
        #expect(e.description == "<input>:1:4: expected an expression after '+', found end of input")
        #expect(e.caretView() == "1 +\n   ^ expected an expression")
    }

    @Test func caretColumnOnALaterLineOfMultiLineInput() {
        let source = "x = zeros(2, 3)\nfor t in 0..<2 {\n    y = x @ x\n}"
        let e = failure(source)
        #expect(e.location == SourceLocation(file: "<input>", line: 3, column: 11))
        #expect(e.sourceLine == "    y = x @ x")
        #expect(e.caretView() == "    y = x @ x\n          ^")
        #expect(e.message == "matmul: shapes (2, 3) and (2, 3) do not match")
    }

    @Test func parseErrorOnALaterLine() {
        let e = failure("a = 1\nb = [1, 2\nc = 3", in: Interpreter())
        #expect(e.location?.line == 3)
        #expect(e.caretView().hasPrefix("c = 3\n^"))
        // Nothing ran: a parse error stops the whole input before it runs.
        let i = Interpreter()
        _ = i.run("a = 1\nb = (")
        #expect(i.variables.isEmpty)
    }

    @Test func tabsKeepTheCaretAligned() {
        let e = failure("\tx = nope")
        #expect(e.caretView() == "\tx = nope\n\t    ^")
    }

    @Test func fileNameInDescription() {
        let (_, e) = Interpreter().run("\n\nundefined_thing", file: "lesson.rnn")
        #expect(e?.description == "lesson.rnn:3:1: unknown name 'undefined_thing'")
    }

    @Test func unknownNameSuggestsTheClosest() {
        #expect(failure("tnah(1)").message == "unknown name 'tnah' — did you mean 'tanh'?")
        #expect(failure("hidden_state = 1; hiden_state").message == "unknown name 'hiden_state' — did you mean 'hidden_state'?")
        #expect(failure("qqqqqqq").message == "unknown name 'qqqqqqq'")
    }

    @Test func shapeMismatchNamesBothShapes() {
        #expect(failure("zeros(2, 3) + zeros(3, 2)").message == "add: shapes (2, 3) and (3, 2) do not match")
        #expect(failure("m = lstm(input: 3, hidden: 4); m(zeros(5, 1, 2))").message == "lstm: input has 2 features per step but the layer expects 3 (its input size; input shape (5, 1, 2))")
    }

    /// A value out of range in a well-formed call names the value, without the whole signature
    /// (train's is 300 characters).
    @Test func valuesOutOfRangeAreNamedWithoutTheSignature() {
        let setup = "m = classifier(input: 2, hidden: 4, out: 2)\nx = randn(5, 8, 2, seed: 0)\n"
        #expect(failure(setup + "train(m, x, zeros(8), epochs: 0)").message == "train: epochs must be at least 1, got 0")
        #expect(failure(setup + "train(m, x, zeros(8), epochs: 1, batch_size: -3)").message == "train: batch_size must be at least 1, got -3")
        #expect(failure(setup + "train(m, x, zeros(8), steps: 0)").message == "train: steps must be at least 1, got 0")
        #expect(failure(setup + "train(m, x, zeros(8), epochs: 1, bptt: 0)").message == "train: bptt must be at least 1 step, got 0")
    }

    @Test func wrongArgumentsQuoteTheSignature() {
        let e = failure("zeros(2, foo: 1)")
        #expect(e.message == "zeros: unknown argument 'foo'\n  usage: zeros(shape…, requires_grad: false, dtype: \"float64\")")
        #expect(failure("lstm(inputs: 3, hidden: 2)").message.hasPrefix("lstm: unknown argument 'inputs' — did you mean 'input'?\n  usage: lstm(input:"))
        #expect(failure("tanh()").message == "tanh: missing argument 'x'\n  usage: tanh(x)")
        #expect(failure("tanh(1, 2)").message == "tanh: too many arguments (2 given)\n  usage: tanh(x)")
        #expect(failure("tanh(\"a\")").message.hasPrefix("tanh: 'x' must be a tensor"))
        #expect(failure("linear(in: 2.5, out: 1)").message.hasPrefix("linear: 'in' must be a whole number, got 2.5"))
        #expect(failure("def f(a) { return a }; f(1, 2)").message == "f takes 1 argument, got 2\n  usage: f(a)")
        #expect(failure("def f(alpha) { return alpha }; f(alpah: 1)").message.contains("did you mean 'alpha'"))
        #expect(failure("3(1)").message == "a number cannot be called like a function")
    }

    @Test func typeErrors() {
        #expect(failure("\"a\" + 1").message == "'+' does not apply to a string and a number")
        #expect(failure("if zeros(2) { 1 }").message.contains("neither true nor false"))
        #expect(failure("for x in 5 { }").message.contains("cannot loop over a number"))
        #expect(failure("zeros(2).nope").message.contains("has no member 'nope'"))
        #expect(failure("zeros(2).gard").message.contains("did you mean 'grad'"))
        #expect(failure("1 @ 2").message.contains("matrix product"))
        #expect(failure("return 1").message == "'return' outside a function")
        #expect(failure("break").message == "'break' outside a loop")
    }

    @Test func deepRecursionIsAnError() {
        let e = failure("def down(n) { return down(n + 1) }\ndown(0)")
        #expect(e.message.contains("too many nested calls"))
        // The session goes on.
        let i = Interpreter()
        _ = i.run("def down(n) { return down(n + 1) }\ndown(0)")
        #expect(show("1 + 1", in: i) == "2")
        #expect(i.callDepth == 0)
    }

    @Test func neverTrapsOnOddInputs() {
        let inputs = ["", ";;;", "}", ")", "]", "x = ", "[", "\"", "1e999", "0..<1e300", "range(1e300)", "zeros(-1)",
                      "zeros(1e12, 1e12)", "x = 1; x[0]", "def f() { }; f(1)", "f = 1; f()", "[1, [2]]", "eye(-3)",
                      "linspace(0, 1, -1)", "arange(0, 1, 0)", "reshape(zeros(4), 3)", "softmax(1, axis: 3)",
                      "split(zeros(4), 3)", "select(zeros(2), [5])", "lstm(input: 0, hidden: 1)", "nan = 0/0; nan",
                      "item(zeros(2))", "load_npy(\"/nonexistent.npy\")", "help(1)", "record()", "x = none; x.a",
                      "(0..<3)[5]", "[1, 2][::-0]", "zeros(2)[none, none, 0]", "ones(2) ** -1", "sum(zeros(2), axis: 5)",
                      "cross_entropy([[1, 2]], [5])", "clip_grad_norm([], max_norm: -1)", "sgd([], lr: 1)",
                      "m = lstm(input: 1, hidden: 1); m(zeros(2, 1, 1), h0: zeros(3))", "embedding(count: 2, dim: 2)([7])",
                      "param(zeros(2)) += 1", "x = param(zeros(2)); x.requires_grad = 5", "backward(zeros(2))",
                      "\"abc\" * -1", "list(1) * 1e9", "heatmap(zeros(2, 2, 2))", "plot()", "bars([1], labels: [\"a\", \"b\"])"]
        for input in inputs {
            let i = Interpreter()
            _ = i.run(input)   // an error or a value, never a crash
            #expect(show("1", in: i) == "1")
        }
    }
}

@Suite struct LimitTests {
    @Test func deeplyNestedListsAreRefused() {
        #expect(failure("x = list(); for i in 0..<500 { x = list(x, 1) }").message.contains("nested more than 100"))
        #expect(failure("x = list(1); for i in 0..<500 { x = [x, \"a\"] }").message.contains("nested more than 100"))
        #expect(failure("x = list(1); for i in 0..<500 { x[0] = x }").message.contains("nested more than 100"))
    }

    @Test func repetitionIsBounded() {
        #expect(failure("list(\"a\", 2) * 1e6").message.contains("too long"))
        #expect(failure("\"ab\" * 9e6").message.contains("too long"))
    }

    /// The message says 0 to 10⁷, so 10⁷ itself is allowed.
    @Test func repetitionLimitMatchesItsMessage() {
        guard case let .string(s) = value("\"a\" * 10000000") else { Issue.record("not a string"); return }
        #expect(s.utf8.count == 10_000_000)
        let e = failure("\"a\" * 10000001")
        #expect(e.message.contains("from 0 to 10⁷"))
        #expect(e.message.contains("10000001"))
    }

    /// 0/0 is a NaN with its sign bit set on x86; no message may show it as "-nan".
    @Test func aNaNLearningRateIsNamedNan() {
        for optimizer in ["sgd", "adam", "adamw"] {
            let e = failure("\(optimizer)([param([1])], lr: 0/0)")
            #expect(e.message.contains("lr = nan"), "\(e.message)")
            #expect(!e.message.contains("-nan"))
        }
        #expect(failure("sgd([param([1])], lr: 1, weight_decay: -1)").message.contains("weight_decay"))
    }
}

@Suite struct FunctionErrorTests {
    @Test func anErrorInsideAFunctionFromAnEarlierInputShowsItsOwnLine() {
        let i = Interpreter()
        run("def f(x) {\n    return x @ x\n}", in: i)
        let e = failure("y = 1\nf(zeros(2, 3))", in: i)
        #expect(e.location?.line == 2)
        #expect(e.sourceLine == "    return x @ x")
        #expect(e.caretView() == "    return x @ x\n             ^")
    }
}

@Suite struct DepthTests {
    @Test func deepExpressionsInsideDeepRecursionAreAnErrorNotACrash() {
        let body = String(repeating: "(1 + ", count: 120) + "f(n + 1)" + String(repeating: ")", count: 120)
        let e = failure("def f(n) { return \(body) }\nf(0)")
        #expect(e.message.contains("nests too deeply") || e.message.contains("too many nested calls"))
        let i = Interpreter()
        _ = i.run("def f(n) { return \(body) }\nf(0)")
        #expect(i.evalDepth == 0 && i.callDepth == 0)
        #expect(show("1", in: i) == "1")
    }
}
