#ifndef RNNLAB_LOSS_KERNELS_H
#define RNNLAB_LOSS_KERNELS_H

/// The mean squared error's two loops over every element of a prediction (Losses.swift): in C so
/// that they run eight doubles to a vector where the CPU has AVX-512 (Swift's own loops are
/// compiled for baseline x86-64, two to a vector), with every product and sum rounded on its own.

/// Σᵢ (xᵢ − yᵢ)² in eight interleaved partial sums: lane k adds the terms i ≡ k (mod 8) of the
/// whole blocks of eight, in order; then lanes 0…7 are added to 0 in order, then the remaining
/// terms. One fixed order, so the loss has the same bits on every run and machine.
double rnnlab_sum_of_squared_differences(const double *x, const double *y, long n);

/// out[i] = scale·(x[i] − y[i]), rounded to the nearest float (held as a double) when `to_float32`.
void rnnlab_scaled_differences(const double *x, const double *y, long n, double scale, int to_float32, double *out);

#endif
