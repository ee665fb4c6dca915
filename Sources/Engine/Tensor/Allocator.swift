import CSupport
import Synchronization

/// Process-wide allocator tuning, applied before the engine's first large allocation, and a
/// small cache for the blocks glibc will not keep.
///
/// Training steps and tensor ops allocate the same multi-megabyte buffers again and again; glibc
/// would return each to the kernel when freed and fault it back in on the next step (a fifth of
/// a training step, and more for a large elementwise gradient). See CSupport/include/allocator.h.
/// A flag rather than a lazy global: the optimiser may drop an unused `Void` global's initialiser;
/// a second call would be harmless.
public enum Allocator {
    nonisolated(unsafe) private static var tuned = false

    /// Applies the tuning now, for a program that is about to start threads: glibc gives a
    /// thread its own heap on its first allocation unless told to share the one (see
    /// CSupport/include/allocator.h), so `rnnlab` calls this first thing in `main`.
    public static func tuneBeforeThreads() { keepFreedMemory() }

    @inline(__always) static func keepFreedMemory() {
        if !tuned {
            tuned = true
            rnnlab_keep_freed_memory()
        }
    }

    /// glibc maps blocks of 32 MiB and more straight from the kernel whatever the tuning, so a
    /// large layer's tape (the gates of a 32 × 2048 × 100-step LSTM are 52 MB, and their gradients
    /// as much again) would be faulted in and zeroed page by page every step — 4% of the step.
    /// Freed blocks that big are kept here, a few at a time, for the next step to take.
    private static let largeBytes = 32 << 20
    private static let keptLimit = 4
    /// (address, capacity in doubles) of freed large blocks.
    private static let kept = Mutex<[(address: UInt, capacity: Int)]>([])

    /// Uninitialised room for `count` doubles; give it back with ``release(_:count:)``.
    static func doubles(_ count: Int) -> UnsafeMutablePointer<Double> {
        let count = Swift.max(count, 1)
        if count * MemoryLayout<Double>.stride >= largeBytes {
            // Any kept block that fits and wastes at most a quarter of itself.
            let address = kept.withLock { blocks -> UInt? in
                guard let i = blocks.firstIndex(where: { $0.capacity >= count && $0.capacity - count <= $0.capacity / 4 }) else { return nil }
                return blocks.remove(at: i).address
            }
            if let address, let p = UnsafeMutablePointer<Double>(bitPattern: address) { return p }
            return .allocate(capacity: count)
        }
        keepFreedMemory()
        return .allocate(capacity: count)
    }

    /// Frees a block from ``doubles(_:)`` (`count` as asked for), keeping a large one for reuse.
    static func release(_ p: UnsafeMutablePointer<Double>, count: Int) {
        let count = Swift.max(count, 1)
        if count * MemoryLayout<Double>.stride >= largeBytes {
            let address = UInt(bitPattern: p)
            let evicted = kept.withLock { blocks -> UInt? in
                blocks.append((address, count))
                return blocks.count > keptLimit ? blocks.removeFirst().address : nil
            }
            if let evicted { UnsafeMutablePointer<Double>(bitPattern: evicted)?.deallocate() }
            return
        }
        p.deallocate()
    }
}
