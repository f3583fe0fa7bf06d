// Single-thread sgemm on the shapes of one LSTM time step (S streams per thread, H hidden):
// forward X·W, backward dG·Wᵀ and the weight gradient Xᵀ·dG, in GFLOP/s, for whichever library
// it is linked to (OpenBLAS, BLIS through its CBLAS layer, or oneDNN with -DUSE_DNNL).
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#ifdef USE_DNNL
#include <dnnl.h>
#define GEMM(ta, tb, M, N, K, A, lda, B, ldb, beta, C, ldc) \
  dnnl_sgemm(ta ? 'T' : 'N', tb ? 'T' : 'N', M, N, K, 1.0f, A, lda, B, ldb, beta, C, ldc)
#else
#include <cblas.h>
#define GEMM(ta, tb, M, N, K, A, lda, B, ldb, beta, C, ldc) \
  cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, M, N, K, 1.0f, A, lda, B, ldb, beta, C, ldc)
#endif
static double now() { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
int main(int argc, char **argv) {
  int S = argc > 1 ? atoi(argv[1]) : 25, H = argc > 2 ? atoi(argv[2]) : 512, G = 4 * H, reps = 400;
  float *X = malloc(4L * S * H), *W = malloc(4L * H * G), *Gt = malloc(4L * S * G), *dX = malloc(4L * S * H), *dW = calloc(H * G, 4);
  for (long i = 0; i < (long)H * G; i++) W[i] = (rand() % 100) * 0.001f;
  for (long i = 0; i < (long)S * H; i++) X[i] = (rand() % 100) * 0.01f;
  for (long i = 0; i < (long)S * G; i++) Gt[i] = (rand() % 100) * 0.01f;
  double flop = 2.0 * S * H * G;
  const char *names[3] = {"forward  X·W   ", "backward dG·Wᵀ ", "weights  Xᵀ·dG "};
  for (int which = 0; which < 3; which++) {
    double best = 1e9;
    for (int round = 0; round < 3; round++) {
      double t0 = now();
      for (int r = 0; r < reps; r++) {
        if (which == 0) GEMM(0, 0, S, G, H, X, H, W, G, 0.0f, Gt, G);
        else if (which == 1) GEMM(0, 1, S, H, G, Gt, G, W, G, 0.0f, dX, H);
        else GEMM(1, 0, H, G, S, X, H, Gt, G, 1.0f, dW, G);
      }
      double t = (now() - t0) / reps;
      if (t < best) best = t;
    }
    printf("%s %7.1f GFLOP/s\n", names[which], flop / best / 1e9);
  }
  return 0;
}
