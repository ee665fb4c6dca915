#ifndef RNNLAB_PRECISION_CONVERSION_H
#define RNNLAB_PRECISION_CONVERSION_H

/// Conversions between double and float arrays, for the float32 hot paths: a float32 tensor's
/// values are held as doubles (each exactly a float), while its recurrent layers run in float
/// buffers. Vectorised (one conversion instruction per 8 or 16 values).
///
/// `src` and `dst` must not overlap.

/// dst[i] = src[i] rounded to the nearest float, ties to even (IEEE 754's default, as Swift's
/// `Float(x)`): 1 + 2⁻²⁴ → 1, 1 + 3·2⁻²⁴ → 1 + 2⁻²²; beyond the largest float, ±∞; NaN stays NaN.
void rnnlab_narrow_f64(const double *src, float *dst, long n);

/// dst[i] = src[i] rounded to float as rnnlab_narrow_f64 does, plus add[i] in float: narrowing a
/// float32 gradient that arrives as doubles where it is first used, instead of into a copy first.
void rnnlab_narrow_add_f64(const double *src, const float *add, float *dst, long n);

/// dst[i] = src[i] as a double: exact (every float is a double).
void rnnlab_widen_f32(const float *src, double *dst, long n);

/// dst (cols × rows doubles) ← srcᵀ widened, for a row-major src of rows × cols floats: a float32
/// weight gradient, formed transposed by the product over time, turned around and widened into the
/// tensor's storage in one pass instead of two (a transpose in float, then a widening copy).
void rnnlab_transposed_widen_f32(long rows, long cols, const float *src, double *dst);

/// Whether every src[i] is a float held as a double ((double)(float)x == x), NaN counting as one:
/// float32 results that a float kernel already rounded need no rounding pass.
int rnnlab_all_float32(const double *src, long n);

/// sums[k] += Σᵢ p[i·width + k] for i = 0 … rows−1, in that order, each term widened to double: a
/// float32 bias gradient summed over every time step and batch row without float rounding on the way.
void rnnlab_column_sums_f32(const float *p, long rows, long width, double *sums);

#endif
