// Elementwise exp, sigmoid and tanh over arrays, a row times a matrix, and a tiled transpose, in
// double and in float from one source: the bodies are in vector_math_impl.h, included once per
// precision (the exponential itself is in exp_kernel.h).
#include "vector_math.h"
#include "exp_kernel.h"
#include "transpose8.h"

// double: rnnlab_vexp, rnnlab_vsigmoid, rnnlab_vtanh, rnnlab_row_times_matrix, rnnlab_transpose
typedef double v8d __attribute__((vector_size(64), aligned(8)));
#define REAL double
#define NAME(x) x
#define EXP_OF exp_kernel
#define SIGMOID_OF sigmoid_kernel
#define TANH_OF tanh_kernel
#define VREG v8d
#include "vector_math_impl.h"
#undef REAL
#undef NAME
#undef EXP_OF
#undef SIGMOID_OF
#undef TANH_OF
#undef VREG

// float: the same names with _f32; the nonlinearities in float, to ≤ 2 ulp (exp_kernel.h).
typedef float v16f __attribute__((vector_size(64), aligned(4)));
#define REAL float
#define NAME(x) x##_f32
#define EXP_OF exp_kernel_f32
#define SIGMOID_OF sigmoid_kernel_f32
#define TANH_OF tanh_kernel_f32
#define VREG v16f
#include "vector_math_impl.h"
