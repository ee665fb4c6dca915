// The body of optimizer_kernels.c, written once for both precisions and included twice (see
// there). The including file defines REAL, NAME(x), and the scalar functions of that precision:
// FMA (fma, fmaf), SQRT (sqrt, sqrtf), FABS (fabs, fabsf).
// No include guard: it is meant to be included more than once.

MULTIVERSION void NAME(rnnlab_sgd_update)(long n, REAL *restrict p, const REAL *restrict g, REAL lr,
                                          REAL weight_decay) {
    if (weight_decay != 0.0) {
        for (long k = 0; k < n; k++) p[k] = FMA(-lr, FMA(weight_decay, p[k], g[k]), p[k]);
    } else {
        for (long k = 0; k < n; k++) p[k] = FMA(-lr, g[k], p[k]);
    }
}

MULTIVERSION void NAME(rnnlab_sgd_momentum_update)(long n, REAL *restrict p, const REAL *restrict g,
                                                   REAL *restrict buffer, REAL lr, REAL weight_decay,
                                                   REAL momentum, REAL keep, int nesterov, int first) {
    for (long k = 0; k < n; k++) {
        REAL grad = weight_decay != 0.0 ? FMA(weight_decay, p[k], g[k]) : g[k];
        REAL b = first ? grad : FMA(keep, grad, buffer[k] * momentum);
        buffer[k] = b;
        REAL step = nesterov ? FMA(momentum, b, grad) : b;
        p[k] = FMA(-lr, step, p[k]);
    }
}

/// start + w·(end − start), PyTorch's `lerp` as its CPU kernel computes it: for |w| ≥ ½ it is
/// rearranged to end + (w − 1)·(end − start) so that w = 1 gives `end` exactly; both are one fused
/// multiply-add.
static inline REAL NAME(lerp_kernel)(REAL start, REAL end, REAL w) {
    return FABS(w) < 0.5 ? FMA(w, end - start, start) : FMA(w - 1, end - start, end);
}

MULTIVERSION void NAME(rnnlab_adam_update)(long n, REAL *restrict p, const REAL *restrict g, REAL *restrict m,
                                           REAL *restrict v, int decoupled, REAL decay, int coupled,
                                           REAL weight_decay, REAL w1, REAL beta2, REAL w2,
                                           REAL step_size, REAL correction2_sqrt, REAL eps) {
    for (long k = 0; k < n; k++) {
        REAL grad = g[k];
        if (decoupled) p[k] *= decay;                          // p·(1 − ηλ)
        if (coupled) grad = FMA(weight_decay, p[k], grad);     // g + λ·p
        m[k] = NAME(lerp_kernel)(m[k], grad, w1);              // β₁·m + (1 − β₁)·g
        v[k] = FMA(w2 * grad, grad, v[k] * beta2);             // β₂·v + (1 − β₂)·g²
        REAL denom = SQRT(v[k]) / correction2_sqrt + eps;
        p[k] += -step_size * m[k] / denom;
    }
}
