#ifndef RNNLAB_FMA_PEAK_H
#define RNNLAB_FMA_PEAK_H

/// The ceiling a matrix product can reach on this core: fused multiply-adds per second on the
/// vector path the packed products take (``rnnlab_gemm_vector_path``), measured rather than taken
/// from a data sheet — a virtual machine's clock, and how many FMA pipes a vector occupies (one
/// 256-bit FMA a cycle on a core that splits it in two 128-bit halves, two on one that does not),
/// are not known in advance. Used by `make bench` to say how close each product-bound figure is.
///
/// Runs 12 independent chains of vector FMAs (more than latency × pipes on any x86-64 core, so
/// the chains never wait for each other) for about `seconds` and returns GFLOP/s (2 FLOP per
/// multiply-add and lane), in float (`single_precision` non-zero) or double. `seconds` is held to
/// (0, 10]. Without a vector path (no AVX2 and FMA, or not x86-64 with clang) it times the scalar
/// `fma`/`fmaf`, which may be a library call, so figures set against it there are only indicative.
double rnnlab_fma_peak_gflops(int single_precision, double seconds);

#endif
