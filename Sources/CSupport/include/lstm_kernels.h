#ifndef RNNLAB_LSTM_KERNELS_H
#define RNNLAB_LSTM_KERNELS_H

/// The pointwise part of one LSTM step, forward and backward, over a batch (see LSTMCell.swift
/// for the equations). Swift cannot promise the compiler that these buffers do not overlap, so
/// its loops stay scalar; here `restrict` and one pass per batch row let clang vectorise every
/// line, with the gate nonlinearities inlined (no call per gate block). Compiled for AVX-512,
/// AVX2 and baseline x86-64, the best chosen at load time.
///
/// Layout: `gates` is B × 4H, each row [i f g o]; the states are B × H.

/// In: `gates` holds the pre-activations, `c_prev` = cₜ₋₁. Out: `gates` holds iₜ fₜ gₜ oₜ
/// (activated), `c` = cₜ, `tanh_c` = tanh(cₜ), `h` = hₜ.
void rnnlab_lstm_forward_step(long batch, long hidden, double *gates, const double *c_prev,
                              double *c, double *tanh_c, double *h);

/// In: the step's activated `gates`, `c_prev`, `tanh_c`; `dh` = ∂L/∂hₜ; `dc` = ∂L/∂cₜ from the
/// future. Out: `dc` replaced by ∂L/∂cₜ₋₁ and `d_gates` = ∂L/∂ (pre-activations), B × 4H.
void rnnlab_lstm_backward_step(long batch, long hidden, const double *gates, const double *c_prev,
                               const double *tanh_c, const double *dh, double *dc, double *d_gates);

/// The float twins, from the same source (lstm_kernels_impl.h): the same formulas in the same
/// order, every operation rounded to float, with the nonlinearities of vector_math.h's float
/// functions (within 2 ulp of the correctly rounded value).
void rnnlab_lstm_forward_step_f32(long batch, long hidden, float *gates, const float *c_prev,
                                  float *c, float *tanh_c, float *h);
void rnnlab_lstm_backward_step_f32(long batch, long hidden, const float *gates, const float *c_prev,
                                   const float *tanh_c, const float *dh, float *dc, float *d_gates);

#endif
