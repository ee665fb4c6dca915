// The LSTM step's pointwise equations (LSTMCell.swift has them beside the Swift driver).
#include "lstm_kernels.h"
#include "exp_kernel.h"

// No fused multiply-adds in the cell arithmetic: the same roundings as the plain formulas (and as
// the engine's composed-from-primitives cells), so a cell built by hand agrees to the last bit.
#pragma clang fp contract(off)

MULTIVERSION void rnnlab_lstm_forward_step(long batch, long hidden, double *restrict gates,
                                           const double *restrict c_prev, double *restrict c,
                                           double *restrict tanh_c, double *restrict h) {
    const long H = hidden;
    for (long b = 0; b < batch; b++) {
        // The gates first, each block in its own short loop: one loop body evaluating all five
        // nonlinearities runs out of vector registers and was measured 6× slower.
        double *restrict g4 = gates + b * 4 * H;
        for (long j = 0; j < 2 * H; j++) g4[j] = sigmoid_kernel(g4[j]);          // iₜ, fₜ
        for (long j = 2 * H; j < 3 * H; j++) g4[j] = tanh_kernel(g4[j]);         // gₜ
        for (long j = 3 * H; j < 4 * H; j++) g4[j] = sigmoid_kernel(g4[j]);      // oₜ
        const double *restrict in = g4, *restrict forget = g4 + H, *restrict cand = g4 + 2 * H, *restrict out = g4 + 3 * H;
        const double *restrict cp = c_prev + b * H;
        double *restrict cb = c + b * H, *restrict tb = tanh_c + b * H, *restrict hb = h + b * H;
        for (long j = 0; j < H; j++) {
            double cell = forget[j] * cp[j] + in[j] * cand[j];   // cₜ = fₜ⊙cₜ₋₁ + iₜ⊙gₜ
            double squashed = tanh_kernel(cell);
            cb[j] = cell;
            tb[j] = squashed;
            hb[j] = out[j] * squashed;                           // hₜ = oₜ⊙tanh(cₜ)
        }
    }
}

MULTIVERSION void rnnlab_lstm_backward_step(long batch, long hidden, const double *restrict gates,
                                            const double *restrict c_prev, const double *restrict tanh_c,
                                            const double *restrict dh, double *restrict dc,
                                            double *restrict d_gates) {
    const long H = hidden;
    for (long b = 0; b < batch; b++) {
        const double *restrict in = gates + b * 4 * H, *restrict forget = in + H;
        const double *restrict cand = in + 2 * H, *restrict out = in + 3 * H;
        const double *restrict cp = c_prev + b * H, *restrict tb = tanh_c + b * H, *restrict dhb = dh + b * H;
        double *restrict dcb = dc + b * H;
        double *restrict d_in = d_gates + b * 4 * H, *restrict d_forget = d_in + H;
        double *restrict d_cand = d_in + 2 * H, *restrict d_out = d_in + 3 * H;
        // Left to itself clang vectorises this loop two lanes wide; eight is what AVX-512 holds.
        _Pragma("clang loop vectorize_width(8) interleave_count(1)")
        for (long j = 0; j < H; j++) {
            double i = in[j], f = forget[j], g = cand[j], o = out[j], squashed = tb[j];
            double d_o = dhb[j] * squashed;                                   // ∂L/∂oₜ
            double d_cell = dcb[j] + dhb[j] * o * (1 - squashed * squashed);  // ∂L/∂cₜ, both paths
            dcb[j] = d_cell * f;                                              // ∂L/∂cₜ₋₁
            d_in[j] = d_cell * g * i * (1 - i);
            d_forget[j] = d_cell * cp[j] * f * (1 - f);
            d_cand[j] = d_cell * i * (1 - g * g);
            d_out[j] = d_o * o * (1 - o);
        }
    }
}
