// The mean squared error's loops (see loss_kernels.h).
#include "loss_kernels.h"
#include "exp_kernel.h"

// Every product and sum rounded on its own, as the plain formulas (and as before in Swift).
#pragma clang fp contract(off)

typedef double v8d_loss __attribute__((vector_size(64), aligned(8)));

MULTIVERSION double rnnlab_sum_of_squared_differences(const double *restrict x, const double *restrict y, long n) {
    v8d_loss lanes = {0};
    long i = 0;
    for (; i + 8 <= n; i += 8) {
        v8d_loss d = *(const v8d_loss *)(x + i) - *(const v8d_loss *)(y + i);
        lanes += d * d;
    }
    double total = 0;
    for (int k = 0; k < 8; k++) total += lanes[k];
    for (; i < n; i++) {
        double d = x[i] - y[i];
        total += d * d;
    }
    return total;
}

MULTIVERSION void rnnlab_scaled_differences(const double *restrict x, const double *restrict y, long n, double scale,
                                            int to_float32, double *restrict out) {
    if (to_float32) {
        for (long i = 0; i < n; i++) out[i] = (double)(float)(scale * (x[i] - y[i]));
    } else {
        for (long i = 0; i < n; i++) out[i] = scale * (x[i] - y[i]);
    }
}
