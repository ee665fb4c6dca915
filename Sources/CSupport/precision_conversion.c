// Between the engine's storage (double) and the float kernels' buffers (see precision_conversion.h).
#include "precision_conversion.h"
#include "exp_kernel.h"

MULTIVERSION void rnnlab_narrow_f64(const double *restrict src, float *restrict dst, long n) {
    for (long i = 0; i < n; i++) dst[i] = (float)src[i];
}

MULTIVERSION void rnnlab_widen_f32(const float *restrict src, double *restrict dst, long n) {
    for (long i = 0; i < n; i++) dst[i] = (double)src[i];
}
