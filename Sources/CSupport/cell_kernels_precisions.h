// The two precisions of a cell's pointwise kernels: includes CELL_KERNELS_IMPL (the cell's
// *_impl.h, given as a quoted file name) once for double and once for float, with the macros
// those bodies are written in:
//   REAL                   double or float;
//   NAME(x)                the name of function x in this precision (x, or x_f32);
//   SIGMOID_OF, TANH_OF    the inline nonlinearities of one REAL (exp_kernel.h);
//   WIDE_LOOP              vectorise a loop as wide as AVX-512 holds (8 doubles, 16 floats);
//   NONLINEAR_LOOP         the same width, two vectors in flight (see lstm_kernels_impl.h).
// Shared by lstm_kernels.c and gru_kernels.c, so that the cells' instantiations are one.
#include "exp_kernel.h"

#define REAL double
#define NAME(x) x
#define SIGMOID_OF sigmoid_kernel
#define TANH_OF tanh_kernel
#define WIDE_LOOP _Pragma("clang loop vectorize_width(8) interleave_count(1)")
#define NONLINEAR_LOOP _Pragma("clang loop vectorize_width(8) interleave_count(2)")
#include CELL_KERNELS_IMPL
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
#include CELL_KERNELS_IMPL
#undef REAL
#undef NAME
#undef SIGMOID_OF
#undef TANH_OF
#undef WIDE_LOOP
#undef NONLINEAR_LOOP
