// CBLAS shim: OpenBLAS's C interface (sgemm, sgemv, saxpy, sdot, ...) plus its thread control.
#include <cblas.h>
