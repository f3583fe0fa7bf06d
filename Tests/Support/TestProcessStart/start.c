// The test process's start: one OpenBLAS thread per call, as every command sets it in main
// (Verso.startProcess). Tests run side by side in one process and share the count, so it is set
// once, here, before any of them runs, and never by a test or by library code.
#include <cblas.h>
#include "TestProcessStart.h"

__attribute__((constructor)) static void verso_tests_start(void) { openblas_set_num_threads(1); }

int verso_tests_blas_threads(void) { return openblas_get_num_threads(); }
