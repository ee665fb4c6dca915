import Foundation
@testable import REPL
import Script
import Terminal
import Engine
import Testing
import TestSupport

@Suite("Session on a fake interpreter")
struct SessionTests {
    @Test func resultsAreNumberedAndBoundToUnderscoreNames() {
        let h = FakeSessionHarness()
        #expect(h.session.submit("x = 3") == .success)
        #expect(h.take().out == "")
        h.session.submit("x")
        #expect(h.take().out == "Out[1]: 3\n")
        h.session.submit("7")
        #expect(h.take().out == "Out[2]: 7\n")
        #expect(h.evaluator.globals["_1"].map(\.description) == "3")
        #expect(h.evaluator.globals["_2"].map(\.description) == "7")
        #expect(h.evaluator.lastValue.map(\.description) == "7")
        #expect(h.session.results.count == 2)
    }

    @Test func printedTextKeepsUnderscore() {
        let h = FakeSessionHarness()
        h.session.submit("5")
        h.session.submit("say hello")
        let taken = h.take()
        #expect(taken.out == "Out[1]: 5\nhello\n")
        // A statement whose value is none leaves `_` as the last shown value.
        #expect(h.evaluator.lastValue.map(\.description) == "5")
    }

    @Test func errorsShowLocationAndCaretAndTheSessionGoesOn() {
        let h = FakeSessionHarness()
        h.session.submit("y = 2")
        #expect(h.session.submit("fail") == .failure)
        let taken = h.take()
        #expect(taken.out == "")
        #expect(taken.err == "<input>:1:1: this fails\nfail\n^\n")
        h.session.submit("y")
        #expect(h.take().out == "Out[1]: 2\n")
    }

    @Test func varsListsNamesKindsAndSummariesButNotResultNames() {
        let h = FakeSessionHarness()
        h.session.submit("b = 2.5")
        h.session.submit("a = 1")
        h.session.submit("a")
        _ = h.take()
        h.session.submit(":vars")
        #expect(h.take().out == "a  number  1\nb  number  2.5\n")
    }

    @Test func varsWhenEmpty() {
        let h = FakeSessionHarness()
        h.session.submit(":vars")
        #expect(h.take().out == "no variables yet\n")
    }

    @Test func resetForgetsVariablesAndResults() {
        let h = FakeSessionHarness()
        h.session.submit("a = 1")
        h.session.submit("a")
        h.session.submit(":reset")
        #expect(h.evaluator.globals.isEmpty)
        #expect(h.session.results.isEmpty)
        _ = h.take()
        h.session.submit("4")
        #expect(h.take().out == "Out[1]: 4\n")
    }

    @Test func precisionShowsAndSets() {
        let h = FakeSessionHarness()
        h.session.submit(":precision")
        #expect(h.take().out == "precision 4\n")
        h.session.submit(":precision 8")
        #expect(h.session.options.precision == 8)
        #expect(h.session.submit(":precision many") == .failure)
        #expect(h.take().err.contains("0 to 17"))
    }

    /// `:memory` shows the budget and sets it; `:help` shows it too.
    @Test func memoryShowsAndSetsTheBudget() {
        let h = FakeSessionHarness()
        let before = MemoryBudget.limit
        defer { MemoryBudget.limit = before }
        h.session.submit(":memory")
        #expect(h.take().out.hasPrefix("memory budget \(MemoryBudget.describe(bytes: before)), "))
        h.session.submit(":memory 100G")  // larger than any test needs: harmless to tests running alongside
        #expect(MemoryBudget.limit == 100 << 30)
        #expect(h.take().out.hasPrefix("memory budget 100.0 GB, "))
        #expect(h.session.submit(":memory lots") == .failure)
        #expect(h.take().err.contains("4G, 512M or 1.5GB"))
        h.session.submit(":help")
        #expect(h.take().out.contains("The memory budget 100.0 GB, "))
    }

    @Test func quitAndAliasesAndPrefixes() {
        let h = FakeSessionHarness()
        #expect(h.session.submit(":quit") == .quit)
        #expect(h.session.submit(":q") == .quit)
        #expect(h.session.submit(":exit") == .quit)
        #expect(h.session.submit(":prec 3") == .success)
        #expect(h.session.options.precision == 3)
    }

    @Test func unknownCommandSuggests() {
        let h = FakeSessionHarness()
        #expect(h.session.submit(":lod x") == .failure)
        #expect(h.take().err == "unknown command :lod (did you mean :load?); :help lists the commands\n")
    }

    @Test func helpListsEveryCommandAndExplainsBuiltins() {
        let h = FakeSessionHarness()
        h.session.submit(":help")
        let out = h.take().out
        for command in Session.commands { #expect(out.contains(":" + command.name)) }
        h.session.submit(":help randn")
        #expect(h.take().out.hasPrefix("randn(shape…, seed:)"))
        h.session.submit("randn?")
        #expect(h.take().out.hasPrefix("randn(shape…, seed:)"))
        #expect(h.session.submit(":help nothing") == .failure)
    }

    @Test func loadRunsAFileStatementByStatement() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-load-\(UUID()).rnn")
        try "a = 2\nsay first\na\n\nsay second\nfail\n7\n".write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let h = FakeSessionHarness()
        #expect(h.session.submit(":load \(url.path)") == .failure)
        let taken = h.take()
        // Output in statement order, the error with the file's own line number, nothing after.
        #expect(taken.out == "first\nOut[1]: 2\nsecond\n")
        #expect(taken.err == "\(url.path):6:1: this fails\nfail\n^\n")
        #expect(h.evaluator.globals["a"] != nil)
        #expect(h.session.submit(":load /no/such/file") == .failure)
        #expect(h.take().err == ":load: cannot read /no/such/file: no such file\n")
    }

    @Test func timeReportsMedianAndSpread() {
        let h = FakeSessionHarness()
        #expect(h.session.submit(":time 1") == .success)
        let out = h.take().out
        #expect(out.contains("per run"))
        #expect(out.contains("median ± half the IQR of"))
        #expect(h.evaluator.runs.count > 2)
        #expect(h.session.submit(":time fail") == .failure)
        #expect(h.take().err.hasPrefix("<time>:1:1: this fails"))
        #expect(h.session.submit(":time") == .failure)
    }

    @Test func timeDoesNotPrintTheExpressionsOutput() {
        let h = FakeSessionHarness()
        h.session.submit(":time say hi")
        #expect(!h.take().out.contains("hi\n"))
    }

    @Test func incompleteInputAsksForMore() {
        let h = FakeSessionHarness()
        #expect(!h.session.isComplete("f {"))
        #expect(h.session.isComplete("f {\n}"))
        #expect(h.session.isComplete(":load {"))
        #expect(h.session.isComplete("randn?"))
    }

    @Test func interruptStopsAComputationAndKeepsState() async throws {
        let h = FakeSessionHarness()
        h.session.submit("keep = 1")
        // The session points the interpreter at the global SIGINT flag; a local flag stands in
        // for it here so that tests running in parallel cannot see this interrupt.
        #expect(h.evaluator.isCancelled() == false)
        let flag = UncheckedSendable(value: Flag())
        h.evaluator.isCancelled = { flag.value.raised }
        let session = UncheckedSendable(value: h.session)
        let task = Task.detached { session.value.submit("slow") }
        try await Task.sleep(for: .milliseconds(50))
        flag.value.raised = true
        let outcome = await task.value
        #expect(outcome == Session.Outcome.failure)
        #expect(h.take().err.contains("interrupted"))
        #expect(h.evaluator.globals["keep"] != nil)
    }
}

final class Flag: @unchecked Sendable { var raised = false }

struct UncheckedSendable<T>: @unchecked Sendable { let value: T }

@Suite("Completion")
struct CompletionTests {
    @Test func commandsAtTheStartOfALine() {
        let h = FakeSessionHarness()
        #expect(h.session.complete(":p") == Completion(stem: ":p", candidates: [":precision"]))
        #expect(h.session.complete(":").candidates == Session.commandNames)
    }

    @Test func variablesBuiltinsAndMembers() {
        let h = FakeSessionHarness()
        h.session.submit("rate = 1")
        #expect(h.session.complete("y = ra") == Completion(stem: "ra", candidates: ["randn", "range", "rate"]))
        #expect(h.session.complete("m.w") == Completion(stem: "w", candidates: ["weight"]))
        #expect(h.session.complete("1 + ") == Completion(stem: "", candidates: []))
    }

    @Test func fileNamesAfterLoadAndInStrings() throws {
        let dir = try temporaryDirectory("complete")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try "".write(to: dir.appendingPathComponent("weights.npz"), atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: dir) }
        let h = FakeSessionHarness()
        #expect(h.session.complete(":load \(dir.path)/w") == Completion(stem: "w", candidates: ["weights.npz"]))
        #expect(h.session.complete("load(m, \"\(dir.path)/") == Completion(stem: "", candidates: ["sub/", "weights.npz"]))
    }

    @Test func commonPrefix() {
        #expect(Completion(stem: "a", candidates: ["abc1", "abc2"]).commonPrefix == "abc")
        #expect(Completion(stem: "a", candidates: ["ab", "ac"]).commonPrefix == "a")
    }

    @Test func columnsFillDownThenAcross() {
        #expect(LineEditor.columns(["a", "bb", "c"], width: 8) == "a   c\nbb\n")
        #expect(LineEditor.columns(["alpha", "beta"], width: 80) == "alpha  beta\n")
    }
}

@Suite("Script chunks")
struct ChunkTests {
    let complete: (String) -> Bool = { s in s.filter { $0 == "{" }.count <= s.filter { $0 == "}" }.count }

    /// Statements as the session runs them: a `:command` line is a statement of its own.
    func chunks(of source: String, isComplete: (String) -> Bool) -> [(firstLine: Int, text: String)] {
        var found: [(firstLine: Int, text: String)] = []
        Interpreter.forEachStatement(of: source, isComplete: isComplete,
                                     standsAlone: { Interpreter.droppingLeadingSpace($0).first == ":" }) { text, line in
            found.append((line, text))
            return true
        }
        return found
    }

    /// Lines are the file's when the source starts further down it, and the body can stop the run.
    @Test func linesCountFromWhereTheSourceStartsAndTheBodyCanStop() {
        var seen: [Int] = []
        Interpreter.forEachStatement(of: "a = 1\n\nb = 2\nc = 3\n", firstLine: 10) { _, line in
            seen.append(line)
            return line < 12
        }
        #expect(seen == [10, 12])
    }

    @Test func statementsBlocksAndElseOnTheNextLine() {
        let source = "# comment\nx = 1\n\nif x {\n  y = 2\n}\nelse {\n  y = 3\n}\nz = 4\n:vars\n"
        let chunks = chunks(of: source, isComplete: complete)
        #expect(chunks.map(\.firstLine) == [2, 4, 10, 11])
        #expect(chunks[1].text == "if x {\n  y = 2\n}\nelse {\n  y = 3\n}")
    }

    @Test func anUnfinishedTailIsOneChunk() {
        let chunks = chunks(of: "a = 1\nf(1,\n", isComplete: { !$0.hasSuffix(",") })
        #expect(chunks.map(\.text) == ["a = 1", "f(1,"])
    }

    @Test func elseMustBeAWord() {
        let chunks = chunks(of: "if a {\n}\nelsewhere = 1\n", isComplete: complete)
        #expect(chunks.count == 2)
    }
}

@Suite("Timing")
struct TimingTests {
    @Test func medianAndQuartiles() {
        let report = TimingReport(runsPerBatch: 10, batches: 5, perRun: [1, 2, 3, 4, 10])
        #expect(report.median == 3)
        #expect(report.quantile(0.25) == 2)
        #expect(report.interquartileRange == 2)
        #expect(TimingReport.format(0.00123) == "1.23 ms")
        #expect(TimingReport.format(2.5e-7) == "250 ns")
        #expect(TimingReport.format(12.5) == "12.5 s")
    }

    @Test func measureStopsOnFailure() {
        var calls = 0
        #expect(TimingReport.measure { calls += 1; return calls < 3 } == nil)
    }

    @Test func historyFileFollowsXDG() {
        #expect(defaultHistoryFile(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]).path == "/s/rnnlab/history")
        #expect(defaultHistoryFile(environment: ["HOME": "/h"]).path == "/h/.local/state/rnnlab/history")
        #expect(defaultHistoryFile(environment: ["XDG_STATE_HOME": "relative", "HOME": "/h"]).path == "/h/.local/state/rnnlab/history")
    }
}
