// Small dense linear algebra in Double, by hand: the top eigenvector, the SVD, orthogonal Procrustes.
// (n is a vector dimension, a few hundred: O(n³) is a second at most; the products go through oneDNN.)

public enum LinearAlgebra {
    /// The top eigenvector of the symmetric n × n matrix `c` (row-major) and its eigenvalue, by power
    /// iteration from a fixed start (1/2, 1/3, …), which no real matrix is orthogonal to in practice.
    /// A zero matrix gives a zero vector.
    public static func topEigenvector(
        _ c: [Double], n: Int, iterations: Int = 300
    ) -> (vector: [Double], value: Double) {
        var v = (0..<n).map { 1 / Double($0 + 2) }
        var lambda = 0.0
        var w = [Double](repeating: 0, count: n)
        for _ in 0..<iterations {
            for i in 0..<n {
                var sum = 0.0
                for j in 0..<n { sum += c[i * n + j] * v[j] }
                w[i] = sum
            }
            let norm = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm == 0 { return ([Double](repeating: 0, count: n), 0) }
            lambda = norm
            v = w.map { $0 / norm }
        }
        return (v, lambda)
    }

    /// The singular value decomposition m = U Σ Vᵀ of the square n × n matrix `m` (row-major) by
    /// one-sided Jacobi (Hestenes 1958): plane rotations of m's columns, accumulated in V, until every
    /// pair of columns is orthogonal; then σⱼ = |column j| and Uⱼ = column j / σⱼ. Returns U and V
    /// row-major and σ in column order (not sorted). A zero σ leaves its U column zero.
    public static func svd(_ m: [Double], n: Int, tolerance: Double = 1e-12, maxSweeps: Int = 60)
        -> (u: [Double], sigma: [Double], v: [Double])
    {
        precondition(m.count == n * n, "svd: \(m.count) values for \(n) × \(n)")
        // Columns stored as rows (row j of `w` is column j of m, of `v` column j of V), so each
        // rotation walks contiguous memory.
        var w = [Double](repeating: 0, count: n * n), v = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n { w[j * n + i] = m[i * n + j] }
            v[i * n + i] = 1
        }
        w.withUnsafeMutableBufferPointer { wb in
            v.withUnsafeMutableBufferPointer { vb in
                let w = wb.baseAddress!, v = vb.baseAddress!
                for _ in 0..<maxSweeps {
                    var rotated = false
                    for p in 0..<n {
                        for q in (p + 1)..<n {
                            let a = w + p * n, b = w + q * n
                            var alpha = 0.0, beta = 0.0, gamma = 0.0
                            for i in 0..<n {
                                alpha += a[i] * a[i]
                                beta += b[i] * b[i]
                                gamma += a[i] * b[i]
                            }
                            guard gamma != 0, abs(gamma) > tolerance * (alpha * beta).squareRoot() else { continue }
                            rotated = true
                            // The rotation that zeroes the pair's inner product (Golub & Van Loan §8.6.3).
                            let zeta = (beta - alpha) / (2 * gamma)
                            let t = (zeta >= 0 ? 1.0 : -1.0) / (abs(zeta) + (1 + zeta * zeta).squareRoot())
                            let c = 1 / (1 + t * t).squareRoot(), s = c * t
                            rotate(a, b, c, s, n)
                            rotate(v + p * n, v + q * n, c, s, n)
                        }
                    }
                    if !rotated { break }
                }
            }
        }
        var sigma = [Double](repeating: 0, count: n)
        var u = [Double](repeating: 0, count: n * n), vOut = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            sigma[j] = (0..<n).reduce(0) { $0 + w[j * n + $1] * w[j * n + $1] }.squareRoot()
            let inverse = sigma[j] > 0 ? 1 / sigma[j] : 0
            for i in 0..<n {
                u[i * n + j] = w[j * n + i] * inverse
                vOut[i * n + j] = v[j * n + i]
            }
        }
        return (u, sigma, vOut)
    }

    /// Columns a and b ← c·a − s·b and s·a + c·b.
    @inline(__always)
    private static func rotate(
        _ a: UnsafeMutablePointer<Double>, _ b: UnsafeMutablePointer<Double>, _ c: Double, _ s: Double, _ n: Int
    ) {
        for i in 0..<n {
            let x = a[i], y = b[i]
            a[i] = c * x - s * y
            b[i] = s * x + c * y
        }
    }

    /// The orthogonal R (n × n, row-major) minimising |X R − Y|_F, given the cross-covariance
    /// `cross` = Xᵀ Y: with Xᵀ Y = U Σ Vᵀ, R = U Vᵀ (Schönemann 1966). A rank-deficient Xᵀ Y (fewer
    /// independent pairs than dimensions) has U columns of zero σ completed to an orthonormal basis.
    public static func procrustes(cross: [Double], n: Int) -> [Double] {
        var (u, sigma, v) = svd(cross, n: n)
        completeOrthonormal(&u, sigma: sigma, n: n)
        var r = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                var sum = 0.0
                for k in 0..<n { sum += u[i * n + k] * v[j * n + k] }
                r[i * n + j] = sum
            }
        }
        return r
    }

    /// Replaces the columns of `u` whose σ is (relatively) zero with unit vectors orthogonal to all
    /// the others, by Gram–Schmidt on the standard basis.
    static func completeOrthonormal(_ u: inout [Double], sigma: [Double], n: Int) {
        let largest = sigma.max() ?? 0
        let missing = (0..<n).filter { sigma[$0] <= largest * 1e-12 }
        guard !missing.isEmpty else { return }
        var basis = (0..<n).filter { !missing.contains($0) }.map { j in (0..<n).map { u[$0 * n + j] } }
        var candidate = 0
        for j in missing {
            while candidate < n {
                var e = (0..<n).map { $0 == candidate ? 1.0 : 0.0 }
                candidate += 1
                for b in basis {
                    let projection = zip(e, b).reduce(0) { $0 + $1.0 * $1.1 }
                    for i in 0..<n { e[i] -= projection * b[i] }
                }
                let norm = e.reduce(0) { $0 + $1 * $1 }.squareRoot()
                guard norm > 1e-6 else { continue }
                e = e.map { $0 / norm }
                basis.append(e)
                for i in 0..<n { u[i * n + j] = e[i] }
                break
            }
        }
    }
}
