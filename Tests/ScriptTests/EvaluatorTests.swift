import Testing
import Engine
@testable import Script

@Suite struct EvaluatorTests {
    @Test func arithmeticOnNumbers() {
        #expect(show("1 + 2 * 3") == "7")
        #expect(show("-2 ** 2") == "-4")
        #expect(show("2 ** 3 ** 2") == "512")
        #expect(show("7 / 2") == "3.5")
        #expect(show("-7 % 3") == "2")        // Python's sign rule
        #expect(show("(1 + 2) * 3") == "9")
        #expect(show("1 < 2 and not 3 < 2") == "true")
        #expect(show("false or 0") == "false")
        #expect(show("1 == 1.0") == "true")
    }

    @Test func strings() {
        #expect(show("\"ab\" + 'cd'") == "\"abcd\"")
        #expect(show("\"ab\" * 2") == "\"abab\"")
        #expect(show("\"step \" + str(3)") == "\"step 3\"")
        #expect(show("\"abc\"[-1]") == "\"c\"")
        #expect(show("\"a\" < \"b\"") == "true")
    }

    @Test func literalsAreTensorsListsOtherwise() {
        #expect(show("[[1, 2], [3, 4]]") == "tensor([[1, 2], [3, 4]])")
        #expect(show("[1, 2] + 1") == "tensor([2, 3])")
        #expect(show("n = 3; [1, n]") == "tensor([1, 3])")
        #expect(show("[\"a\", 1]") == "[\"a\", 1]")
        #expect(show("[zeros(2), ones(2)]") == "[tensor([0, 0]), tensor([1, 1])]")
        #expect(show("[]") == "[]")
        #expect(show("0..<4") == "[0, 1, 2, 3]")
        #expect(show("(0..<3) + [5]") == "tensor([5, 6, 7])")  // a list of numbers used as a tensor
        #expect(show("list(1, 2) + list(3)") == "[1, 2, 3]")
    }

    @Test func raggedLiteralIsAnError() {
        #expect(failure("[[1, 2], [3]]").message.contains("ragged"))
    }

    @Test func tensorArithmeticBroadcastsAndMatmul() {
        #expect(show("[[1, 2], [3, 4]] @ [[1], [1]]") == "tensor([[3], [7]])")
        #expect(show("[[1, 2], [3, 4]] * [10, 100]") == "tensor([[10, 200], [30, 400]])")
        #expect(show("2 ** [1, 2, 3]") == "tensor([2, 4, 8])")
        #expect(show("-[1, -2]") == "tensor([-1, 2])")
        #expect(show("[1, 2, 3] > 2") == "tensor([0, 0, 1])")
        #expect(show("[1, 2] == [1, 3]") == "tensor([1, 0])")
        #expect(show("eye(2).T") == "tensor([[1, 0], [0, 1]])")
    }

    @Test func assignmentAndAugmentedAssignment() {
        let i = Interpreter()
        run("x = 1; x += 2; x *= 10; y = x", in: i)
        #expect(show("y", in: i) == "30")
        #expect(i.variables.map(\.name) == ["x", "y"])
        let values = run("a = 1\na\nb = 2", in: i)
        #expect(values.count == 1)   // assignments give no value
    }

    @Test func lastValueUnderscore() {
        let i = Interpreter()
        run("41 + 1", in: i)
        #expect(show("_ + 1", in: i) == "43")
        #expect(i.lastValue.map { "\($0)" } == "43")
        run("print(1)", in: i)           // none does not replace _
        #expect(show("_", in: i) == "43")
    }

    @Test func controlFlow() {
        #expect(show("s = 0; for t in 0..<5 { s = s + t }; s") == "10")
        // A tensor's elements are (rank-0) tensors, so that gradients flow through them.
        #expect(show("s = 0; for x in [1, 2, 3] { s += x }; s") == "tensor(6)")
        #expect(show("s = 0; for x in list(1, 2, 3) { s += x }; s") == "6")
        #expect(show("n = 0; while true { n += 1; if n >= 4 { break } }; n") == "4")
        #expect(show("s = 0; for t in 0..<6 { if t % 2 == 0 { continue }; s += t }; s") == "9")
        #expect(show("x = 5; if x < 3 { y = 1 } elif x < 10 { y = 2 } else { y = 3 }; y") == "2")
        #expect(show("x = 50; if x < 3 { y = 1 } else if x < 10 { y = 2 } else { y = 3 }; y") == "3")
        #expect(show("rows = 0; for r in zeros(3, 2) { rows += 1 }; rows") == "3")
        #expect(show("if [1] { 1 } else { 0 }") == "none")  // if is a statement
    }

    @Test func multiLineInput() {
        let source = """
        h = zeros(1, 2)
        for t in 0..<3 {
            # a comment inside the block
            h = h + [[1,
                      2]]
        }
        h
        """
        #expect(show(source) == "tensor([[3, 6]])")
    }

    @Test func functionsDefaultsNamedArgumentsRecursionClosures() {
        #expect(show("def f(x, y: 10) { return x + y }; f(1)") == "11")
        #expect(show("def f(x, y: 10) { return x + y }; f(1, y: 2)") == "3")
        #expect(show("def fact(n) { if n <= 1 { return 1 }; return n * fact(n - 1) }; fact(10)") == "3628800")
        #expect(show("def noreturn() { x = 1 }; noreturn()") == "none")
        #expect(show("def adder(k) { return fn(x) { return x + k } }; add3 = adder(3); add3(4)") == "7")
        #expect(show("k = 1; def f() { return k }; k = 2; f()") == "2")
        // Assignment inside a function is local.
        #expect(show("x = 1; def f() { x = 5; return x }; f(); x") == "1")
        #expect(show("double = fn(x) { return 2 * x }; double(21)") == "42")
    }

    @Test func recordsAndMembers() {
        #expect(show("r = record(loss: 0.5, step: 3); r.step") == "3")
        #expect(show("r = record(a: 1); r.a = 2; r.b = 3; r") == "record {a: 2, b: 3}")
        #expect(show("r = record(a: 1); r[\"a\"]") == "1")
        #expect(show("zeros(2, 3).shape") == "[2, 3]")
        #expect(show("zeros(2, 3).shape[0]") == "2")
        #expect(show("ones(3).sum()") == "tensor(3)")
        #expect(show("[3, 1, 2].max()") == "tensor(3)")
        #expect(show("type(1)") == "\"number\"")
        #expect(show("zeros(2).type()") == "\"tensor\"")
    }

    @Test func printEmitsTextAndValues() {
        var out: [String] = []
        let i = Interpreter(emit: { e in
            switch e {
            case let .text(t): out.append("text:" + t)
            case let .value(v): out.append("value:" + v.description)
            case let .result(v, at): out.append("result:\(v) at \(at.line):\(at.column)")
            case .progress: break
            }
        })
        // One channel, in order: a result comes between the prints around it.
        run("print(1); 2; print(3)\nx = 4\nx", in: i)
        #expect(out == ["text:1", "result:2 at 1:11", "text:3", "result:4 at 3:1"])
        out = []
        run("print(\"loss\", 0.25, sum([1, 2]), true); print(\"x\", [1, 2], \"y\")", in: i)
        #expect(out == ["text:loss 0.25 3 true", "text:x", "value:tensor([1, 2])", "text:y"])
        // A list whose text is one line (a shape, numbers, strings) stays on the line.
        out = []
        run("o = zeros(10, 8, 64); print(\"T =\", 10, \"kept:\", o.shape, \"=\", 5120)", in: i)
        #expect(out == ["text:T = 10 kept: [10, 8, 64] = 5120"])
        out = []
        run("print(list(\"a\", 1, list(2, 3)), range(3), list())", in: i)
        #expect(out == ["text:[\"a\", 1, [2, 3]] [0, 1, 2] []"])
        // Lists holding tensors are drawn by the host, on a line of their own.
        out = []
        run("print(\"norms\", [zeros(2), ones(2)], \"end\")", in: i)
        #expect(out == ["text:norms", "value:[tensor([0, 0]), tensor([1, 1])]", "text:end"])
    }

    @Test func noGradBlockAndFunction() {
        #expect(show("w = param([1, 2]); no_grad { y = w * 2 }; y.requires_grad") == "false")
        #expect(show("w = param([1, 2]); y = w * 2; y.requires_grad") == "true")
        #expect(show("w = param([1, 2]); no_grad(fn() { return w * 2 }).requires_grad") == "false")
    }

    @Test func stateBeforeAnErrorIsKept() {
        let i = Interpreter()
        let (values, error) = i.run("a = 1\nb = a + 1\nb\nc = nope + 1\nd = 4")
        #expect(values.map(\.value.description) == ["2"])
        #expect(error?.location?.line == 4)
        #expect(show("a + b", in: i) == "3")
        #expect(i.variables.map(\.name) == ["a", "b"])
    }

    @Test func resetForgetsEverything() {
        let i = Interpreter()
        run("x = 1; 5", in: i)
        i.reset()
        #expect(i.variables.isEmpty)
        #expect(i.lastValue == nil)
    }

    @Test func cancellationInterruptsLoops() {
        let i = Interpreter()
        var checks = 0
        i.isCancelled = { checks += 1; return checks > 100 }
        let e = failure("n = 0; while true { n += 1 }", in: i)
        #expect(e.message == "interrupted")
        i.isCancelled = { false }
        #expect(number("n", in: i) > 10)   // state up to the interruption is kept
    }

    /// A call that notices Ctrl-C and returns normally (train keeps its history) must not let
    /// the next statement of the block run on its half-finished result.
    @Test func cancellationStopsTheNextStatementOfABlock() {
        let i = Interpreter()
        // "Ctrl-C" arrives once `a` exists, i.e. during the first statement of the block.
        i.isCancelled = { [unowned i] in i.globals.lookup("a") != nil }
        let e = failure("for k in 0..<1 {\n    a = 1\n    b = 2\n}", in: i)
        #expect(e.message == "interrupted")
        #expect(e.location?.line == 3)
        i.isCancelled = { false }
        #expect(i.variables.contains { $0.name == "a" })
        #expect(!i.variables.contains { $0.name == "b" })
    }

    /// Only an LSTM has a cell state: help for rnn and gru does not offer c0, and neither does
    /// the usage line of a called RNN layer.
    @Test func helpOffersC0OnlyForLSTM() {
        let i = Interpreter()
        #expect(i.help("rnn")?.contains("c0") == false)
        #expect(i.help("gru")?.contains("c0") == false)
        #expect(i.help("lstm")?.contains("h0: …, c0: …") == true)
        let e = failure("m = rnn(input: 3, hidden: 4)\nm(zeros(5, 1, 3), foo: 1)")
        #expect(e.message.contains("usage: rnn(input, h0: none, trace: false)"))
        #expect(!e.message.contains("c0"))
    }

    @Test func helpAndQuestionMark() {
        var texts: [String] = []
        let i = Interpreter(emit: { if case let .text(t) = $0 { texts.append(t) } })
        run("tanh?\nhelp(\"lstm\")\nhelp(sigmoid)\nhelp()\nfor?", in: i)
        #expect(texts.count == 5)
        guard texts.count == 5 else { return }
        #expect(texts[0].hasPrefix("tanh(x)"))
        #expect(texts[0].contains("Example:"))
        #expect(texts[1].hasPrefix("lstm(input:"))
        #expect(texts[3].contains("Models:"))
        #expect(texts[4].hasPrefix("for NAME in"))
        #expect(i.help("zeros")?.contains("zeros(1, 4)") == true)
        #expect(i.help("nonexistent") == nil)
        #expect(i.help("models")?.hasPrefix("Models:\n  classifier") == true)
        #expect(i.help("Gradients")?.contains("backward") == true)
        #expect(i.help("lstm")?.split(separator: "\n").allSatisfy { $0.count <= 110 } == true)
        run("x = 3", in: i)
        #expect(i.help("x") == "x is a number: 3")
    }

    @Test func completions() {
        let i = Interpreter()
        run("out = lstm(input: 2, hidden: 3)(zeros(4, 1, 2), trace: true); my_var = 1; m = linear(in: 2, out: 1)", in: i)
        #expect(i.completions(for: "ls").contains("lstm"))
        #expect(i.completions(for: "ls").contains("lstm_cell"))
        #expect(i.completions(for: "x = my_").contains("my_var"))
        #expect(i.completions(for: "out.tr") == ["out.trace"])
        #expect(i.completions(for: "out.trace.") .contains("out.trace.f"))
        #expect(i.completions(for: "m.we") == ["m.weight"])
        #expect(i.completions(for: "m.").contains("m.train"))
        #expect(i.completions(for: "out.output.") .contains("out.output.grad"))
        #expect(i.completions(for: "out.output.su") == ["out.output.sum"])
        #expect(i.completions(for: "nothing.") == [])
        #expect(i.completions(for: "wh").contains("while"))
        // A name that is complete stays a candidate, so Tab lists rather than lengthens it.
        #expect(i.completions(for: "lstm") == ["lstm", "lstm_cell"])
        #expect(i.completions(for: "rnn").prefix(2) == ["rnn", "rnn_cell"])
        #expect(i.completions(for: "my_var") == ["my_var"])
    }
}

@Suite struct PythonHabitsTests {
    @Test func listsCompareAsAWhole() {
        #expect(show("zeros(5, 1, 3).shape == [5, 1, 3]") == "true")
        #expect(show("zeros(5, 1, 3).shape == list(5, 1, 3)") == "true")
        #expect(show("zeros(5, 1).shape != [5, 1, 3]") == "true")
        #expect(show("list(1, \"a\") == list(1, \"a\")") == "true")
        #expect(show("if zeros(2).shape == [2] { 1 } ; 2") == "2")
    }

    @Test func maxAndMinOfTwoNumbers() {
        #expect(show("max(3, 5)") == "5")
        #expect(show("min(3, 5)") == "3")
        #expect(show("max([[1, 5], [3, 2]], 1)") == "tensor([5, 3])")
    }
}
