// What the test process sets at its start, as each command does first thing in main.
#pragma once

/// OpenBLAS's threads per call as the test process runs (1, set before any test starts).
int verso_tests_blas_threads(void);
