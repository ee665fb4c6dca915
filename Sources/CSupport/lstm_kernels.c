// The LSTM step's pointwise equations (LSTMCell.swift has them beside the Swift driver), in double
// and in float from one source: the bodies are in lstm_kernels_impl.h, included once per precision.
#include "lstm_kernels.h"
#include "exp_kernel.h"

// No fused multiply-adds in the cell arithmetic: the same roundings as the plain formulas (and as
// the engine's composed-from-primitives cells), so a cell built by hand agrees to the last bit.
#pragma clang fp contract(off)

#define REAL double
#define NAME(x) x
#define SIGMOID_OF sigmoid_kernel
#define TANH_OF tanh_kernel
#define WIDE_LOOP _Pragma("clang loop vectorize_width(8) interleave_count(1)")
#define NONLINEAR_LOOP _Pragma("clang loop vectorize_width(8) interleave_count(2)")
#include "lstm_kernels_impl.h"
#undef REAL
#undef NAME
#undef SIGMOID_OF
#undef TANH_OF
#undef WIDE_LOOP
#undef NONLINEAR_LOOP

#define REAL float
#define NAME(x) x##_f32
#define SIGMOID_OF sigmoid_kernel_f32
#define TANH_OF tanh_kernel_f32
#define WIDE_LOOP _Pragma("clang loop vectorize_width(16) interleave_count(1)")
#define NONLINEAR_LOOP _Pragma("clang loop vectorize_width(16) interleave_count(2)")
#include "lstm_kernels_impl.h"
