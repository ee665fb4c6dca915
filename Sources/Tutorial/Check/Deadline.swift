import Engine
import Foundation

/// A moment after which running code is told to stop, read from the interpreter's own thread.
///
/// Code is stopped two ways, because it can be busy in two places. The interpreter looks at
/// ``passed`` between statements and calls (`isCancelled`); a single long engine call — a huge
/// product, a training step — never returns to the interpreter, so it watches the engine's
/// cancellation flag instead, which a timer raises at the limit. The flag is this run's own, so
/// nothing else that runs at the same time is stopped.
final class Deadline: @unchecked Sendable {
    private let lock = NSLock()
    private var end: Date?
    func start(seconds: Double) { lock.withLock { end = Date().addingTimeInterval(seconds) } }
    func stop() { lock.withLock { end = nil } }
    var passed: Bool { lock.withLock { end.map { Date() >= $0 } ?? false } }

    /// Runs `body` with this deadline `seconds` from now, and the engine's flag raised then.
    /// `passed` afterwards says whether the limit was reached.
    func enforce<T>(seconds: Double, _ body: () -> T) -> T {
        start(seconds: seconds)
        let flag = Cancellation.Flag()
        let timer = DispatchWorkItem { flag.raise() }
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: timer)
        defer { timer.cancel() }
        return Cancellation.watching(flag) { body() }
    }
}
