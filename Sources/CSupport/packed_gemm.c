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
// Layout. op(B) (k × n) is cut into panels of NR = 16 columns; panel j holds rows p = 0…k−1 of
// columns 16j…16j+15 one after another (16 doubles per row, zero beyond column n). The left
// operand is packed into blocks of R rows (R = 8, then 4, 2, 1 for the remainder): element (i, p)
// of a block at p·R + i, so the kernel reads both operands strictly forwards.
//
// Kernel. For an R × 16 block of C it keeps the 16·R partial sums in vector registers and, for each
// p, loads one panel row, broadcasts R elements of A and issues the fused multiply-adds. AVX-512:
// R = 8, 16 chains of 8 lanes — enough to cover the FMA latency while the panel streams from L1/L2.
// AVX2 has 16 registers of 4 lanes, so it takes the block two rows at a time (8 chains).
#include "packed_gemm.h"
#include "cancellation.h"
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

// No contraction behind our back: every fused multiply-add below is written out.
#pragma clang fp contract(off)

#define NR 16
#define MAX_ROWS 512
// General products split the sum over p into blocks of KC, so that one panel of B (KC × 16
// doubles, 32 KB) stays in L1 while the row blocks of an A chunk (MC × KC, 128 KB) pass over it.
#define KC 256
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

long rnnlab_packed_size(long k, long n) { return ((n + NR - 1) / NR) * NR * (k > 0 ? k : 1); }

long rnnlab_packed_workspace(long m, long k) {
    return (m <= 0 ? 1 : m < MAX_ROWS ? m : MAX_ROWS) * (k > 0 ? k : 1);
}

/// Rows p0 … p0+kc−1 of op(B) into panels (panel j at packed + j·kc·NR).
static void pack_b_rows(int trans, long p0, long kc, long n, const double *b, long ldb, double *packed) {
    long panels = (n + NR - 1) / NR;
    for (long jp = 0; jp < panels; jp++) {
        double *out = packed + jp * kc * NR;
        long j0 = jp * NR, width = n - j0 < NR ? n - j0 : NR;
        if (!trans) {
            for (long p = 0; p < kc; p++) {
                const double *row = b + (p0 + p) * ldb + j0;
                double *o = out + p * NR;
                long jj = 0;
                for (; jj < width; jj++) o[jj] = row[jj];
                for (; jj < NR; jj++) o[jj] = 0.0;
            }
        } else {
            // B stored n × k: column j of op(B) is row j of the storage, read along p.
            for (long jj = 0; jj < NR; jj++) {
                if (jj < width) {
                    const double *col = b + (j0 + jj) * ldb + p0;
                    for (long p = 0; p < kc; p++) out[p * NR + jj] = col[p];
                } else {
                    for (long p = 0; p < kc; p++) out[p * NR + jj] = 0.0;
                }
            }
        }
    }
}

void rnnlab_pack_b(int trans, long k, long n, const double *b, long ldb, double *packed) {
    pack_b_rows(trans, 0, k, n, b, ldb, packed);
}

/// What becomes of a tile's dot products: stored raw (a block of p that is not the last), or
/// finished into C by the one rule.
typedef struct {
    double alpha, beta;
    const double *bias;   // this panel's 16 bias values, or NULL
    double *raw;          // non-NULL: store the partial sums here (row stride ld_raw), all 16 columns
    long ld_raw;
    const double *init;   // non-NULL: the chains start from these partial sums (row stride ld_init)
    long ld_init;
} Tile;

static inline double finish(double s, double alpha, double beta, const double *bias, long j, const double *c) {
    if (alpha != 1.0) s = alpha * s;
    if (bias) return s + bias[j];
    if (beta == 0.0) return s;
    if (beta == 1.0) return s + *c;
    return fma(beta, *c, s);
}

/// Stores R rows of 16 finished sums (or raw ones) from `sums` (row stride NR).
static inline __attribute__((always_inline))
void store_tile(const int R, const double *sums, const Tile *t, double *c, long ldc, long nr) {
    for (int i = 0; i < R; i++) {
        const double *s = sums + i * NR;
        if (t->raw) {
            memcpy(t->raw + i * t->ld_raw, s, NR * sizeof(double));
        } else {
            double *ci = c + i * ldc;
            for (long j = 0; j < nr; j++) ci[j] = finish(s[j], t->alpha, t->beta, t->bias, j, ci + j);
        }
    }
}

/// The reference: R rows of one tile, one chain per element.
static void tile_scalar(const int R, long k, const double *a, long rs, long cs, const double *b,
                        const Tile *t, double *c, long ldc, long nr) {
    double sums[8 * NR];
    for (int i = 0; i < R; i++)
        for (int j = 0; j < NR; j++) {
            double s = t->init ? t->init[i * t->ld_init + j] : 0.0;
            for (long p = 0; p < k; p++) s = fma(a[i * rs + p * cs], b[p * NR + j], s);
            sums[i * NR + j] = s;
        }
    store_tile(R, sums, t, c, ldc, nr);
}

#if HAVE_X86
typedef double v8 __attribute__((vector_size(64), aligned(8)));
typedef double v4 __attribute__((vector_size(32), aligned(8)));

/// Element (i, p) of the left operand is a[i·rs + p·cs]: rs = 1, cs = R for a packed block;
/// rs = lda, cs = 1 for rows read in place; rs = 1, cs = lda for Aᵀ read in place.
static inline __attribute__((always_inline)) TARGET_512
void tile_512(const int R, long k, const double *restrict a, const long rs, const long cs, const double *restrict b,
              const Tile *t, double *c, long ldc, long nr) {
    v8 lo[8], hi[8];
    for (int i = 0; i < R; i++) {
        if (t->init) {
            lo[i] = *(const v8 *)(t->init + i * t->ld_init);
            hi[i] = *(const v8 *)(t->init + i * t->ld_init + 8);
        } else {
            lo[i] = (v8){0}; hi[i] = (v8){0};
        }
    }
    for (long p = 0; p < k; p++) {
        v8 b0 = *(const v8 *)(b + p * NR), b1 = *(const v8 *)(b + p * NR + 8);
        for (int i = 0; i < R; i++) {
            double s = a[i * rs + p * cs];
            v8 sv = (v8){s, s, s, s, s, s, s, s};
            lo[i] = __builtin_elementwise_fma(sv, b0, lo[i]);
            hi[i] = __builtin_elementwise_fma(sv, b1, hi[i]);
        }
    }
    double sums[8 * NR];
    for (int i = 0; i < R; i++) { *(v8 *)(sums + i * NR) = lo[i]; *(v8 *)(sums + i * NR + 8) = hi[i]; }
    store_tile(R, sums, t, c, ldc, nr);
}

/// The same tile for AVX2: at most two rows (8 chains of 4 lanes, plus the panel row, in 16 registers).
static inline __attribute__((always_inline)) TARGET_256
void tile_256(const int R, long k, const double *restrict a, const long rs, const long cs, const double *restrict b,
              const Tile *t, double *c, long ldc, long nr) {
    v4 acc[2][4];
    for (int i = 0; i < R; i++)
        for (int q = 0; q < 4; q++)
            acc[i][q] = t->init ? *(const v4 *)(t->init + i * t->ld_init + 4 * q) : (v4){0};
    for (long p = 0; p < k; p++) {
        const double *row = b + p * NR;
        v4 b0 = *(const v4 *)row, b1 = *(const v4 *)(row + 4), b2 = *(const v4 *)(row + 8), b3 = *(const v4 *)(row + 12);
        for (int i = 0; i < R; i++) {
            double s = a[i * rs + p * cs];
            v4 sv = (v4){s, s, s, s};
            acc[i][0] = __builtin_elementwise_fma(sv, b0, acc[i][0]);
            acc[i][1] = __builtin_elementwise_fma(sv, b1, acc[i][1]);
            acc[i][2] = __builtin_elementwise_fma(sv, b2, acc[i][2]);
            acc[i][3] = __builtin_elementwise_fma(sv, b3, acc[i][3]);
        }
    }
    double sums[2 * NR];
    for (int i = 0; i < R; i++)
        for (int q = 0; q < 4; q++) *(v4 *)(sums + i * NR + 4 * q) = acc[i][q];
    store_tile(R, sums, t, c, ldc, nr);
}

#define DEFINE_512(R) \
    static TARGET_512 void tile512_##R(long k, const double *a, long rs, long cs, const double *b, const Tile *t, double *c, long ldc, long nr) \
    { tile_512(R, k, a, rs, cs, b, t, c, ldc, nr); }
DEFINE_512(8)
DEFINE_512(4)
DEFINE_512(2)
DEFINE_512(1)

static TARGET_256 void tile256_pair(long k, const double *a, long rs, long cs, const double *b, const Tile *t, double *c, long ldc, long nr)
{ tile_256(2, k, a, rs, cs, b, t, c, ldc, nr); }
static TARGET_256 void tile256_one(long k, const double *a, long rs, long cs, const double *b, const Tile *t, double *c, long ldc, long nr)
{ tile_256(1, k, a, rs, cs, b, t, c, ldc, nr); }
#endif

/// One R × 16 tile of C (R = 8, 4, 2 or 1) on the chosen path.
static void tile(int path, int R, long k, const double *a, long rs, long cs, const double *b,
                 const Tile *t, double *c, long ldc, long nr) {
#if HAVE_X86
    if (path == PATH_AVX512) {
        switch (R) {
        case 8: tile512_8(k, a, rs, cs, b, t, c, ldc, nr); return;
        case 4: tile512_4(k, a, rs, cs, b, t, c, ldc, nr); return;
        case 2: tile512_2(k, a, rs, cs, b, t, c, ldc, nr); return;
        default: tile512_1(k, a, rs, cs, b, t, c, ldc, nr); return;
        }
    }
    if (path == PATH_AVX2) {
        for (int i0 = 0; i0 < R; i0 += 2) {
            Tile sub = *t;
            if (sub.raw) sub.raw += i0 * sub.ld_raw;
            if (sub.init) sub.init += i0 * sub.ld_init;
            if (R - i0 >= 2) tile256_pair(k, a + i0 * rs, rs, cs, b, &sub, c + i0 * ldc, ldc, nr);
            else tile256_one(k, a + i0 * rs, rs, cs, b, &sub, c + i0 * ldc, ldc, nr);
        }
        return;
    }
#endif
    tile_scalar(R, k, a, rs, cs, b, t, c, ldc, nr);
}

static inline long block_rows(long left) { return left >= 8 ? 8 : left >= 4 ? 4 : left >= 2 ? 2 : 1; }

/// All of C's entries finished from empty sums (k = 0): C ← β·C, or the bias.
static void empty_product(long m, long n, double alpha, double beta, const double *bias, double *c, long ldc) {
    for (long i = 0; i < m; i++)
        for (long j = 0; j < n; j++) c[i * ldc + j] = finish(0.0, alpha, beta, bias, j, c + i * ldc + j);
}

/// Rows `rows` of op(A) from row `base`, columns p0 … p0+kc−1, into blocks of 8/4/2/1 (element
/// (i, p) of a block at p·r + i). Returns the number of blocks; their first rows, sizes and offsets.
static long pack_a(int trans_a, const double *a, long lda, long base, long rows, long p0, long kc,
                   double *out, long *starts, long *sizes, long *offsets) {
    long blocks = 0;
    double *pa = out;
    for (long i0 = 0; i0 < rows;) {
        long r = block_rows(rows - i0);
        for (long p = 0; p < kc; p++)
            for (long i = 0; i < r; i++) {
                long row = base + i0 + i, col = p0 + p;
                pa[p * r + i] = trans_a ? a[col * lda + row] : a[row * lda + col];
            }
        starts[blocks] = base + i0; sizes[blocks] = r; offsets[blocks] = pa - out; blocks++;
        pa += r * kc;
        i0 += r;
    }
    return blocks;
}

static void gemm_packed_on(int path, long m, long n, long k, const double *a, long lda, const double *packed,
                           double beta, const double *bias, double *c, long ldc, double *workspace) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0) { empty_product(m, n, 1.0, beta, bias, c, ldc); return; }
    long panels = (n + NR - 1) / NR;
    if (m * k <= 8192) {
        // A small left operand (a step's batch of states, ≤ 64 KB) is read in place: packing it
        // would cost more than its strided rows do (measured 1–2 µs of a 37 µs step).
        for (long jp = 0; jp < panels; jp++) {
            const double *pb = packed + jp * k * NR;
            long nr = n - jp * NR < NR ? n - jp * NR : NR;
            Tile t = {1.0, beta, bias ? bias + jp * NR : NULL, NULL, 0, NULL, 0};
            for (long i0 = 0; i0 < m;) {
                long r = block_rows(m - i0);
                tile(path, (int)r, k, a + i0 * lda, lda, 1, pb, &t, c + i0 * ldc + jp * NR, ldc, nr);
                i0 += r;
            }
        }
        return;
    }
    // Rows are taken in chunks whose packed copy (chunk × k) stays within ~512 KB, half of L2.
    long chunk = (65536 / k) / 8 * 8;
    chunk = chunk < 8 ? 8 : chunk > MAX_ROWS ? MAX_ROWS : chunk;
    // Columns likewise in groups whose panels (k × group) stay within ~256 KB.
    long group = (32768 / k) / NR;
    group = group < 1 ? 1 : group;
    long starts[MAX_ROWS / 8 + 3], sizes[MAX_ROWS / 8 + 3], offsets[MAX_ROWS / 8 + 3];
    for (long base = 0; base < m; base += chunk) {
        long rows = m - base < chunk ? m - base : chunk;
        long blocks = pack_a(0, a, lda, base, rows, 0, k, workspace, starts, sizes, offsets);
        // A few row blocks (a recurrent step's batch): each panel is loaded once and reused from
        // L1 by every block. Many (a product over all time steps): a group of panels stays in L2
        // while every block passes over it, and C is written a row block at a time — walking one
        // panel down hundreds of rows would hit C at a stride that maps them all to a few cache sets.
        long panelsPerPass = blocks <= 8 ? 1 : group;
        for (long jp0 = 0; jp0 < panels; jp0 += panelsPerPass) {
            // Ctrl-C: one relaxed load per pass of ≤ 512 rows over a few panels (well under a millisecond).
            if (rnnlab_cancel_pending()) return;
            long jpEnd = jp0 + panelsPerPass < panels ? jp0 + panelsPerPass : panels;
            for (long bi = 0; bi < blocks; bi++) {
                const double *block = workspace + offsets[bi];
                for (long jp = jp0; jp < jpEnd; jp++) {
                    long nr = n - jp * NR < NR ? n - jp * NR : NR;
                    Tile t = {1.0, beta, bias ? bias + jp * NR : NULL, NULL, 0, NULL, 0};
                    tile(path, (int)sizes[bi], k, block, 1, sizes[bi], packed + jp * k * NR, &t,
                         c + starts[bi] * ldc + jp * NR, ldc, nr);
                }
            }
        }
    }
}

void rnnlab_gemm_packed(long m, long n, long k, const double *a, long lda, const double *packed,
                        double beta, const double *bias, double *c, long ldc, double *workspace) {
    gemm_packed_on(best_path(), m, n, k, a, lda, packed, beta, bias, c, ldc, workspace);
}

int rnnlab_gemm_packed_on(int path, long m, long n, long k, const double *a, long lda, const double *packed,
                          double beta, const double *bias, double *c, long ldc, double *workspace) {
    if (!path_supported(path)) return 0;
    gemm_packed_on(path, m, n, k, a, lda, packed, beta, bias, c, ldc, workspace);
    return 1;
}

static int gemm_on(int path, int trans_a, int trans_b, long m, long n, long k, double alpha,
                   const double *a, long lda, const double *b, long ldb, double beta, double *c, long ldc) {
    if (m <= 0 || n <= 0) return 1;
    if (k <= 0) { empty_product(m, n, alpha, beta, NULL, c, ldc); return 1; }
    long panels = (n + NR - 1) / NR, npad = panels * NR;
    long kcMax = k < KC ? k : KC;
    long kBlocks = (k + KC - 1) / KC;
    long mc = m < MC ? m : MC;
    double *bpack = malloc(sizeof(double) * (size_t)(kcMax * npad));
    double *apack = malloc(sizeof(double) * (size_t)(mc * kcMax));
    // Partial sums between blocks of p, when there is more than one (row stride npad).
    double *raw = kBlocks > 1 ? malloc(sizeof(double) * (size_t)(m * npad)) : NULL;
    if (!bpack || !apack || (kBlocks > 1 && !raw)) { free(bpack); free(apack); free(raw); return -1; }
    long starts[MC / 8 + 3], sizes[MC / 8 + 3], offsets[MC / 8 + 3];
    for (long kb = 0; kb < kBlocks; kb++) {
        long p0 = kb * KC, kc = k - p0 < KC ? k - p0 : KC;
        int first = kb == 0, last = kb == kBlocks - 1;
        pack_b_rows(trans_b, p0, kc, n, b, ldb, bpack);
        for (long base = 0; base < m; base += MC) {
            long rows = m - base < MC ? m - base : MC;
            long blocks = pack_a(trans_a, a, lda, base, rows, p0, kc, apack, starts, sizes, offsets);
            for (long jp = 0; jp < panels; jp++) {
                // Ctrl-C: one relaxed load per panel (≤ 64 × 256 × 16 multiply-adds, microseconds).
                if (rnnlab_cancel_pending()) { free(bpack); free(apack); free(raw); return 2; }
                long nr = n - jp * NR < NR ? n - jp * NR : NR;
                for (long bi = 0; bi < blocks; bi++) {
                    long row = starts[bi];
                    Tile t = {alpha, beta, NULL,
                              last ? NULL : raw + row * npad + jp * NR, npad,
                              first ? NULL : raw + row * npad + jp * NR, npad};
                    tile(path, (int)sizes[bi], kc, apack + offsets[bi], 1, sizes[bi], bpack + jp * kc * NR, &t,
                         c + row * ldc + jp * NR, ldc, nr);
                }
            }
        }
    }
    free(bpack); free(apack); free(raw);
    return 1;
}

int rnnlab_gemm(int trans_a, int trans_b, long m, long n, long k, double alpha,
                const double *a, long lda, const double *b, long ldb, double beta, double *c, long ldc) {
    return gemm_on(best_path(), trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

int rnnlab_gemm_on(int path, int trans_a, int trans_b, long m, long n, long k, double alpha,
                   const double *a, long lda, const double *b, long ldb, double beta, double *c, long ldc) {
    if (!path_supported(path)) return 0;
    return gemm_on(path, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
