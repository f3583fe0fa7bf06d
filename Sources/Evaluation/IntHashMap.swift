// An open-addressing hash map from UInt64 keys to Int32 values: the Markov trie's child lookups, the
// phrase learner's bigram counts.
/// Linear probing over power-of-two arrays; a key is stored plus one so zero marks an empty slot.
/// Swift's Dictionary costs several times more per lookup for the millions of contexts a
/// high-order model walks while scoring or sampling.
public struct IntHashMap: Sendable {
    /// Every (key, value) stored, in slot order.
    public func forEach(_ body: (UInt64, Int32) -> Void) {
        for (k, v) in zip(keys, values) where k != 0 { body(k &- 1, v) }
    }

    @usableFromInline var keys: [UInt64]
    @usableFromInline var values: [Int32]
    /// Keys stored.
    public var count: Int { occupied }
    @usableFromInline var occupied = 0
    @usableFromInline var mask: Int

    public init(capacity: Int = 1 << 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        values = [Int32](repeating: 0, count: size)
        mask = size - 1
    }

    /// SplitMix64's finaliser: every key bit reaches the low bits the mask keeps.
    @inlinable @inline(__always) func slot(_ key: UInt64) -> Int {
        var z = key &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: z ^ (z >> 31)) & mask
    }

    @inlinable @inline(__always) public func get(_ key: UInt64) -> Int32? {
        let stored = key &+ 1
        var i = slot(key)
        while true {
            let k = keys[i]
            if k == stored { return values[i] }
            if k == 0 { return nil }
            i = (i + 1) & mask
        }
    }

    /// Adds `delta` to the value of `key` (inserting it at `delta`); returns the new value.
    @inlinable @inline(__always) @discardableResult
    public mutating func add(_ key: UInt64, _ delta: Int32) -> Int32 {
        if occupied * 2 >= keys.count { grow() }
        let stored = key &+ 1
        var i = slot(key)
        while true {
            let k = keys[i]
            if k == stored {
                values[i] += delta
                return values[i]
            }
            if k == 0 {
                keys[i] = stored
                values[i] = delta
                occupied += 1
                return delta
            }
            i = (i + 1) & mask
        }
    }

    @usableFromInline mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = [UInt64](repeating: 0, count: oldKeys.count * 2)
        values = [Int32](repeating: 0, count: oldKeys.count * 2)
        mask = keys.count - 1
        for (k, v) in zip(oldKeys, oldValues) where k != 0 {
            var i = slot(k &- 1)
            while keys[i] != 0 { i = (i + 1) & mask }
            keys[i] = k
            values[i] = v
        }
    }
}
