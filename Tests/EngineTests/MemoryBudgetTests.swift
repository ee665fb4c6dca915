import Foundation
import Testing
@testable import Engine

// MemoryBudget.swift: requests are checked against the session's budget before anything is
// allocated. Each test sets a small budget for itself only (MemoryBudget.withLimit), so nothing
// here ever allocates more than a few tens of megabytes.

private let budget = 64 << 20  // 64 MB

/// The budget error `body` throws, or nil.
private func refusal(_ body: () throws -> Any) -> (op: String, needed: Int, budget: Int, inUse: Int)? {
    do { _ = try body() } catch let TensorError.overMemoryBudget(op, needed, budget, inUse) {
        return (op, needed, budget, inUse)
    } catch { Issue.record("unexpected error: \(error)") }
    return nil
}

@Suite struct MemoryBudgetTests {
    @Test func creationBeyondTheBudgetIsRefusedBeforeAllocating() throws {
        try MemoryBudget.withLimit(budget) { () throws in
            let r = refusal { try Tensor.zeros([100_000_000]) }  // 800 MB
            #expect(r?.op == "zeros" && r?.needed == 800_000_000 && r?.budget == budget)
            #expect(refusal { try Tensor.randn([20_000, 1_000], seed: 1) }?.op == "randn")
            #expect(refusal { try Tensor.eye(5_000) }?.op == "eye")
            #expect(refusal { try Tensor.arange(0, 1e8) }?.op == "arange")
            #expect(refusal { try Tensor.linspace(0, 1, count: 50_000_000) }?.op == "linspace")
        }
        // Small requests go through (under the session's budget: a 64 MB one would also count
        // what tests running alongside hold at the moment).
        #expect(try Tensor.zeros([1000]).count == 1000)
    }

    /// An operation whose result does not fit next to its operand: `x + 1` doubles what x holds.
    @Test func opsCountWhatLiveTensorsHold() throws {
        let x = try Tensor.zeros([5_000_000])  // 40 MB, made under the session's budget
        try MemoryBudget.withLimit(budget) { () throws in
            let r = refusal { try x + Tensor(1) }
            #expect(r?.op == "add" && r?.needed == 40_000_000)
            #expect((r?.inUse ?? 0) >= 40_000_000, "x itself is in use")
            #expect(refusal { try x * x }?.op == "multiply")
            #expect(refusal { try x.reshape([5_000_000, 1]).matmul(Tensor.ones([1, 3])) }?.op == "matmul")
        }
    }

    /// Small operands can ask for a huge result: broadcasting a column against a row, concat.
    @Test func broadcastAndJoinsAreChecked() throws {
        // Made before the small budget starts: "in use" is the whole process's, and tests running
        // alongside may hold tens of megabytes at any moment.
        let column = try Tensor.zeros([10_000, 1]), row = try Tensor.zeros([1, 10_000])
        let big = try Tensor.zeros([3_000_000])
        try MemoryBudget.withLimit(budget) { () throws in
            #expect(refusal { try column + row }?.needed == 800_000_000)
            #expect(refusal { try column.compare(row, .less) } != nil)
            #expect(refusal { try Tensor.concat([big, big, big], axis: 0) }?.op == "concat")
        }
    }

    /// `lstm(…, layers: 1e6)` took 3 GB of small parameters; the whole stack is checked first.
    @Test func aRecurrentStackIsCheckedAsAWhole() throws {
        try MemoryBudget.withLimit(budget) { () throws in
            let r = refusal { try RecurrentLayer(.lstm, inputSize: 10, hiddenSize: 10, numLayers: 1_000_000) }
            #expect(r?.op == "lstm")
            #expect(r?.needed == 1_000_000 * 4 * 10 * (10 + 10 + 2) * 8)
            #expect(refusal { try RecurrentLayer(.gru, inputSize: 4, hiddenSize: 1 << 40) } != nil, "an overflowing size is refused, not trapped")
        }
        #expect(try RecurrentLayer(.lstm, inputSize: 10, hiddenSize: 10, numLayers: 2).numLayers == 2)
    }

    @Test func theMessageNamesTheRequestAndTheBudget() throws {
        let text = TensorError.overMemoryBudget(op: "zeros", needed: 8 << 30, budget: 12 << 30, inUse: 5_476_083_302).description
        #expect(text == "zeros: this needs 8.0 GB but the memory budget is 12.0 GB, with 5.1 GB already in use (set RNNLAB_MEMORY or start rnnlab with --memory to change it)")
        #expect(MemoryBudget.explain(needed: .max, budget: 1 << 30, inUse: 0).hasPrefix("this needs more memory than the whole memory budget of 1.0 GB"))
    }

    @Test func sizesParseAsPeopleWriteThem() {
        #expect(MemoryBudget.parse("4G") == 4 << 30)
        #expect(MemoryBudget.parse("512M") == 512 << 20)
        #expect(MemoryBudget.parse("1.5GB") == 3 << 29)
        #expect(MemoryBudget.parse("2gib") == 2 << 30)
        #expect(MemoryBudget.parse("64k") == 64 << 10)
        #expect(MemoryBudget.parse("1000000") == 1_000_000)
        for bad in ["", "G", "four", "-1G", "0", "nan", "1e300T"] { #expect(MemoryBudget.parse(bad) == nil, "\(bad)") }
        #expect(MemoryBudget.describe(bytes: 3 << 29) == "1.5 GB")
        #expect(MemoryBudget.describe(bytes: 100) == "100 bytes")
    }

    /// Half the machine (or container) unless RNNLAB_MEMORY says otherwise.
    @Test func theDefaultIsHalfTheMachine() {
        #expect(MemoryBudget.machineMemory() > 0)
        if ProcessInfo.processInfo.environment["RNNLAB_MEMORY"] == nil {
            #expect(MemoryBudget.defaultLimit() == MemoryBudget.machineMemory() / 2)
        }
    }

    @Test func aScopedBudgetLeavesTheSessionsAlone() {
        let session = MemoryBudget.limit
        MemoryBudget.withLimit(1 << 20) { #expect(MemoryBudget.limit == 1 << 20) }
        #expect(MemoryBudget.limit == session)
    }
}
