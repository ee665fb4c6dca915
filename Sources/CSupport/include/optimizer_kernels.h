#ifndef RNNLAB_OPTIMIZER_KERNELS_H
#define RNNLAB_OPTIMIZER_KERNELS_H

/// SGD's update loops. PyTorch's CPU kernels compute `p.add_(g, alpha: −lr)` and the momentum
/// blend with fused multiply-adds, and rnnlab matches them to the last bit by doing the same. In
/// Swift, `addingProduct` on a baseline x86-64 build is a call into libm's `fma` per element
/// (≈ 3 ns); compiled here for AVX2/AVX-512 as well, the loops are single vector instructions.

/// p ← p − lr·(g + wd·p), each element: g′ = fma(wd, p, g) when wd ≠ 0, then p = fma(−lr, g′, p).
void rnnlab_sgd_update(long n, double *p, const double *g, double lr, double weight_decay);

/// The momentum form: g′ = fma(wd, p, g) when wd ≠ 0; b = g′ when `first`, else fma(keep, g′, mu·b);
/// g″ = fma(mu, b, g′) with Nesterov, else b; p = fma(−lr, g″, p).
void rnnlab_sgd_momentum_update(long n, double *p, const double *g, double *buffer, double lr,
                                double weight_decay, double momentum, double keep, int nesterov, int first);

/// One Adam/AdamW update of n elements, PyTorch's single-tensor formulas in its order:
///   p ← p·decay (AdamW, when `decay` ≠ 1 is asked for by `decoupled`);  g′ = fma(wd, p, g) (L2 form, `coupled`)
///   m ← lerp(m, g′, 1 − β₁)   (fma(w, g′ − m, m) for |w| < ½, else fma(w − 1, g′ − m, g′))
///   v ← fma((1 − β₂)·g′, g′, β₂·v)
///   p ← p + (−step_size·m) / (√v / correction2_sqrt + eps)
void rnnlab_adam_update(long n, double *p, const double *g, double *m, double *v, int decoupled, double decay,
                        int coupled, double weight_decay, double w1, double beta2, double w2,
                        double step_size, double correction2_sqrt, double eps);

/// The float32 updates, from the same source (optimizer_kernels_impl.h): the same formulas in the
/// same order, every operation rounded to float (fmaf for each fused multiply-add, as PyTorch's
/// float kernels), so a plain Float loop of the formulas above gives the same bits. The arrays are
/// the double storage a float32 tensor is held in: each value is narrowed to float as it is read
/// (exact for a float32 value; a gradient set by hand in float64 is rounded to nearest) and the
/// float results are stored widened, which is exact: one pass over the arrays, where narrowing
/// into float buffers, updating and widening back took three.
void rnnlab_sgd_update_f32(long n, double *p, const double *g, float lr, float weight_decay);
void rnnlab_sgd_momentum_update_f32(long n, double *p, const double *g, double *buffer, float lr,
                                    float weight_decay, float momentum, float keep, int nesterov, int first);
void rnnlab_adam_update_f32(long n, double *p, const double *g, double *m, double *v, int decoupled, float decay,
                            int coupled, float weight_decay, float w1, float beta2, float w2,
                            float step_size, float correction2_sqrt, float eps);

#endif
