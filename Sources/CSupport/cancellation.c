// See cancellation.h. Relaxed atomics suffice: a flag carries no data, it only has to be seen
// eventually (within one block of work), and a lock-free int store is async-signal-safe.
#include "cancellation.h"

static int process_flag;
static _Thread_local int *watched;

static inline int *resolve(int *flag) { return flag ? flag : &process_flag; }

void rnnlab_cancel_raise(int *flag) { __atomic_store_n(resolve(flag), 1, __ATOMIC_RELAXED); }

void rnnlab_cancel_lower(int *flag) { __atomic_store_n(resolve(flag), 0, __ATOMIC_RELAXED); }

int rnnlab_cancel_is_raised(const int *flag) {
    return __atomic_load_n(flag ? flag : &process_flag, __ATOMIC_RELAXED);
}

int rnnlab_cancel_pending(void) {
    const int *flag = watched;
    return __atomic_load_n(flag ? flag : &process_flag, __ATOMIC_RELAXED);
}

int *rnnlab_cancel_watch(int *flag) {
    int *before = watched;
    watched = flag;
    return before;
}

int *rnnlab_cancel_watched(void) { return watched; }
