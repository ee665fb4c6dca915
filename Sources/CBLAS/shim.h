// Debian's OpenBLAS (libopenblas-dev) exposes the standard CBLAS interface in <cblas.h>.
#include <cblas.h>
