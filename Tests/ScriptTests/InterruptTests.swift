import Foundation
import Testing
import Engine
@testable import Script

/// Ctrl-C during one long call: the engine's request (raised here on a flag of the test's own,
/// from another thread, as the SIGINT handler raises the process-wide one) stops the call, the
/// statement is abandoned with "interrupted", and no variable changes.
@Suite("Interrupting one long call") struct InterruptTests {
    /// Runs `source` in `interp` watching a fresh flag raised from another thread `after` seconds
    /// in; returns the error and the seconds from the raise to the end of the run.
    static func interrupting(_ source: String, in interp: Interpreter, raisingAfter delay: Double) -> (error: ScriptError?, latency: Double) {
        let flag = Cancellation.Flag()
        let raisedAt = Box()
        let raiser = Thread {
            Thread.sleep(forTimeInterval: delay)
            raisedAt.date = Date()
            flag.raise()
        }
        raiser.start()
        let (_, error) = Cancellation.watching(flag) { interp.run(source) }
        let end = Date()
        while raisedAt.date == nil { usleep(1_000) }
        return (error, end.timeIntervalSince(raisedAt.date!))
    }

    final class Box: @unchecked Sendable { var date: Date? }

    @Test func aLongMatmulIsAbandonedAndNothingIsAssigned() {
        let interp = Interpreter()
        run("a = rand(2500, 2500, seed: 1)\nb = 1", in: interp)
        let (error, latency) = Self.interrupting("b = a @ a\nc = 2", in: interp, raisingAfter: 0.2)
        print("Ctrl-C latency, interpreter matmul 2500×2500: \(Int((latency * 1000).rounded())) ms")
        #expect(error?.message == "interrupted")
        #expect(error?.location?.line == 1)
        #expect(latency < 1.0)
        #expect(show("b", in: interp) == "1")
        #expect(!interp.variables.contains { $0.name == "c" })
    }

    @Test func aLongListIsAbandoned() {
        let interp = Interpreter()
        run("l = 0", in: interp)
        let (error, latency) = Self.interrupting("l = list(arange(1e8))", in: interp, raisingAfter: 0.2)
        print("Ctrl-C latency, list(arange(1e8)): \(Int((latency * 1000).rounded())) ms")
        #expect(error?.message == "interrupted")
        #expect(latency < 1.0)
        #expect(show("l", in: interp) == "0")
    }

    /// An operation that cannot throw (tanh) stops part-way; the interpreter drops its value.
    @Test func aNonThrowingOperationCutShortIsNotAssigned() {
        let interp = Interpreter()
        run("x = randn(300000, seed: 0)\ny = 5", in: interp)
        let flag = Cancellation.Flag()
        flag.raise()
        let (_, error) = Cancellation.watching(flag) { interp.run("y = tanh(x)") }
        #expect(error?.message == "interrupted")
        #expect(show("y", in: interp) == "5")
    }

    /// train stops at the step it is in and still returns its history (its documented contract).
    @Test func trainInterruptedInsideAStepKeepsItsHistory() {
        let interp = Interpreter()
        let flag = Cancellation.Flag()
        interp.trainingStepHook = { if $0 == 3 { flag.raise() } }
        run("""
        x = randn(5, 16, 2, seed: 1)
        y = where(x[-1, :, 0] > 0, 1, 0)
        m = classifier(input: 2, hidden: 4, out: 2, seed: 0)
        """, in: interp)
        let (_, error) = Cancellation.watching(flag) { interp.run("h = train(m, x, y, epochs: 5, batch_size: 4, shuffle: false)") }
        #expect(error == nil)
        #expect(show("h.stopped", in: interp) == "\"interrupted\"")
        #expect(show("h.steps", in: interp) == "3")
    }
}
