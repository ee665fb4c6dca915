// rnnlab's matrix products (see packed_gemm.h for why they are ours and not OpenBLAS's).
//
// The one rule. Element (i, j) of C is the dot product s = Σₚ op(A)ᵢₚ·op(B)ₚⱼ summed as a chain of
// fused multiply-adds in the order p = 0, 1, …, k−1 starting from 0, and only then finished:
//     s ← α·s (when α ≠ 1);   Cᵢⱼ ← s + biasⱼ, or s, or s + Cᵢⱼ (β = 1), or fma(β, Cᵢⱼ, s).
// Every path below — AVX-512, AVX2, and the scalar loop that is their reference — computes exactly
// that, so a product has the same bits on every x86-64 CPU with FMA, in any batch, at any row of the
// tiling. Splitting the sum over p into blocks keeps that: the chain's partial sum is stored and
// reloaded unchanged, and the finish is applied once, after the last block.
//
// Layout. op(B) (k × n) is cut into panels of NR columns, two 512-bit vectors wide (NR = 16
// doubles, 32 floats); panel j holds rows p = 0…k−1 of columns NR·j…NR·j+NR−1 one after another
// (NR values per row, zero beyond column n). The left
// operand is packed into blocks of R rows (R = 8, then 4, 2, 1 for the remainder): element (i, p)
// of a block at p·R + i, so the kernel reads both operands strictly forwards.
//
// Kernel. For an R × NR block of C it keeps the NR·R partial sums in vector registers and, for each
// p, loads one panel row, broadcasts R elements of A and issues the fused multiply-adds. AVX-512:
// R = 8, 16 chains of 8 doubles or 16 floats — enough to cover the FMA latency while the panel
// streams from L1/L2. AVX2 has 16 registers of 4 doubles or 8 floats, so it takes the block two
// rows at a time (8 chains).
//
// One source, two precisions. The body is in packed_gemm_impl.h, written with REAL for the element
// type and NAME(x) for a function's name, and included below twice: for double (rnnlab_gemm, …)
// and for float (rnnlab_gemm_f32, …). Float keeps the one rule, so its paths agree bit for bit too.
#include "packed_gemm.h"
#include "cancellation.h"
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// No contraction behind our back: every fused multiply-add below is written out.
#pragma clang fp contract(off)

#define MAX_ROWS 512
// General products split the sum over p into blocks of KC rows (set per precision below): one
// panel of B (KC × NR) serves every row block of an A chunk (MC × KC) while it is in cache, and
// between blocks each element's partial sum is stored and reloaded. MC rows of A per chunk.
#define MC 64

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define HAVE_X86 1
#define TARGET_512 __attribute__((target("avx512f,fma")))
#define TARGET_256 __attribute__((target("avx2,fma")))
#else
#define HAVE_X86 0
#endif

enum { PATH_SCALAR = 0, PATH_AVX2 = 1, PATH_AVX512 = 2 };

static int best_path(void) {
#if HAVE_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma")) return PATH_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return PATH_AVX2;
#endif
    return PATH_SCALAR;
}

static int path_supported(int path) {
    if (path == PATH_SCALAR) return 1;
#if HAVE_X86
    int best = best_path();
    return path <= best;
#else
    return 0;
#endif
}

int rnnlab_gemm_vector_path(void) { return best_path(); }

static inline long block_rows(long left) { return left >= 8 ? 8 : left >= 4 ? 4 : left >= 2 ? 2 : 1; }

#if HAVE_X86
typedef double v8d __attribute__((vector_size(64), aligned(8)));
typedef double v4d __attribute__((vector_size(32), aligned(8)));
typedef float v16f __attribute__((vector_size(64), aligned(4)));
typedef float v8f __attribute__((vector_size(32), aligned(4)));
#endif

// Scratch memory for the packing buffers of one product (both precisions), kept by each thread
// between its products. A product packs its operands into buffers that live for one call; a
// training step of a short sequence makes a few such products of some kilobytes each, and asking
// malloc for each buffer and giving it back (glibc searches its bins for blocks of that size) cost
// about 1 % of such a step. Each thread keeps one buffer per slot, of at most SCRATCH_KEEP bytes,
// grown in powers of two (sizes that creep upwards do not go back to malloc on every call); larger
// requests, and a slot already in use, go to malloc as before. A thread's buffers are listed in a
// record it allocates and registers with a pthread key, whose destructor frees them when the
// thread ends; the record is found through the key rather than a thread-local variable, because
// some systems free a thread's thread-local storage before running key destructors. A thread that
// never ends (a pool's) keeps at most SCRATCH_SLOTS × SCRATCH_KEEP = 768 KB.
enum { SCRATCH_SLOTS = 3 };
#define SCRATCH_KEEP ((size_t)256 * 1024)
typedef struct {
    void *block[SCRATCH_SLOTS];
    size_t bytes[SCRATCH_SLOTS];
    unsigned inUse;
} Scratch;
static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;
static int scratch_key_made;

static void scratch_release(void *p) {
    Scratch *s = p;
    for (int i = 0; i < SCRATCH_SLOTS; i++) free(s->block[i]);
    free(s);
}
static void scratch_make_key(void) { scratch_key_made = pthread_key_create(&scratch_key, scratch_release) == 0; }

/// This thread's record, made on first use; NULL if it cannot be (then every buffer is malloc's).
static Scratch *scratch_record(void) {
    pthread_once(&scratch_once, scratch_make_key);
    if (!scratch_key_made) return NULL;
    Scratch *s = pthread_getspecific(scratch_key);
    if (s) return s;
    s = calloc(1, sizeof *s);
    if (s && pthread_setspecific(scratch_key, s) != 0) { free(s); s = NULL; }
    return s;
}

/// Room for `bytes` in `slot`: this thread's kept buffer when it is free and large enough (or can be
/// made so), else malloc's. Give it back with scratch_give. NULL when malloc fails.
static void *scratch_take(int slot, size_t bytes) {
    unsigned bit = 1u << slot;
    Scratch *s = bytes <= SCRATCH_KEEP ? scratch_record() : NULL;
    if (!s || (s->inUse & bit)) return malloc(bytes);
    if (s->bytes[slot] < bytes) {
        size_t grown = 4096;
        while (grown < bytes) grown *= 2;  // at most SCRATCH_KEEP, a power of two
        free(s->block[slot]);
        s->block[slot] = malloc(grown);
        s->bytes[slot] = s->block[slot] ? grown : 0;
        if (!s->block[slot]) return NULL;
    }
    s->inUse |= bit;
    return s->block[slot];
}

static void scratch_give(int slot, void *p) {
    if (!p) return;
    pthread_once(&scratch_once, scratch_make_key);
    Scratch *s = scratch_key_made ? pthread_getspecific(scratch_key) : NULL;
    if (s && p == s->block[slot] && (s->inUse & (1u << slot))) s->inUse &= ~(1u << slot);
    else free(p);
}

// double: rnnlab_gemm, rnnlab_gemm_packed, rnnlab_pack_b, …
#define REAL double
#define NAME(x) x
#define NR 16
// 256 rows: a 32 KB panel of 16 doubles.
#define KC 256
#define FMA fma
#define V512 v8d
#define V256 v4d
#define SPLAT512(s) ((v8d){s, s, s, s, s, s, s, s})
#define SPLAT256(s) ((v4d){s, s, s, s})
#define PACK_FROM_F64 0
#include "packed_gemm_impl.h"
#undef REAL
#undef NAME
#undef NR
#undef KC
#undef FMA
#undef V512
#undef V256
#undef SPLAT512
#undef SPLAT256
#undef PACK_FROM_F64

// float: rnnlab_gemm_f32, rnnlab_gemm_packed_f32, rnnlab_pack_b_f32, rnnlab_pack_b_from_f64_f32, …
#define REAL float
#define NAME(x) x##_f32
#define NR 32
// 768 rows (a 96 KB panel, from L2): a recurrent layer's weight gradients sum over all T·B rows,
// and between blocks of p the partial sums of all of C go to memory and back — for a large LSTM
// (T·B = 3200 rows; C 576 × 2048 floats, 4.7 MB, more than L2) 13 blocks, 12 round trips, with
// 256-row blocks; 5 blocks, 4 round trips, with 768. Float keeps the one rule: a block boundary
// moves no rounding.
#define KC 768
#define FMA fmaf
#define V512 v16f
#define V256 v8f
#define SPLAT512(s) ((v16f){s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s})
#define SPLAT256(s) ((v8f){s, s, s, s, s, s, s, s})
#define PACK_FROM_F64 1
#include "packed_gemm_impl.h"
