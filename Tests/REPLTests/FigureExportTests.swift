import Foundation
import Testing
import FigureSVG
import Figures
import Script
import Terminal
@testable import REPL
import TestSupport

/// Pictures in `:export`: SVG beside the text drawing in a notebook, linked .svg files beside a
/// markdown export — every kind of figure, an architecture sketch too.
@Suite struct FigureExportTests {
    let dir: URL

    init() throws { dir = try temporaryDirectory("figure-export") }

    func session() -> Session {
        Session(options: RenderOptions(width: 60, color: false), numbered: true, write: { _ in }, writeError: { _ in })
    }

    /// `![alt](target)` links of a markdown text, percent-decoded.
    func links(_ markdown: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: #"!\[(?:\\.|[^\]\\])*\]\(([^)]*)\)"#)
        let range = NSRange(markdown.startIndex..., in: markdown)
        return pattern.matches(in: markdown, range: range).compactMap { m in
            Range(m.range(at: 1), in: markdown).flatMap { String(markdown[$0]).removingPercentEncoding }
        }
    }

    @Test func everyMarkdownLinkResolvesToItsPicture() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = session()
        s.submit("print(\"two pictures\", spark([1, 3, 2]))\nheatmap([[1, -1], [0, 2]], title: \"W (signed)\")")
        s.submit("bars([1, 2], title: \"[counts]\")")
        s.submit("diagram(classifier(kind: \"rnn\", input: 3, hidden: 4, out: 2, seed: 0))")
        let path = dir.appendingPathComponent("my run (1).md").path
        #expect(s.submit(":export \"\(path)\"") == .success)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let found = links(text)
        #expect(found == ["my run (1)_files/fig1.svg", "my run (1)_files/fig2.svg", "my run (1)_files/fig3.svg", "my run (1)_files/fig4.svg"])
        #expect(text.contains("![W (signed)](my%20run%20%281%29_files/fig2.svg)"))
        #expect(text.contains("![\\[counts\\]](my%20run%20%281%29_files/fig3.svg)"))
        for link in found {
            let svg = try String(contentsOf: dir.appendingPathComponent(link), encoding: .utf8)
            #expect(svg.hasPrefix("<?xml") && svg.hasSuffix("</svg>\n"), "\(link)")
        }
        // The architecture sketch is drawn as SVG too, titled like the text drawing.
        #expect(text.contains("![classifier: many-to-one](my%20run%20%281%29_files/fig4.svg)"))
        #expect(try String(contentsOf: dir.appendingPathComponent(found[3]), encoding: .utf8).contains(">classifier: many-to-one</text>"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("my run (1)_files").path).sorted()
                == ["fig1.svg", "fig2.svg", "fig3.svg", "fig4.svg"])
    }

    @Test func aNotebookHasBothKindsOfEveryPicture() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = session()
        s.submit("print(plot([1, 2, 4], title: \"printed\"))")
        s.submit("heatmap([[0.1, 0.9]])")
        s.submit("diagram(classifier(kind: \"gru\", input: 3, hidden: 4, out: 2, seed: 0))")
        let path = dir.appendingPathComponent("n.ipynb").path
        #expect(s.submit(":export \(path)") == .success)
        let data = try #require(FileManager.default.contents(atPath: path))
        let notebook = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let cells = try #require(notebook["cells"] as? [[String: Any]])
        func output(_ k: Int) -> [String: Any]? { (cells[k]["outputs"] as? [[String: Any]])?.first }
        func payload(_ k: Int) -> [String: Any] { output(k)?["data"] as? [String: Any] ?? [:] }
        // A printed picture is display data; a shown one the cell's result.
        #expect(output(0)?["output_type"] as? String == "display_data")
        #expect(output(1)?["output_type"] as? String == "execute_result")
        for k in 0..<3 {
            #expect(Set(payload(k).keys) == ["text/plain", "image/svg+xml", "text/html"])
            let svg = (payload(k)["image/svg+xml"] as? [String])?.joined() ?? ""
            #expect(svg.hasPrefix("<?xml") && svg.hasSuffix("</svg>\n"))
            // The HTML is an image of exactly that SVG, which Jupyter shows in an untrusted notebook.
            let html = (payload(k)["text/html"] as? [String])?.joined() ?? ""
            let prefix = "src=\"data:image/svg+xml;base64,"
            let encoded = html.components(separatedBy: prefix).last?.components(separatedBy: "\"").first ?? ""
            #expect(html.hasPrefix("<img alt=\"") && html.contains(prefix) && html.hasSuffix("\"/>"))
            #expect(Data(base64Encoded: encoded).map { String(decoding: $0, as: UTF8.self) } == svg)
            #expect(((payload(k)["text/plain"] as? [String])?.joined() ?? "").contains("\n"))
        }
        #expect(((payload(0)["image/svg+xml"] as? [String])?.joined() ?? "").contains(">printed</text>"))
        #expect(((payload(2)["image/svg+xml"] as? [String])?.joined() ?? "").contains(">classifier: many-to-one</text>"))
        #expect(((payload(0)["text/html"] as? [String])?.joined() ?? "").hasPrefix("<img alt=\"printed\" "))
        // The same session exports the same bytes.
        let again = dir.appendingPathComponent("n2.ipynb").path
        #expect(s.submit(":export \(again)") == .success)
        #expect(FileManager.default.contents(atPath: again) == data)
    }

    @Test func aFileWhereThePicturesGoStopsTheExport() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        var err = ""
        let s = Session(options: RenderOptions(width: 60, color: false), numbered: true, write: { _ in }, writeError: { err += $0 })
        s.submit("spark([1, 2])")
        try "in the way".write(to: dir.appendingPathComponent("r_files"), atomically: true, encoding: .utf8)
        let path = dir.appendingPathComponent("r.md").path
        #expect(s.submit(":export \(path)") == .failure)
        #expect(ANSI.strip(err) == ":export: cannot write the pictures in \(dir.path)/r_files: it is a file, not a folder; nothing was exported\n")
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
