import Foundation
import Testing
import CSupport
@testable import Engine

// Cancellation.swift and the loops that poll it: long work stops promptly once its flag is raised,
// throws TensorError.interrupted, and leaves nothing half-done behind; chunking changes no result.
// Every test raises a flag of its own (Cancellation.watching), never the process-wide one, so the
// tests running beside these in the same process are not stopped.

/// Runs `work` watching a fresh flag that another thread raises `after` seconds; returns what
/// `work` threw and the seconds from the raise to the throw.
private func raising(after delay: Double, _ work: () throws -> Void) -> (error: (any Error)?, latency: Double) {
    let flag = Cancellation.Flag()
    let raisedAt = UncheckedSendableBox<Date?>(nil)
    let raiser = Thread {
        Thread.sleep(forTimeInterval: delay)
        raisedAt.value = Date()
        flag.raise()
    }
    raiser.start()
    var thrown: (any Error)?
    Cancellation.watching(flag) {
        do { try work() } catch { thrown = error }
    }
    let end = Date()
    while raisedAt.value == nil { usleep(1_000) }  // (work that ended first: the raise still comes)
    return (thrown, end.timeIntervalSince(raisedAt.value!))
}

private final class UncheckedSendableBox<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}

@Suite("Cancellation") struct CancellationTests {
    @Test func aLargeMatmulStopsSoonAfterTheFlagIsRaised() throws {
        // 2500 × 2500 @ 2500 × 2500: 31 GFLOP, seconds of work; the flag is raised 0.2 s in.
        let a = try Tensor.rand([2500, 2500], seed: 1)
        let (error, latency) = raising(after: 0.2) { _ = try a.matmul(a) }
        print("Ctrl-C latency, in-process matmul 2500×2500: \(Int((latency * 1000).rounded())) ms")
        #expect(error as? TensorError == .interrupted)
        #expect(latency < 1.0)
    }

    @Test func aRaisedFlagStopsCreationArithmeticReductionsAndBackward() throws {
        let flag = Cancellation.Flag()
        let x = try Tensor.rand([3 * Cancellation.chunk + 5], seed: 2)
        x.requiresGrad = true
        let loss = try (x * x).sum()
        flag.raise()
        Cancellation.watching(flag) {
            #expect(throws: TensorError.interrupted) { try Tensor.zeros([400_000_000]) }
            #expect(throws: TensorError.interrupted) { try Tensor.randn([1_000_000], seed: 0) }
            #expect(throws: TensorError.interrupted) { try Tensor.arange(0, 1e8) }
            #expect(throws: TensorError.interrupted) { try x + x }
            #expect(throws: TensorError.interrupted) { try x.sum() }
            #expect(throws: TensorError.interrupted) { try x.max() }
            #expect(throws: TensorError.interrupted) { try Cancellation.map(count: 100_000_000) { Double($0) } }
            // The backward walk stops, and the leaf's gradient stays as it was (none).
            #expect(throws: TensorError.interrupted) { try loss.backward() }
            #expect(x.grad == nil)
        }
        // Outside the scope this thread watches the process-wide flag again, which nobody raised.
        #expect(!Cancellation.isRequested)
        flag.lower()
        try Cancellation.watching(flag) { try loss.backward() }
        #expect(x.grad?.storage == x.storage.map { 2 * $0 })
    }

    @Test func anInterruptedRecurrentForwardThrows() throws {
        let layer = try RecurrentLayer(.lstm, inputSize: 4, hiddenSize: 8, seed: 0)
        let input = try Tensor.randn([50, 2, 4], seed: 1)
        let flag = Cancellation.Flag()
        flag.raise()
        #expect(throws: TensorError.interrupted) { try Cancellation.watching(flag) { _ = try layer(input) } }
    }

    @Test func aFlagOfOneThreadDoesNotStopAnother() throws {
        let flag = Cancellation.Flag()
        flag.raise()
        // Watched here, the raised flag stops work; on a thread that does not watch it, nothing stops.
        let other = UncheckedSendableBox<Bool?>(nil)
        let thread = Thread { other.value = (try? Tensor.zeros([Cancellation.chunk * 4])) != nil }
        Cancellation.watching(flag) {
            thread.start()
            #expect(throws: TensorError.interrupted) { try Tensor.zeros([Cancellation.chunk * 4]) }
        }
        while other.value == nil { usleep(1_000) }
        #expect(other.value == true)
        #expect(flag.isRaised && !Cancellation.isRequested)
    }

    @Test func chunkingChangesNoResult() throws {
        let n = 2 * Cancellation.chunk + 13
        // The vectorised tanh in chunks against one call over the whole buffer.
        let x = try Tensor.randn([n], seed: 3)
        var whole = [Double](repeating: 0, count: n)
        x.storage.withUnsafeBufferPointer { px in whole.withUnsafeMutableBufferPointer { rnnlab_vtanh(px.baseAddress!, $0.baseAddress!, n) } }
        #expect(x.tanh().storage == whole)
        // A chunked random fill draws the generator's numbers in order.
        var g = RandomGenerator(seed: 4)
        #expect(try Tensor.randn([n], seed: 4).storage == (0..<n).map { _ in g.normal() })
        // A chunked sum adds in the order of one loop.
        var total = 0.0
        for v in x.storage { total += v }
        #expect(try x.sum().item() == total)
        #expect(try Tensor.full([n], 2.5).storage.allSatisfy { $0 == 2.5 })
    }
}
