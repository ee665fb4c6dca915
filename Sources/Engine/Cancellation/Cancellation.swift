import CSupport

/// Stopping long engine work within ~100 ms of Ctrl-C.
///
/// A single call can run for many seconds — an 8000 × 8000 product, `zeros` of 10⁹ elements, a
/// 256 MB CSV, one training step of a large model — and the language only looks for Ctrl-C between
/// statements and calls. So long work looks too: GEMM between panels (in C), elementwise
/// operations and reductions between chunks of ``chunk`` elements, creation and file reading
/// likewise, a recurrent layer at every time step, the backward pass at every node. When a request
/// is pending it stops and throws ``TensorError/interrupted``; nothing computed after the request is
/// returned, so the statement that asked for it is abandoned and no variable changes.
///
/// The request is a flag in CSupport (cancellation.h) read and written with relaxed atomics only,
/// so the REPL's SIGINT handler may raise it (``requestFromSignalHandler()``), and the check is one
/// load per chunk — nothing per element. The engine knows nothing of signals or the REPL: whoever
/// owns the process raises the flag, and whoever starts the next computation clears it.
///
/// A thread polls the process-wide flag unless it runs inside ``watching(_:_:)`` with a flag of its
/// own (a test cancelling its computation while other tests run in the same process). Code that
/// moves a computation to another thread hands the watched flag on (``Watch``).
public enum Cancellation {
    /// Elements processed between two checks in chunked loops: 2¹⁶ doubles (512 KB) take well under
    /// a millisecond in any loop, so the check costs nothing measurable and the bound holds.
    public static let chunk = 1 << 16

    /// Raises the process-wide request. Only an atomic store: safe inside a signal handler.
    @inline(__always)
    public static func requestFromSignalHandler() { rnnlab_cancel_raise(nil) }

    /// Raises the process-wide request.
    public static func request() { rnnlab_cancel_raise(nil) }

    /// Lowers the process-wide request (the REPL does it when a new input starts).
    public static func clear() { rnnlab_cancel_lower(nil) }

    /// Whether the flag this thread watches is raised.
    @inline(__always)
    public static var isRequested: Bool { rnnlab_cancel_pending() != 0 }

    /// Throws ``TensorError/interrupted`` when the flag this thread watches is raised.
    @inline(__always)
    public static func check() throws(TensorError) {
        if rnnlab_cancel_pending() != 0 { throw .interrupted }
    }

    /// A request flag of one's own, raised from any thread.
    public final class Flag: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<Int32>

        public init() {
            pointer = .allocate(capacity: 1)
            pointer.initialize(to: 0)
        }

        deinit { pointer.deallocate() }

        public func raise() { rnnlab_cancel_raise(pointer) }
        public func lower() { rnnlab_cancel_lower(pointer) }
        public var isRaised: Bool { rnnlab_cancel_is_raised(pointer) != 0 }
    }

    /// Runs `body` on this thread watching `flag` instead of the process-wide request; `flag` must
    /// outlive the call (it is retained for its duration).
    public static func watching<T, E: Error>(_ flag: Flag, _ body: () throws(E) -> T) throws(E) -> T {
        try withExtendedLifetime(flag) { () throws(E) -> T in
            let before = rnnlab_cancel_watch(flag.pointer)
            defer { _ = rnnlab_cancel_watch(before) }
            return try body()
        }
    }

    /// The flag the current thread watches, to be watched by a thread it hands work to while it
    /// waits for that work (the interpreter runs statements on a thread with a large stack).
    public struct Watch: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<Int32>?

        /// The current thread's.
        public static var current: Watch { Watch(pointer: rnnlab_cancel_watched()) }

        /// Runs `body` on this thread watching the same flag. The thread that took `current` must
        /// keep its scope (and so the flag) alive until `body` returns.
        public func adopt<T>(_ body: () throws -> T) rethrows -> T {
            let before = rnnlab_cancel_watch(pointer)
            defer { _ = rnnlab_cancel_watch(before) }
            return try body()
        }
    }
}
