// SGD updates with the fused multiply-adds PyTorch's CPU kernels use (see optimizer_kernels.h).
#include "optimizer_kernels.h"
#include "exp_kernel.h"
#include <math.h>

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
