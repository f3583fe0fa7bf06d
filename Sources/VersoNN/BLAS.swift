// Swift-typed matrix products on contiguous Float buffers (row-major sgemm/sgemv), run by oneDNN.
import CDNNL

/// Every product runs on its caller's thread: Verso parallelises itself (a replica per thread),
/// and one thread per call keeps every summation order, and so every bit, fixed. oneDNN's OpenMP
/// build sizes each call's team from the calling thread's own setting, so each thread sets it
/// for itself before its first call; no other thread's calls are touched.
public enum BLAS {
    /// C[M×N] = alpha · op(A) · op(B) + beta · C, all row-major.
    @inline(__always)
    public static func sgemm(
        transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        if m == 0 || n == 0 { return }
        oneThreadPerCall()
        let status = dnnl_sgemm(
            operation(transA), operation(transB), Int64(m), Int64(n), Int64(k), alpha,
            a, Int64(lda), b, Int64(ldb), beta, c, Int64(ldc))
        precondition(status == dnnl_success, "dnnl_sgemm refused \(m)×\(n)×\(k): status \(status.rawValue)")
    }

    /// y[M or N] = alpha · op(A) · x + beta · y, A row-major M×N: a product with one row or column.
    @inline(__always)
    public static func sgemv(
        trans: Bool = false, m: Int, n: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, x: UnsafePointer<Float>,
        beta: Float = 0, y: UnsafeMutablePointer<Float>
    ) {
        if trans {  // yᵀ[1×N] = xᵀ[1×M] · A[M×N]
            sgemm(m: 1, n: n, k: m, alpha: alpha, a: x, lda: m, b: a, ldb: lda, beta: beta, c: y, ldc: n)
        } else {  // y[M×1] = A[M×N] · x[N×1]
            sgemm(m: m, n: 1, k: n, alpha: alpha, a: a, lda: lda, b: x, ldb: 1, beta: beta, c: y, ldc: 1)
        }
    }

    /// The threads that one product on this thread uses: 1 once this thread has made one.
    public static var threadsPerCall: Int { Int(omp_get_max_threads()) }

    /// oneDNN's name for an operand as it is (N) or transposed (T).
    @inline(__always)
    static func operation(_ transposed: Bool) -> CChar { CChar(UInt8(ascii: transposed ? "T" : "N")) }

    @inline(__always)
    static func oneThreadPerCall() {
        if omp_get_max_threads() != 1 { omp_set_num_threads(1) }
    }
}
