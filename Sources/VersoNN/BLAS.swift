// Swift-typed entry points to OpenBLAS: row-major sgemm/sgemv/saxpy/sdot on contiguous Float buffers.
import CBLAS

public enum BLAS {
    /// C[M×N] = alpha · op(A) · op(B) + beta · C, all row-major.
    @inline(__always)
    public static func sgemm(
        transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb),
            beta, c, blasint(ldc))
    }

    /// y[M or N] = alpha · op(A) · x + beta · y, A row-major M×N.
    @inline(__always)
    public static func sgemv(
        trans: Bool = false, m: Int, n: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, x: UnsafePointer<Float>,
        beta: Float = 0, y: UnsafeMutablePointer<Float>
    ) {
        cblas_sgemv(
            CblasRowMajor, trans ? CblasTrans : CblasNoTrans, blasint(m), blasint(n), alpha,
            a, blasint(lda), x, 1, beta, y, 1)
    }

    @inline(__always)
    public static func saxpy(n: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        cblas_saxpy(blasint(n), alpha, x, 1, y, 1)
    }

    @inline(__always)
    public static func sdot(n: Int, x: UnsafePointer<Float>, y: UnsafePointer<Float>) -> Float {
        cblas_sdot(blasint(n), x, 1, y, 1)
    }

    /// OpenBLAS's threads per call, process-wide: 1 once a command has started
    /// (`Verso.startProcess`), so every call runs on its caller's thread in a fixed order,
    /// whatever else runs in the process.
    public static var threadsPerCall: Int { Int(openblas_get_num_threads()) }

    /// Sets the threads per call for the whole process. For a command's start only, before any
    /// thread of its own: library code never calls it, since callers share the count.
    public static func setThreadsPerCall(_ threads: Int) { openblas_set_num_threads(Int32(threads)) }
}
