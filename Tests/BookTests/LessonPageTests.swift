import Book
import Terminal
import Foundation
import TestSupport
import Tutorial
import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Every element of a page, with its attributes, as XMLParser reads it — which it only does for
/// well-formed XML.
final class PageReader: NSObject, XMLParserDelegate {
    struct Element { var name: String; var attributes: [String: String]; var text = "" }
    var elements: [Element] = []
    var open: [Int] = []
    var error: String?

    static func read(_ html: String) -> PageReader {
        let reader = PageReader()
        let parser = XMLParser(data: Data(html.utf8))
        parser.delegate = reader
        if !parser.parse() {
            reader.error = "line \(parser.lineNumber), column \(parser.columnNumber): \(parser.parserError.map { "\($0)" } ?? "unknown error")"
        }
        return reader
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        open.append(elements.count)
        elements.append(Element(name: name, attributes: attributes))
    }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) { open.removeLast() }
    func parser(_ parser: XMLParser, foundCharacters string: String) {
        for k in open { elements[k].text += string }
    }

    func all(_ name: String, class wanted: String? = nil) -> [Element] {
        elements.filter { e in
            e.name == name && (wanted.map { (e.attributes["class"] ?? "").split(separator: " ").contains(Substring($0)) } ?? true)
        }
    }
}

final class LessonPageTests: XCTestCase {
    func testTheLessonRunsCleanlyAsTheBookRunsIt() throws {
        let (_, report) = try BookFixture.checked()
        XCTAssertEqual(report.mismatches.filter { $0.kind != .shape }.map(\.description), [])
        XCTAssertEqual(report.runs.count, 3, "two code cells and the error cell")
    }

    func testAPageIsWellFormedAndHasEveryPart() throws {
        let (html, _) = try BookFixture.page()
        let page = PageReader.read(html)
        XCTAssertNil(page.error, page.error ?? "")
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\""))
        XCTAssertEqual(page.all("title").first?.text, "1. A <tiny> & \"small\" lesson — rnnlab")
        XCTAssertEqual(page.all("h1").first?.text, "A <tiny> & \"small\" lesson")
        // The minutes and objectives come right under the lesson's title.
        let h1 = page.elements.firstIndex { $0.name == "h1" }, header = page.elements.firstIndex { $0.name == "header" }
        XCTAssertEqual(h1.map { $0 + 1 }, header)
        XCTAssertEqual(page.all("p", class: "kicker").first?.text, "Lesson 1 · about 3 minutes")
        XCTAssertEqual(page.all("div", class: "figure").first?.attributes["aria-label"], "bars")
        XCTAssertEqual(page.all("link").first?.attributes["href"], "book.css")
        XCTAssertEqual(page.all("script").first?.attributes["src"], "book.js")
        // Prose: emphasis, code spans, maths in Unicode as on the terminal, the list, the table.
        XCTAssertEqual(page.all("em").map(\.text), ["prose"])
        XCTAssertEqual(page.all("strong").first?.text, "bold")
        let maths = ProseRun.runs(#"$h_t = \tanh(W h_{t-1})$"#).map(\.text).joined()
        XCTAssertTrue(maths.contains("tanh") && !maths.contains("$") && !maths.contains("\\"), maths)
        XCTAssertTrue(page.all("p").contains { $0.text.contains(maths) }, "maths as the terminal writes it")
        XCTAssertEqual(page.all("li").filter { $0.text.contains("one item") }.first?.text, "one item with x < y")
        XCTAssertEqual(page.all("th").map(\.text), ["a", "b & c"])
        XCTAssertEqual(page.all("td").map(\.text), ["<i>1</i>", "\"2\""])
        XCTAssertEqual(page.all("th").last?.attributes["class"], "right")
        XCTAssertTrue(page.all("h2").contains { $0.text == "Recap" })
        // Cells: code, then output as printed; the figure through BookFigure; the error cell's message.
        let code = page.all("pre", class: "code").map(\.text)
        XCTAssertTrue(code.contains("x = [1, 2]\nprint(\"<b>bold</b> & \\\"quoted\\\" 'single'\")\nx"))
        let outputs = page.all("pre", class: "output").map(\.text)
        XCTAssertTrue(outputs.first?.hasPrefix("<b>bold</b> & \"quoted\" 'single'\n") == true, "\(outputs)")
        XCTAssertTrue(outputs.contains { $0.contains("matmul") && $0.contains("(2,)") }, "\(outputs)")
        XCTAssertEqual(page.all("pre", class: "failure").count, 1)
        XCTAssertEqual(page.all("div", class: "error").count, 1)
        // The bars are drawn as SVG in the page, with the terminal's drawing kept behind a control.
        let figures = page.all("div", class: "figure")
        XCTAssertEqual(figures.count, 1)
        XCTAssertEqual(page.all("svg").count, 1)
        XCTAssertTrue(page.all("text").contains { $0.text.contains("b&c") }, "the bar's label as SVG text")
        XCTAssertEqual(page.all("pre", class: "figure").count, 0)
        let drawing = page.all("pre", class: "drawing")
        XCTAssertEqual(drawing.count, 1)
        XCTAssertTrue(drawing.first?.text.contains("b&c") == true, drawing.first?.text ?? "")
        // Questions: two graded in the page, the expression's key and the reflection's model behind details.
        XCTAssertEqual(page.all("section", class: "graded").count, 2)
        XCTAssertEqual(page.all("input").filter { $0.attributes["type"] == "checkbox" }.count, 3)
        let details = page.all("details", class: "answer")
        XCTAssertEqual(details.count, 2)
        XCTAssertEqual(page.all("summary").map(\.text), ["drawn as text", "hints", "show answer", "compare with a model answer"])
        XCTAssertTrue(details[0].text.contains("2 * x"))
        XCTAssertTrue(details[1].text.contains("It carries what came before & so \"remembers\"."))
        XCTAssertTrue(page.all("section", class: "reflection").first?.text.contains("Why would a <b>state</b> help?") == true)
    }

    func testHostileTextNeverBecomesMarkup() throws {
        let (html, _) = try BookFixture.page()
        let page = PageReader.read(html)
        XCTAssertNil(page.error)
        // No element the lesson's text names: only the book's own.
        let names = Set(page.elements.map(\.name))
        for hostile in ["b", "i", "not", "linear", "tiny"] {
            XCTAssertFalse(names.contains(hostile), "<\(hostile)> became an element")
        }
        XCTAssertEqual(page.all("script").count, 1)
        XCTAssertEqual(page.all("a").map { $0.attributes["href"] ?? "" }, ["index.html", "index.html"], "only the book's own links")
        XCTAssertEqual(page.all("script").first?.attributes["src"], "book.js")
        XCTAssertTrue(html.contains("&lt;script&gt;alert(\"x\") &amp; 'y'&lt;/script&gt;"))
        XCTAssertTrue(html.contains("a &lt; b &amp;&amp; c &gt; d"))
        XCTAssertFalse(html.contains("<script>alert"))
        XCTAssertFalse(html.contains("<b>bold</b>"))
    }

    func testQuestionDataLetThePageGrade() throws {
        let (html, _) = try BookFixture.page()
        let page = PageReader.read(html)
        let graded = page.all("section", class: "graded")
        let choice = try XCTUnwrap(graded.first { ($0.attributes["class"] ?? "").contains("choice") })
        XCTAssertEqual(choice.attributes["data-correct"], "0,2")
        XCTAssertEqual(choice.attributes["data-key"], "a, c")
        XCTAssertEqual(choice.attributes["data-wrong"], "[\"a\",\"a, b, c\"]")
        XCTAssertEqual(choice.attributes["data-tries"], "3")
        let numeric = try XCTUnwrap(graded.first { ($0.attributes["class"] ?? "").contains("numeric") })
        XCTAssertEqual(numeric.attributes["data-answer"].flatMap(Double.init), 0.5)
        XCTAssertEqual(numeric.attributes["data-tolerance"].flatMap(Double.init), 0.001)
        XCTAssertEqual(numeric.attributes["data-wrong"], "[\"0.25\",\"-0.5\",\"50\"]")
        // Hints and the explanation wait for a try.
        // (The expression question's hint is behind its own "hints" control instead.)
        XCTAssertEqual(page.all("div", class: "hint").map { $0.attributes["hidden"] }, ["hidden", nil])
        XCTAssertEqual(page.all("div", class: "explanation").first?.attributes["hidden"], "hidden")
    }

    /// The page's own script grades the lesson's key right and every listed wrong answer wrong,
    /// with the data the page carries (run by node when it is installed).
    func testThePageScriptGradesKeysRightAndWrongAnswersWrong() throws {
        guard let node = ["/usr/bin/node", "/usr/local/bin/node", "/usr/bin/nodejs"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("node is not installed")
        }
        let (html, _) = try BookFixture.page()
        let page = PageReader.read(html)
        var cases: [[String: Any]] = []
        for q in page.all("section", class: "graded") {
            let a = q.attributes
            let wrong = try JSONSerialization.jsonObject(with: Data((a["data-wrong"] ?? "[]").utf8)) as? [String] ?? []
            if (a["class"] ?? "").contains("choice") {
                let correct = (a["data-correct"] ?? "").split(separator: ",").compactMap { Int($0) }
                let count = page.all("input").filter { $0.attributes["name"] == a["id"] }.count
                cases.append(["data": ["kind": "choice", "correct": correct, "count": count], "key": a["data-key"] ?? "", "wrong": wrong])
            } else {
                cases.append(["data": ["kind": "numeric", "answer": Double(a["data-answer"] ?? "") ?? .nan, "tolerance": Double(a["data-tolerance"] ?? "") ?? .nan],
                              "key": a["data-answer"] ?? "", "wrong": wrong])
            }
        }
        XCTAssertEqual(cases.count, 2)
        let dir = try temporaryDirectory("book-js")
        try Data(BookAssets.javaScript.utf8).write(to: dir.appendingPathComponent("book.js"))
        let json = String(data: try JSONSerialization.data(withJSONObject: cases, options: [.sortedKeys]), encoding: .utf8)!
        let driver = """
            const book = require("./book.js");
            const cases = \(json);
            for (const c of cases) {
              const key = book.judge(c.data, c.key);
              console.log("key " + c.key + ": " + (key.right ? "right" : "WRONG " + JSON.stringify(key)));
              for (const w of c.wrong) {
                const v = book.judge(c.data, w);
                console.log("wrong " + w + ": " + (v.right === false ? "refused (" + v.reason + ")" : "ACCEPTED " + JSON.stringify(v)));
              }
            }
            """
        try Data(driver.utf8).write(to: dir.appendingPathComponent("driver.js"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: node)
        process.arguments = ["driver.js"]
        process.currentDirectoryURL = dir
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let out = String(data: pipe.fileHandleForReading.readDataToEndOfFile(), encoding: .utf8) ?? ""
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, out)
        XCTAssertEqual(out, """
            key a, c: right
            wrong a: refused (right so far, but more than one choice is correct)
            wrong a, b, c: refused (not that combination)
            key 0.5: right
            wrong 0.25: refused (0.25 is too low)
            wrong -0.5: refused (-0.5 has the right size but the wrong sign)
            wrong 50: refused (50 is 100 times too large — check for a percentage or a slipped decimal point)

            """)
    }

    func testTheSameLessonGivesTheSameBytes() throws {
        let (a, _) = try BookFixture.page()
        let (b, _) = try BookFixture.page()
        XCTAssertEqual(a, b)
        let (lesson, report) = try BookFixture.checked()
        let one = BookSite.make([(lesson, report.runs)])
        let (lesson2, report2) = try BookFixture.checked()
        let two = BookSite.make([(lesson2, report2.runs)])
        XCTAssertEqual(one.files.map(\.name), ["book.css", "book.js", "01-tiny.html", "index.html"])
        XCTAssertEqual(one.files.map(\.contents), two.files.map(\.contents))
    }
}
