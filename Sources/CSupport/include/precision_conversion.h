#ifndef RNNLAB_PRECISION_CONVERSION_H
#define RNNLAB_PRECISION_CONVERSION_H

/// Conversions between double and float arrays, for the float32 hot paths: a float32 tensor's
/// values are held as doubles (each exactly a float), while its recurrent layers and optimizers
/// run in float buffers. Vectorised (one conversion instruction per 8 or 16 values).
///
/// `src` and `dst` must not overlap.

/// dst[i] = src[i] rounded to the nearest float, ties to even (IEEE 754's default, as Swift's
/// `Float(x)`): 1 + 2⁻²⁴ → 1, 1 + 3·2⁻²⁴ → 1 + 2⁻²²; beyond the largest float, ±∞; NaN stays NaN.
void rnnlab_narrow_f64(const double *src, float *dst, long n);

/// dst[i] = src[i] as a double: exact (every float is a double).
void rnnlab_widen_f32(const float *src, double *dst, long n);

#endif
