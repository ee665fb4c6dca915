import Engine
import ArgumentParser
import Foundation
import REPL
import Script
import Terminal
import Tutorial

/// `rnnlab check [lesson…] [--update]`: proves the lessons (see `LessonChecker`).
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check lessons: every cell's output, every error cell, every answer key.",
        discussion: """
            Runs each lesson in a fresh session and checks that every cell prints its recorded output (numbers within 1e-6 relative), that every `rnn error` cell fails, that every answer key passes its own question, and that no expression question is answered by the state before it. Prints one line per lesson and a diff for each mismatch; the exit status is 1 on any.

            Lessons are the NN-id.md files of the bundled lessons (Lessons/ of the rnnlab repository the executable was built in, or of $RNNLAB_HOME), or of --lessons DIR — never of the current directory. Name lessons by number (1), id (sequences) or file. Lesson code runs in a sandbox: it reads only its own folder and Datasets/, writes only its scratch folder, and answer keys write nothing.
            """)

    @Argument(help: "Lessons to check (number, id, NN-id or a .md path); all when none.")
    var lessons: [String] = []

    @Flag(help: "Re-record every cell's output into its ```output fence (nothing else in the file changes).")
    var update = false

    @Option(name: .customLong("lessons"), help: ArgumentHelp("Lessons from DIR instead of the bundled ones.", valueName: "DIR"))
    var directory: String?

    func run() throws {
        guard let files = try Check.lessonFiles(lessons, directory: directory) else { return }
        var failed = 0
        for file in files {
            let (shown, stem) = Check.names(file)
            let lesson: Lesson
            do { lesson = try LessonLibrary.load(file, displayName: shown) } catch {
                Streams.out("\(stem)  FAILED\n  \(ControlCharacters.escaped("\(error)"))\n")
                failed += 1
                continue
            }
            var report = Check.check(lesson)
            if update, !report.recorded.isEmpty, let text = try? String(contentsOf: file, encoding: .utf8) {
                let updated = OutputRecorder.update(text, with: report.recorded)
                if updated != text {
                    do { try updated.write(to: file, atomically: true, encoding: .utf8) } catch {
                        Streams.err("rnnlab: cannot write \(ControlCharacters.escaped(shown)): \(ControlCharacters.escaped(error.localizedDescription))\n")
                        throw ExitCode(1)
                    }
                }
                let outputs = report.mismatches.filter { $0.kind == .output }.count
                report.mismatches.removeAll { $0.kind == .output }
                if outputs > 0 { Streams.out("\(stem)  re-recorded \(outputs) output\(outputs == 1 ? "" : "s")\n") }
            }
            Check.printReport(report, stem: stem, shown: shown)
            if !report.passed { failed += 1 }
        }
        fflush(nil)
        if failed > 0 { throw ExitCode(1) }
    }

    /// The lesson files `selectors` name in the bundled lessons or `--lessons DIR`, in order;
    /// nil (after saying so) when there are none. Shared by `check` and `book`.
    static func lessonFiles(_ selectors: [String], directory: String?) throws -> [URL]? {
        guard let source = LessonSource.resolve(directory) else {
            Streams.err("rnnlab: \(LessonSource.missing(directory))\n")
            throw ExitCode(1)
        }
        let dir = source.directory
        if let notice = source.notice { Streams.out(notice + "\n") }
        let shownDir = ControlCharacters.escaped(dir.path)
        let all: [URL]
        do { all = try LessonLibrary.files(in: dir) } catch {
            Streams.err("rnnlab: cannot list \(shownDir): \(ControlCharacters.escaped(error.localizedDescription))\n")
            throw ExitCode(1)
        }
        let (files, unknown) = LessonLibrary.select(selectors, from: all)
        if !unknown.isEmpty {
            Streams.err("rnnlab: no lesson \(ControlCharacters.escaped(unknown.joined(separator: ", "))) in \(shownDir)\n")
            throw ExitCode(1)
        }
        if files.isEmpty { Streams.out("no lessons in \(shownDir)\n"); return nil }
        return files
    }

    /// A lesson file's name as messages show it (relative to the current directory when inside
    /// it) and its stem (`04-bptt`).
    static func names(_ file: URL) -> (shown: String, stem: String) {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        let shown = file.path.hasPrefix(cwd) ? String(file.path.dropFirst(cwd.count)) : file.path
        return (shown, file.deletingPathExtension().lastPathComponent)
    }

    /// Runs and proves one lesson: the REPL's printer with colour off and a fixed width, so
    /// recorded outputs do not depend on the terminal check runs in. `check` and `book` both
    /// run lessons through here.
    static func check(_ lesson: Lesson) -> CheckReport {
        let printer = ValuePrinter(options: RenderOptions(width: 80, color: false))
        return LessonChecker.check(lesson, render: { printer.render($0) })
    }

    /// The lesson's line (`04-bptt  12 cells  8 questions  ~18 min  3.1 s  ok`) and each mismatch.
    static func printReport(_ report: CheckReport, stem: String, shown: String) {
        let status = report.passed ? "ok" : "FAILED (\(report.mismatches.count) mismatch\(report.mismatches.count == 1 ? "" : "es"))"
        let exercises = report.exercises == 0 ? "" : "  \(report.exercises) exercise\(report.exercises == 1 ? "" : "s")"
        Streams.out("\(stem)  \(report.cells) cells  \(report.questions) questions\(exercises)  ~\(Int(report.estimatedMinutes.rounded())) min  \(String(format: "%.1f", report.seconds)) s  \(status)\n")
        for m in report.mismatches {
            // Messages and diffs quote lesson text and cell output: escaped, as on every path out.
            Streams.out("  \(ControlCharacters.escaped(shown)):\(m.line): \(ControlCharacters.escaped(m.message))\n")
            if let diff = m.diff {
                Streams.out(ControlCharacters.escaped(diff).split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n") + "\n")
            }
        }
    }
}
