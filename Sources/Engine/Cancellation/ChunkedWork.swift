import Dispatch

/// Loops over many elements that look for a cancellation request between chunks.
///
/// The check is one relaxed atomic load per ``Cancellation/chunk`` elements, outside the inner
/// loop, so the inner loop stays the plain loop the optimiser vectorises. The order in which
/// elements are written is the order of the plain loop, so a random fill draws the same numbers.
extension Cancellation {
    /// Calls `body` on consecutive ranges covering `0..<count`, each at most `chunk` long, and
    /// throws ``TensorError/interrupted`` (before the next range) once a request is pending.
    @inline(__always)
    public static func forEachChunk(_ count: Int, chunk: Int = Cancellation.chunk,
                                    _ body: (Range<Int>) throws -> Void) throws {
        var start = 0
        while start < count {
            try check()
            let end = count - start > chunk ? start + chunk : count
            try body(start..<end)
            start = end
        }
    }

    /// Like ``forEachChunk(_:chunk:_:)`` for loops that cannot throw (inside a backward closure or
    /// a buffer's scope): stops before the next range and returns false once a request is pending,
    /// leaving the rest undone. The caller must not use the partial result; the pending request
    /// makes the next ``check()`` throw.
    @inline(__always) @discardableResult
    public static func forEachChunkUnlessCancelled(_ count: Int, chunk: Int = Cancellation.chunk,
                                                   _ body: (Range<Int>) -> Void) -> Bool {
        var start = 0
        while start < count {
            if isRequested { return false }
            let end = count - start > chunk ? start + chunk : count
            body(start..<end)
            start = end
        }
        return true
    }

    /// A new array of `count` doubles whose elements `fill(base, range)` writes chunk by chunk
    /// (every element of each range it is given, through `base[i]`). Throws, freeing the partial
    /// array, when a request is pending between chunks: `zeros(1e9)` stops within a chunk.
    @inline(__always)
    public static func array(count: Int, _ fill: (UnsafeMutablePointer<Double>, Range<Int>) -> Void) throws -> [Double] {
        try [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = 0
            guard count > 0 else { return }
            let base = buffer.baseAddress!
            try forEachChunk(count) { range in
                fill(base, range)
                initialized = range.upperBound
            }
        }
    }

    /// Like ``array(count:_:)`` for operations that cannot throw (`tanh()`, `-x`): once a request is
    /// pending, the elements not yet written are left unwritten (whatever the memory held), which is
    /// safe only because the pending request makes the caller's next ``check()`` throw before anyone
    /// reads them — the interpreter checks after every builtin, the backward walk after every node.
    @inline(__always)
    public static func arrayUnlessCancelled(count: Int, _ fill: (UnsafeMutablePointer<Double>, Range<Int>) -> Void) -> [Double] {
        [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0 {
                let base = buffer.baseAddress!
                forEachChunkUnlessCancelled(count) { range in fill(base, range) }
            }
            initialized = count
        }
    }

    /// `count` copies of `value`, interruptibly (see ``array(count:_:)``).
    public static func repeating(_ value: Double, count: Int) throws -> [Double] {
        try array(count: count) { base, range in (base + range.lowerBound).initialize(repeating: value, count: range.count) }
    }
}

extension Cancellation {
    /// `transform` of every element of `0..<count`, in order, throwing ``TensorError/interrupted``
    /// between chunks once Ctrl-C is pending: how the language builds a list of 10⁸ numbers
    /// (`list(arange(1e8))`) without making the learner wait for all of it.
    public static func map<T>(count: Int, _ transform: (Int) throws -> T) throws -> [T] {
        var out: [T] = []
        out.reserveCapacity(count)
        do {
            try forEachChunk(count) { range in for i in range { out.append(try transform(i)) } }
        } catch {
            if isRequested {
                var taken: [T] = []
                swap(&taken, &out)
                releaseInBackground(consume taken)
            }
            throw error
        }
        return out
    }

    /// Lets go of `value` on a background thread: freeing what an interrupted call had built
    /// (10⁷ list elements, millions of CSV rows) takes long enough to break the 100 ms bound.
    /// Pass the last reference (`consume`), or the caller's copy may still be the one that frees it.
    public static func releaseInBackground<T>(_ value: consuming T) {
        let box = ReleaseBox(value)
        DispatchQueue.global(qos: .background).async { box.value = nil }
    }
}

/// Carries a value to the thread that frees it; nothing else touches it.
private final class ReleaseBox<T>: @unchecked Sendable {
    var value: T?
    init(_ value: T) { self.value = value }
}
