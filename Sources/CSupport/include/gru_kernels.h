#ifndef RNNLAB_GRU_KERNELS_H
#define RNNLAB_GRU_KERNELS_H

/// The pointwise part of one GRU step, forward and backward, over a batch (the equations are in
/// GRUCell.swift). In C for the reason the LSTM's are (lstm_kernels.h): `restrict` lets clang
/// vectorise the loops, which Swift's cannot promise; the arithmetic is the Swift formulas', in
/// the same order and without fused multiply-adds, so the numbers are the same to the last bit.
///
/// Layout: `gates` and `hidden` are B × 3H, each row [r z n]; the states are B × H.

/// In: `gates` = input side xₜ·W_iᵀ + b_i, `hidden` = hₜ₋₁·W_hᵀ + b_h, `h_prev`.
/// Out: `gates` = rₜ zₜ nₜ (activated), `candidate_hidden` = W_hn·hₜ₋₁ + b_hn, `h` = hₜ.
void rnnlab_gru_forward_step(long batch, long hidden_size, double *gates, const double *hidden,
                             const double *h_prev, double *candidate_hidden, double *h);

/// In: the step's activated `gates`, `h_prev`, `candidate_hidden`, `dh` = ∂L/∂hₜ.
/// Out: `d_gates` (input side) and `d_hidden` (hidden side: the n block scaled by rₜ), B × 3H,
/// and `dh_prev_direct` = ∂L/∂hₜ ⊙ zₜ, B × H.
void rnnlab_gru_backward_step(long batch, long hidden_size, const double *gates, const double *h_prev,
                              const double *candidate_hidden, const double *dh, double *d_gates,
                              double *d_hidden, double *dh_prev_direct);

/// The float twins, from the same source (gru_kernels_impl.h): the same formulas in the same
/// order, every operation rounded to float, with the nonlinearities of vector_math.h's float
/// functions (within 2 ulp of the correctly rounded value).
void rnnlab_gru_forward_step_f32(long batch, long hidden_size, float *gates, const float *hidden,
                                 const float *h_prev, float *candidate_hidden, float *h);
void rnnlab_gru_backward_step_f32(long batch, long hidden_size, const float *gates, const float *h_prev,
                                  const float *candidate_hidden, const float *dh, float *d_gates,
                                  float *d_hidden, float *dh_prev_direct);

#endif
