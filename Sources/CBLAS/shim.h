// CBLAS shim: OpenBLAS's C interface (sgemm, sgemv, saxpy, sdot, ...); linked to its sequential build.
#include <cblas.h>
