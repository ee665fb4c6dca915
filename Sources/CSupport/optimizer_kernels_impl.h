// The body of optimizer_kernels.c, written once for both precisions and included twice (see
// there). The including file defines REAL, the precision of the arithmetic; NAME(x); the scalar
// functions of that precision: FMA (fma, fmaf), SQRT (sqrt, sqrtf), FABS (fabs, fabsf); and STORE,
// the type the parameter, gradient and state arrays are held in. Every value read from an array
// goes through LOAD, a conversion to REAL: for float arithmetic on double storage (float32
// tensors are held widened) it narrows as it reads — exactly for values that are float32 already,
// rounded to nearest otherwise — and each result is widened exactly as it is stored, so one pass
// does what narrowing into float buffers, updating and widening back did in three.
// No include guard: it is meant to be included more than once.

#define LOAD(x) ((REAL)(x))

MULTIVERSION void NAME(rnnlab_sgd_update)(long n, STORE *restrict p, const STORE *restrict g, REAL lr,
                                          REAL weight_decay) {
    if (weight_decay != 0.0) {
        for (long k = 0; k < n; k++) { REAL pk = LOAD(p[k]); p[k] = FMA(-lr, FMA(weight_decay, pk, LOAD(g[k])), pk); }
    } else {
        for (long k = 0; k < n; k++) p[k] = FMA(-lr, LOAD(g[k]), LOAD(p[k]));
    }
}

MULTIVERSION void NAME(rnnlab_sgd_momentum_update)(long n, STORE *restrict p, const STORE *restrict g,
                                                   STORE *restrict buffer, REAL lr, REAL weight_decay,
                                                   REAL momentum, REAL keep, int nesterov, int first) {
    for (long k = 0; k < n; k++) {
        REAL pk = LOAD(p[k]), gk = LOAD(g[k]);
        REAL grad = weight_decay != 0.0 ? FMA(weight_decay, pk, gk) : gk;
        REAL b = first ? grad : FMA(keep, grad, LOAD(buffer[k]) * momentum);
        buffer[k] = b;
        REAL step = nesterov ? FMA(momentum, b, grad) : b;
        p[k] = FMA(-lr, step, pk);
    }
}

/// start + w·(end − start), PyTorch's `lerp` as its CPU kernel computes it: for |w| ≥ ½ it is
/// rearranged to end + (w − 1)·(end − start) so that w = 1 gives `end` exactly; both are one fused
/// multiply-add.
static inline REAL NAME(lerp_kernel)(REAL start, REAL end, REAL w) {
    return FABS(w) < 0.5 ? FMA(w, end - start, start) : FMA(w - 1, end - start, end);
}

MULTIVERSION void NAME(rnnlab_adam_update)(long n, STORE *restrict p, const STORE *restrict g, STORE *restrict m,
                                           STORE *restrict v, int decoupled, REAL decay, int coupled,
                                           REAL weight_decay, REAL w1, REAL beta2, REAL w2,
                                           REAL step_size, REAL correction2_sqrt, REAL eps) {
    for (long k = 0; k < n; k++) {
        REAL grad = LOAD(g[k]), pk = LOAD(p[k]);
        if (decoupled) pk *= decay;                               // p·(1 − ηλ)
        if (coupled) grad = FMA(weight_decay, pk, grad);          // g + λ·p
        REAL mk = NAME(lerp_kernel)(LOAD(m[k]), grad, w1);        // β₁·m + (1 − β₁)·g
        REAL vk = FMA(w2 * grad, grad, LOAD(v[k]) * beta2);       // β₂·v + (1 − β₂)·g²
        REAL denom = SQRT(vk) / correction2_sqrt + eps;
        m[k] = mk;
        v[k] = vk;
        p[k] = pk + -step_size * mk / denom;
    }
}

#undef LOAD
