import CEditLine
import Engine
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ctrl-C, shared between the SIGINT handler and the prompt loop.
///
/// The handler only touches atomics (async-signal-safe): it counts the interrupt, and the
/// interpreter polls `isRequested` through `Interpreter.isCancelled` at loop heads and calls,
/// so a long loop or a training run stops back at the prompt with its state intact. It also raises
/// the engine's request (`Cancellation`, an atomic int in CSupport), which long engine work — one
/// big matmul, `zeros(1e9)`, a file read, a training step — polls between chunks, so a single long
/// call stops within ~100 ms too and its statement is abandoned. `clear()` lowers both. While the
/// line editor waits for a key the same signal makes `read` fail with EINTR (no SA_RESTART), which
/// cancels the line being typed. A computation that does not stop after three presses (stuck in
/// native code) ends the process rather than leave the learner with a dead terminal.
public enum Interrupt {
    static let pending = Atomic<Int>(0)
    static let busy = Atomic<Bool>(false)

    /// Installs the handler once; later calls do nothing.
    public static func install() {
        guard !installed.exchange(true, ordering: .relaxed) else { return }
        // Touch the atomics so the handler never runs a lazy global initialiser.
        _ = pending.load(ordering: .relaxed)
        _ = busy.load(ordering: .relaxed)
        _ = rl_shim_install_sigint { _ in
            Cancellation.requestFromSignalHandler()
            let count = Interrupt.pending.add(1, ordering: .relaxed).newValue
            if count >= 3 && Interrupt.busy.load(ordering: .relaxed) {
                let message = "\nrnnlab: interrupted three times; the computation did not stop, exiting.\n"
                message.utf8CString.withUnsafeBufferPointer { buffer in
                    _ = write(2, buffer.baseAddress, buffer.count - 1)
                }
                _exit(130)
            }
        }
    }

    static let installed = Atomic<Bool>(false)

    /// True once Ctrl-C has been pressed since the last `clear()`.
    public static var isRequested: Bool { pending.load(ordering: .relaxed) > 0 }

    public static func clear() {
        pending.store(0, ordering: .relaxed)
        Cancellation.clear()
    }

    /// Runs `body` with the terminal on stdin not echoing: a key pressed while something runs
    /// (`^C`, or the next line typed ahead) would otherwise land in the middle of its output — a
    /// progress bar redrawn in place would be broken by it. Typed-ahead text is not lost: it stays
    /// in the terminal's input queue and appears at the next prompt, where the line editor reads
    /// it. Stdin that is not a terminal is left alone.
    public static func withoutEcho<T>(terminal fd: Int32 = 0, _ body: () throws -> T) rethrows -> T {
        var saved = termios()
        guard isatty(fd) == 1, tcgetattr(fd, &saved) == 0 else { return try body() }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO | ECHOCTL)
        _ = tcsetattr(fd, TCSANOW, &quiet)
        defer { _ = tcsetattr(fd, TCSANOW, &saved) }
        return try body()
    }

    /// Runs `body` as an interruptible computation: the flag starts clear, and repeated Ctrl-C
    /// while it runs may end the process.
    /// `clearing: false` keeps a press made before it started (a script stops at its next statement).
    public static func computing<T>(clearing: Bool = true, _ body: () throws -> T) rethrows -> T {
        if clearing { clear() }
        busy.store(true, ordering: .relaxed)
        defer { busy.store(false, ordering: .relaxed) }
        return try body()
    }
}
