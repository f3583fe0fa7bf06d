// Pins OpenBLAS to one thread per call at process start, before any thread of ours exists.
//
// Verso parallelises itself (data-parallel replicas, server requests, tests side by side), so
// many threads call BLAS at once. Debian's sequential OpenBLAS (0.3.21, built without
// USE_LOCKING) is not safe for that: two threads can take the same work buffer, and a gemm
// then returns wrong numbers now and then (a C loop of sgemm on 2 threads: 3–259 wrong results
// in 12,000). The threaded build locks its buffers; with one thread per call it runs each call on
// the caller's thread, in a fixed summation order, so results never depend on what else runs.
#include <cblas.h>
#include "CBLASThreads.h"

__attribute__((constructor)) static void verso_pin_blas_threads(void) { openblas_set_num_threads(1); }

int verso_blas_threads_per_call(void) { return openblas_get_num_threads(); }
