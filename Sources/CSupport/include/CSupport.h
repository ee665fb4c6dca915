// The C pieces of the engine, one header per concern (each says why it is in C).
#include "allocator.h"
#include "vector_math.h"
#include "lstm_kernels.h"
#include "packed_gemm.h"
#include "optimizer_kernels.h"
#include "gru_kernels.h"
#include "cancellation.h"
#include "precision_conversion.h"
