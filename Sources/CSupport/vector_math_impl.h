// The body of vector_math.c, written once for both precisions and included twice (see there).
// The including file defines
//   REAL                                 double or float;
//   NAME(x)                              the name of function x in this precision (x, or x_f32);
//   EXP_OF, SIGMOID_OF, TANH_OF          the inline nonlinearities of one REAL (exp_kernel.h);
//   VREG                                 a 64-byte vector of REAL (8 doubles, 16 floats).
// No include guard: it is meant to be included more than once.

#define LANES (64 / (long)sizeof(REAL))

MULTIVERSION void NAME(rnnlab_vexp)(const REAL *x, REAL *y, long n) {
    // Each y[i] depends on x[i] alone, so the loop vectorises even in place (x == y), where
    // clang's run-time overlap check would otherwise fall back to the scalar loop.
    _Pragma("clang loop vectorize(assume_safety)")
    for (long i = 0; i < n; i++) y[i] = EXP_OF(x[i]);
}

MULTIVERSION void NAME(rnnlab_vsigmoid)(const REAL *x, REAL *y, long n) {
    // Each y[i] depends on x[i] alone, so the loop vectorises even in place (x == y), where
    // clang's run-time overlap check would otherwise fall back to the scalar loop.
    _Pragma("clang loop vectorize(assume_safety)")
    for (long i = 0; i < n; i++) y[i] = SIGMOID_OF(x[i]);
}

MULTIVERSION void NAME(rnnlab_vtanh)(const REAL *x, REAL *y, long n) {
    // Each y[i] depends on x[i] alone, so the loop vectorises even in place (x == y), where
    // clang's run-time overlap check would otherwise fall back to the scalar loop.
    _Pragma("clang loop vectorize(assume_safety)")
    for (long i = 0; i < n; i++) y[i] = TANH_OF(x[i]);
}

/// y[0..<LANES·q] ← β·y + α·Σᵣ x[r]·A[r, 0..<LANES·q] with y held in q vector registers.
static inline __attribute__((always_inline))
void NAME(columns_in_registers)(const int q, long rows, REAL alpha, const REAL *restrict x, long incx,
                                const REAL *restrict a, long lda, REAL beta, REAL *restrict y) {
    VREG acc[8];
    for (int k = 0; k < q; k++) {
        VREG old = *(const VREG *)(y + LANES * k);
        acc[k] = beta == 0.0 ? (VREG){0} : beta == 1.0 ? old : beta * old;
    }
    // Rows four at a time, summed in the same order as the wide-row loop below, so that both
    // give the same roundings.
    long r = 0;
    for (; r + 4 <= rows; r += 4) {
        const REAL *a0 = a + r * lda, *a1 = a0 + lda, *a2 = a1 + lda, *a3 = a2 + lda;
        REAL x0 = alpha * x[r * incx], x1 = alpha * x[(r + 1) * incx];
        REAL x2 = alpha * x[(r + 2) * incx], x3 = alpha * x[(r + 3) * incx];
        for (int k = 0; k < q; k++) {
            VREG v0 = *(const VREG *)(a0 + LANES * k), v1 = *(const VREG *)(a1 + LANES * k);
            VREG v2 = *(const VREG *)(a2 + LANES * k), v3 = *(const VREG *)(a3 + LANES * k);
            acc[k] += (x0 * v0 + x1 * v1) + (x2 * v2 + x3 * v3);
        }
    }
    for (; r < rows; r++) {
        REAL xr = alpha * x[r * incx];
        const REAL *ar = a + r * lda;
        for (int k = 0; k < q; k++) acc[k] += xr * *(const VREG *)(ar + LANES * k);
    }
    for (int k = 0; k < q; k++) *(VREG *)(y + LANES * k) = acc[k];
}

static inline __attribute__((always_inline))
void NAME(row_times_matrix_body)(long rows, long cols, REAL alpha, const REAL *restrict x, long incx,
                                 const REAL *restrict a, long lda, REAL beta, REAL *restrict y) {
    if (cols > 16 * LANES) {
        // Wide rows (hₜ₋₁·W_hhᵀ forwards): y stays in L1 and A streams by, four rows per pass over y.
        if (beta == 0.0) {
            for (long j = 0; j < cols; j++) y[j] = 0.0;
        } else if (beta != 1.0) {
            for (long j = 0; j < cols; j++) y[j] *= beta;
        }
        long r = 0;
        for (; r + 4 <= rows; r += 4) {
            const REAL *a0 = a + r * lda, *a1 = a0 + lda, *a2 = a1 + lda, *a3 = a2 + lda;
            REAL x0 = alpha * x[r * incx], x1 = alpha * x[(r + 1) * incx];
            REAL x2 = alpha * x[(r + 2) * incx], x3 = alpha * x[(r + 3) * incx];
            for (long j = 0; j < cols; j++) y[j] += (x0 * a0[j] + x1 * a1[j]) + (x2 * a2[j] + x3 * a3[j]);
        }
        for (; r < rows; r++) {
            const REAL *ar = a + r * lda;
            REAL xr = alpha * x[r * incx];
            for (long j = 0; j < cols; j++) y[j] += xr * ar[j];
        }
        return;
    }
    // Narrow rows (∂L/∂aₜ·W_hh backwards, many rows of H): up to 8 registers of y at a time (64
    // doubles, 128 floats) live in vector registers while every row of A passes, so y is not
    // reloaded and stored per row block (64 × 256 doubles: 1.6 → 1.2 µs, the time to stream A from
    // L2). Less than one register left: column by column.
    long j0 = 0;
    for (; j0 + 8 * LANES <= cols; j0 += 8 * LANES)
        NAME(columns_in_registers)(8, rows, alpha, x, incx, a + j0, lda, beta, y + j0);
    if (j0 + 4 * LANES <= cols) { NAME(columns_in_registers)(4, rows, alpha, x, incx, a + j0, lda, beta, y + j0); j0 += 4 * LANES; }
    if (j0 + 2 * LANES <= cols) { NAME(columns_in_registers)(2, rows, alpha, x, incx, a + j0, lda, beta, y + j0); j0 += 2 * LANES; }
    if (j0 + LANES <= cols) { NAME(columns_in_registers)(1, rows, alpha, x, incx, a + j0, lda, beta, y + j0); j0 += LANES; }
    for (long j = j0; j < cols; j++) {
        REAL sum = beta == 0.0 ? 0.0 : beta == 1.0 ? y[j] : beta * y[j];
        long r = 0;
        for (; r + 4 <= rows; r += 4) {
            const REAL *a0 = a + r * lda + j;
            REAL x0 = alpha * x[r * incx], x1 = alpha * x[(r + 1) * incx];
            REAL x2 = alpha * x[(r + 2) * incx], x3 = alpha * x[(r + 3) * incx];
            sum += (x0 * a0[0] + x1 * a0[lda]) + (x2 * a0[2 * lda] + x3 * a0[3 * lda]);
        }
        for (; r < rows; r++) sum += (alpha * x[r * incx]) * a[r * lda + j];
        y[j] = sum;
    }
}

MULTIVERSION void NAME(rnnlab_row_times_matrix)(long rows, long cols, REAL alpha, const REAL *restrict x, long incx,
                                                const REAL *restrict a, long lda, REAL beta, REAL *restrict y) {
    // The recurrent products (a single sequence's hₜ₋₁·W_hhᵀ and ∂L/∂aₜ·W_hh) come with α = 1 and
    // a contiguous row: the body with those constants folded in broadcasts each xᵣ straight from
    // memory, without the multiply and the strided index (a float 256 × 64 product from L2: 750 →
    // 580 ns; 128 × 32 from L1: 170 → 135 ns). 1·xᵣ is xᵣ exactly, so both give the same bits.
    if (alpha == 1 && incx == 1) NAME(row_times_matrix_body)(rows, cols, 1, x, 1, a, lda, beta, y);
    else NAME(row_times_matrix_body)(rows, cols, alpha, x, incx, a, lda, beta, y);
}

/// Eight values of REAL (32 bytes of float, 64 of double), read and written at any address.
typedef REAL NAME(v8r) __attribute__((vector_size(8 * sizeof(REAL)), aligned(sizeof(REAL))));

DEFINE_TRANSPOSE8(NAME(transpose8_in_registers), NAME(v8r))

/// One 8 × 8 block, src rows `ls` apart, into dst rows `ld` apart, transposed in registers
/// (transpose8.h): eight row loads, 24 shuffles, eight row stores.
static inline __attribute__((always_inline))
void NAME(transpose_block8)(const REAL *restrict src, long ls, REAL *restrict dst, long ld) {
    typedef NAME(v8r) v;
    v r[8];
    for (int i = 0; i < 8; i++) r[i] = *(const v *)(src + i * ls);
    NAME(transpose8_in_registers)(r);
    for (int i = 0; i < 8; i++) *(v *)(dst + i * ld) = r[i];
}

MULTIVERSION void NAME(rnnlab_transpose)(long rows, long cols, const REAL *restrict src, REAL *restrict dst) {
    long r0 = 0;
    for (; r0 + 8 <= rows; r0 += 8) {
        long c0 = 0;
        for (; c0 + 8 <= cols; c0 += 8) NAME(transpose_block8)(src + r0 * cols + c0, cols, dst + c0 * rows + r0, rows);
        for (long r = r0; r < r0 + 8; r++)  // the columns past the last whole block
            for (long c = c0; c < cols; c++) dst[c * rows + r] = src[r * cols + c];
    }
    for (long r = r0; r < rows; r++)  // the rows past the last whole block
        for (long c = 0; c < cols; c++) dst[c * rows + r] = src[r * cols + c];
}

#undef LANES
