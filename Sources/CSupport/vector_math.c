// Elementwise exp, sigmoid and tanh over arrays (the exponential itself is in exp_kernel.h).
#include "vector_math.h"
#include "exp_kernel.h"

MULTIVERSION void rnnlab_vexp(const double *x, double *y, long n) {
    // Each y[i] depends on x[i] alone, so the loop vectorises even in place (x == y), where
    // clang's run-time overlap check would otherwise fall back to the scalar loop.
    _Pragma("clang loop vectorize(assume_safety)")
    for (long i = 0; i < n; i++) y[i] = exp_kernel(x[i]);
}

MULTIVERSION void rnnlab_vsigmoid(const double *x, double *y, long n) {
    // Each y[i] depends on x[i] alone, so the loop vectorises even in place (x == y), where
    // clang's run-time overlap check would otherwise fall back to the scalar loop.
    _Pragma("clang loop vectorize(assume_safety)")
    for (long i = 0; i < n; i++) y[i] = sigmoid_kernel(x[i]);
}

MULTIVERSION void rnnlab_vtanh(const double *x, double *y, long n) {
    // Each y[i] depends on x[i] alone, so the loop vectorises even in place (x == y), where
    // clang's run-time overlap check would otherwise fall back to the scalar loop.
    _Pragma("clang loop vectorize(assume_safety)")
    for (long i = 0; i < n; i++) y[i] = tanh_kernel(x[i]);
}

MULTIVERSION void rnnlab_row_times_matrix(long rows, long cols, double alpha, const double *restrict x, long incx,
                                          const double *restrict a, long lda, double beta, double *restrict y) {
    if (beta == 0.0) {
        for (long j = 0; j < cols; j++) y[j] = 0.0;
    } else if (beta != 1.0) {
        for (long j = 0; j < cols; j++) y[j] *= beta;
    }
    long r = 0;
    for (; r + 4 <= rows; r += 4) {
        const double *a0 = a + r * lda, *a1 = a0 + lda, *a2 = a1 + lda, *a3 = a2 + lda;
        double x0 = alpha * x[r * incx], x1 = alpha * x[(r + 1) * incx];
        double x2 = alpha * x[(r + 2) * incx], x3 = alpha * x[(r + 3) * incx];
        for (long j = 0; j < cols; j++) y[j] += (x0 * a0[j] + x1 * a1[j]) + (x2 * a2[j] + x3 * a3[j]);
    }
    for (; r < rows; r++) {
        const double *ar = a + r * lda;
        double xr = alpha * x[r * incx];
        for (long j = 0; j < cols; j++) y[j] += xr * ar[j];
    }
}

void rnnlab_transpose(long rows, long cols, const double *restrict src, double *restrict dst) {
    for (long r0 = 0; r0 < rows; r0 += 8)
        for (long c0 = 0; c0 < cols; c0 += 8) {
            long r1 = r0 + 8 < rows ? r0 + 8 : rows, c1 = c0 + 8 < cols ? c0 + 8 : cols;
            for (long r = r0; r < r1; r++)
                for (long c = c0; c < c1; c++) dst[c * rows + r] = src[r * cols + c];
        }
}
