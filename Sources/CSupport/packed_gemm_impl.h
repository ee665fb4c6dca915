// The body of packed_gemm.c, written once for both precisions and included twice (see there).
// The including file defines
//   REAL                 double or float, the element type;
//   NAME(x)              the name of function x in this precision (x, or x_f32);
//   NR                   columns per panel: two 512-bit vectors (16 doubles, 32 floats);
//   FMA                  the scalar fused multiply-add (fma, fmaf);
//   V512, V256           vectors of REAL of 64 and 32 bytes, SPLAT512(s), SPLAT256(s) broadcasts;
//   PACK_FROM_F64        1 to also define rnnlab_pack_b_from_f64_f32 (float only).
// No include guard: it is meant to be included more than once.

#define LANES512 (NR / 2)
#define LANES256 (NR / 4)

#define SOURCE REAL
#define PACK_ROWS NAME(pack_b_rows)
#include "pack_b_impl.h"

long NAME(rnnlab_packed_size)(long k, long n) { return ((n + NR - 1) / NR) * NR * (k > 0 ? k : 1); }

long NAME(rnnlab_packed_workspace)(long m, long k) {
    return (m <= 0 ? 1 : m < MAX_ROWS ? m : MAX_ROWS) * (k > 0 ? k : 1);
}

void NAME(rnnlab_pack_b)(int trans, long k, long n, const REAL *b, long ldb, REAL *packed) {
    NAME(pack_b_rows)(trans, 0, k, n, b, ldb, packed);
}

#if PACK_FROM_F64
#define SOURCE double
#define PACK_ROWS NAME(pack_b_rows_from_f64)
#include "pack_b_impl.h"

void NAME(rnnlab_pack_b_from_f64)(int trans, long k, long n, const double *b, long ldb, REAL *packed) {
    NAME(pack_b_rows_from_f64)(trans, 0, k, n, b, ldb, packed);
}
#endif

/// What becomes of a tile's dot products: stored raw (a block of p that is not the last), or
/// finished into C by the one rule.
typedef struct {
    REAL alpha, beta;
    const REAL *bias;   // this panel's NR bias values, or NULL
    REAL *raw;          // non-NULL: store the partial sums here (row stride ld_raw), all NR columns
    long ld_raw;
    const REAL *init;   // non-NULL: the chains start from these partial sums (row stride ld_init)
    long ld_init;
} NAME(Tile);

static inline REAL NAME(finish)(REAL s, REAL alpha, REAL beta, const REAL *bias, long j, const REAL *c) {
    if (alpha != 1.0) s = alpha * s;
    if (bias) return s + bias[j];
    if (beta == 0.0) return s;
    if (beta == 1.0) return s + *c;
    return FMA(beta, *c, s);
}

/// Stores R rows of NR finished sums (or raw ones) from `sums` (row stride NR).
static inline __attribute__((always_inline))
void NAME(store_tile)(const int R, const REAL *sums, const NAME(Tile) *t, REAL *c, long ldc, long nr) {
    for (int i = 0; i < R; i++) {
        const REAL *s = sums + i * NR;
        if (t->raw) {
            memcpy(t->raw + i * t->ld_raw, s, NR * sizeof(REAL));
        } else {
            REAL *ci = c + i * ldc;
            for (long j = 0; j < nr; j++) ci[j] = NAME(finish)(s[j], t->alpha, t->beta, t->bias, j, ci + j);
        }
    }
}

/// The reference: R rows of one tile, one chain per element.
static void NAME(tile_scalar)(const int R, long k, const REAL *a, long rs, long cs, const REAL *b,
                              const NAME(Tile) *t, REAL *c, long ldc, long nr) {
    REAL sums[8 * NR];
    for (int i = 0; i < R; i++)
        for (int j = 0; j < NR; j++) {
            REAL s = t->init ? t->init[i * t->ld_init + j] : 0;
            for (long p = 0; p < k; p++) s = FMA(a[i * rs + p * cs], b[p * NR + j], s);
            sums[i * NR + j] = s;
        }
    NAME(store_tile)(R, sums, t, c, ldc, nr);
}

#if HAVE_X86
/// Element (i, p) of the left operand is a[i·rs + p·cs]: rs = 1, cs = R for a packed block;
/// rs = lda, cs = 1 for rows read in place; rs = 1, cs = lda for Aᵀ read in place.
/// R rows × NR columns in 2·R vector registers (16 for R = 8): lo holds the first half of the
/// panel's row, hi the second.
static inline __attribute__((always_inline)) TARGET_512
void NAME(tile_512)(const int R, long k, const REAL *restrict a, const long rs, const long cs, const REAL *restrict b,
                    const NAME(Tile) *t, REAL *c, long ldc, long nr) {
    V512 lo[8], hi[8];
    if (!t->raw && !t->bias && t->beta != 0) {
        // C is read when the tile finishes (β·C): asked for now, it arrives while the sums run. A
        // recurrent step adds hₜ₋₁·W_hhᵀ onto gates its input projection wrote long before (out of
        // cache in a large layer), where those loads showed as about 3 % of the kernel's samples.
        // A row of NR values may cross three cache lines; the addresses past its first are formed
        // in integers, since a partial panel's row may end before them.
        for (int i = 0; i < R; i++) {
            uintptr_t row = (uintptr_t)(c + i * ldc);
            __builtin_prefetch(c + i * ldc, 1, 3);
            __builtin_prefetch((const void *)(row + 64), 1, 3);
            __builtin_prefetch((const void *)(row + NR * sizeof(REAL) - 1), 1, 3);
        }
    }
    for (int i = 0; i < R; i++) {
        if (t->init) {
            lo[i] = *(const V512 *)(t->init + i * t->ld_init);
            hi[i] = *(const V512 *)(t->init + i * t->ld_init + LANES512);
        } else {
            lo[i] = (V512){0}; hi[i] = (V512){0};
        }
    }
    for (long p = 0; p < k; p++) {
        V512 b0 = *(const V512 *)(b + p * NR), b1 = *(const V512 *)(b + p * NR + LANES512);
        for (int i = 0; i < R; i++) {
            REAL s = a[i * rs + p * cs];
            V512 sv = SPLAT512(s);
            lo[i] = __builtin_elementwise_fma(sv, b0, lo[i]);
            hi[i] = __builtin_elementwise_fma(sv, b1, hi[i]);
        }
    }
    if (t->raw) {
        // Partial sums of a block of p that is not the last go straight from the registers.
        for (int i = 0; i < R; i++) {
            *(V512 *)(t->raw + i * t->ld_raw) = lo[i];
            *(V512 *)(t->raw + i * t->ld_raw + LANES512) = hi[i];
        }
        return;
    }
    if (nr == NR && t->alpha == 1) {
        // A whole panel with α = 1 (the recurrent layers' products among them) is finished in the
        // registers, lane by lane as NAME(finish) does — s + bias, s, s + C or fma(β, C, s) — rather
        // than through `sums` and back (the tiny LSTM step 2.4 % faster, the small one about 2 %,
        // in-process pairs; the input projection's sums are short, k = I, so the round trip was a
        // large share of its tiles).
        // (Read once: C's stores could otherwise alias the tile's description.)
        const REAL *bias = t->bias;
        const REAL beta = t->beta;
        for (int i = 0; i < R; i++) {
            REAL *ci = c + i * ldc;
            V512 l = lo[i], h = hi[i];
            if (bias) {
                l = l + *(const V512 *)bias;
                h = h + *(const V512 *)(bias + LANES512);
            } else if (beta == 1.0) {
                l = l + *(const V512 *)ci;
                h = h + *(const V512 *)(ci + LANES512);
            } else if (beta != 0.0) {
                V512 b = SPLAT512(beta);
                l = __builtin_elementwise_fma(b, *(const V512 *)ci, l);
                h = __builtin_elementwise_fma(b, *(const V512 *)(ci + LANES512), h);
            }
            *(V512 *)ci = l;
            *(V512 *)(ci + LANES512) = h;
        }
        return;
    }
    REAL sums[8 * NR];
    for (int i = 0; i < R; i++) { *(V512 *)(sums + i * NR) = lo[i]; *(V512 *)(sums + i * NR + LANES512) = hi[i]; }
    NAME(store_tile)(R, sums, t, c, ldc, nr);
}

/// The same tile for AVX2: at most two rows (8 chains of a quarter panel each, plus the panel row,
/// in 16 registers).
static inline __attribute__((always_inline)) TARGET_256
void NAME(tile_256)(const int R, long k, const REAL *restrict a, const long rs, const long cs, const REAL *restrict b,
                    const NAME(Tile) *t, REAL *c, long ldc, long nr) {
    V256 acc[2][4];
    for (int i = 0; i < R; i++)
        for (int q = 0; q < 4; q++)
            acc[i][q] = t->init ? *(const V256 *)(t->init + i * t->ld_init + LANES256 * q) : (V256){0};
    for (long p = 0; p < k; p++) {
        const REAL *row = b + p * NR;
        V256 b0 = *(const V256 *)row, b1 = *(const V256 *)(row + LANES256);
        V256 b2 = *(const V256 *)(row + 2 * LANES256), b3 = *(const V256 *)(row + 3 * LANES256);
        for (int i = 0; i < R; i++) {
            REAL s = a[i * rs + p * cs];
            V256 sv = SPLAT256(s);
            acc[i][0] = __builtin_elementwise_fma(sv, b0, acc[i][0]);
            acc[i][1] = __builtin_elementwise_fma(sv, b1, acc[i][1]);
            acc[i][2] = __builtin_elementwise_fma(sv, b2, acc[i][2]);
            acc[i][3] = __builtin_elementwise_fma(sv, b3, acc[i][3]);
        }
    }
    REAL sums[2 * NR];
    for (int i = 0; i < R; i++)
        for (int q = 0; q < 4; q++) *(V256 *)(sums + i * NR + LANES256 * q) = acc[i][q];
    NAME(store_tile)(R, sums, t, c, ldc, nr);
}

#define DEFINE_512(R) \
    static TARGET_512 void NAME(tile512_##R)(long k, const REAL *a, long rs, long cs, const REAL *b, const NAME(Tile) *t, \
                                             REAL *c, long ldc, long nr) \
    { NAME(tile_512)(R, k, a, rs, cs, b, t, c, ldc, nr); }
DEFINE_512(8)
DEFINE_512(4)
DEFINE_512(2)
DEFINE_512(1)
#undef DEFINE_512

static TARGET_256 void NAME(tile256_pair)(long k, const REAL *a, long rs, long cs, const REAL *b, const NAME(Tile) *t,
                                          REAL *c, long ldc, long nr)
{ NAME(tile_256)(2, k, a, rs, cs, b, t, c, ldc, nr); }
static TARGET_256 void NAME(tile256_one)(long k, const REAL *a, long rs, long cs, const REAL *b, const NAME(Tile) *t,
                                         REAL *c, long ldc, long nr)
{ NAME(tile_256)(1, k, a, rs, cs, b, t, c, ldc, nr); }
#endif

/// One R × NR tile of C (R = 8, 4, 2 or 1) on the chosen path.
static void NAME(tile)(int path, int R, long k, const REAL *a, long rs, long cs, const REAL *b,
                       const NAME(Tile) *t, REAL *c, long ldc, long nr) {
#if HAVE_X86
    if (path == PATH_AVX512) {
        switch (R) {
        case 8: NAME(tile512_8)(k, a, rs, cs, b, t, c, ldc, nr); return;
        case 4: NAME(tile512_4)(k, a, rs, cs, b, t, c, ldc, nr); return;
        case 2: NAME(tile512_2)(k, a, rs, cs, b, t, c, ldc, nr); return;
        default: NAME(tile512_1)(k, a, rs, cs, b, t, c, ldc, nr); return;
        }
    }
    if (path == PATH_AVX2) {
        for (int i0 = 0; i0 < R; i0 += 2) {
            NAME(Tile) sub = *t;
            if (sub.raw) sub.raw += i0 * sub.ld_raw;
            if (sub.init) sub.init += i0 * sub.ld_init;
            if (R - i0 >= 2) NAME(tile256_pair)(k, a + i0 * rs, rs, cs, b, &sub, c + i0 * ldc, ldc, nr);
            else NAME(tile256_one)(k, a + i0 * rs, rs, cs, b, &sub, c + i0 * ldc, ldc, nr);
        }
        return;
    }
#endif
    NAME(tile_scalar)(R, k, a, rs, cs, b, t, c, ldc, nr);
}

/// All of C's entries finished from empty sums (k = 0): C ← β·C, or the bias.
static void NAME(empty_product)(long m, long n, REAL alpha, REAL beta, const REAL *bias, REAL *c, long ldc) {
    for (long i = 0; i < m; i++)
        for (long j = 0; j < n; j++) c[i * ldc + j] = NAME(finish)(0, alpha, beta, bias, j, c + i * ldc + j);
}

/// The left operand: rows 0 … m1−1 of op(A) are those of op(a), the rest those of op(a2) (from
/// its row 0), so that two products with the same right operand can share its packing.
typedef struct {
    int trans;
    const REAL *a; long lda; long m1;
    const REAL *a2; long lda2;
} NAME(Left);

/// Rows `rows` of op(A) from row `base`, columns p0 … p0+kc−1, into blocks of 8/4/2/1 (element
/// (i, p) of a block at p·r + i). Returns the number of blocks; their first rows, sizes and offsets.
static long NAME(pack_a)(const NAME(Left) *A, long base, long rows, long p0, long kc,
                         REAL *out, long *starts, long *sizes, long *offsets) {
    long blocks = 0;
    REAL *pa = out;
    for (long i0 = 0; i0 < rows;) {
        long r = block_rows(rows - i0);
        long first = base + i0;
        if (first + r <= A->m1 || first >= A->m1) {
            // The block's rows all come from one operand (every block but one that straddles m1).
            int upper = first < A->m1;
            const REAL *a = upper ? A->a : A->a2;
            long lda = upper ? A->lda : A->lda2, at = upper ? first : first - A->m1;
            if (A->trans) {
                // Row i of op(A) is column i of the storage: the block's r values at each p are adjacent.
                for (long p = 0; p < kc; p++) {
                    const REAL *col = a + (p0 + p) * lda + at;
                    for (long i = 0; i < r; i++) pa[p * r + i] = col[i];
                }
            } else {
                for (long p = 0; p < kc; p++)
                    for (long i = 0; i < r; i++) pa[p * r + i] = a[(at + i) * lda + p0 + p];
            }
        } else {
            // Element (i, p) of the block is src[i][p·step[i]]: op(A) row i read along p.
            const REAL *src[8];
            long step[8];
            for (long i = 0; i < r; i++) {
                long row = first + i;
                const REAL *a = row < A->m1 ? A->a : A->a2;
                long lda = row < A->m1 ? A->lda : A->lda2, at = row < A->m1 ? row : row - A->m1;
                src[i] = A->trans ? a + at + p0 * lda : a + at * lda + p0;
                step[i] = A->trans ? lda : 1;
            }
            for (long p = 0; p < kc; p++)
                for (long i = 0; i < r; i++) pa[p * r + i] = src[i][p * step[i]];
        }
        starts[blocks] = base + i0; sizes[blocks] = r; offsets[blocks] = pa - out; blocks++;
        pa += r * kc;
        i0 += r;
    }
    return blocks;
}

static void NAME(gemm_packed_on)(int path, long m, long n, long k, const REAL *a, long lda, const REAL *packed,
                                 REAL beta, const REAL *bias, REAL *c, long ldc, REAL *workspace) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0) { NAME(empty_product)(m, n, 1, beta, bias, c, ldc); return; }
    long panels = (n + NR - 1) / NR;
    if (m * k * (long)sizeof(REAL) <= 65536) {
        // A small left operand (a step's batch of states, ≤ 64 KB) is read in place: packing it
        // would cost more than its strided rows do (measured 1–2 µs of a 37 µs step, in double).
        for (long jp = 0; jp < panels; jp++) {
            const REAL *pb = packed + jp * k * NR;
            long nr = n - jp * NR < NR ? n - jp * NR : NR;
            NAME(Tile) t = {1, beta, bias ? bias + jp * NR : NULL, NULL, 0, NULL, 0};
            for (long i0 = 0; i0 < m;) {
                long r = block_rows(m - i0);
                NAME(tile)(path, (int)r, k, a + i0 * lda, lda, 1, pb, &t, c + i0 * ldc + jp * NR, ldc, nr);
                i0 += r;
            }
        }
        return;
    }
    // Rows are taken in chunks whose packed copy (chunk × k) stays within ~512 KB, half of L2.
    long chunk = (524288 / (long)sizeof(REAL) / k) / 8 * 8;
    chunk = chunk < 8 ? 8 : chunk > MAX_ROWS ? MAX_ROWS : chunk;
    // Columns likewise in groups whose panels (k × group) stay within ~256 KB.
    long group = (262144 / (long)sizeof(REAL) / k) / NR;
    group = group < 1 ? 1 : group;
    long starts[MAX_ROWS / 8 + 3], sizes[MAX_ROWS / 8 + 3], offsets[MAX_ROWS / 8 + 3];
    for (long base = 0; base < m; base += chunk) {
        long rows = m - base < chunk ? m - base : chunk;
        NAME(Left) left = {0, a, lda, m, NULL, 0};
        long blocks = NAME(pack_a)(&left, base, rows, 0, k, workspace, starts, sizes, offsets);
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
                const REAL *block = workspace + offsets[bi];
                for (long jp = jp0; jp < jpEnd; jp++) {
                    long nr = n - jp * NR < NR ? n - jp * NR : NR;
                    NAME(Tile) t = {1, beta, bias ? bias + jp * NR : NULL, NULL, 0, NULL, 0};
                    NAME(tile)(path, (int)sizes[bi], k, block, 1, sizes[bi], packed + jp * k * NR, &t,
                               c + starts[bi] * ldc + jp * NR, ldc, nr);
                }
            }
        }
    }
}

void NAME(rnnlab_gemm_packed)(long m, long n, long k, const REAL *a, long lda, const REAL *packed,
                              REAL beta, const REAL *bias, REAL *c, long ldc, REAL *workspace) {
    NAME(gemm_packed_on)(best_path(), m, n, k, a, lda, packed, beta, bias, c, ldc, workspace);
}

int NAME(rnnlab_gemm_packed_on)(int path, long m, long n, long k, const REAL *a, long lda, const REAL *packed,
                                REAL beta, const REAL *bias, REAL *c, long ldc, REAL *workspace) {
    if (!path_supported(path)) return 0;
    NAME(gemm_packed_on)(path, m, n, k, a, lda, packed, beta, bias, c, ldc, workspace);
    return 1;
}

static int NAME(gemm_on)(int path, const NAME(Left) *left, int trans_b, long m, long n, long k, REAL alpha,
                         const REAL *b, long ldb, REAL beta, REAL *c, long ldc) {
    if (m <= 0 || n <= 0) return 1;
    if (k <= 0) { NAME(empty_product)(m, n, alpha, beta, NULL, c, ldc); return 1; }
    long panels = (n + NR - 1) / NR, npad = panels * NR;
    long kcMax = k < KC ? k : KC;
    long kBlocks = (k + KC - 1) / KC;
    long mc = m < MC ? m : MC;
    REAL *bpack = scratch_take(0, sizeof(REAL) * (size_t)(kcMax * npad));
    REAL *apack = scratch_take(1, sizeof(REAL) * (size_t)(mc * kcMax));
    // Partial sums between blocks of p, when there is more than one (row stride npad).
    REAL *raw = kBlocks > 1 ? scratch_take(2, sizeof(REAL) * (size_t)(m * npad)) : NULL;
#define GIVE_BACK() (scratch_give(0, bpack), scratch_give(1, apack), scratch_give(2, raw))
    if (!bpack || !apack || (kBlocks > 1 && !raw)) { GIVE_BACK(); return -1; }
    long starts[MC / 8 + 3], sizes[MC / 8 + 3], offsets[MC / 8 + 3];
    for (long kb = 0; kb < kBlocks; kb++) {
        long p0 = kb * KC, kc = k - p0 < KC ? k - p0 : KC;
        int first = kb == 0, last = kb == kBlocks - 1;
        NAME(pack_b_rows)(trans_b, p0, kc, n, b, ldb, bpack);
        for (long base = 0; base < m; base += MC) {
            long rows = m - base < MC ? m - base : MC;
            long blocks = NAME(pack_a)(left, base, rows, p0, kc, apack, starts, sizes, offsets);
            for (long jp = 0; jp < panels; jp++) {
                // Ctrl-C: one relaxed load per panel (≤ MC × KC × NR multiply-adds, microseconds).
                if (rnnlab_cancel_pending()) { GIVE_BACK(); return 2; }
                long nr = n - jp * NR < NR ? n - jp * NR : NR;
                for (long bi = 0; bi < blocks; bi++) {
                    long row = starts[bi];
                    NAME(Tile) t = {alpha, beta, NULL,
                                    last ? NULL : raw + row * npad + jp * NR, npad,
                                    first ? NULL : raw + row * npad + jp * NR, npad};
                    NAME(tile)(path, (int)sizes[bi], kc, apack + offsets[bi], 1, sizes[bi], bpack + jp * kc * NR, &t,
                               c + row * ldc + jp * NR, ldc, nr);
                }
            }
        }
    }
    GIVE_BACK();
#undef GIVE_BACK
    return 1;
}

int NAME(rnnlab_gemm_packing_b)(long m, long n, long k, const REAL *a, long lda, const REAL *b, long ldb, int trans_b,
                                REAL beta, const REAL *bias, REAL *c, long ldc) {
    REAL *packed = scratch_take(0, sizeof(REAL) * (size_t)NAME(rnnlab_packed_size)(k, n));
    REAL *workspace = scratch_take(1, sizeof(REAL) * (size_t)NAME(rnnlab_packed_workspace)(m, k));
    if (packed && workspace) {
        NAME(rnnlab_pack_b)(trans_b, k, n, b, ldb, packed);
        NAME(gemm_packed_on)(best_path(), m, n, k, a, lda, packed, beta, bias, c, ldc, workspace);
    }
    int done = packed && workspace ? 1 : -1;
    scratch_give(0, packed);
    scratch_give(1, workspace);
    return done;
}

int NAME(rnnlab_gemm)(int trans_a, int trans_b, long m, long n, long k, REAL alpha,
                      const REAL *a, long lda, const REAL *b, long ldb, REAL beta, REAL *c, long ldc) {
    NAME(Left) left = {trans_a, a, lda, m, NULL, 0};
    return NAME(gemm_on)(best_path(), &left, trans_b, m, n, k, alpha, b, ldb, beta, c, ldc);
}

int NAME(rnnlab_gemm_on)(int path, int trans_a, int trans_b, long m, long n, long k, REAL alpha,
                         const REAL *a, long lda, const REAL *b, long ldb, REAL beta, REAL *c, long ldc) {
    if (!path_supported(path)) return 0;
    NAME(Left) left = {trans_a, a, lda, m, NULL, 0};
    return NAME(gemm_on)(path, &left, trans_b, m, n, k, alpha, b, ldb, beta, c, ldc);
}

int NAME(rnnlab_gemm_stacked)(int trans_a, int trans_b, long m1, long m2, long n, long k, REAL alpha,
                              const REAL *a1, long lda1, const REAL *a2, long lda2, const REAL *b, long ldb,
                              REAL beta, REAL *c, long ldc) {
    NAME(Left) left = {trans_a, a1, lda1, m1, a2, lda2};
    return NAME(gemm_on)(best_path(), &left, trans_b, m1 + m2, n, k, alpha, b, ldb, beta, c, ldc);
}

int NAME(rnnlab_gemm_stacked_on)(int path, int trans_a, int trans_b, long m1, long m2, long n, long k, REAL alpha,
                                 const REAL *a1, long lda1, const REAL *a2, long lda2, const REAL *b, long ldb,
                                 REAL beta, REAL *c, long ldc) {
    if (!path_supported(path)) return 0;
    NAME(Left) left = {trans_a, a1, lda1, m1, a2, lda2};
    return NAME(gemm_on)(path, &left, trans_b, m1 + m2, n, k, alpha, b, ldb, beta, c, ldc);
}

#undef LANES512
#undef LANES256
