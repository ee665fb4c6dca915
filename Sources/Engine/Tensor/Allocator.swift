import CSupport

/// Process-wide allocator tuning, applied before the engine's first large allocation.
///
/// Training steps and tensor ops allocate the same multi-megabyte buffers again and again; glibc
/// would return each to the kernel when freed and fault it back in on the next step (a fifth of
/// a training step, and more for a large elementwise gradient). See CSupport/include/allocator.h.
/// A flag rather than a lazy global: the optimiser may drop an unused `Void` global's initialiser;
/// a second call would be harmless.
enum Allocator {
    nonisolated(unsafe) private static var tuned = false

    @inline(__always) static func keepFreedMemory() {
        if !tuned {
            tuned = true
            rnnlab_keep_freed_memory()
        }
    }
}
