// Single-thread sgemm on the shapes of one LSTM time step (S streams per thread, H hidden):
// forward X·W, backward dG·Wᵀ and the weight gradient Xᵀ·dG, in GFLOP/s, for whichever library
// it is linked to (OpenBLAS, BLIS through its CBLAS layer, or oneDNN with -DUSE_DNNL). With oneDNN
// it also times the forward and backward products as Verso runs them: oneDNN's matmul primitive on
// W (or Wᵀ) packed once into its blocked layout, the packing timed apart.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#ifdef USE_DNNL
#include <dnnl.h>
#define CHECK(x) do { if ((x) != dnnl_success) { fprintf(stderr, "oneDNN refused %s\n", #x); exit(1); } } while (0)
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
#ifdef USE_DNNL
  dnnl_engine_t engine; dnnl_stream_t stream;
  CHECK(dnnl_engine_create(&engine, dnnl_cpu, 0));
  CHECK(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags));
  for (int which = 0; which < 2; which++) {  // forward X[S×H]·W[H×G]; backward dG[S×G]·Wᵀ[G×H]
    int K = which ? G : H, N = which ? H : G;
    dnnl_dims_t src_dims = {S, K}, w_dims = {K, N}, dst_dims = {S, N};
    dnnl_memory_desc_t src_md, user_w_md, any_w_md, dst_md;
    CHECK(dnnl_memory_desc_init_by_tag(&src_md, 2, src_dims, dnnl_f32, dnnl_ab));
    CHECK(dnnl_memory_desc_init_by_tag(&user_w_md, 2, w_dims, dnnl_f32, which ? dnnl_ba : dnnl_ab));
    CHECK(dnnl_memory_desc_init_by_tag(&any_w_md, 2, w_dims, dnnl_f32, dnnl_format_tag_any));
    CHECK(dnnl_memory_desc_init_by_tag(&dst_md, 2, dst_dims, dnnl_f32, dnnl_ab));
    dnnl_matmul_desc_t desc; dnnl_primitive_desc_t pd, reorder_pd; dnnl_primitive_t matmul, reorder;
    CHECK(dnnl_matmul_desc_init(&desc, &src_md, &any_w_md, NULL, &dst_md));
    CHECK(dnnl_primitive_desc_create(&pd, &desc, NULL, engine, NULL));
    const dnnl_memory_desc_t *packed_md = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0);
    CHECK(dnnl_reorder_primitive_desc_create(&reorder_pd, &user_w_md, engine, packed_md, engine, NULL));
    CHECK(dnnl_primitive_create(&matmul, pd));
    CHECK(dnnl_primitive_create(&reorder, reorder_pd));
    dnnl_memory_t src, user_w, packed, dst;
    CHECK(dnnl_memory_create(&src, &src_md, engine, which ? Gt : X));
    CHECK(dnnl_memory_create(&user_w, &user_w_md, engine, W));
    CHECK(dnnl_memory_create(&packed, packed_md, engine, DNNL_MEMORY_ALLOCATE));
    CHECK(dnnl_memory_create(&dst, &dst_md, engine, which ? dX : Gt));
    dnnl_exec_arg_t pack_args[2] = {{DNNL_ARG_FROM, user_w}, {DNNL_ARG_TO, packed}};
    dnnl_exec_arg_t args[3] = {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, packed}, {DNNL_ARG_DST, dst}};
    double best = 1e9, best_pack = 1e9;
    for (int round = 0; round < 3; round++) {
      double t0 = now();
      for (int r = 0; r < 20; r++) CHECK(dnnl_primitive_execute(reorder, stream, 2, pack_args));
      double t = (now() - t0) / 20;
      if (t < best_pack) best_pack = t;
      t0 = now();
      for (int r = 0; r < reps; r++) CHECK(dnnl_primitive_execute(matmul, stream, 3, args));
      t = (now() - t0) / reps;
      if (t < best) best = t;
    }
    printf("%s %7.1f GFLOP/s (packing %.0f us)\n", which ? "bwd-packed dG·Wᵀ" : "fwd-packed X·W  ",
           flop / best / 1e9, best_pack * 1e6);
  }
#endif
  return 0;
}
