// The body of lstm_kernels.c, written once for both precisions and included twice by
// cell_kernels_precisions.h, which defines REAL, NAME(x), SIGMOID_OF and TANH_OF (exp_kernel.h),
// WIDE_LOOP (a loop as wide as AVX-512 holds: 8 doubles, 16 floats) and NONLINEAR_LOOP.
// NONLINEAR_LOOP keeps two vectors in flight: each exp is one long chain of dependent
// operations, so a loop that waits for one vector's result before starting the next is bound by
// latency; interleaving two was measured 18% faster on the float forward step (B = 16, H = 128).
// The values are computed elementwise, so the interleaving changes no bit.
// No include guard: it is meant to be included more than once.

MULTIVERSION void NAME(rnnlab_lstm_forward_step)(long batch, long hidden, REAL *restrict gates,
                                                 const REAL *restrict c_prev, REAL *restrict c,
                                                 REAL *restrict tanh_c, REAL *restrict h) {
    const long H = hidden;
    for (long b = 0; b < batch; b++) {
        // The gates first, each block in its own short loop: one loop body evaluating all five
        // nonlinearities runs out of vector registers and was measured 6× slower.
        REAL *restrict g4 = gates + b * 4 * H;
        NONLINEAR_LOOP
        for (long j = 0; j < 2 * H; j++) g4[j] = SIGMOID_OF(g4[j]);          // iₜ, fₜ
        NONLINEAR_LOOP
        for (long j = 2 * H; j < 3 * H; j++) g4[j] = TANH_OF(g4[j]);         // gₜ
        NONLINEAR_LOOP
        for (long j = 3 * H; j < 4 * H; j++) g4[j] = SIGMOID_OF(g4[j]);      // oₜ
        const REAL *restrict in = g4, *restrict forget = g4 + H, *restrict cand = g4 + 2 * H, *restrict out = g4 + 3 * H;
        const REAL *restrict cp = c_prev + b * H;
        REAL *restrict cb = c + b * H, *restrict tb = tanh_c + b * H, *restrict hb = h + b * H;
        NONLINEAR_LOOP
        for (long j = 0; j < H; j++) {
            REAL cell = forget[j] * cp[j] + in[j] * cand[j];   // cₜ = fₜ⊙cₜ₋₁ + iₜ⊙gₜ
            REAL squashed = TANH_OF(cell);
            cb[j] = cell;
            tb[j] = squashed;
            hb[j] = out[j] * squashed;                         // hₜ = oₜ⊙tanh(cₜ)
        }
    }
}

MULTIVERSION void NAME(rnnlab_lstm_backward_step)(long batch, long hidden, const REAL *restrict gates,
                                                  const REAL *restrict c_prev, const REAL *restrict tanh_c,
                                                  const REAL *restrict dh, REAL *restrict dc,
                                                  REAL *restrict d_gates) {
    const long H = hidden;
    for (long b = 0; b < batch; b++) {
        const REAL *restrict in = gates + b * 4 * H, *restrict forget = in + H;
        const REAL *restrict cand = in + 2 * H, *restrict out = in + 3 * H;
        const REAL *restrict cp = c_prev + b * H, *restrict tb = tanh_c + b * H, *restrict dhb = dh + b * H;
        REAL *restrict dcb = dc + b * H;
        REAL *restrict d_in = d_gates + b * 4 * H, *restrict d_forget = d_in + H;
        REAL *restrict d_cand = d_in + 2 * H, *restrict d_out = d_in + 3 * H;
        // Left to itself clang vectorises this loop two lanes wide; AVX-512 holds 8 doubles, 16 floats.
        WIDE_LOOP
        for (long j = 0; j < H; j++) {
            REAL i = in[j], f = forget[j], g = cand[j], o = out[j], squashed = tb[j];
            REAL d_o = dhb[j] * squashed;                                   // ∂L/∂oₜ
            REAL d_cell = dcb[j] + dhb[j] * o * (1 - squashed * squashed);  // ∂L/∂cₜ, both paths
            dcb[j] = d_cell * f;                                            // ∂L/∂cₜ₋₁
            d_in[j] = d_cell * g * i * (1 - i);
            d_forget[j] = d_cell * cp[j] * f * (1 - f);
            d_cand[j] = d_cell * i * (1 - g * g);
            d_out[j] = d_o * o * (1 - o);
        }
    }
}
