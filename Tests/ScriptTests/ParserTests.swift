import Testing
@testable import Script

@Suite struct ParserTests {
    /// The tree as a fully parenthesised string.
    func tree(_ s: String) throws -> String {
        let program = try Parser.parse(s, file: "<t>")
        guard case let .expr(e) = program.first?.kind else { return "?" }
        return render(e)
    }

    func render(_ e: Expr) -> String {
        switch e.kind {
        case let .number(x): return formatNumber(x)
        case let .name(n): return n
        case let .unary(op, a): return "(\(op)\(render(a)))"
        case let .binary(op, a, b): return "(\(render(a)) \(op) \(render(b)))"
        case let .logical(op, a, b): return "(\(render(a)) \(op) \(render(b)))"
        case let .range(a, b): return "(\(render(a))..<\(render(b)))"
        case let .call(f, args): return render(f) + "(" + args.map { ($0.name.map { $0 + ": " } ?? "") + render($0.value) }.joined(separator: ", ") + ")"
        case let .member(a, n): return render(a) + "." + n
        case let .index(a, items): return render(a) + "[" + items.map { item -> String in
            switch item {
            case let .expr(x): return render(x)
            case let .slice(a, b, c): return [a, b, c].map { $0.map(render) ?? "" }.joined(separator: ":")
            }
        }.joined(separator: ", ") + "]"
        case let .list(items): return "[" + items.map(render).joined(separator: ", ") + "]"
        default: return "?"
        }
    }

    @Test func precedence() throws {
        #expect(try tree("1 + 2 * 3") == "(1 + (2 * 3))")
        #expect(try tree("a - b - c") == "((a - b) - c)")
        #expect(try tree("2 ** 3 ** 2") == "(2 ** (3 ** 2))")
        #expect(try tree("-2 ** 2") == "(-(2 ** 2))")
        #expect(try tree("2 ** -1") == "(2 ** (-1))")
        #expect(try tree("x @ W.T + b") == "((x @ W.T) + b)")
        #expect(try tree("a * b @ c") == "((a * b) @ c)")
        #expect(try tree("a + b < c * d") == "((a + b) < (c * d))")
        #expect(try tree("not a == b and c or d") == "(((not(a == b)) and c) or d)")
        #expect(try tree("0..<n - 1") == "(0..<(n - 1))")
        #expect(try tree("f(x)[0].shape") == "f(x)[0].shape")
    }

    @Test func callsIndexingSlices() throws {
        #expect(try tree("lstm(input: 3, hidden: 4)") == "lstm(input: 3, hidden: 4)")
        #expect(try tree("x[:, 0]") == "x[::, 0]")
        #expect(try tree("x[1:3]") == "x[1:3:]")
        #expect(try tree("x[::-1]") == "x[::(-1)]")
        #expect(try tree("[[1, 2], [3, 4]]") == "[[1, 2], [3, 4]]")
    }

    @Test func statements() throws {
        let program = try Parser.parse("def f(x, y: 2) { return x }\nfor t in 0..<3 { f(t) }\nif a { b } elif c { d } else { e }\nwhile x { break }\nx[0] = 1; y += 2\ntanh?\nno_grad { z = 1 }", file: "<t>")
        #expect(program.count == 8)
        if case let .def(decl) = program[0].kind { #expect(decl.parameters.map(\.name) == ["x", "y"]) } else { Issue.record("def") }
        if case let .ifElse(branches, otherwise) = program[2].kind { #expect(branches.count == 2 && otherwise != nil) } else { Issue.record("if") }
        if case let .assign(_, op, _) = program[5].kind { #expect(op == "+") } else { Issue.record("+=") }
        if case .help = program[6].kind {} else { Issue.record("help") }
        if case .noGrad = program[7].kind {} else { Issue.record("no_grad") }
    }

    @Test func bracesOnTheirOwnLines() throws {
        let program = try Parser.parse("for t in 0..<2\n{\n  x = t\n}\ndef f(x)\n{\n  return x\n}\nif x\n{ a }\nelse\n{ b }", file: "<t>")
        #expect(program.count == 3)
    }

    @Test func elseOnTheNextLineInAFile() throws {
        let program = try Parser.parse("if x {\n a\n}\nelse {\n b\n}", file: "<t>")
        #expect(program.count == 1)
    }

    func parseError(_ s: String) -> ScriptError? {
        do { _ = try Parser.parse(s, file: "<t>"); return nil } catch { return error }
    }

    @Test func errorsSayWhatWasExpectedAndWhere() throws {
        let e = try #require(parseError("1 +"))
        #expect(e.message == "expected an expression after '+', found end of input")
        #expect(e.location?.line == 1 && e.location?.column == 4)
        #expect(e.expected == "an expression")

        let f = try #require(parseError("x = 1\ny = (2 + 3\nz = 4"))
        #expect(f.location?.line == 3)
        #expect(f.message.contains("')'"))

        let g = try #require(parseError("for t 0..<3 { }"))
        #expect(g.message.hasPrefix("expected 'in'"))
        #expect(g.location?.column == 7)

        #expect(parseError("f(a: 1, 2)")?.message.contains("positional argument cannot follow") == true)
        #expect(parseError("1 < 2 < 3")?.message.contains("cannot be chained") == true)
        #expect(parseError("f(x) = 3")?.message.contains("cannot assign") == true)
        #expect(parseError("x[]")?.message.contains("expected an index") == true)
        #expect(parseError("def f(a, a) { }")?.message.contains("twice") == true)
        #expect(parseError("else { }")?.message.contains("without a matching 'if'") == true)
        #expect(parseError("if x { y")?.message.contains("'}'") == true)
        #expect(parseError("x = 1 2")?.message.contains("end of statement") == true)
    }

    @Test func deepNestingIsAnErrorNotACrash() throws {
        let deep = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        #expect(parseError(deep)?.message.contains("nested too deeply") == true)
        let long = Array(repeating: "1", count: 3000).joined(separator: " + ")
        #expect(parseError(long)?.message.contains("too long") == true)
        let minus = String(repeating: "-", count: 5000) + "1"
        #expect(parseError(minus) != nil)
        let blocks = String(repeating: "if true {", count: 1000) + String(repeating: "}", count: 1000)
        #expect(parseError(blocks) != nil)
    }
}
