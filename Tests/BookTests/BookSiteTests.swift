import Book
import Foundation
import TestSupport
import Tutorial
import XCTest

final class BookSiteTests: XCTestCase {
    func testEveryFileOfTheSiteIsWellFormedAndTheIndexListsTheLessons() throws {
        let (lesson, report) = try BookFixture.checked()
        var second = lesson
        second.meta.order = 2
        second.meta.id = "second"
        second.meta.title = "Second & last"
        let site = BookSite.make([(lesson, report.runs), (second, report.runs)])
        XCTAssertEqual(site.files.map(\.name), ["book.css", "book.js", "01-tiny.html", "02-second.html", "index.html"])
        for file in site.files where file.name.hasSuffix(".html") {
            let page = PageReader.read(file.contents)
            XCTAssertNil(page.error, "\(file.name): \(page.error ?? "")")
        }
        let index = PageReader.read(site.files.last!.contents)
        let links = index.all("a").map { $0.attributes["href"] ?? "" }
        XCTAssertEqual(links, ["01-tiny.html", "02-second.html"])
        XCTAssertEqual(index.all("h2").map(\.text), ["1. A <tiny> & \"small\" lesson", "2. Second & last"])
        XCTAssertEqual(index.all("p", class: "kicker").map(\.text), ["about 3 minutes", "about 3 minutes"])
        // Each page links to its neighbours.
        let first = PageReader.read(site.files[2].contents)
        XCTAssertEqual(first.all("a").filter { $0.attributes["rel"] == "next" }.first?.attributes["href"], "02-second.html")
        XCTAssertTrue(first.all("a").filter { $0.attributes["rel"] == "prev" }.isEmpty)
        // Nothing is fetched from elsewhere.
        for file in site.files {
            XCTAssertFalse(file.contents.contains("http://") && !file.contents.contains("http://www.w3.org/1999/xhtml"), file.name)
            XCTAssertFalse(file.contents.contains("https://"), file.name)
        }
        XCTAssertTrue(BookAssets.css.contains("prefers-color-scheme: dark"))
        XCTAssertTrue(BookAssets.css.contains("@media print"))
    }

    func testWritingAndRefusals() throws {
        let dir = try temporaryDirectory("book-site")
        let (lesson, report) = try BookFixture.checked()
        let site = BookSite.make([(lesson, report.runs)])
        let out = dir.appendingPathComponent("made/for/the book")
        XCTAssertEqual(try BookSite.prepare(out), ["made", "made/for", "made/for/the book"].map { dir.standardizedFileURL.appendingPathComponent($0).path })
        XCTAssertEqual(try BookSite.prepare(out), [], "nothing to make the second time")
        let written = try site.write(to: out)
        XCTAssertEqual(written, ["book.css", "book.js", "01-tiny.html", "index.html"])
        XCTAssertEqual(try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8), site.files.last?.contents)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted(), written.sorted(), "no probe file left")

        let spare = dir.appendingPathComponent("spare/folder")
        BookSite.removeFolders(try BookSite.prepare(spare))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("spare").path))

        let file = dir.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: file)
        XCTAssertThrowsError(try BookSite.prepare(file)) { error in
            XCTAssertEqual((error as? BookSite.WriteError)?.message, "\(file.path) is a file, not a folder")
        }
        XCTAssertThrowsError(try BookSite.prepare(file.appendingPathComponent("inside"))) { error in
            XCTAssertEqual((error as? BookSite.WriteError)?.message, "\(file.path) is a file, not a folder")
        }
        XCTAssertThrowsError(try BookSite.prepare(URL(fileURLWithPath: "/proc/rnnlab-book"))) { error in
            XCTAssertEqual((error as? BookSite.WriteError)?.message.hasPrefix("cannot make the folder /proc/rnnlab-book: "), true, "\(error)")
        }
        if getuid() != 0 {
            let locked = dir.appendingPathComponent("locked")
            try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: false)
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: locked.path)
            defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: locked.path) }
            XCTAssertThrowsError(try BookSite.prepare(locked)) { error in
                XCTAssertEqual((error as? BookSite.WriteError)?.message, "cannot write in \(locked.path): permission denied")
            }
        }
    }
}
