import ArgumentParser
import Book
import Engine
import Foundation
import Script
import Tutorial

/// `rnnlab book OUT_DIR`: the lessons as a static web book, each lesson run and proved exactly as
/// `rnnlab check` runs it (`Check.check`), its outputs taken from that run.
struct BookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "book",
        abstract: "Write the lessons as a static web book (HTML) into OUT_DIR.",
        discussion: """
            Runs every lesson as `rnnlab check` does and, when all pass, writes OUT_DIR/index.html (every lesson with its minutes and objectives), one page per lesson (NN-id.html: the prose, each cell's code and what it printed, the questions — choice and numeric ones answerable in the page — and the recap), book.css and book.js. The pages fetch nothing from elsewhere and open straight from the disk. The same lessons give the same files, byte for byte.

            OUT_DIR is made when missing; files of the same names in it are replaced. When a lesson fails its check nothing is written.
            """)

    @Argument(help: ArgumentHelp("The folder to write the book into.", valueName: "OUT_DIR"))
    var output: String

    @Option(name: .customLong("lessons"), help: ArgumentHelp("Lessons from DIR instead of the bundled ones.", valueName: "DIR"))
    var directory: String?

    func run() throws {
        let folder = FileAccessPolicy.plainURL(output)
        let shownFolder = ControlCharacters.escaped(output)
        // Refused before minutes of running lessons, not after.
        let made: [String]
        do { made = try BookSite.prepare(folder) } catch {
            Streams.err("rnnlab: cannot write the book into \(shownFolder): \(ControlCharacters.escaped(error.message))\n")
            throw ExitCode(1)
        }
        guard let files = try Check.lessonFiles([], directory: directory) else { return }
        var checked: [BookSite.Checked] = []
        var failures: [String] = []
        let start = Date()
        for file in files {
            let (shown, stem) = Check.names(file)
            let lesson: Lesson
            do { lesson = try LessonLibrary.load(file, displayName: shown) } catch {
                Streams.out("\(stem)  FAILED\n  \(ControlCharacters.escaped("\(error)"))\n")
                failures.append(stem)
                continue
            }
            let report = Check.check(lesson)
            Check.printReport(report, stem: stem, shown: shown)
            if report.passed { checked.append((lesson, report.runs)) } else { failures.append(stem) }
        }
        fflush(nil)
        if !failures.isEmpty {
            BookSite.removeFolders(made)
            let which = failures.count == 1 ? "lesson \(failures[0]) fails" : "lessons \(failures.joined(separator: ", ")) fail"
            Streams.err("rnnlab: the book was not written: \(which) its check (above); nothing was written to \(shownFolder)\n")
            throw ExitCode(1)
        }
        let site = BookSite.make(checked)
        do {
            let written = try site.write(to: folder)
            let bytes = site.files.reduce(0) { $0 + $1.contents.utf8.count }
            Streams.out("wrote \(written.count) files (\(bytes / 1024) KB) to \(shownFolder) in \(String(format: "%.1f", Date().timeIntervalSince(start))) s: open \(ControlCharacters.escaped(folder.appendingPathComponent("index.html").path))\n")
        } catch {
            let done = error.written.isEmpty ? "nothing was written" : "written before it: \(error.written.joined(separator: ", ")) (the book is incomplete, index.html not written)"
            Streams.err("rnnlab: \(ControlCharacters.escaped(error.message)); \(ControlCharacters.escaped(done))\n")
            throw ExitCode(1)
        }
    }
}
