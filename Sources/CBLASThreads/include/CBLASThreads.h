// Pins OpenBLAS to one thread per call, once, before main: see pin.c.
#pragma once

/// OpenBLAS's thread count for one call (1 from process start on).
int verso_blas_threads_per_call(void);
