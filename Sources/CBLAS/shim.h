// CBLAS shim: OpenBLAS's C interface (sgemm, sgemv, saxpy, sdot, ...); linked to its threaded build, one thread per call.
#include <cblas.h>
