// Between the engine's storage (double) and the float kernels' buffers (see precision_conversion.h).
#include "precision_conversion.h"
#include "exp_kernel.h"
#include "transpose8.h"

MULTIVERSION void rnnlab_narrow_f64(const double *restrict src, float *restrict dst, long n) {
    for (long i = 0; i < n; i++) dst[i] = (float)src[i];
}

MULTIVERSION void rnnlab_narrow_add_f64(const double *restrict src, const float *restrict add, float *restrict dst, long n) {
    for (long i = 0; i < n; i++) dst[i] = (float)src[i] + add[i];
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

DEFINE_TRANSPOSE8(transpose8_doubles, v8d_t)

MULTIVERSION void rnnlab_transposed_widen_f32(long rows, long cols, const float *restrict src, double *restrict dst) {
    // 8 × 8 blocks: eight rows of eight floats loaded, widened to doubles, turned in registers and
    // stored as eight rows of eight doubles; the edges past the last whole block one by one.
    long r0 = 0;
    for (; r0 + 8 <= rows; r0 += 8) {
        long c0 = 0;
        for (; c0 + 8 <= cols; c0 += 8) {
            v8d_t r[8];
            for (int i = 0; i < 8; i++) r[i] = __builtin_convertvector(*(const v8f_t *)(src + (r0 + i) * cols + c0), v8d_t);
            transpose8_doubles(r);
            for (int i = 0; i < 8; i++) *(v8d_t *)(dst + (c0 + i) * rows + r0) = r[i];
        }
        for (long r = r0; r < r0 + 8; r++)
            for (long c = c0; c < cols; c++) dst[c * rows + r] = (double)src[r * cols + c];
    }
    for (long r = r0; r < rows; r++)
        for (long c = 0; c < cols; c++) dst[c * rows + r] = (double)src[r * cols + c];
}

MULTIVERSION void rnnlab_column_sums_f32(const float *restrict p, long rows, long width, double *restrict sums) {
    for (long i = 0; i < rows; i++) {
        const float *row = p + i * width;
        for (long k = 0; k < width; k++) sums[k] += (double)row[k];
    }
}
