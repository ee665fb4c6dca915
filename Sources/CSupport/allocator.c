#include "allocator.h"

#if defined(__has_include)
#if __has_include(<malloc.h>)
#include <malloc.h>
#endif
#endif

void rnnlab_keep_freed_memory(void) {
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);   // glibc's maximum for this setting on 64-bit
    mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
#endif
#if defined(__GLIBC__) && defined(M_ARENA_MAX)
    // Every thread in the one heap. A thread that is not the main one otherwise gets an arena of
    // its own, made of mmap'ed heaps of at most 64 MB that are unmapped as soon as they empty:
    // the REPL runs its code on such a thread, and a large layer's training step there was
    // faulting 21 MB of fresh pages back in every step (measured with perf: 5,300 page faults a
    // step, none with one arena). Only threads that have not allocated yet are affected, so the
    // executable calls this first thing.
    mallopt(M_ARENA_MAX, 1);
#endif
}
