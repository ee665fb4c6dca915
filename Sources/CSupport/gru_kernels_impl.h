// The body of gru_kernels.c, written once for both precisions and included twice by
// cell_kernels_precisions.h, which defines REAL, NAME(x), SIGMOID_OF and TANH_OF (exp_kernel.h),
// WIDE_LOOP (a loop as wide as AVX-512 holds: 8 doubles, 16 floats) and NONLINEAR_LOOP.
// No include guard: it is meant to be included more than once.

MULTIVERSION void NAME(rnnlab_gru_forward_step)(long batch, long hidden_size, REAL *restrict gates,
                                                const REAL *restrict hidden, const REAL *restrict h_prev,
                                                REAL *restrict candidate_hidden, REAL *restrict h) {
    const long H = hidden_size;
    for (long b = 0; b < batch; b++) {
        REAL *restrict g3 = gates + b * 3 * H;
        const REAL *restrict e3 = hidden + b * 3 * H;
        const REAL *restrict hp = h_prev + b * H;
        REAL *restrict ch = candidate_hidden + b * H, *restrict hb = h + b * H;
        // One short loop per operation: clang keeps each vectorised eight lanes wide, where a
        // loop body with the nonlinearities and the sums together was measured several times slower.
        for (long j = 0; j < 2 * H; j++) g3[j] = g3[j] + e3[j];
        NONLINEAR_LOOP
        for (long j = 0; j < 2 * H; j++) g3[j] = SIGMOID_OF(g3[j]);                   // rₜ, zₜ
        for (long j = 0; j < H; j++) ch[j] = e3[2 * H + j];                            // ĥₙ = W_hn·hₜ₋₁ + b_hn
        for (long j = 0; j < H; j++) g3[2 * H + j] = g3[2 * H + j] + g3[j] * e3[2 * H + j];
        NONLINEAR_LOOP
        for (long j = 2 * H; j < 3 * H; j++) g3[j] = TANH_OF(g3[j]);                   // nₜ
        for (long j = 0; j < H; j++) {
            REAL update = g3[H + j], candidate = g3[2 * H + j];
            hb[j] = candidate + update * (hp[j] - candidate);                       // (1−zₜ)⊙nₜ + zₜ⊙hₜ₋₁
        }
    }
}

MULTIVERSION void NAME(rnnlab_gru_backward_step)(long batch, long hidden_size, const REAL *restrict gates,
                                                 const REAL *restrict h_prev, const REAL *restrict candidate_hidden,
                                                 const REAL *restrict dh, REAL *restrict d_gates,
                                                 REAL *restrict d_hidden, REAL *restrict dh_prev_direct) {
    const long H = hidden_size;
    for (long b = 0; b < batch; b++) {
        const REAL *restrict g3 = gates + b * 3 * H;
        const REAL *restrict hp = h_prev + b * H, *restrict ch = candidate_hidden + b * H, *restrict dhb = dh + b * H;
        REAL *restrict d3 = d_gates + b * 3 * H, *restrict e3 = d_hidden + b * 3 * H, *restrict direct = dh_prev_direct + b * H;
        WIDE_LOOP
        for (long j = 0; j < H; j++) {
            REAL reset = g3[j], update = g3[H + j], candidate = g3[2 * H + j];
            REAL d_candidate = dhb[j] * (1 - update);
            REAL d_update = dhb[j] * (hp[j] - candidate);
            REAL d_candidate_pre = d_candidate * (1 - candidate * candidate);
            REAL d_reset = d_candidate_pre * ch[j];
            REAL d_reset_pre = d_reset * reset * (1 - reset);
            REAL d_update_pre = d_update * update * (1 - update);
            d3[j] = d_reset_pre; d3[H + j] = d_update_pre; d3[2 * H + j] = d_candidate_pre;
            e3[j] = d_reset_pre; e3[H + j] = d_update_pre; e3[2 * H + j] = d_candidate_pre * reset;
            direct[j] = dhb[j] * update;
        }
    }
}
