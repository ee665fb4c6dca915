#ifndef RNNLAB_ALLOCATOR_H
#define RNNLAB_ALLOCATOR_H

/// Asks glibc's malloc to keep freed blocks of up to 32 MiB for reuse instead of returning them
/// to the kernel.
///
/// A training step allocates the same multi-megabyte buffers (the tape, gate gradients, weight
/// gradients) every time and frees them at the end. With glibc's defaults such blocks are mmap'ed
/// and unmapped each step, and the kernel's page faults and page zeroing cost a fifth of an LSTM
/// training step at moderate sizes. Keeping them in the heap removes that, and leaves the heap size
/// flat across steps. It also keeps every thread in the one heap (M_ARENA_MAX = 1), which takes
/// effect for threads that have not allocated yet: call it before starting any. Idempotent; a
/// no-op on systems without mallopt.
void rnnlab_keep_freed_memory(void);

#endif
