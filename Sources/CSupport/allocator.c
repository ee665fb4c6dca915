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
}
