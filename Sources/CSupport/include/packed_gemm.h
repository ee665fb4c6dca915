#ifndef RNNLAB_PACKED_GEMM_H
#define RNNLAB_PACKED_GEMM_H

/// Matrix products with one operand laid out ahead of time: the recurrent step's h·W_hhᵀ.
///
/// A recurrent layer multiplies a different small batch of states by the *same* weight matrix at
/// every time step (T times forward, T times backward). A general GEMM cannot know that: OpenBLAS
/// re-packs the weights into its blocked layout on every call, and at a step's shapes (16–32 rows,
/// 128–2048 columns) the packing and set-up cost it a third of its speed (measured here: 37–41
/// GFLOP/s against 52–56 for the same product with the weights packed once). So the weights are
/// packed once per sequence into column panels of 16 and every step runs a register-tiled
/// micro-kernel (8 rows × 16 columns of C in 16 AVX-512 registers) over them.
///
/// The same kernels serve every product of the engine (``rnnlab_gemm``), because of one rule:
/// every element of C is one dot product summed in order p = 0, 1, …, k−1 as a chain of fused
/// multiply-adds, then finished (α, bias or β) the same way. AVX-512 (8 × 16 tiles), AVX2 (2 × 16)
/// and the scalar reference all compute exactly that, so results do not depend on the CPU, the
/// batch size or where a row falls in the tiling — and a lesson's recorded numbers are the ones a
/// learner's machine computes. (OpenBLAS picks a different kernel, with a different summation
/// order, on each CPU family; its results differ in the last bits, and training amplifies them.)

/// The path products take here: 0 scalar, 1 AVX2, 2 AVX-512 (AVX2 and AVX-512 need FMA); the
/// scalar reference gives the same results where neither runs.
int rnnlab_gemm_vector_path(void);

/// Number of doubles that a packed k × n operand occupies (n rounded up to whole panels).
long rnnlab_packed_size(long k, long n);

/// Packs op(B), a k × n matrix, for ``rnnlab_gemm_packed``. B is row-major with row stride `ldb`:
/// stored k × n when `trans` is 0, or n × k (and read transposed) when `trans` is non-zero.
void rnnlab_pack_b(int trans, long k, long n, const double *b, long ldb, double *packed);

/// Doubles of workspace that ``rnnlab_gemm_packed`` needs for an m × k left operand.
long rnnlab_packed_workspace(long m, long k);

/// C ← A·B + β·C for a row-major A (m × k, row stride `lda`), B packed by ``rnnlab_pack_b``, and a
/// row-major C (m × n, row stride `ldc`). With β = 0, C is not read (it may hold anything).
/// A large product stops early when cancellation is pending (cancellation.h), C partly written:
/// the caller checks ``rnnlab_cancel_pending`` before using C.
///
/// With a `bias` (n values, or NULL), every row of C becomes A·B + bias instead, and C is not read:
/// the same numbers as filling C with the bias and multiplying with β = 1, without writing and
/// re-reading C (the gates of a whole sequence, tens of megabytes for a large layer).
void rnnlab_gemm_packed(long m, long n, long k, const double *a, long lda, const double *packed,
                        double beta, const double *bias, double *c, long ldc, double *workspace);

/// ``rnnlab_gemm_packed`` on a given path (0 scalar, 1 AVX2, 2 AVX-512); returns 0, doing nothing,
/// when this CPU cannot run it. For tests that hold every path to the scalar reference.
int rnnlab_gemm_packed_on(int path, long m, long n, long k, const double *a, long lda, const double *packed,
                          double beta, const double *bias, double *c, long ldc, double *workspace);

/// ``rnnlab_pack_b`` then ``rnnlab_gemm_packed``, for a product made once (a layer's input
/// projection over all its steps), with the packed operand and the workspace in this thread's
/// scratch buffers, kept between calls, instead of memory asked for and freed on every call.
/// Returns 1, or −1 when that memory could not be had (C is then untouched).
int rnnlab_gemm_packing_b(long m, long n, long k, const double *a, long lda, const double *b, long ldb, int trans_b,
                          double beta, const double *bias, double *c, long ldc);

/// C ← α·op(A)·op(B) + β·C on row-major matrices (op(X) = Xᵀ when trans_x is non-zero); m × k is the
/// shape of op(A), k × n that of op(B). Packs its operands itself; long sums are split into blocks
/// of p without changing a single rounding. With β = 0, C is not read. Returns 1, or −1 when the
/// packing buffers could not be allocated (C is then untouched), or 2 when it stopped early because
/// cancellation is pending (cancellation.h; C is then partly written and must not be used).
int rnnlab_gemm(int trans_a, int trans_b, long m, long n, long k, double alpha,
                const double *a, long lda, const double *b, long ldb, double beta, double *c, long ldc);

/// ``rnnlab_gemm`` on a given path; returns 0 when this CPU cannot run it.
int rnnlab_gemm_on(int path, int trans_a, int trans_b, long m, long n, long k, double alpha,
                   const double *a, long lda, const double *b, long ldb, double beta, double *c, long ldc);

/// Two products with one right operand, packed once: rows 0 … m1−1 of C (m1 + m2 rows, row stride
/// ldc) ← α·op(A1)·op(B) + β·C and rows m1 … m1+m2−1 ← α·op(A2)·op(B) + β·C, op(A1) m1 × k and
/// op(A2) m2 × k (both transposed or neither). Each element has the bits ``rnnlab_gemm`` gives it.
/// A recurrent layer's weight gradients Xᵀ·∂A and H₋₁ᵀ·∂A share ∂A, the largest operand of the
/// backward pass (T·B rows of G·H gate gradients), which is then read and packed once, not twice.
/// Returns as ``rnnlab_gemm``.
int rnnlab_gemm_stacked(int trans_a, int trans_b, long m1, long m2, long n, long k, double alpha,
                        const double *a1, long lda1, const double *a2, long lda2, const double *b, long ldb,
                        double beta, double *c, long ldc);
/// ``rnnlab_gemm_stacked`` on a given path; returns 0 when this CPU cannot run it.
int rnnlab_gemm_stacked_on(int path, int trans_a, int trans_b, long m1, long m2, long n, long k, double alpha,
                           const double *a1, long lda1, const double *a2, long lda2, const double *b, long ldb,
                           double beta, double *c, long ldc);

/// The float twins: the same functions on `float` (every pointer and scalar argument), from the
/// same source (packed_gemm_impl.h), with panels of NR = 32 columns (two 16-float AVX-512
/// vectors; ``rnnlab_packed_size_f32`` counts floats). The one rule holds in float as well: each
/// element one chain of fused multiply-adds p = 0…k−1 rounded to float at every step, then
/// finished, so every path gives the scalar reference's bits.
long rnnlab_packed_size_f32(long k, long n);
long rnnlab_packed_workspace_f32(long m, long k);
void rnnlab_pack_b_f32(int trans, long k, long n, const float *b, long ldb, float *packed);
/// Packs op(B) from doubles (a layer's weights are held as doubles) into float panels, each
/// element rounded to the nearest float as it is copied: the same panels as ``rnnlab_narrow_f64``
/// followed by ``rnnlab_pack_b_f32``, without the intermediate copy.
void rnnlab_pack_b_from_f64_f32(int trans, long k, long n, const double *b, long ldb, float *packed);
void rnnlab_gemm_packed_f32(long m, long n, long k, const float *a, long lda, const float *packed,
                            float beta, const float *bias, float *c, long ldc, float *workspace);
int rnnlab_gemm_packed_on_f32(int path, long m, long n, long k, const float *a, long lda, const float *packed,
                              float beta, const float *bias, float *c, long ldc, float *workspace);
int rnnlab_gemm_packing_b_f32(long m, long n, long k, const float *a, long lda, const float *b, long ldb, int trans_b,
                              float beta, const float *bias, float *c, long ldc);
int rnnlab_gemm_f32(int trans_a, int trans_b, long m, long n, long k, float alpha,
                    const float *a, long lda, const float *b, long ldb, float beta, float *c, long ldc);
int rnnlab_gemm_on_f32(int path, int trans_a, int trans_b, long m, long n, long k, float alpha,
                       const float *a, long lda, const float *b, long ldb, float beta, float *c, long ldc);
int rnnlab_gemm_stacked_f32(int trans_a, int trans_b, long m1, long m2, long n, long k, float alpha,
                            const float *a1, long lda1, const float *a2, long lda2, const float *b, long ldb,
                            float beta, float *c, long ldc);
int rnnlab_gemm_stacked_on_f32(int path, int trans_a, int trans_b, long m1, long m2, long n, long k, float alpha,
                               const float *a1, long lda1, const float *a2, long lda2, const float *b, long ldb,
                               float beta, float *c, long ldc);

#endif
