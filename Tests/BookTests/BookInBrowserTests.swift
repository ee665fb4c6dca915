#if canImport(Glibc)
import Book
import Foundation
import Glibc
import TestSupport
import Tutorial
import XCTest

/// The book as a reader meets it: written to a folder, opened from the disk (file://) in a real
/// headless Chromium, laid out at a desktop's and a phone's width, its questions answered by mouse
/// and keyboard. Screenshots are left in `.build/browser-artifacts/` to look at.
///
/// Chromium is one of the packages `make test-deps` (so `make test`) installs; without it this test fails and
/// says so, unless `RNNLAB_SKIP_BROWSER=1` is set.
final class BookInBrowserTests: XCTestCase {
    /// Where the screenshots go: `.build/browser-artifacts/` of this package (not committed).
    static let artifacts = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/browser-artifacts")

    static let desktop = (width: 1280, height: 900), phone = (width: 412, height: 915)

    /// The browser to run, or a skip (RNNLAB_SKIP_BROWSER=1), or a failure saying how to install it.
    func browserExecutable() throws -> String {
        if ProcessInfo.processInfo.environment["RNNLAB_SKIP_BROWSER"] == "1" {
            throw XCTSkip("RNNLAB_SKIP_BROWSER=1: the book is not tried in a browser")
        }
        guard let path = Chromium.executable() else {
            let chosen = ProcessInfo.processInfo.environment["CHROMIUM"].map { " (CHROMIUM=\($0) is not a program)" } ?? ""
            throw Chromium.Failure(description: "Chromium is not installed\(chosen), so the book cannot be tried in a browser: `make test-deps` installs it (Debian's package chromium), or set RNNLAB_SKIP_BROWSER=1 to skip this test")
        }
        return path
    }

    func testTheBookReadsAndGradesInABrowser() throws {
        let executable = try browserExecutable()
        let started = Date()
        let (lesson, report) = try BookFixture.checked()
        let site = BookSite.make([(lesson, report.runs)])
        let dir = try temporaryDirectory("book-browser")
        defer { try? FileManager.default.removeItem(at: dir) }
        try site.write(to: dir)
        for file in site.files where file.name.hasSuffix(".html") {
            let page = PageReader.read(file.contents)
            XCTAssertNil(page.error, "\(file.name) is not well-formed XML: \(page.error ?? "")")
        }
        // One figure on the page for each figure the lesson's cells drew.
        let drawn = report.runs.flatMap(\.run.pieces).filter { if case .figure = $0 { return true } else { return false } }.count
        XCTAssertGreaterThan(drawn, 0, "the fixture must draw a figure")

        let browser = try Chromium(executable: executable)
        let pid = browser.pid
        do {
            defer { browser.close() }
            let page = try BrowserPage(browser)
            try page.setViewport(width: Self.desktop.width, height: Self.desktop.height, mobile: false)

            // The index lists the lesson; its link leads there.
            try page.open(dir.appendingPathComponent("index.html"))
            XCTAssertEqual(browser.takeProblems(), [], "index.html")
            let links = try page.evaluate("Array.from(document.querySelectorAll('a')).map(a => [a.getAttribute('href'), a.textContent])") as? [[String]]
            XCTAssertEqual(links, [["01-tiny.html", "1. A <tiny> & \"small\" lesson"]])
            try page.screenshot(to: Self.artifacts.appendingPathComponent("index-desktop.png"))
            try page.follow("a[href='01-tiny.html']")
            XCTAssertEqual((try page.evaluate("location.pathname") as? String).map { URL(fileURLWithPath: $0).lastPathComponent }, "01-tiny.html")
            XCTAssertEqual(try page.evaluate("document.title") as? String, "1. A <tiny> & \"small\" lesson — rnnlab")
            XCTAssertEqual(browser.takeProblems(), [], "01-tiny.html")
            // book.js ran: it set up both graded questions (a verdict is empty until a try).
            XCTAssertEqual(try page.evaluate("document.querySelectorAll('section.question.graded button.check').length") as? Int, 2)

            // Desktop: every figure has a box; then a phone: the same, and nothing wider than the screen.
            try checkFigures(page, expected: drawn, width: "desktop")
            try page.screenshot(to: Self.artifacts.appendingPathComponent("lesson-desktop.png"))
            try page.setViewport(width: Self.phone.width, height: Self.phone.height, mobile: true)
            try checkFigures(page, expected: drawn, width: "phone")
            // (A phone zooms out to show a page wider than its screen, so the window grows too.)
            let widths = try page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]") as? [Int]
            XCTAssertEqual(widths, [Self.phone.width, Self.phone.width], "the page is wider than a phone's screen (page width, window width)")
            try page.screenshot(to: Self.artifacts.appendingPathComponent("lesson-phone.png"))

            // The choice question (key a, c; listed wrong answers "a" and "a, b, c"), ticked with the mouse.
            XCTAssertEqual(try verdict(page, "q1"), ["", "verdict"], "no verdict before a try")
            try tick(page, "q1", [0])
            try page.click("#q1 button.check")
            XCTAssertEqual(try verdict(page, "q1"), ["Not quite: right so far, but more than one choice is correct.", "verdict wrong"])
            XCTAssertEqual(try shown(page, "#q1 .hint"), [true], "the first hint follows the first wrong try")
            XCTAssertEqual(try shown(page, "#q1 .explanation"), [false])
            try tick(page, "q1", [0, 1, 2])
            try page.click("#q1 button.check")
            XCTAssertEqual(try verdict(page, "q1"), ["Not quite: not that combination.", "verdict wrong"])
            XCTAssertEqual(try shown(page, "#q1 .reveal"), [false], "the answer waits for the third wrong try")
            try tick(page, "q1", [0, 2])
            try page.click("#q1 button.check")
            XCTAssertEqual(try verdict(page, "q1"), ["Right.", "verdict right"])
            XCTAssertEqual(try shown(page, "#q1 .explanation"), [true])

            // The numeric question (key 0.5; listed wrong answers 0.25, -0.5, 50), typed, sent by
            // the button and by the Enter key.
            try page.click("#q2 input[type=text]")
            try page.type("0.25")
            try page.click("#q2 button.check")
            XCTAssertEqual(try verdict(page, "q2"), ["Not quite: 0.25 is too low.", "verdict wrong"])
            try page.click("#q2 input[type=text]")
            try page.type("-0.5")
            try page.press("Enter")
            XCTAssertEqual(try verdict(page, "q2"), ["Not quite: -0.5 has the right size but the wrong sign.", "verdict wrong"])
            try page.click("#q2 input[type=text]")
            try page.type("0.5")
            try page.click("#q2 button.check")
            XCTAssertEqual(try verdict(page, "q2"), ["Right.", "verdict right"])
            try page.screenshot(to: Self.artifacts.appendingPathComponent("lesson-phone-answered.png"))

            // Answering raised no error either.
            XCTAssertEqual(browser.takeProblems(), [], "while answering")
        }
        XCTAssertEqual(kill(pid, 0), -1, "the browser was reaped")
        let seconds = Date().timeIntervalSince(started)
        print("BookInBrowserTests: the book in Chromium took \(String(format: "%.1f", seconds)) s; screenshots in \(Self.artifacts.path)")
        XCTAssertLessThan(seconds, 60)
    }

    /// The driver itself hears what goes wrong in a page, fails clearly, and leaves no browser:
    /// without this, "no console errors" above could pass with a deaf driver.
    func testTheDriverHearsPageErrorsAndFailsClearly() throws {
        let executable = try browserExecutable()
        let dir = try temporaryDirectory("browser-driver")
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = dir.appendingPathComponent("broken.html")
        try Data("""
            <!DOCTYPE html><html><head><title>broken</title>
            <script>console.error("probe one");</script>
            <script>throw new Error("probe two");</script>
            <script src="missing.js"></script>
            </head><body><p hidden="hidden" id="hidden">hidden</p></body></html>
            """.utf8).write(to: html)
        let browser = try Chromium(executable: executable)
        let pid = browser.pid
        do {
            defer { browser.close() }
            let page = try BrowserPage(browser)
            try page.open(html)
            let problems = browser.takeProblems()
            XCTAssertTrue(problems.contains { $0.hasPrefix("console.error: probe one") }, "\(problems)")
            XCTAssertTrue(problems.contains { $0.hasPrefix("uncaught exception: Error: probe two") }, "\(problems)")
            XCTAssertTrue(problems.contains { $0.hasPrefix("log error:") && $0.contains("missing.js") }, "\(problems)")
            XCTAssertEqual(browser.takeProblems(), [], "taken once")

            XCTAssertThrowsError(try page.evaluate("(() => { throw new Error('boom') })()")) { error in
                XCTAssertTrue("\(error)".contains("Error: boom"), "\(error)")
            }
            XCTAssertThrowsError(try page.click("#nothing")) { error in
                XCTAssertTrue("\(error)".contains("cannot click #nothing: no element matches"), "\(error)")
            }
            XCTAssertThrowsError(try page.click("#hidden")) { error in
                XCTAssertTrue("\(error)".contains("not shown"), "\(error)")
            }
            let start = Date()
            XCTAssertThrowsError(try browser.waitForEvent("Never.sent", after: browser.events.count, timeout: 0.5)) { error in
                XCTAssertTrue("\(error)".hasPrefix("timed out waiting for the event Never.sent for 0.5 s"), "\(error)")
            }
            XCTAssertLessThan(Date().timeIntervalSince(start), 5)
            XCTAssertThrowsError(try browser.send("No.suchMethod")) { error in
                XCTAssertTrue("\(error)".hasPrefix("No.suchMethod failed:"), "\(error)")
            }
        }
        XCTAssertEqual(kill(pid, 0), -1, "the browser was reaped")
        XCTAssertThrowsError(try browser.send("Browser.getVersion")) { error in
            XCTAssertEqual("\(error)", "Browser.getVersion: the browser is closed")
        }
    }

    // MARK: Helpers

    /// Every figure element — `.figure` (a text drawing or a container) and any `<svg>` in a figure
    /// or a cell's outputs — has a non-empty box, and there is at least one per figure drawn.
    func checkFigures(_ page: BrowserPage, expected: Int, width: String) throws {
        let found = try page.evaluate("""
            (() => {
              const all = Array.from(document.querySelectorAll('.figure, .figure svg, .outputs svg'))
                .filter(e => !e.closest('[hidden], details:not([open])'));
              const outermost = all.filter(e => !all.some(o => o !== e && o.contains(e)));
              return [outermost.length].concat(all.map(e => {
                const r = e.getBoundingClientRect();
                return [e.tagName.toLowerCase() + (e.getAttribute('class') ? '.' + e.getAttribute('class') : ''), r.width, r.height];
              }));
            })()
            """) as? [Any] ?? []
        let count = found.first as? Int ?? -1
        XCTAssertGreaterThanOrEqual(count, expected, "figures on the page (\(width)): \(found)")
        for box in found.dropFirst() {
            let b = box as? [Any] ?? []
            let w = Chromium.number(b.count > 1 ? b[1] : nil) ?? 0, h = Chromium.number(b.count > 2 ? b[2] : nil) ?? 0
            XCTAssertTrue(w > 0 && h > 0, "\(b.first ?? "?") has an empty box (\(w) × \(h)) at the \(width)'s width")
        }
    }

    /// Ticks exactly the choices `wanted` (0 = a) of a choice question, clicking each box that differs.
    func tick(_ page: BrowserPage, _ question: String, _ wanted: [Int]) throws {
        let count = try page.evaluate("document.querySelectorAll('#\(question) input[type=checkbox]').length") as? Int ?? 0
        XCTAssertGreaterThan(count, 0)
        for k in 0..<count {
            let selector = "#\(question) input[type=checkbox][value='\(k)']"
            let checked = try page.evaluate("document.querySelector(\(try page.jsString(selector))).checked") as? Bool
            if checked != wanted.contains(k) { try page.click(selector) }
            XCTAssertEqual(try page.evaluate("document.querySelector(\(try page.jsString(selector))).checked") as? Bool, wanted.contains(k), selector)
        }
    }

    /// A graded question's verdict: its text and its class.
    func verdict(_ page: BrowserPage, _ question: String) throws -> [String] {
        try page.evaluate("(() => { const v = document.querySelector('#\(question) .verdict'); return [v.textContent, v.className]; })()") as? [String] ?? []
    }

    /// Whether each element matching `selector` is shown (a non-empty box).
    func shown(_ page: BrowserPage, _ selector: String) throws -> [Bool] {
        try page.evaluate("Array.from(document.querySelectorAll(\(try page.jsString(selector)))).map(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; })") as? [Bool] ?? []
    }
}
#endif
