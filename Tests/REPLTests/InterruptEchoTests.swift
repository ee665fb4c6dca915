import Testing
@testable import REPL
#if canImport(Glibc)
import Glibc
#endif

/// While a cell runs, keys typed on the terminal must not echo into its output (they would break a
/// progress bar redrawn in place), and the terminal must be as it was afterwards — also when the
/// run throws. A pseudo-terminal stands in for the learner's.
@Suite struct InterruptEchoTests {
    func withTerminal(_ body: (Int32) throws -> Void) rethrows {
        var controller: Int32 = -1, terminal: Int32 = -1
        guard openpty(&controller, &terminal, nil, nil, nil) == 0 else { Issue.record("no pseudo-terminal"); return }
        defer { close(controller); close(terminal) }
        try body(terminal)
    }

    func flags(_ fd: Int32) -> tcflag_t {
        var t = termios()
        _ = tcgetattr(fd, &t)
        return t.c_lflag
    }

    @Test func echoIsOffWhileARunLastsAndBackAfter() {
        withTerminal { fd in
            let before = flags(fd)
            #expect(before & tcflag_t(ECHO) != 0)
            let during = Interrupt.withoutEcho(terminal: fd) { flags(fd) }
            #expect(during & tcflag_t(ECHO) == 0)
            #expect(during & tcflag_t(ECHOCTL) == 0)
            #expect(during & tcflag_t(ICANON) == before & tcflag_t(ICANON), "type-ahead stays line-buffered for the next prompt")
            #expect(during & tcflag_t(ISIG) != 0, "Ctrl-C still interrupts")
            #expect(flags(fd) == before)
        }
    }

    struct Stop: Error {}

    @Test func aRunThatFailsStillRestoresTheTerminal() {
        withTerminal { fd in
            let before = flags(fd)
            #expect(throws: Stop.self) { try Interrupt.withoutEcho(terminal: fd) { throw Stop() } }
            #expect(flags(fd) == before)
        }
    }

    @Test func aPipeIsLeftAlone() {
        var fds: [Int32] = [-1, -1]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        #expect(Interrupt.withoutEcho(terminal: fds[0]) { 42 } == 42)
    }
}
