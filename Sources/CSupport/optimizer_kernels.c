// SGD updates with the fused multiply-adds PyTorch's CPU kernels use (see optimizer_kernels.h).
#include "optimizer_kernels.h"
#include "exp_kernel.h"
#include <math.h>

// Only the fused multiply-adds PyTorch's kernels use: every other product and sum is rounded on its own.
#pragma clang fp contract(off)

MULTIVERSION void rnnlab_sgd_update(long n, double *restrict p, const double *restrict g, double lr,
                                    double weight_decay) {
    if (weight_decay != 0.0) {
        for (long k = 0; k < n; k++) p[k] = fma(-lr, fma(weight_decay, p[k], g[k]), p[k]);
    } else {
        for (long k = 0; k < n; k++) p[k] = fma(-lr, g[k], p[k]);
    }
}

MULTIVERSION void rnnlab_sgd_momentum_update(long n, double *restrict p, const double *restrict g,
                                             double *restrict buffer, double lr, double weight_decay,
                                             double momentum, double keep, int nesterov, int first) {
    for (long k = 0; k < n; k++) {
        double grad = weight_decay != 0.0 ? fma(weight_decay, p[k], g[k]) : g[k];
        double b = first ? grad : fma(keep, grad, buffer[k] * momentum);
        buffer[k] = b;
        double step = nesterov ? fma(momentum, b, grad) : b;
        p[k] = fma(-lr, step, p[k]);
    }
}

/// start + w·(end − start), PyTorch's `lerp` as its CPU kernel computes it: for |w| ≥ ½ it is
/// rearranged to end + (w − 1)·(end − start) so that w = 1 gives `end` exactly; both are one fused
/// multiply-add.
static inline double lerp_kernel(double start, double end, double w) {
    return fabs(w) < 0.5 ? fma(w, end - start, start) : fma(w - 1, end - start, end);
}

MULTIVERSION void rnnlab_adam_update(long n, double *restrict p, const double *restrict g, double *restrict m,
                                     double *restrict v, int decoupled, double decay, int coupled,
                                     double weight_decay, double w1, double beta2, double w2,
                                     double step_size, double correction2_sqrt, double eps) {
    for (long k = 0; k < n; k++) {
        double grad = g[k];
        if (decoupled) p[k] *= decay;                          // p·(1 − ηλ)
        if (coupled) grad = fma(weight_decay, p[k], grad);     // g + λ·p
        m[k] = lerp_kernel(m[k], grad, w1);                    // β₁·m + (1 − β₁)·g
        v[k] = fma(w2 * grad, grad, v[k] * beta2);             // β₂·v + (1 − β₂)·g²
        double denom = sqrt(v[k]) / correction2_sqrt + eps;
        p[k] += -step_size * m[k] / denom;
    }
}
