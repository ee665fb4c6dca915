import Foundation
@testable import REPL
import Script
import Terminal
import Testing

/// The README's table of `--format json` names every key the output uses.
@Suite struct JSONFormatDocsTests {
    @Test func theReadmeTableNamesEveryKey() throws {
        let readme = try String(contentsOf: BuiltBinary.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let table = readme.components(separatedBy: "| line or value | JSON |").dropFirst().first?
            .components(separatedBy: "\n\n").first ?? ""
        #expect(!table.isEmpty, "the README has no --format json table")
        // Every kind of value once, and print.
        var out = ""
        let source = """
            print("text")
            [1, 2]
            record(kind: 5)
            linear(in: 1, out: 1, seed: 0)
            sgd(linear(in: 1, out: 1, seed: 0), lr: 0.1)
            spark([1, 2, 3])
            tanh
            """
        _ = Runner.run(source: source, file: "t.rnn", format: .json, options: RenderOptions(width: 80, color: false),
                       write: { out += $0 }, writeError: { _ in })
        var keys = Set<String>()
        func collect(_ object: Any, depth: Int) {
            guard let dict = object as? [String: Any] else { return }
            for (key, value) in dict {
                keys.insert(key)
                // rnnlab's own keys only: user names (fields, parameters) and a figure's data are not listed.
                if depth < 1, ["value"].contains(key) { collect(value, depth: depth + 1) }
            }
        }
        for line in out.split(separator: "\n") {
            collect(try JSONSerialization.jsonObject(with: Data(line.utf8)), depth: 0)
        }
        #expect(keys.isSuperset(of: ["file", "line", "column", "value", "output", "shape", "data", "kind", "title", "fields", "summary", "parameters", "figure", "description"]), "\(keys)")
        for key in keys { #expect(table.contains("\"\(key)\""), "the README's table does not name \(key)") }
    }
}
