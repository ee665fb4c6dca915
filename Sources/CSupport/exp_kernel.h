// The exponential shared by the vectorised loops (vector_math.c, lstm_kernels.c): inline and
// branch-free, so that clang vectorises every loop that calls it.
//
// e^x = 2^k · e^r with k = round(x / ln 2) and r = x − k·ln 2 (Cody–Waite split of ln 2 so r is
// exact to ~2⁻¹⁰⁶), |r| ≤ ln2/2; e^r by its Taylor series to degree 13, whose truncation error
// (0.347¹⁴/14! ≈ 4·10⁻¹⁸) is below half an ulp. 2^k is built directly in the exponent bits.
#ifndef RNNLAB_EXP_KERNEL_H
#define RNNLAB_EXP_KERNEL_H
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && defined(__clang__)
#define MULTIVERSION __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define MULTIVERSION
#endif

static inline double bits_to_double(int64_t b) { double d; memcpy(&d, &b, sizeof d); return d; }
static inline int64_t double_to_bits(double d) { int64_t b; memcpy(&b, &d, sizeof b); return b; }

static inline double exp_kernel(double x) {
    // Below −746 e^x rounds to 0 and above 710 to +∞; clamping there keeps k within ±1076.
    x = x < -746.0 ? -746.0 : x;
    x = x > 710.0 ? 710.0 : x;
    const double log2e = 1.4426950408889634;
    const double ln2_hi = 6.93147180369123816490e-01;
    const double ln2_lo = 1.90821492927058770002e-10;
    const double shifter = 0x1.8p52;  // adding it rounds to the nearest integer
    double t = x * log2e + shifter;
    double k = t - shifter;
    int64_t ki = double_to_bits(t) - double_to_bits(shifter);
    double r = (x - k * ln2_hi) - k * ln2_lo;
    // Σ rⁱ/i! for i = 0…13 by Estrin's scheme: pairs, then powers r², r⁴, r⁸. The dependency
    // chain is 5 multiply-adds deep instead of Horner's 13, so short vectors (one gate block of
    // a small batch) are not bound by latency.
    double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
    double a0 = 1.0 + r;
    double a1 = 1.0 / 2.0 + r * (1.0 / 6.0);
    double a2 = 1.0 / 24.0 + r * (1.0 / 120.0);
    double a3 = 1.0 / 720.0 + r * (1.0 / 5040.0);
    double a4 = 1.0 / 40320.0 + r * (1.0 / 362880.0);
    double a5 = 1.0 / 3628800.0 + r * (1.0 / 39916800.0);
    double a6 = 1.0 / 479001600.0 + r * (1.0 / 6227020800.0);
    double b0 = a0 + r2 * a1, b1 = a2 + r2 * a3, b2 = a4 + r2 * a5;
    double d0 = b0 + r4 * b1, d1 = b2 + r4 * a6;
    double p = d0 + r8 * d1;
    // 2^k as two normal factors 2^k₁·2^k₂ (k₁ = ⌊k/2⌋), so results that overflow to +∞ or fall
    // into the subnormal range (down to 0) come out right.
    int64_t k1 = ki >> 1, k2 = ki - k1;
    return p * bits_to_double((k1 + 1023) << 52) * bits_to_double((k2 + 1023) << 52);
}

/// 1 / (1 + e^(−x)), PyTorch's formula for the logistic sigmoid.
static inline double sigmoid_kernel(double x) { return 1.0 / (1.0 + exp_kernel(-x)); }

/// tanh(x) = 2 / (1 + e^(−2x)) − 1.
static inline double tanh_kernel(double x) { return 2.0 / (1.0 + exp_kernel(-2.0 * x)) - 1.0; }

// The float nonlinearities: computed in double and rounded once to float. The double kernels'
// error (a few 10⁻¹⁶, relative for exp and sigmoid) is 10⁸ times below a float's ulp, so the
// float results are the correctly rounded ones but for values within ~10⁻⁹ ulp of a rounding
// boundary (then 1 ulp off) — including float's subnormals, to which e^x and σ(x) fall for
// x < −87 and which a float polynomial would have to treat apart. In vector lanes this costs the
// conversions and half the lanes of float arithmetic (measured in vector_math.h).

static inline float exp_kernel_f32(float x) { return (float)exp_kernel((double)x); }

static inline float sigmoid_kernel_f32(float x) { return (float)sigmoid_kernel((double)x); }

/// tanh for float. The double formula above is accurate to ~4·10⁻¹⁶ absolute, not relative: near
/// 0 (tanh x ≈ x) the subtraction of 1 cancels. So for |x| < 1/16 the odd Taylor series
/// x·(1 − x²/3 + 2x⁴/15 − 17x⁶/315 + 62x⁸/2835), whose first omitted term (1382/155925·x¹¹) is
/// below 2⁻⁴⁰·|x|; above, the formula's error is at most 10⁻¹⁴ relative. Both branches are
/// computed and one selected, so the loop stays branch-free and vectorises. The series is a
/// product with x, not x plus a correction, so that x = −0 gives −0 (−0 + 0 would be +0).
static inline double tanh_accurate(double x) {
    double big = 2.0 / (1.0 + exp_kernel(-2.0 * x)) - 1.0;
    double x2 = x * x;
    double series = x * (1.0 + x2 * (-1.0 / 3.0 + x2 * (2.0 / 15.0 + x2 * (-17.0 / 315.0 + x2 * (62.0 / 2835.0)))));
    return (x2 < 1.0 / 256.0) ? series : big;
}

static inline float tanh_kernel_f32(float x) { return (float)tanh_accurate((double)x); }

#endif
