#ifndef RNNLAB_CANCELLATION_H
#define RNNLAB_CANCELLATION_H

/// Stopping long native work on request (Ctrl-C), for the engine's C kernels and its Swift loops.
///
/// A request is an int flag, raised and read with relaxed atomic operations only, so raising one
/// is async-signal-safe: the REPL's SIGINT handler raises the process-wide flag. Long loops poll
/// ``rnnlab_cancel_pending`` once per block of work (a GEMM panel, a chunk of 2^16 elements) and
/// return early; the Swift caller then throws, so nothing computed after the request is used.
///
/// Each thread polls one flag: the process-wide one unless it chose another with
/// ``rnnlab_cancel_watch``. That is how a test cancels its own computation without stopping the
/// computations other tests run at the same time in the same process.

/// Raises `flag`, or the process-wide flag when `flag` is NULL. Async-signal-safe.
void rnnlab_cancel_raise(int *flag);

/// Lowers `flag`, or the process-wide flag when `flag` is NULL.
void rnnlab_cancel_lower(int *flag);

/// Whether `flag` (NULL: the process-wide flag) is raised.
int rnnlab_cancel_is_raised(const int *flag);

/// Whether the flag this thread watches is raised: the question every long loop asks.
int rnnlab_cancel_pending(void);

/// Makes this thread watch `flag` (NULL: the process-wide flag again); returns the flag it watched
/// before (NULL for the process-wide one), to be restored when the scope ends.
int *rnnlab_cancel_watch(int *flag);

/// The flag this thread watches (NULL for the process-wide one), to hand on to a worker thread.
int *rnnlab_cancel_watched(void);

#endif
