import Testing
@testable import Script

/// `for i in a..<b` counts instead of building a list, so a loop of 10⁸ steps starts at once and
/// Ctrl-C (the cancellation flag) stops it with the state so far kept.
@Suite struct ForRangeTests {
    @Test func aHugeRangeLoopRunsUntilInterrupted() {
        let i = Interpreter()
        var checks = 0
        i.isCancelled = { checks += 1; return checks > 1000 }
        let e = failure("n = 0; for k in 0..<100000000 { n = n + 1 }", in: i)
        #expect(e.message == "interrupted")
        i.isCancelled = { false }
        // Two checks an iteration (the loop head and the body's statement): 1000 checks ≈ 500 steps.
        #expect(number("n", in: i) >= 499)
        #expect(number("k", in: i) >= 498)
    }

    @Test func countedLoopsMatchTheListForm() {
        let i = Interpreter()
        run("a = 0; for k in 2..<7 { a = a * 10 + k }\nb = 0; for k in list(2..<7) { b = b * 10 + k }", in: i)
        #expect(number("a", in: i) == 23456)
        #expect(number("b", in: i) == 23456)
        run("c = 0; for k in 5..<2 { c = 1 }\nd = 0; for k in 0..<10 { if k == 3 { continue }; if k == 6 { break }; d = d + k }", in: i)
        #expect(number("c", in: i) == 0)
        #expect(number("d", in: i) == 0 + 1 + 2 + 4 + 5)
    }

    @Test func aRangeValueStillHasItsLimitAndSaysWhy() {
        let e = failure("r = 0..<100000000", in: Interpreter())
        #expect(e.message.contains("a `for` loop over it has no limit"))
        let f = failure("for k in 0..<2.5 { }", in: Interpreter())
        #expect(f.message.contains("whole numbers"))
    }

    /// 1e15 is a whole number: a loop up to it starts (and stops at its break); past 2⁵³, where
    /// doubles skip whole numbers, the error says that rather than "needs whole numbers".
    @Test func largeWholeBoundsRunOrSayTheRealReason() {
        let i = Interpreter()
        run("n = 0; for k in 0..<1e15 { n = k; if k == 3 { break } }", in: i)
        #expect(number("n", in: i) == 3)
        let e = failure("for k in 0..<1e16 { }", in: Interpreter())
        #expect(e.message.contains("at most 2⁵³ (9007199254740992)"))
        #expect(!e.message.contains("whole numbers"))
        #expect(failure("for k in 0..<(0/0) { }", in: Interpreter()).message.contains("needs whole numbers, got nan"))
    }
}
