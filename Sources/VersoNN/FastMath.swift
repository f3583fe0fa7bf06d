// Vectorised exp, sigmoid, tanh, dot and axpy over float buffers (Cephes-style exp, SIMD8, no libm).
//
// libm's expf/tanhf are scalar calls and dominated the LSTM's point-wise work; this exp uses the
// classic range reduction x = n·ln2 + r with a degree-6 polynomial for e^r (Cephes expf, relative
// error ~2e-7 over the clamped range), written with SIMD8 so it vectorises on baseline x86-64.

/// Eight float lanes: plain SIMD8 arithmetic vectorises on baseline x86-64.
public typealias F8 = SIMD8<Float>

@inline(__always)
func exp8(_ xIn: F8) -> F8 {
    // The clamp as two masked replacements: pointwiseMin/Max stay out-of-line generic calls.
    let lowest = F8(repeating: -87.3), highest = F8(repeating: 88.3)
    var x = xIn
    x.replace(with: lowest, where: x .< lowest)
    x.replace(with: highest, where: x .> highest)
    // n = round(x·log2 e) with the 1.5·2^23 magic number: float↔int vector conversions and
    // masked selects compile to scalar code here (20× slower), adds and bit casts do not.
    let t = x * 1.44269504088896341 + 12582912.0
    let n = t - 12582912.0
    x = x - n * 0.693359375 + n * 2.12194440e-4  // r = x − n·ln 2 in two parts (Cody-Waite)
    let x2 = x * x
    var y = F8(repeating: 1.9875691500e-4)
    y = y * x + 1.3981999507e-3
    y = y * x + 8.3334519073e-3
    y = y * x + 4.1665795894e-2
    y = y * x + 1.6666665459e-1
    y = y * x + 5.0000001201e-1
    y = y * x2 + x + 1
    let bits = (unsafeBitCast(t, to: SIMD8<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23  // 2^n
    return y * unsafeBitCast(bits, to: F8.self)
}

@inline(__always) func sigmoid8(_ x: F8) -> F8 { 1 / (1 + exp8(-x)) }
@inline(__always) func tanh8(_ x: F8) -> F8 { 2 / (1 + exp8(-2 * x)) - 1 }

@inlinable @inline(__always) public func load8(_ p: UnsafePointer<Float>) -> F8 {
    UnsafeRawPointer(p).loadUnaligned(as: F8.self)
}

@inlinable @inline(__always) public func store8(_ v: F8, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: F8.self)
}

/// a · b over n floats, 8 lanes at a time (word2vec's hot loop: inlined into its callers).
@inlinable @inline(__always) public func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = F8(repeating: 0)
    var i = 0
    while i + 8 <= n {
        acc += load8(a + i) * load8(b + i)
        i += 8
    }
    var s = acc.sum()
    while i < n {
        s += a[i] * b[i]
        i += 1
    }
    return s
}

/// a · b of two vectors of one length (0 for empty ones).
public func dot(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "dot of \(a.count) and \(b.count) floats")
    guard !a.isEmpty else { return 0 }
    return a.withUnsafeBufferPointer { x in
        b.withUnsafeBufferPointer { y in dot(x.baseAddress!, y.baseAddress!, a.count) }
    }
}

/// v / |v|, or nil for a zero vector.
public func unitVector(_ v: [Float]) -> [Float]? {
    let norm = dot(v, v).squareRoot()
    return norm > 0 ? v.map { $0 / norm } : nil
}

/// y += alpha · x over n floats, 8 lanes at a time.
@inlinable @inline(__always)
public func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    var i = 0
    let a = F8(repeating: alpha)
    while i + 8 <= n {
        store8(load8(y + i) + a * load8(x + i), y + i)
        i += 8
    }
    while i < n {
        y[i] += alpha * x[i]
        i += 1
    }
}

public enum FastMath {
    /// Applies `f8` to n floats from `src` into `dst` (which may be the same), 8 at a time; the tail
    /// is padded into one more vector so every element goes through the same arithmetic.
    @inline(__always)
    static func map(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int, _ f8: (F8) -> F8) {
        var i = 0
        while i + 8 <= n {
            store8(f8(load8(src + i)), dst + i)
            i += 8
        }
        if i < n {
            var v = F8(repeating: 0)
            for k in 0..<(n - i) { v[k] = src[i + k] }
            let r = f8(v)
            for k in 0..<(n - i) { dst[i + k] = r[k] }
        }
    }

    public static func exp(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int) {
        map(src, dst, n, exp8)
    }
    public static func sigmoid(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int) {
        map(src, dst, n, sigmoid8)
    }
    public static func tanh(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int) {
        map(src, dst, n, tanh8)
    }

    /// exp(x − shift) for a softmax row, returning the sum.
    public static func expShifted(_ p: UnsafeMutablePointer<Float>, _ n: Int, shift: Float) -> Float {
        map(p, p, n) { exp8($0 - shift) }
        var sum: Float = 0
        for k in 0..<n { sum += p[k] }
        return sum
    }
}

/// Σ codes[k] · q[k] over n int8 codes against floats, 8 lanes at a time (the IVF index's scan).
/// Two accumulators: with one, every add waited for the last (the scan's time went to that chain).
@inlinable @inline(__always)
public func dot(_ codes: UnsafePointer<Int8>, _ q: UnsafePointer<Float>, _ n: Int) -> Float {
    @inline(__always) func lanes(_ i: Int) -> F8 {
        F8(SIMD8<Int32>(truncatingIfNeeded: UnsafeRawPointer(codes + i).loadUnaligned(as: SIMD8<Int8>.self)))
            * load8(q + i)
    }
    var acc0 = F8(repeating: 0), acc1 = F8(repeating: 0)
    var i = 0
    while i + 16 <= n {
        acc0 += lanes(i)
        acc1 += lanes(i + 8)
        i += 16
    }
    if i + 8 <= n {
        acc0 += lanes(i)
        i += 8
    }
    var s = (acc0 + acc1).sum()
    while i < n {
        s += Float(codes[i]) * q[i]
        i += 1
    }
    return s
}

/// The index of the first NaN or infinity among n floats (all exponent bits set), 8 lanes at a time:
/// the vector readers check every number they take, gigabytes of them.
public func firstNonFinite(_ p: UnsafePointer<Float>, _ n: Int) -> Int? {
    let exponent = SIMD8<UInt32>(repeating: 0x7F80_0000)
    var i = 0
    while i + 8 <= n {
        let bits = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<UInt32>.self)
        if any(bits & exponent .== exponent) { break }
        i += 8
    }
    while i < n {
        if !p[i].isFinite { return i }
        i += 1
    }
    return nil
}

/// Whether all n floats are zero (either sign), 8 lanes at a time.
public func isZero(_ p: UnsafePointer<Float>, _ n: Int) -> Bool {
    var i = 0
    while i + 8 <= n {
        if any(load8(p + i) .!= 0) { return false }
        i += 8
    }
    while i < n {
        if p[i] != 0 { return false }
        i += 1
    }
    return true
}
