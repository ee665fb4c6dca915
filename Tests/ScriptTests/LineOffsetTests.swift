import Testing
@testable import Script

/// Source that starts further down a file (a statement of a script, a lesson cell) keeps the
/// file's line numbers without being padded with blank lines.
@Suite struct LineOffsetTests {
    @Test func errorsCarryTheFilesLineAndShowThatLine() {
        let i = Interpreter()
        let r = i.run("x = 1\ny = nope", file: "f.rnn", firstLine: 40)
        #expect(r.error?.location == SourceLocation(file: "f.rnn", line: 41, column: 5))
        #expect(r.error?.sourceLine == "y = nope")
        let parse = i.run("z = (1 +", file: "f.rnn", firstLine: 7)
        #expect(parse.error?.location?.line == 7)
        #expect(parse.error?.sourceLine == "z = (1 +")
    }

    @Test func anErrorInsideAFunctionShowsTheLineItWasDefinedOn() {
        let i = Interpreter()
        #expect(i.run("def f() {\n  return missing\n}", file: "f.rnn", firstLine: 10).error == nil)
        let call = i.run("f()", file: "g.rnn", firstLine: 3)
        #expect(call.error?.location?.line == 11)
        #expect(call.error?.location?.file == "f.rnn")
        #expect(call.error?.sourceLine == "  return missing")
    }

    @Test func resultsAreLocatedOnTheFilesLines() {
        let i = Interpreter()
        let r = i.run("1\n\n2", file: "f.rnn", firstLine: 100)
        #expect(r.values.map(\.location.line) == [100, 102])
    }
}
