// Tokens to integer ids without a String per token: UTF-8 bytes hashed into an open-addressing
// table whose keys live in one byte arena.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Interns tokens given as UTF-8 bytes. Ids are dense and in first-seen order; each id keeps how
/// many times it was added. Strings are made only when asked for (`token(_:)`, `tokens`).
public struct TokenTable: Sendable {
    private var arena: [UInt8] = []
    private var starts: [Int] = []
    private var lengths: [Int32] = []
    private var hashes: [UInt64] = []
    public private(set) var counts: [Int] = []
    private var slots: [Int32]  // an id, or −1 for an empty slot; the capacity is a power of two
    private var mask: Int

    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    /// Distinct tokens.
    public var count: Int { counts.count }

    /// The id of `token`, added with count 0 first if it is new; its count grows by `occurrences`.
    @inline(__always)
    public mutating func add(_ token: UnsafeBufferPointer<UInt8>, occurrences: Int = 1) -> Int32 {
        let hash = TokenTable.hash(token)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = slots[slot]
            if id < 0 { break }
            if hashes[Int(id)] == hash && equals(Int(id), token) {
                counts[Int(id)] += occurrences
                return id
            }
            slot = (slot + 1) & mask
        }
        let id = Int32(counts.count)
        starts.append(arena.count)
        lengths.append(Int32(token.count))
        hashes.append(hash)
        counts.append(occurrences)
        arena.append(contentsOf: token)
        slots[slot] = id
        if counts.count * 2 > slots.count { rehash() }
        return id
    }

    /// Calls `body` with the UTF-8 bytes of token `id`.
    public func withToken<R>(_ id: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try arena.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[starts[id]..<(starts[id] + Int(lengths[id]))]))
        }
    }

    public func token(_ id: Int) -> String { withToken(id) { String(decoding: $0, as: UTF8.self) } }

    /// Every token, in id order.
    public var tokens: [String] { (0..<count).map(token) }

    private func equals(_ id: Int, _ token: UnsafeBufferPointer<UInt8>) -> Bool {
        guard Int(lengths[id]) == token.count else { return false }
        return arena.withUnsafeBufferPointer { all in
            let stored = all.baseAddress! + starts[id]
            for k in 0..<token.count where stored[k] != token[k] { return false }  // tokens are short
            return true
        }
    }

    private mutating func rehash() {
        let size = slots.count * 2
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        for id in 0..<counts.count {
            var slot = Int(truncatingIfNeeded: hashes[id]) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(id)
        }
    }

    /// A 64-bit hash of the bytes, eight at a time (a multiply–xorshift mix).
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        guard let p = bytes.baseAddress else { return h }
        let n = bytes.count
        var i = 0
        while i + 8 <= n {
            h = (h ^ UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(p[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 29)
    }
}
