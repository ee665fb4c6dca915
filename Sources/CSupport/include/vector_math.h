#ifndef RNNLAB_VECTOR_MATH_H
#define RNNLAB_VECTOR_MATH_H

/// Elementwise exp, sigmoid and tanh over arrays of doubles, vectorised for the CPU at hand.
///
/// The recurrent cells spend most of their non-GEMM time in these three functions (an LSTM step
/// evaluates five of them per hidden unit and batch element). glibc's scalar exp and tanh cost
/// 6–10 ns per call; these loops are auto-vectorised by clang and compiled three times
/// (AVX-512, AVX2, baseline x86-64) with the best picked at load time, so they run at a fraction
/// of that on any x86-64 machine. Accuracy: exp within 2 ulp, overflowing to +∞ and underflowing
/// through the subnormals to 0 as exp does; sigmoid and tanh within 4e-16 absolute, saturating
/// exactly — far inside the engine's 1e-10 agreement with PyTorch.
///
/// `x` and `y` must be the same array (in place) or not overlap at all.
void rnnlab_vexp(const double *x, double *y, long n);
/// y = 1 / (1 + exp(−x)), PyTorch's formula.
void rnnlab_vsigmoid(const double *x, double *y, long n);
/// y = tanh(x) = 2 / (1 + exp(−2x)) − 1.
void rnnlab_vtanh(const double *x, double *y, long n);


/// y[0..<cols] ← β·y + α·Σᵣ x[r·incx]·A[r, 0..<cols] for a row-major A (rows × cols, row stride lda):
/// a row vector times a matrix. This is the whole matrix product of a recurrent step when the
/// batch is a single sequence; BLAS's general routines spend more on set-up than on arithmetic at
/// such sizes (1.4–1.8 µs for 64 × 256), while this loop streams A once with the rows blocked by four.
void rnnlab_row_times_matrix(long rows, long cols, double alpha, const double *x, long incx,
                             const double *a, long lda, double beta, double *y);

/// dst (cols × rows) ← srcᵀ for a row-major src (rows × cols), in 8 × 8 blocks transposed in
/// vector registers, so that both sides are read and written eight values at a time (a plain
/// loop strides one of them by a whole row per element: 7.5 ms for a 512 × 2048 weight gradient,
/// against 3 ms in element-by-element tiles; the register blocks take a float 128 × 32 weight
/// from 2.8 µs to 0.4 µs, which is a tenth of a tiny LSTM's training step).
void rnnlab_transpose(long rows, long cols, const double *src, double *dst);

/// The float twins, from the same source (vector_math_impl.h). Their exp, sigmoid and tanh are
/// computed in float lanes (exp_kernel.h), each within 2 ulp of the correctly rounded float —
/// subnormal results, ±∞ and NaN included; tanh keeps its relative accuracy near 0 (tanh x = x
/// for tiny x, −0 stays −0).
void rnnlab_vexp_f32(const float *x, float *y, long n);
void rnnlab_vsigmoid_f32(const float *x, float *y, long n);
void rnnlab_vtanh_f32(const float *x, float *y, long n);
void rnnlab_row_times_matrix_f32(long rows, long cols, float alpha, const float *x, long incx,
                                 const float *a, long lda, float beta, float *y);
void rnnlab_transpose_f32(long rows, long cols, const float *src, float *dst);

#endif
