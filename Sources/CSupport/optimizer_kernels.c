// SGD and Adam updates with the fused multiply-adds PyTorch's CPU kernels use (see
// optimizer_kernels.h), in double and in float from one source: the bodies are in
// optimizer_kernels_impl.h, included once per precision. Both read and write double arrays, where
// every tensor's values are held (float32 ones widened).
#include "optimizer_kernels.h"
#include "exp_kernel.h"
#include <math.h>

// Only the fused multiply-adds PyTorch's kernels use: every other product and sum is rounded on its own.
#pragma clang fp contract(off)

#define STORE double
#define REAL double
#define NAME(x) x
#define FMA fma
#define SQRT sqrt
#define FABS fabs
#include "optimizer_kernels_impl.h"
#undef REAL
#undef NAME
#undef FMA
#undef SQRT
#undef FABS

// Float arithmetic on the double storage float32 tensors are held in.
#define REAL float
#define NAME(x) x##_f32
#define FMA fmaf
#define SQRT sqrtf
#define FABS fabsf
#include "optimizer_kernels_impl.h"
