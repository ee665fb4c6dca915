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

// The float nonlinearities, in float arithmetic: a vector holds twice as many floats as doubles
// and float division is cheaper than double, so these run about twice as fast as the same
// functions computed in double and narrowed, which they replaced (the float LSTM forward step at
// B = 32, H = 512: 5.4 → 2.7 ns a value, measured). Accuracy: within 2 ulp of the correctly
// rounded float over the whole float line, subnormal results included (Float32KernelTests sweeps
// it; the worst measured: exp 1 ulp, σ 2, tanh 1).

static inline float bits_to_float(int32_t b) { float f; memcpy(&f, &b, sizeof f); return f; }
static inline int32_t float_to_bits(float f) { int32_t b; memcpy(&b, &f, sizeof b); return b; }

/// e^x in float: the same reduction as exp_kernel, x = k·ln 2 + r with |r| ≤ ln2/2, ln 2 split so
/// that k·ln2_hi is exact (ln2_hi has 9 significant bits, |k| ≤ 150), and e^r by the minimax
/// polynomial of Cephes' expf (1 + r + r²·P(r), P of degree 5; error below 2⁻²⁴ relative).
/// Clamped to [−104, 89]: e⁻¹⁰⁴ rounds to 0 and e⁸⁹ overflows to +∞, and k stays within ±150,
/// so 2^k as two normal factors 2^k₁·2^k₂ covers the subnormal results with one rounding.
static inline float exp_kernel_f32(float x) {
    x = x < -104.0f ? -104.0f : x;
    x = x > 89.0f ? 89.0f : x;
    const float log2e = 1.44269504088896341f;
    const float ln2_hi = 0.693359375f;
    const float ln2_lo = -2.12194440e-4f;
    const float shifter = 0x1.8p23f;  // adding it rounds to the nearest integer
    float t = x * log2e + shifter;
    float k = t - shifter;
    int32_t ki = float_to_bits(t) - float_to_bits(shifter);
    float r = (x - k * ln2_hi) - k * ln2_lo;
    float r2 = r * r;
    // P(r) by Estrin's scheme (three pairs), 3 multiply-adds deep instead of Horner's 5.
    float q0 = 5.0000001201e-1f + r * 1.6666665459e-1f;
    float q1 = 4.1665795894e-2f + r * 8.3334519073e-3f;
    float q2 = 1.3981999507e-3f + r * 1.9875691500e-4f;
    float p = q0 + r2 * (q1 + r2 * q2);
    float e = (1.0f + r) + r2 * p;
    int32_t k1 = ki >> 1, k2 = ki - k1;
    return e * bits_to_float((k1 + 127) << 23) * bits_to_float((k2 + 127) << 23);
}

/// σ(x) = 1 / (1 + e^(−x)) for x ≥ 0 and e^x / (1 + e^x) for x < 0: e^(−|x|) ≤ 1 never
/// overflows, and σ of a very negative x comes out as the subnormal e^x rather than 1/∞ = 0.
/// Plain n / (1 + e) in float was measured 3 ulp off (e's error and two roundings); here the sum
/// is kept exactly as s + t (s = 1 + e rounded, t its exact error, since e ≤ 1) and the quotient
/// q = n·(1/s) is corrected once by its exact residual n − q·s (one fused multiply-add):
/// σ ≈ q + (n − q·s − q·t)/s. What is left is e's own error (at most 1 ulp, passed on at most
/// whole) and the last addition's rounding.
static inline float sigmoid_kernel_f32(float x) {
    float e = exp_kernel_f32(-__builtin_fabsf(x));
    float n = x < 0.0f ? e : 1.0f;
    float s = 1.0f + e;
    float t = e - (s - 1.0f);
    float y = 1.0f / s;
    float q = n * y;
    float r = __builtin_fmaf(-q, s, n);
    return q + (r - q * t) * y;
}

/// tanh in float. For |x| ≥ 0.625, 1 − 2/(e^(2|x|) + 1) with the sign of x (e^(2|x|) = +∞ gives
/// ±1); below, where that subtraction would cancel, x + x·x²·Q(x²), Cephes' tanhf polynomial.
/// Both computed and one selected (branch-free, so the loops vectorise); x = ±0 returns x itself,
/// keeping the sign of zero.
static inline float tanh_kernel_f32(float x) {
    float a = __builtin_fabsf(x);
    float big = 1.0f - 2.0f / (exp_kernel_f32(2.0f * a) + 1.0f);
    big = __builtin_copysignf(big, x);
    float z = x * x;
    float q = (((-5.70498872745e-3f * z + 2.06390887954e-2f) * z - 5.37397155531e-2f) * z + 1.33314422036e-1f) * z
              - 3.33332819422e-1f;
    float small = x + x * (z * q);
    float y = a < 0.625f ? small : big;
    return x == 0.0f ? x : y;
}

#endif
