import Foundation
@testable import REPL
import Script
import Testing

/// `--format json` of an architecture sketch: a figure of kind "architecture" carrying the model's
/// architecture and sizes, which decode back to the same figure.
@Suite struct ArchitectureSketchJSONTests {
    @Test func aSketchIsWellFormedJSONWithTheModelsSizes() throws {
        let (values, error) = Interpreter().run("diagram(seq2seq(source_vocab: 13, target_vocab: 14, embed: 16, hidden: 64, bidirectional: true))")
        #expect(error == nil)
        let text = ValueJSON.encode(try #require(values.last?.value))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["kind"] as? String == "figure")
        let figure = try #require(object["figure"] as? [String: Any])
        #expect(figure["kind"] as? String == "architecture")
        #expect(figure["title"] as? String == "seq2seq: encoder–decoder")
        let sketch = try #require(figure["sketch"] as? [String: Any])
        #expect(sketch["architecture"] as? String == "encoderDecoder")
        #expect(sketch["vocabulary"] as? Int == 13 && sketch["outputSize"] as? Int == 14)
        let rnn = try #require(sketch["rnn"] as? [String: Any]), decoder = try #require(sketch["decoder"] as? [String: Any])
        #expect(rnn["hiddenSize"] as? Int == 64 && rnn["bidirectional"] as? Bool == true && decoder["hiddenSize"] as? Int == 128)
    }
}
