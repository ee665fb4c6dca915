import Foundation
@testable import REPL
import Script
import Terminal
import Testing
#if canImport(Glibc)
import Glibc
#endif
import TestSupport

/// Non-interactive runs (`rnnlab run`, `rnnlab -e`): Ctrl-C, long scripts.
@Suite("Script runs")
struct ScriptRunTests {
    /// `.build/debug/rnnlab`, found from this file's path (the tests build it first).
    static var debugBinary: URL? {
        let url = BuiltBinary.packageRoot.appendingPathComponent(".build/debug/rnnlab")
        return FileManager.default.isExecutableFile(atPath: url.path) ? url : BuiltBinary.rnnlab
    }

    static let longLoop = "i = 0\nwhile i < 100000000 { i = i + 1 }\nprint(\"finished\")\n"

    /// Starts `rnnlab ARGS`, sends SIGINT after half a second, and waits (at most `bound` seconds)
    /// for it to exit; returns its status and stderr, nil for a process still running at the bound.
    static func interrupt(_ arguments: [String], stdin: String = "", bound: Double = 20) throws -> (status: Int32, stdout: String, stderr: String)? {
        let binary = try #require(debugBinary, "build rnnlab first (swift build)")
        let (process, output, error) = try startProcess(binary, arguments, stdin: stdin)
        usleep(500_000)
        kill(process.processIdentifier, SIGINT)
        let deadline = Date().addingTimeInterval(bound)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, out, err)
    }

    @Test func ctrlCStopsAnExpressionGivenWithDashE() throws {
        let result = try #require(try Self.interrupt(["-e", Self.longLoop]), "rnnlab -e did not stop within 20 s of SIGINT")
        #expect(result.status == 130)
        #expect(!result.stdout.contains("finished"))
        #expect(result.stderr.contains("interrupted at <-e>:2"))
    }

    @Test func ctrlCStopsAScriptFromStdinTheSameWay() throws {
        let result = try #require(try Self.interrupt(["run", "-"], stdin: Self.longLoop), "rnnlab run - did not stop within 20 s of SIGINT")
        #expect(result.status == 130)
        #expect(!result.stdout.contains("finished"))
        #expect(result.stderr.contains("interrupted at <stdin>:2"))
    }

    @Test func ctrlCStopsAJSONRunToo() throws {
        let result = try #require(try Self.interrupt(["--format", "json", "-e", Self.longLoop]), "rnnlab -e --format json did not stop within 20 s of SIGINT")
        #expect(result.status == 130)
        #expect(result.stderr.contains("interrupted at <-e>:2"))
    }

    @Test func checkStopsACellAtTheLessonsLimitAndGoesOnToTheNextLesson() throws {
        let binary = try #require(Self.debugBinary, "build rnnlab first (swift build)")
        let root = try temporaryDirectory("limit")
        let lessons = root.appendingPathComponent("Lessons")
        try FileManager.default.createDirectory(at: lessons, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        func lesson(_ order: Int, _ id: String, _ extra: String, _ cell: String, _ output: String) -> String {
            lessonText(id: id, title: "T", order: order, extra: extra, body: "```rnn\n\(cell)\n```\n\n```output\n\(output)\n```\n")
        }
        try lesson(1, "spin", "cell_seconds: 1\n", "while true {}", "").write(to: lessons.appendingPathComponent("01-spin.md"), atomically: true, encoding: .utf8)
        try lesson(2, "fine", "", "1 + 1", "2").write(to: lessons.appendingPathComponent("02-fine.md"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = binary
        process.arguments = ["check", "--lessons", "Lessons"]
        process.currentDirectoryURL = root
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        let hung = process.isRunning
        if hung { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        #expect(!hung, "rnnlab check did not finish within 60 s")
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 1)
        #expect(text.contains("01-spin  1 cells  0 questions"))
        #expect(text.contains("  Lessons/01-spin.md:11: the cell ran longer than 1 s (the lesson's limit)\n"))
        #expect(text.contains("02-fine  1 cells  0 questions"))
        #expect(text.contains(" ok\n"))
    }

    /// A long generated script: every statement runs, and the error on its last line carries the
    /// file's line number and that line under the caret.
    static func longScript(lines: Int) -> String {
        (1..<lines).map { "x\($0 % 7) = \($0) + 1\n" }.joined() + "y = no_such_name + x3\n"
    }

    @Test func aTwentyThousandLineScriptReportsItsLastLine() {
        var out = "", err = ""
        let status = Runner.run(source: Self.longScript(lines: 20_000), file: "long.rnn", format: .text,
                                options: RenderOptions(width: 80, color: false), write: { out += $0 }, writeError: { err += $0 })
        #expect(status == 1)
        #expect(err.hasPrefix("long.rnn:20000:5: "))
        #expect(err.contains("\ny = no_such_name + x3\n    ^"))
    }

    @Test func aLongScriptInJSONReportsItsLastLine() {
        var err = ""
        let status = Runner.run(source: Self.longScript(lines: 5_000) , file: "long.rnn", format: .json,
                                options: RenderOptions(width: 80, color: false), write: { _ in }, writeError: { err += $0 })
        #expect(status == 1)
        #expect(err.hasPrefix("long.rnn:5000:5: "))
        #expect(err.contains("\ny = no_such_name + x3\n    ^"))
    }

    @Test func statementsOfAScriptAreNotPaddedWithTheLinesBeforeThem() {
        // Each statement is run as its own text, starting at its line: what the interpreter is
        // given adds up to the script, not to the square of its length.
        let fake = FakeLineRecorder()
        let session = Session(options: RenderOptions(width: 80, color: false), numbered: false,
                              write: { _ in }, writeError: { _ in }) { _ in fake }
        let script = (1...2000).map { "v\($0) = \($0)\n" }.joined()
        #expect(session.runScript(script, file: "s.rnn") == .success)
        #expect(fake.runs.count == 2000)
        #expect(fake.runs.last?.firstLine == 2000)
        #expect(fake.characters < script.count + 100)
    }

    @Test func transcriptJoinsPiecesOfOutputAsOneText() {
        var t = Transcript()
        _ = t.beginCode("loop")
        var expected = ""
        for k in 0..<5000 {
            t.record(.stdout("line \(k)\n"))
            expected += "line \(k)\n"
        }
        t.record(.stderr("oops\n"))
        t.endCode()
        #expect(t.entries == [.code(source: "loop", outputs: [.stdout(expected), .stderr("oops\n")])])
    }

    @Test func aLineRedrawnOverSeveralPiecesKeepsItsLastDrawing() {
        let pieces = ["before\n", "50%\r", "100%\r", "\ndone\n", "a\rb", "c\n"]
        var t = Transcript()
        _ = t.beginCode("train")
        for piece in pieces { t.record(.stdout(piece)) }
        // While the cell is open its outputs are visible as they are so far.
        #expect(t.entries == [.code(source: "train", outputs: [.stdout(Transcript.overprinted(pieces.joined()))])])
        t.endCode()
        #expect(t.entries == [.code(source: "train", outputs: [.stdout("before\n100%\ndone\nbc\n")])])
    }
}

/// An evaluator that only records what it is asked to run.
final class FakeLineRecorder: Evaluator {
    var runs: [(text: String, firstLine: Int)] = []
    var characters = 0
    var isCancelled: () -> Bool = { false }
    var lastValue: Value?
    func run(_ source: String, file: String) -> (values: [(value: Value, location: Script.SourceLocation)], error: ScriptError?) {
        run(source, file: file, firstLine: 1)
    }
    func run(_ source: String, file: String, firstLine: Int) -> (values: [(value: Value, location: Script.SourceLocation)], error: ScriptError?) {
        runs.append((source, firstLine))
        characters += source.count
        return ([], nil)
    }
    func isComplete(_ source: String) -> Bool { Interpreter.isComplete(source) }
    var variables: [(name: String, value: Value)] { [] }
    func reset() {}
    func candidates(for text: String) -> [String] { [] }
    func help(_ name: String) -> String? { nil }
    func define(_ name: String, _ value: Value) {}
}
