import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// An SVG document read back with Foundation's XML parser: proof that it is well-formed, and its
/// elements (name, attributes, text) for tests to look at.
struct ParsedSVG {
    struct Element {
        let name: String
        let attributes: [String: String]
        var text: String
    }

    let elements: [Element]

    /// Parses `document`; records an issue (and returns nil) when it is not well-formed XML.
    init?(_ document: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let collector = Collector()
        let parser = XMLParser(data: Data(document.utf8))
        parser.delegate = collector
        guard parser.parse(), collector.failure == nil else {
            Issue.record("not well-formed XML: \(collector.failure ?? parser.parserError.map { "\($0)" } ?? "?")", sourceLocation: sourceLocation)
            return nil
        }
        elements = collector.elements
    }

    func all(_ name: String) -> [Element] { elements.filter { $0.name == name } }

    /// The text of every `<text>` element, in order.
    var texts: [String] { all("text").map(\.text) }

    /// Attribute values that are not numbers or colours as they should be: `nan`/`inf` anywhere in
    /// an attribute is a broken coordinate.
    var nonFiniteAttributes: [String] {
        elements.flatMap { e in e.attributes.filter { $0.value.lowercased().contains("nan") || $0.value.lowercased().contains("inf") }.map { "\(e.name) \($0.key)=\($0.value)" } }
    }

    final class Collector: NSObject, XMLParserDelegate {
        var elements: [Element] = []
        var open: [Int] = []
        var failure: String?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            elements.append(Element(name: elementName, attributes: attributeDict, text: ""))
            open.append(elements.count - 1)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            _ = open.popLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let k = open.last { elements[k].text += string }
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
            failure = "\(parseError) at line \(parser.lineNumber), column \(parser.columnNumber)"
        }
    }
}

/// A document held to its golden file. `RNNLAB_UPDATE_GOLDENS=1 swift test …` rewrites the files
/// (open them in a browser and read the diff before committing them).
func expectGolden(_ document: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens").appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["RNNLAB_UPDATE_GOLDENS"] == "1" {
        try document.write(to: file, atomically: true, encoding: .utf8)
    }
    let golden = try String(contentsOf: file, encoding: .utf8)
    #expect(document == golden, "\(name) differs from its golden", sourceLocation: sourceLocation)
}
