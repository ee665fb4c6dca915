import Foundation
@testable import REPL
import Script
import Testing

/// `--format json` of a diagram: a figure whose data names its kind and carries the cell.
@Suite struct DiagramJSONTests {
    @Test func aDiagramIsWellFormedJSONWithItsKind() throws {
        let (values, error) = Interpreter().run("diagram(lstm(input: 3, hidden: 4, layers: 2))")
        #expect(error == nil)
        let text = ValueJSON.encode(try #require(values.last?.value))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["kind"] as? String == "figure")
        let figure = try #require(object["figure"] as? [String: Any])
        #expect(figure["kind"] as? String == "diagram")
        #expect(figure["title"] as? String == "lstm cell")
        let cell = try #require(figure["diagram"] as? [String: Any])
        #expect(cell["cell"] as? String == "lstm")
        #expect(cell["inputSize"] as? Int == 3 && cell["hiddenSize"] as? Int == 4 && cell["layers"] as? Int == 2)
    }
}
