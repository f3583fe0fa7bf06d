// Dot products and axpy over float rows, 8 lanes at a time (plain SIMD8 arithmetic vectorises on baseline x86-64).
typealias F8 = SIMD8<Float>

@inline(__always) func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = F8(repeating: 0)
    var i = 0
    while i + 8 <= n {
        acc += UnsafeRawPointer(a + i).loadUnaligned(as: F8.self) * UnsafeRawPointer(b + i).loadUnaligned(as: F8.self)
        i += 8
    }
    var s = acc.sum()
    while i < n { s += a[i] * b[i]; i += 1 }
    return s
}

/// y += alpha · x
@inline(__always) func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    var i = 0
    let a = F8(repeating: alpha)
    while i + 8 <= n {
        let v = UnsafeRawPointer(y + i).loadUnaligned(as: F8.self) + a * UnsafeRawPointer(x + i).loadUnaligned(as: F8.self)
        UnsafeMutableRawPointer(y + i).storeBytes(of: v, as: F8.self)
        i += 8
    }
    while i < n { y[i] += alpha * x[i]; i += 1 }
}

/// σ(x) from a 1000-entry table over [−6, 6], as the C tool does; beyond ±6 the caller clips.
struct SigmoidTable: Sendable {
    static let maxExp: Float = 6
    let table: [Float]
    init(size: Int = 1000) {
        table = (0..<size).map { i in
            let x = (Float(i) / Float(size) * 2 - 1) * SigmoidTable.maxExp
            let e = expf(x)
            return e / (e + 1)
        }
    }
    @inline(__always) func callAsFunction(_ f: Float) -> Float {
        if f >= SigmoidTable.maxExp { return 1 }
        if f > -SigmoidTable.maxExp { return table[Int((f + SigmoidTable.maxExp) * (Float(table.count) / SigmoidTable.maxExp / 2))] }
        return f.isNaN ? .nan : 0   // a diverged run carries NaN on; the trainer reports it after training
    }
}

import Foundation
