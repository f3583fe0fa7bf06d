// The C tool's sigmoid table: σ(x) looked up instead of computed in the innermost loop.
import Foundation

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
        if f > -SigmoidTable.maxExp {
            // Just below 6 the product rounds up to table.count in float: clamp to the last entry.
            let index = Int((f + SigmoidTable.maxExp) * (Float(table.count) / SigmoidTable.maxExp / 2))
            return table[min(index, table.count - 1)]
        }
        return f.isNaN ? .nan : 0  // a diverged run carries NaN on; the trainer reports it after training
    }
}
