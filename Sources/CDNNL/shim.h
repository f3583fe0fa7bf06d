// oneDNN shim: its row-major sgemm (every matrix product in Verso), and libgomp's per-thread team
// size, which oneDNN's OpenMP build reads on each call (Verso keeps it at one, on the caller's thread).
#include <dnnl.h>

int omp_get_max_threads(void);
void omp_set_num_threads(int threads);
