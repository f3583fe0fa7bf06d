// Spherical k-means over unit rows (inner-product assignment, unit centroids): the IVF index's lists.
import Dispatch
import VersoNN
import VersoRandom
import VersoStore

enum KMeans {
    /// Rows scored against the centroids per sgemm call: 1024 × k floats of scratch per thread.
    static let block = 1024

    /// k unit centroids fitted to `sample` (rows × dim) by `iterations` Lloyd steps, starting from
    /// k distinct sample rows; a centroid left without rows restarts at a random sample row.
    static func train(
        sample: UnsafePointer<Float>, rows: Int, dim: Int, k: Int, iterations: Int, seed: UInt64, threads: Int,
        stop: StopRequest = .never
    ) throws -> [Float] {
        var rng = SplitMix64(seed: seed)
        var centroids = [Float](repeating: 0, count: k * dim)
        for c in 0..<k { (0..<dim).forEach { centroids[c * dim + $0] = sample[(c * rows / k) * dim + $0] } }
        for _ in 0..<iterations {
            try stop.check()
            let assignment = centroids.withUnsafeBufferPointer {
                assign(sample, rows: rows, dim: dim, centroids: $0.baseAddress!, k: k, threads: threads, stop: stop)
            }
            try stop.check()
            var sums = [Float](repeating: 0, count: k * dim)
            var sizes = [Int](repeating: 0, count: k)
            for r in 0..<rows {
                let c = Int(assignment[r])
                sizes[c] += 1
                for j in 0..<dim { sums[c * dim + j] += sample[r * dim + j] }
            }
            for c in 0..<k {
                if sizes[c] == 0 {
                    let r = Int(rng.next() % UInt64(rows))
                    for j in 0..<dim { sums[c * dim + j] = sample[r * dim + j] }
                }
                var norm: Float = 0
                for j in 0..<dim { norm += sums[c * dim + j] * sums[c * dim + j] }
                let scale: Float = norm > 0 ? 1 / norm.squareRoot() : 0
                for j in 0..<dim { centroids[c * dim + j] = sums[c * dim + j] * scale }
            }
        }
        return centroids
    }

    /// The centroid with the highest inner product for each row (ties to the lower centroid). A raised
    /// `stop` ends the workers early (the caller checks it and throws; the partial answer is unused).
    static func assign(
        _ points: UnsafePointer<Float>, rows: Int, dim: Int, centroids: UnsafePointer<Float>, k: Int, threads: Int,
        stop: StopRequest = .never
    ) -> [Int32] {
        let result = SharedInt32s(count: rows)
        let blocks = (rows + block - 1) / block
        let workers = max(1, min(threads, blocks))
        let job = PointerBox(points: points, centroids: centroids)
        DispatchQueue.concurrentPerform(iterations: workers) { t in
            let scores = UnsafeMutablePointer<Float>.allocate(capacity: block * k)
            defer { scores.deallocate() }
            for b in stride(from: t, to: blocks, by: workers) {
                if stop.isRaised { break }
                let start = b * block, count = min(block, rows - start)
                BLAS.sgemm(
                    transB: true, m: count, n: k, k: dim, a: job.points + start * dim, lda: dim,
                    b: job.centroids, ldb: dim, c: scores, ldc: k)
                for r in 0..<count {
                    let row = scores + r * k
                    var best = 0
                    for c in 1..<max(k, 1) where row[c] > row[best] { best = c }
                    result.values[start + r] = Int32(best)
                }
            }
        }
        return Array(result.values)
    }
}

/// Pointers handed to the threads of one parallel loop (read-only there).
struct PointerBox: @unchecked Sendable {
    let points: UnsafePointer<Float>
    let centroids: UnsafePointer<Float>
}

/// An Int32 array that parallel iterations fill, each its own slots.
final class SharedInt32s: @unchecked Sendable {
    let values: UnsafeMutableBufferPointer<Int32>

    init(count: Int) {
        values = .allocate(capacity: count)
        values.initialize(repeating: 0)
    }

    deinit {
        values.deallocate()
    }
}
