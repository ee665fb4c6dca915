import Foundation
import Testing
@testable import Script

/// docs/language.md is executable: every ```rnn block runs, in order, in one interpreter, and must
/// not fail; a block followed directly by an ```output block must print exactly that (emitted text
/// and the plain description of every expression statement's value other than none, one per line).
@Suite struct DocsTests {
    struct Block { let code: String; let expected: String?; let line: Int }

    static func blocks(_ markdown: String) -> [Block] {
        var blocks: [Block] = []
        var lines = markdown.components(separatedBy: "\n")[...]
        var lineNumber = 0
        var pendingCode: (String, Int)? = nil
        while let line = lines.popFirst() {
            lineNumber += 1
            let fence = line.trimmingCharacters(in: .whitespaces)
            guard fence == "```rnn" || fence == "```output" else {
                if !fence.isEmpty, let p = pendingCode { blocks.append(Block(code: p.0, expected: nil, line: p.1)); pendingCode = nil }
                continue
            }
            let start = lineNumber
            var body: [String] = []
            while let l = lines.popFirst() {
                lineNumber += 1
                if l.trimmingCharacters(in: .whitespaces) == "```" { break }
                body.append(l)
            }
            if fence == "```rnn" {
                if let p = pendingCode { blocks.append(Block(code: p.0, expected: nil, line: p.1)) }
                pendingCode = (body.joined(separator: "\n"), start)
            } else if let p = pendingCode {
                blocks.append(Block(code: p.0, expected: body.joined(separator: "\n"), line: p.1))
                pendingCode = nil
            }
        }
        if let p = pendingCode { blocks.append(Block(code: p.0, expected: nil, line: p.1)) }
        return blocks
    }

    /// Runs `code` statement by statement so that printed text and values come out in order.
    final class Lines { var lines: [String] = [] }

    static func output(of code: String, in interpreter: Interpreter, collected: Lines) throws {
        for stmt in try Parser.parse(code, file: "language.md") {
            if case let .expr(e) = stmt.kind {
                let v = try interpreter.eval(e, interpreter.globals)
                if case .none = v {} else { collected.lines.append(v.description); interpreter.lastValue = v }
            } else {
                try interpreter.execute(stmt, interpreter.globals)
            }
        }
    }

    @Test func everyExampleRuns() throws {
        let url = repositoryRoot.appendingPathComponent("docs/language.md")
        let markdown = try String(contentsOf: url, encoding: .utf8)
        let blocks = DocsTests.blocks(markdown)
        #expect(blocks.count > 20)
        let collected = Lines()
        let interpreter = Interpreter(emit: { e in
            switch e {
            case let .text(t): collected.lines.append(t)
            case let .value(v): collected.lines.append(v.description)
            case .progress, .result: break  // results are collected by `output(of:)` itself
            }
        })
        for block in blocks {
            collected.lines = []
            do {
                try DocsTests.output(of: block.code, in: interpreter, collected: collected)
            } catch {
                Issue.record("docs/language.md:\(block.line): the example fails: \(error)\n\(block.code)")
                continue
            }
            if let expected = block.expected {
                #expect(collected.lines.joined(separator: "\n") == expected, "docs/language.md:\(block.line)")
            }
        }
    }

    @Test func everyBuiltinIsDocumented() throws {
        let markdown = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/language.md"), encoding: .utf8)
        for b in Interpreter().builtinList {
            #expect(markdown.contains("`\(b.name)`") || markdown.contains("\(b.name)("), "docs/language.md does not mention \(b.name)")
        }
    }
}
