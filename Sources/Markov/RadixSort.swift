// LSD radix sort of 64-bit keys carrying an Int32 payload: the n-gram builder's grouping step.
enum RadixSort {
    /// Sorts `keys` ascending (stable), permuting `values` alongside; only the low `bits` bits are looked at.
    static func sort(keys: inout [UInt64], values: inout [Int32], bits: Int) {
        let n = keys.count
        guard n > 1 else { return }
        let digit = 16, buckets = 1 << digit
        var k2 = [UInt64](repeating: 0, count: n), v2 = [Int32](repeating: 0, count: n)
        var count = [Int](repeating: 0, count: buckets)
        var shift = 0
        while shift < max(bits, 1) {
            for i in 0..<buckets { count[i] = 0 }
            for key in keys { count[Int((key >> UInt64(shift)) & UInt64(buckets - 1))] += 1 }
            var sum = 0
            for i in 0..<buckets {
                let c = count[i]
                count[i] = sum
                sum += c
            }
            for i in 0..<n {
                let b = Int((keys[i] >> UInt64(shift)) & UInt64(buckets - 1))
                k2[count[b]] = keys[i]
                v2[count[b]] = values[i]
                count[b] += 1
            }
            swap(&keys, &k2)
            swap(&values, &v2)
            shift += digit
        }
    }

    /// Bits needed to hold values up to `x`.
    static func bitWidth(_ x: Int) -> Int { x <= 1 ? 1 : Int.bitWidth - (x - 1).leadingZeroBitCount }
}
