import Foundation
import Testing
import Engine
@testable import Script
import TestSupport

// MemoryRoom.swift and the language's other checks against the session's memory budget. Each
// test sets a 64 MB budget for itself (MemoryBudget.withLimit), so nothing large is allocated.

private let budget = 64 << 20

/// The message `source` stops with under the test budget.
private func refusal(_ source: String, in interpreter: Interpreter = Interpreter(),
                     sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String {
    MemoryBudget.withLimit(budget) { failure(source, in: interpreter, sourceLocation: sourceLocation).message }
}

@Suite struct MemoryRoomTests {
    @Test func tensorsBeyondTheBudgetAreRefusedWithTheRequestNamed() {
        let message = refusal("zeros(1e9)")
        #expect(message.hasPrefix("zeros: this needs 7.5 GB but the memory budget is 64.0 MB, with "), "\(message)")
        #expect(message.hasSuffix("already in use (set RNNLAB_MEMORY or start rnnlab with --memory to change it)"))
        #expect(refusal("lstm(input: 10, hidden: 10, layers: 1e6)").hasPrefix("lstm: this needs"))
    }

    /// `x + 1` and `exp(x)` need as much again as x holds.
    @Test func operationsCountTheTensorsAlreadyHeld() throws {
        let interpreter = Interpreter()
        define("x", .tensor(try Tensor.zeros([5_000_000])), in: interpreter)  // 40 MB
        #expect(refusal("y = x + 1", in: interpreter).hasPrefix("add: this needs 38.1 MB"))
        #expect(refusal("y = exp(x)", in: interpreter).hasPrefix("exp: this needs 38.1 MB"))
        #expect(refusal("y = tanh(x)", in: interpreter).hasPrefix("tanh: this needs"))
        #expect(interpreter.globals.lookup("y") == nil, "nothing was assigned")
    }

    @Test func listsAreCheckedBeforeTheyAreBuilt() throws {
        let interpreter = Interpreter()
        define("x", .tensor(try Tensor.zeros([3_000_000])), in: interpreter)
        #expect(refusal("list(x)", in: interpreter).hasPrefix("list: this needs"))
        // "In use" counts every live tensor of the process, and tests run in parallel: with
        // enough held elsewhere the first list is already refused. Either refusal comes before
        // the list is built, which is what is tested.
        let doubling = refusal("l = [\"a\"] * 100000\nfor i in 0..<10 { l = l + l }")
        #expect(doubling.hasPrefix("list +: this needs") || doubling.hasPrefix("list *: this needs"), "\(doubling)")
        #expect(MemoryRoom.bytesPerElement == MemoryLayout<Value>.stride && MemoryRoom.bytesPerElement >= 8)
    }

    @Test func stringsAreCheckedBeforeTheyAreBuilt() {
        let doubling = refusal("s = \"ab\" * 4000000\nfor i in 0..<10 { s = s + s }")
        #expect(doubling.hasPrefix("string +: this needs") || doubling.hasPrefix("string *: this needs"), "\(doubling)")
        guard case let .string(s) = value("s = \"ab\" * 3\ns + s") else { Issue.record("not a string"); return }
        #expect(s == "abababababab")
    }

    /// read_text and read_csv look at the file's size, times what reading it takes, first.
    @Test(arguments: ["read_text", "read_csv"])
    func filesOverTheBudgetAreRefusedBeforeReading(_ function: String) throws {
        let dir = try temporaryDirectory("room")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("big.csv").path
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        #expect(truncate(path, 512 << 20) == 0)  // sparse: no disk used
        let start = Date()
        let message = refusal("\(function)(\"\(path)\")")
        #expect(Date().timeIntervalSince(start) < 0.5)
        let factor = function == "read_csv" ? "3.2 GB" : "1.0 GB"
        #expect(message.hasPrefix("\(function): \(path): is 512.0 MB; reading it needs \(factor) but the memory budget is 64.0 MB"), "\(message)")
    }
}
