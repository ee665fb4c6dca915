// Packed-operand GEMM for the recurrent step (see packed_gemm.h for why it exists).
//
// Layout. op(B) (k × n) is cut into panels of NR = 16 columns; panel j holds rows p = 0…k−1 of
// columns 16j…16j+15 one after another (16 doubles per row, zero beyond column n). The left
// operand is packed per call into blocks of R rows (R = 8, then 4, 2, 1 for the remainder):
// element (i, p) of a block at p·R + i, so the kernel reads both operands strictly forwards.
//
// Kernel. For an R × 16 block of C it keeps 2R accumulators of 8 doubles in registers and, for
// each p, loads one panel row (two vectors), broadcasts R elements of A and issues 2R fused
// multiply-adds. With R = 8 that is 16 independent accumulation chains — enough to cover the FMA
// latency — and two loads plus eight broadcasts per sixteen FMAs, so the FMA units, not memory,
// set the pace while the panel streams from L1/L2.
#include "packed_gemm.h"
#include <stddef.h>
#include <string.h>

#define NR 16
#define MAX_ROWS 512

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define HAVE_KERNEL 1
#define KERNEL_TARGET __attribute__((target("avx512f,fma")))
#else
#define HAVE_KERNEL 0
#define KERNEL_TARGET
#endif

int rnnlab_packed_gemm_supported(void) {
#if HAVE_KERNEL
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}

long rnnlab_packed_size(long k, long n) { return ((n + NR - 1) / NR) * NR * (k > 0 ? k : 1); }

long rnnlab_packed_workspace(long m, long k) {
    return (m <= 0 ? 1 : m < MAX_ROWS ? m : MAX_ROWS) * (k > 0 ? k : 1);
}

void rnnlab_pack_b(int trans, long k, long n, const double *b, long ldb, double *packed) {
    long panels = (n + NR - 1) / NR;
    for (long jp = 0; jp < panels; jp++) {
        double *out = packed + jp * k * NR;
        long j0 = jp * NR, width = n - j0 < NR ? n - j0 : NR;
        if (!trans) {
            for (long p = 0; p < k; p++) {
                const double *row = b + p * ldb + j0;
                double *o = out + p * NR;
                long jj = 0;
                for (; jj < width; jj++) o[jj] = row[jj];
                for (; jj < NR; jj++) o[jj] = 0.0;
            }
        } else {
            // B stored n × k: column j of op(B) is row j of the storage, read along p.
            for (long jj = 0; jj < NR; jj++) {
                if (jj < width) {
                    const double *col = b + (j0 + jj) * ldb;
                    for (long p = 0; p < k; p++) out[p * NR + jj] = col[p];
                } else {
                    for (long p = 0; p < k; p++) out[p * NR + jj] = 0.0;
                }
            }
        }
    }
}

#if HAVE_KERNEL
typedef double v8 __attribute__((vector_size(64), aligned(8)));

/// Element (i, p) of the left operand is a[i·rs + p·cs]: rs = 1, cs = R for a packed block;
/// rs = lda, cs = 1 for rows read in place.
static inline __attribute__((always_inline)) KERNEL_TARGET
void kernel_rows(const int R, long k, const double *restrict a, const long rs, const long cs, const double *restrict b,
                 double beta, const double *restrict bias, double *restrict c, long ldc, long nr) {
    v8 lo[8], hi[8];
    for (int i = 0; i < R; i++) { lo[i] = (v8){0}; hi[i] = (v8){0}; }
    for (long p = 0; p < k; p++) {
        v8 b0 = *(const v8 *)(b + p * NR), b1 = *(const v8 *)(b + p * NR + 8);
        for (int i = 0; i < R; i++) {
            double s = a[i * rs + p * cs];
            lo[i] += s * b0;
            hi[i] += s * b1;
        }
    }
    if (nr == NR) {
        for (int i = 0; i < R; i++) {
            v8 *ci = (v8 *)(c + i * ldc);
            if (bias) { ci[0] = lo[i] + *(const v8 *)bias; ci[1] = hi[i] + *(const v8 *)(bias + 8); }
            else if (beta == 0.0) { ci[0] = lo[i]; ci[1] = hi[i]; }
            else if (beta == 1.0) { ci[0] += lo[i]; ci[1] += hi[i]; }
            else { ci[0] = lo[i] + beta * ci[0]; ci[1] = hi[i] + beta * ci[1]; }
        }
    } else {
        // The last panel of a matrix whose width is not a multiple of 16: only nr columns exist.
        for (int i = 0; i < R; i++) {
            double tile[NR];
            *(v8 *)tile = lo[i];
            *(v8 *)(tile + 8) = hi[i];
            double *ci = c + i * ldc;
            for (long j = 0; j < nr; j++) ci[j] = tile[j] + (bias ? bias[j] : beta == 0.0 ? 0.0 : beta * ci[j]);
        }
    }
}

static KERNEL_TARGET void kernel8(long k, const double *a, const double *b, double beta, const double *bias, double *c, long ldc, long nr) { kernel_rows(8, k, a, 1, 8, b, beta, bias, c, ldc, nr); }
static KERNEL_TARGET void kernel4(long k, const double *a, const double *b, double beta, const double *bias, double *c, long ldc, long nr) { kernel_rows(4, k, a, 1, 4, b, beta, bias, c, ldc, nr); }
static KERNEL_TARGET void kernel2(long k, const double *a, const double *b, double beta, const double *bias, double *c, long ldc, long nr) { kernel_rows(2, k, a, 1, 2, b, beta, bias, c, ldc, nr); }
static KERNEL_TARGET void kernel1(long k, const double *a, const double *b, double beta, const double *bias, double *c, long ldc, long nr) { kernel_rows(1, k, a, 1, 1, b, beta, bias, c, ldc, nr); }
static KERNEL_TARGET void direct8(long k, const double *a, long lda, const double *b, double beta, const double *bias, double *c, long ldc, long nr) { kernel_rows(8, k, a, lda, 1, b, beta, bias, c, ldc, nr); }
static KERNEL_TARGET void direct4(long k, const double *a, long lda, const double *b, double beta, const double *bias, double *c, long ldc, long nr) { kernel_rows(4, k, a, lda, 1, b, beta, bias, c, ldc, nr); }
static KERNEL_TARGET void direct2(long k, const double *a, long lda, const double *b, double beta, const double *bias, double *c, long ldc, long nr) { kernel_rows(2, k, a, lda, 1, b, beta, bias, c, ldc, nr); }
static KERNEL_TARGET void direct1(long k, const double *a, long lda, const double *b, double beta, const double *bias, double *c, long ldc, long nr) { kernel_rows(1, k, a, lda, 1, b, beta, bias, c, ldc, nr); }
#endif

/// Any machine: the same sums in the same order, one element at a time.
static void scalar_packed(long m, long n, long k, const double *a, long lda, const double *packed,
                          double beta, const double *bias, double *c, long ldc) {
    for (long i = 0; i < m; i++)
        for (long j = 0; j < n; j++) {
            const double *pb = packed + (j / NR) * k * NR + j % NR;
            double sum = 0.0;
            for (long p = 0; p < k; p++) sum += a[i * lda + p] * pb[p * NR];
            c[i * ldc + j] = sum + (bias ? bias[j] : beta == 0.0 ? 0.0 : beta * c[i * ldc + j]);
        }
}

void rnnlab_gemm_packed(long m, long n, long k, const double *a, long lda, const double *packed,
                        double beta, const double *bias, double *c, long ldc, double *workspace) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0) {  // an empty sum: C ← β·C, or the bias
        for (long i = 0; i < m; i++)
            for (long j = 0; j < n; j++) c[i * ldc + j] = bias ? bias[j] : beta == 0.0 ? 0.0 : beta * c[i * ldc + j];
        return;
    }
#if HAVE_KERNEL
    if (!rnnlab_packed_gemm_supported()) { scalar_packed(m, n, k, a, lda, packed, beta, bias, c, ldc); return; }
    long panels = (n + NR - 1) / NR;
    if (m * k <= 8192) {
        // A small left operand (a step's batch of states, ≤ 64 KB) is read in place: packing it
        // would cost more than its strided rows do (measured 1–2 µs of a 37 µs step).
        for (long jp = 0; jp < panels; jp++) {
            const double *pb = packed + jp * k * NR;
            long nr = n - jp * NR < NR ? n - jp * NR : NR;
            const double *bb = bias ? bias + jp * NR : NULL;
            for (long i0 = 0; i0 < m;) {
                long r = m - i0 >= 8 ? 8 : m - i0 >= 4 ? 4 : m - i0 >= 2 ? 2 : 1;
                const double *ai = a + i0 * lda;
                double *cc = c + i0 * ldc + jp * NR;
                switch (r) {
                case 8: direct8(k, ai, lda, pb, beta, bb, cc, ldc, nr); break;
                case 4: direct4(k, ai, lda, pb, beta, bb, cc, ldc, nr); break;
                case 2: direct2(k, ai, lda, pb, beta, bb, cc, ldc, nr); break;
                default: direct1(k, ai, lda, pb, beta, bb, cc, ldc, nr); break;
                }
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
    for (long base = 0; base < m; base += chunk) {
        long rows = m - base < chunk ? m - base : chunk;
        // Row blocks of 8, then at most one each of 4, 2 and 1; element (i, p) at p·r + i.
        long starts[MAX_ROWS / 8 + 3], sizes[MAX_ROWS / 8 + 3], offsets[MAX_ROWS / 8 + 3], blocks = 0;
        double *pa = workspace;
        for (long i0 = 0; i0 < rows;) {
            long r = rows - i0 >= 8 ? 8 : rows - i0 >= 4 ? 4 : rows - i0 >= 2 ? 2 : 1;
            const double *src = a + (base + i0) * lda;
            for (long p = 0; p < k; p++)
                for (long i = 0; i < r; i++) pa[p * r + i] = src[i * lda + p];
            starts[blocks] = base + i0; sizes[blocks] = r; offsets[blocks] = pa - workspace; blocks++;
            pa += r * k;
            i0 += r;
        }
        // A few row blocks (a recurrent step's batch): each panel is loaded once and reused from
        // L1 by every block. Many (a product over all time steps): a group of panels stays in L2
        // while every block passes over it, and C is written a row block at a time — walking one
        // panel down hundreds of rows would hit C at a stride that maps them all to a few cache sets.
        long panelsPerPass = blocks <= 8 ? 1 : group;
        for (long jp0 = 0; jp0 < panels; jp0 += panelsPerPass) {
            long jpEnd = jp0 + panelsPerPass < panels ? jp0 + panelsPerPass : panels;
            for (long bi = 0; bi < blocks; bi++) {
                const double *block = workspace + offsets[bi];
                for (long jp = jp0; jp < jpEnd; jp++) {
                    const double *pb = packed + jp * k * NR;
                    long nr = n - jp * NR < NR ? n - jp * NR : NR;
                    double *cc = c + starts[bi] * ldc + jp * NR;
                    switch (sizes[bi]) {
                    case 8: kernel8(k, block, pb, beta, bias ? bias + jp * NR : NULL, cc, ldc, nr); break;
                    case 4: kernel4(k, block, pb, beta, bias ? bias + jp * NR : NULL, cc, ldc, nr); break;
                    case 2: kernel2(k, block, pb, beta, bias ? bias + jp * NR : NULL, cc, ldc, nr); break;
                    default: kernel1(k, block, pb, beta, bias ? bias + jp * NR : NULL, cc, ldc, nr); break;
                    }
                }
            }
        }
    }
#else
    (void)workspace;
    scalar_packed(m, n, k, a, lda, packed, beta, bias, c, ldc);
#endif
}
