// The hand-written SVD, Procrustes and power iteration, checked on matrices whose answers are known.
import Foundation
import Testing
import VersoRandom
@testable import VersoNN

@Suite struct LinearAlgebraTests {
    func random(_ n: Int, _ m: Int, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<(n * m)).map { _ in Double(rng.nextFloat()) - 0.5 }
    }

    /// C = A·B for row-major n × n matrices, B transposed when asked.
    func product(_ a: [Double], _ b: [Double], n: Int, transB: Bool = false) -> [Double] {
        var c = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                for k in 0..<n { c[i * n + j] += a[i * n + k] * (transB ? b[j * n + k] : b[k * n + j]) }
            }
        }
        return c
    }

    func transpose(_ a: [Double], n: Int) -> [Double] { (0..<(n * n)).map { a[($0 % n) * n + $0 / n] } }

    func expectIdentity(_ m: [Double], n: Int, tolerance: Double) {
        for i in 0..<n { for j in 0..<n { #expect(abs(m[i * n + j] - (i == j ? 1 : 0)) < tolerance) } }
    }

    @Test func svdRebuildsTheMatrixFromOrthogonalFactors() {
        for n in [1, 2, 7, 30] {
            let m = random(n, n, seed: UInt64(n))
            let (u, sigma, v) = LinearAlgebra.svd(m, n: n)
            expectIdentity(product(transpose(u, n: n), u, n: n), n: n, tolerance: 1e-9)
            expectIdentity(product(transpose(v, n: n), v, n: n), n: n, tolerance: 1e-9)
            #expect(sigma.allSatisfy { $0 >= 0 })
            var us = u
            for i in 0..<n { for j in 0..<n { us[i * n + j] *= sigma[j] } }
            let rebuilt = product(us, v, n: n, transB: true)
            for k in 0..<(n * n) { #expect(abs(rebuilt[k] - m[k]) < 1e-9) }
        }
        // diag(3, −2): singular values 3 and 2, the sign going to U or V.
        let (_, sigma, _) = LinearAlgebra.svd([3, 0, 0, -2], n: 2)
        #expect(Set(sigma.map { ($0 * 1e9).rounded() / 1e9 }) == [3, 2])
    }

    @Test func procrustesRecoversARotation() {
        let n = 12, rows = 40
        let (rotation, _, _) = LinearAlgebra.svd(random(n, n, seed: 5), n: n)  // a random orthogonal matrix
        let x = random(rows, n, seed: 6)
        var y = [Double](repeating: 0, count: rows * n)  // Y = X R
        for r in 0..<rows {
            for j in 0..<n { for k in 0..<n { y[r * n + j] += x[r * n + k] * rotation[k * n + j] } }
        }
        var cross = [Double](repeating: 0, count: n * n)  // Xᵀ Y
        for r in 0..<rows {
            for i in 0..<n { for j in 0..<n { cross[i * n + j] += x[r * n + i] * y[r * n + j] } }
        }
        let found = LinearAlgebra.procrustes(cross: cross, n: n)
        for k in 0..<(n * n) { #expect(abs(found[k] - rotation[k]) < 1e-8) }
    }

    /// Fewer pairs than dimensions leave Xᵀ Y rank-deficient; R is still orthogonal.
    @Test func procrustesOfARankDeficientCrossIsOrthogonal() {
        let n = 6
        let a = random(1, n, seed: 8), b = random(1, n, seed: 9)
        let cross = (0..<(n * n)).map { a[$0 / n] * b[$0 % n] }  // rank 1
        let r = LinearAlgebra.procrustes(cross: cross, n: n)
        expectIdentity(product(transpose(r, n: n), r, n: n), n: n, tolerance: 1e-9)
        // It maps a's direction onto b's, the one pair it was given.
        let norm = { (v: [Double]) in v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        let mapped = (0..<n).map { j in (0..<n).reduce(0.0) { $0 + a[$1] * r[$1 * n + j] } }
        let cosine = zip(mapped, b).reduce(0) { $0 + $1.0 * $1.1 } / (norm(mapped) * norm(b))
        #expect(abs(cosine - 1) < 1e-9)
    }

    @Test func powerIterationFindsTheTopEigenvector() {
        // [[2, 1], [1, 2]]: eigenvalues 3 and 1, the top one along (1, 1)/√2.
        let (v, value) = LinearAlgebra.topEigenvector([2, 1, 1, 2], n: 2)
        #expect(abs(value - 3) < 1e-9)
        #expect(abs(v[0] - 0.5.squareRoot()) < 1e-9 && abs(v[1] - 0.5.squareRoot()) < 1e-9)
        #expect(LinearAlgebra.topEigenvector([0, 0, 0, 0], n: 2).vector == [0, 0])
    }
}
