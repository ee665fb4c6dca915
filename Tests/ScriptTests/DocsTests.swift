import Foundation
import Testing
import Markdown
@testable import Script

/// docs/language.md is executable: every ```rnn block runs, in order, in one interpreter, and must
/// not fail; a block followed directly by an ```output block must print exactly that (emitted text
/// and the plain description of every expression statement's value other than none, one per line).
@Suite struct DocsTests {
    struct Block { let code: String; let expected: String?; let line: Int }

    static func blocks(_ markdown: String) -> [Block] {
        let lines = markdown.components(separatedBy: "\n")
        let fences = CodeFence.all(in: lines)
        var blocks: [Block] = []
        for (k, fence) in fences.enumerated() where fence.info == ["rnn"] {
            // Its expected output is an ```output fence right after it, with only blank lines between.
            var expected: String? = nil
            if k + 1 < fences.count, fences[k + 1].info == ["output"], let close = fence.close,
               lines[(close + 1)..<fences[k + 1].open].allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                expected = fences[k + 1].text
            }
            blocks.append(Block(code: fence.text, expected: expected, line: fence.open + 1))
        }
        return blocks
    }

    final class Lines { var lines: [String] = [] }

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
            case let .result(v, _): collected.lines.append(v.description)
            case .progress: break
            }
        })
        for block in blocks {
            collected.lines = []
            // Printed text and each statement's value arrive through the one emission channel, in order.
            if let error = interpreter.run(block.code, file: "language.md", firstLine: block.line + 1).error {
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
