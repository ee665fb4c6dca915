// Between the engine's storage (double) and the float kernels' buffers (see precision_conversion.h).
#include "precision_conversion.h"
#include "exp_kernel.h"

MULTIVERSION void rnnlab_narrow_f64(const double *restrict src, float *restrict dst, long n) {
    for (long i = 0; i < n; i++) dst[i] = (float)src[i];
}

MULTIVERSION void rnnlab_widen_f32(const float *restrict src, double *restrict dst, long n) {
    for (long i = 0; i < n; i++) dst[i] = (double)src[i];
}

typedef double v8d_t __attribute__((vector_size(64), aligned(8)));
typedef float v8f_t __attribute__((vector_size(32), aligned(4)));
typedef long v8l_t __attribute__((vector_size(64)));

MULTIVERSION int rnnlab_all_float32(const double *restrict src, long n) {
    // Eight at a time in vector-extension types (the plain loop is not vectorised by clang), one
    // early exit per 64 values: a float64 result usually fails in its first block.
    long i = 0;
    while (i + 8 <= n) {
        v8l_t inexact = {0};
        long stop = i + 64 <= n ? i + 64 : n - (n - i) % 8;
        for (; i < stop; i += 8) {
            v8d_t x = *(const v8d_t *)(src + i);
            v8d_t y = __builtin_convertvector(__builtin_convertvector(x, v8f_t), v8d_t);
            inexact |= (y != x) & (x == x);  // NaN is not equal to itself, and is a float anyway
        }
        for (int j = 0; j < 8; j++)
            if (inexact[j]) return 0;
    }
    for (; i < n; i++) {
        double x = src[i];
        if (!((double)(float)x == x || x != x)) return 0;
    }
    return 1;
}

MULTIVERSION void rnnlab_column_sums_f32(const float *restrict p, long rows, long width, double *restrict sums) {
    for (long i = 0; i < rows; i++) {
        const float *row = p + i * width;
        for (long k = 0; k < width; k++) sums[k] += (double)row[k];
    }
}
