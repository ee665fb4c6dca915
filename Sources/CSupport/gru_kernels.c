// The GRU step's pointwise equations (GRUCell.swift has them beside the Swift driver), in double
// and in float from one source: the bodies are in gru_kernels_impl.h, included once per precision
// by cell_kernels_precisions.h.
#include "gru_kernels.h"
#include "exp_kernel.h"

// The same roundings as the plain formulas: no fused multiply-adds in the cell arithmetic.
#pragma clang fp contract(off)

#define CELL_KERNELS_IMPL "gru_kernels_impl.h"
#include "cell_kernels_precisions.h"
