// The BLAS wrapper's row-major conventions, checked against naive loops.
import Foundation
import Testing
import VersoRandom
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
    }

    /// Four threads calling sgemm at once, with shapes that vary call to call, get exactly what
    /// one call of the same shape alone gets. Debian's sequential OpenBLAS failed this (3 to 259
    /// wrong products in 12,000): it shares work buffers between threads without a lock. Each call
    /// runs on its caller's thread alone. The references are taken shape by shape: oneDNN may pick
    /// its kernel (and so its order of additions) by the number of rows, as it did on the CI's CPU,
    /// so the first rows of a larger product need not match a smaller one bit for bit.
    @Test func sgemmOnManyThreadsAtOnceGivesTheSameBits() {
        let n = 200, k = 128, shapes = 50..<250
        var rng = SplitMix64(seed: 3)
        let a = (0..<(shapes.upperBound * k)).map { _ in Float(rng.nextDouble()) * 2 - 1 }
        let b = (0..<(k * n)).map { _ in Float(rng.nextDouble()) * 2 - 1 }
        let references: [[Float]] = shapes.map { rows in
            var alone = [Float](repeating: 0, count: rows * n)
            BLAS.sgemm(m: rows, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: &alone, ldc: n)
            return alone
        }
        let wrong = ResultCounts(4)
        let shared = Unchecked(value: (a, b, references))
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            let (a, b, references) = shared.value
            let c = UnsafeMutablePointer<Float>.allocate(capacity: shapes.upperBound * n)
            defer { c.deallocate() }
            for call in 0..<8000 {
                let rows = shapes.lowerBound + (call * 7 + thread * 13) % shapes.count
                BLAS.sgemm(m: rows, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: c, ldc: n)
                let same = references[rows - shapes.lowerBound].withUnsafeBytes { memcmp(c, $0.baseAddress!, $0.count) }
                if same != 0 { wrong.add(thread) }
            }
            if BLAS.threadsPerCall != 1 { wrong.add(thread) }
        }
        #expect(wrong.total == 0)
    }
}

/// The products by weights packed once per chunk (oneDNN's matmul), against naive loops: small
/// integers, so every sum is exact whatever order the kernel adds in.
@Suite struct PackedProductTests {
    let m = 6, k = 19, n = 37

    func integers(_ count: Int, _ seed: Int) -> [Float] { (0..<count).map { Float(($0 * seed + 3) % 9) - 4 } }

    @Test(arguments: [false, true])
    func matchesNaive(transposedWeights: Bool) {
        let x = integers(m * k, 7)
        let w = integers(k * n, 5)  // K×N, or N×K read as its transpose
        let product = PackedProduct(rows: m, inner: k, columns: n, transposedWeights: transposedWeights)
        product.pack(w)
        var y = [Float](repeating: 99, count: m * n)
        product.multiply(x, into: &y)
        let expected = BLASTests().naive(x, w, m: m, n: n, k: k, transA: false, transB: transposedWeights)
        #expect(y == expected)
    }

    @Test func accumulatesAndRepacks() {
        let x = integers(m * k, 7)
        let product = PackedProduct(rows: m, inner: k, columns: n, accumulate: true)
        var y = integers(m * n, 2)
        let start = y
        for seed in [5, 11] {  // a second pack replaces the first weights
            let w = integers(k * n, seed)
            product.pack(w)
            product.multiply(x, into: &y)
            let part = BLASTests().naive(x, w, m: m, n: n, k: k, transA: false, transB: false)
            y = y.enumerated().map { $0.element - part[$0.offset] }
        }
        #expect(y == start)
    }
}

/// A value handed to `concurrentPerform`'s threads, which only read it.
struct Unchecked<T>: @unchecked Sendable { let value: T }

/// Per-thread counters for `concurrentPerform` (each slot written by one thread only).
final class ResultCounts: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<Int>
    private let count: Int
    init(_ count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: 0, count: count)
    }
    deinit { slots.deallocate() }
    func add(_ slot: Int) { slots[slot] += 1 }
    var total: Int { (0..<count).reduce(0) { $0 + slots[$1] } }
}

@Suite struct FastMathTests {
    /// Every position, in the vectorised part and in the tail, and each kind of non-finite number.
    @Test func firstNonFiniteFindsTheFirstNaNOrInfinity() {
        for n in [0, 1, 7, 8, 9, 23, 64] {
            let finite = (0..<n).map { Float($0 % 5) * -7e37 }  // large but finite
            #expect(firstNonFinite(finite, n) == nil)
            for bad in [Float.nan, .infinity, -.infinity, .signalingNaN] {
                for at in 0..<n {
                    var xs = finite
                    xs[at] = bad
                    if at + 2 < n { xs[at + 2] = .nan }  // a later one is not reported
                    #expect(firstNonFinite(xs, n) == at, "n \(n), \(bad) at \(at)")
                }
            }
        }
        #expect(firstNonFinite([.greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude], 3) == nil)
    }

    @Test func isZeroTakesEitherSignAndFindsAnyOtherValue() {
        for n in [1, 8, 13] {
            let zeros = (0..<n).map { $0 % 2 == 0 ? Float(0) : -0.0 }
            #expect(isZero(zeros, n))
            for at in 0..<n {
                var xs = zeros
                xs[at] = .leastNonzeroMagnitude
                #expect(!isZero(xs, n), "n \(n), at \(at)")
            }
        }
    }

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
