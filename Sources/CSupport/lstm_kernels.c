// The LSTM step's pointwise equations (LSTMCell.swift has them beside the Swift driver), in double
// and in float from one source: the bodies are in lstm_kernels_impl.h, included once per precision
// by cell_kernels_precisions.h.
#include "lstm_kernels.h"
#include "exp_kernel.h"

// No fused multiply-adds in the cell arithmetic: the same roundings as the plain formulas (and as
// the engine's composed-from-primitives cells), so a cell built by hand agrees to the last bit.
#pragma clang fp contract(off)

#define CELL_KERNELS_IMPL "lstm_kernels_impl.h"
#include "cell_kernels_precisions.h"
