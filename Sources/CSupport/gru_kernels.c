// The GRU step's pointwise equations (GRUCell.swift has them beside the Swift driver).
#include "gru_kernels.h"
#include "exp_kernel.h"

// The same roundings as the plain formulas: no fused multiply-adds in the cell arithmetic.
#pragma clang fp contract(off)

MULTIVERSION void rnnlab_gru_forward_step(long batch, long hidden_size, double *restrict gates,
                                          const double *restrict hidden, const double *restrict h_prev,
                                          double *restrict candidate_hidden, double *restrict h) {
    const long H = hidden_size;
    for (long b = 0; b < batch; b++) {
        double *restrict g3 = gates + b * 3 * H;
        const double *restrict e3 = hidden + b * 3 * H;
        const double *restrict hp = h_prev + b * H;
        double *restrict ch = candidate_hidden + b * H, *restrict hb = h + b * H;
        // One short loop per operation: clang keeps each vectorised eight lanes wide, where a
        // loop body with the nonlinearities and the sums together was measured several times slower.
        for (long j = 0; j < 2 * H; j++) g3[j] = g3[j] + e3[j];
        for (long j = 0; j < 2 * H; j++) g3[j] = sigmoid_kernel(g3[j]);               // rₜ, zₜ
        for (long j = 0; j < H; j++) ch[j] = e3[2 * H + j];                            // ĥₙ = W_hn·hₜ₋₁ + b_hn
        for (long j = 0; j < H; j++) g3[2 * H + j] = g3[2 * H + j] + g3[j] * e3[2 * H + j];
        for (long j = 2 * H; j < 3 * H; j++) g3[j] = tanh_kernel(g3[j]);               // nₜ
        for (long j = 0; j < H; j++) {
            double update = g3[H + j], candidate = g3[2 * H + j];
            hb[j] = candidate + update * (hp[j] - candidate);                       // (1−zₜ)⊙nₜ + zₜ⊙hₜ₋₁
        }
    }
}

MULTIVERSION void rnnlab_gru_backward_step(long batch, long hidden_size, const double *restrict gates,
                                           const double *restrict h_prev, const double *restrict candidate_hidden,
                                           const double *restrict dh, double *restrict d_gates,
                                           double *restrict d_hidden, double *restrict dh_prev_direct) {
    const long H = hidden_size;
    for (long b = 0; b < batch; b++) {
        const double *restrict g3 = gates + b * 3 * H;
        const double *restrict hp = h_prev + b * H, *restrict ch = candidate_hidden + b * H, *restrict dhb = dh + b * H;
        double *restrict d3 = d_gates + b * 3 * H, *restrict e3 = d_hidden + b * 3 * H, *restrict direct = dh_prev_direct + b * H;
        _Pragma("clang loop vectorize_width(8) interleave_count(1)")
        for (long j = 0; j < H; j++) {
            double reset = g3[j], update = g3[H + j], candidate = g3[2 * H + j];
            double d_candidate = dhb[j] * (1 - update);
            double d_update = dhb[j] * (hp[j] - candidate);
            double d_candidate_pre = d_candidate * (1 - candidate * candidate);
            double d_reset = d_candidate_pre * ch[j];
            double d_reset_pre = d_reset * reset * (1 - reset);
            double d_update_pre = d_update * update * (1 - update);
            d3[j] = d_reset_pre; d3[H + j] = d_update_pre; d3[2 * H + j] = d_candidate_pre;
            e3[j] = d_reset_pre; e3[H + j] = d_update_pre; e3[2 * H + j] = d_candidate_pre * reset;
            direct[j] = dhb[j] * update;
        }
    }
}
