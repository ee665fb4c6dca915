// See fma_peak.h: how many fused multiply-adds a second this core sustains on the products' path.
#include "fma_peak.h"
#include "packed_gemm.h"
#include <math.h>
#include <time.h>

#define CHAINS 12

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

// One body per vector type: `rounds` rounds of CHAINS independent a ← x·y + a. The empty asm keeps
// the compiler from folding rounds together (x is "changed" each round), and the sum of the chains
// is returned so that none is dropped.
#define CHAIN_BODY(V, SPLAT)                                                        \
    V acc[CHAINS];                                                                  \
    for (int i = 0; i < CHAINS; i++) acc[i] = SPLAT(0);                             \
    V x = SPLAT(1.0000001), y = SPLAT(0.9999999);                                   \
    for (long r = 0; r < rounds; r++) {                                             \
        for (int i = 0; i < CHAINS; i++) acc[i] = __builtin_elementwise_fma(x, y, acc[i]); \
        __asm__ volatile("" : "+x"(x));                                             \
    }                                                                               \
    V s = acc[0];                                                                   \
    for (int i = 1; i < CHAINS; i++) s += acc[i];                                   \
    return (double)s[0];

#if defined(__x86_64__) && defined(__clang__)
typedef double v8d __attribute__((vector_size(64)));
typedef double v4d __attribute__((vector_size(32)));
typedef float v16f __attribute__((vector_size(64)));
typedef float v8f __attribute__((vector_size(32)));
#define SPLAT_V8D(s) ((v8d){s, s, s, s, s, s, s, s})
#define SPLAT_V4D(s) ((v4d){s, s, s, s})
#define SPLAT_V16F(s) ((v16f){s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s})
#define SPLAT_V8F(s) ((v8f){s, s, s, s, s, s, s, s})
__attribute__((target("avx512f,fma"), noinline)) static double chains512d(long rounds) { CHAIN_BODY(v8d, SPLAT_V8D) }
__attribute__((target("avx512f,fma"), noinline)) static double chains512f(long rounds) { CHAIN_BODY(v16f, SPLAT_V16F) }
__attribute__((target("avx2,fma"), noinline)) static double chains256d(long rounds) { CHAIN_BODY(v4d, SPLAT_V4D) }
__attribute__((target("avx2,fma"), noinline)) static double chains256f(long rounds) { CHAIN_BODY(v8f, SPLAT_V8F) }
#endif

__attribute__((noinline)) static double chains_scalar(long rounds, int single) {
    double acc[CHAINS] = {0};
    float accf[CHAINS] = {0};
    double x = 1.0000001, y = 0.9999999;
    float xf = 1.0000001f, yf = 0.9999999f;
    for (long r = 0; r < rounds; r++) {
        if (single) { for (int i = 0; i < CHAINS; i++) accf[i] = fmaf(xf, yf, accf[i]); __asm__ volatile("" : "+m"(xf)); }
        else { for (int i = 0; i < CHAINS; i++) acc[i] = fma(x, y, acc[i]); __asm__ volatile("" : "+m"(x)); }
    }
    double s = 0;
    for (int i = 0; i < CHAINS; i++) s += single ? accf[i] : acc[i];
    return s;
}

double rnnlab_fma_peak_gflops(int single_precision, double seconds) {
    int path = rnnlab_gemm_vector_path();
    (void)path;  // unused where there is no vector path
    int lanes = 1;
    double (*run)(long) = 0;
#if defined(__x86_64__) && defined(__clang__)
    if (path == 2) { lanes = single_precision ? 16 : 8; run = single_precision ? chains512f : chains512d; }
    else if (path == 1) { lanes = single_precision ? 8 : 4; run = single_precision ? chains256f : chains256d; }
#endif
    // Grow the round count until one run takes a tenth of the time, then keep the fastest of the
    // runs that fit in `seconds` (a shared machine only ever makes a run slower).
    // At most 10 s, and at least one run; the round count is capped far below overflow.
    if (!(seconds > 0)) seconds = 0;
    if (seconds > 10) seconds = 10;
    long rounds = 1 << 16;
    double best = INFINITY, spent = 0;
    volatile double sink = 0;  // keeps every run's result alive
    while (spent < seconds || best == INFINITY) {
        double t0 = now_seconds();
        sink += run ? run(rounds) : chains_scalar(rounds, single_precision);
        double dt = now_seconds() - t0;
        spent += dt;
        int tooShort = !(dt > 0) || (dt < seconds / 10 && best == INFINITY);
        if (tooShort && rounds < (1L << 40)) { rounds *= 2; continue; }
        if (!(dt > 0)) break;  // a clock that never advances: no figure
        double perRound = dt / (double)rounds;
        if (perRound < best) best = perRound;
    }
    return best == INFINITY ? 0 : (double)CHAINS * lanes * 2 / best / 1e9;
}
