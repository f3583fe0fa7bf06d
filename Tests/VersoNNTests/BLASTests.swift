// The BLAS wrapper's row-major conventions, checked against naive loops.
import Foundation
import Testing
@testable import VersoNN

@Suite struct BLASTests {
    func naive(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int, transA: Bool, transB: Bool) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                for p in 0..<k {
                    let x = transA ? a[p * m + i] : a[i * k + p]
                    let y = transB ? b[j * k + p] : b[p * n + j]
                    c[i * n + j] += x * y
                }
            }
        }
        return c
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func sgemmMatchesNaive(transA: Bool, transB: Bool) {
        let m = 3, n = 5, k = 4
        let a = (0..<(m * k)).map { Float($0) * 0.5 - 2 }
        let b = (0..<(k * n)).map { Float(($0 * 7) % 11) - 5 }
        var c = [Float](repeating: 0, count: m * n)
        BLAS.sgemm(
            transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: transA ? m : k,
            b: b, ldb: transB ? k : n, c: &c, ldc: n)
        #expect(c == naive(a, b, m: m, n: n, k: k, transA: transA, transB: transB))
    }

    @Test func sgemvBothWays() {
        let a: [Float] = [1, 2, 3, 4, 5, 6]  // 2×3
        var y = [Float](repeating: 0, count: 2)
        BLAS.sgemv(m: 2, n: 3, a: a, lda: 3, x: [1, 0, -1], y: &y)
        #expect(y == [-2, -2])
        var yt = [Float](repeating: 0, count: 3)
        BLAS.sgemv(trans: true, m: 2, n: 3, a: a, lda: 3, x: [1, 1], y: &yt)
        #expect(yt == [5, 7, 9])
        #expect(BLAS.sdot(n: 3, x: [1, 2, 3], y: [4, 5, 6]) == 32)
    }
}

@Suite struct FastMathTests {
    @Test func expSigmoidTanhMatchLibm() {
        let xs: [Float] =
            stride(from: -30, through: 30, by: 0.0137).map { Float($0) } + [0, -0.0, 1e-6, 88, -87, 100, -100]
        var e = xs, s = xs, t = xs
        FastMath.exp(xs, &e, xs.count)
        FastMath.sigmoid(xs, &s, xs.count)
        FastMath.tanh(xs, &t, xs.count)
        for (k, x) in xs.enumerated() {
            let refE = Foundation.exp(Double(min(max(x, -87.3), 88.3)))
            #expect(abs(Double(e[k]) - refE) <= 4e-7 * refE, "exp(\(x))")
            #expect(abs(Double(s[k]) - 1 / (1 + Foundation.exp(-Double(x)))) < 2e-7, "sigmoid(\(x))")
            #expect(abs(Double(t[k]) - Foundation.tanh(Double(x))) < 3e-7, "tanh(\(x))")
        }
    }
}
