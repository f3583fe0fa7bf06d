// Counts for every order up to N in flat arrays: a trie of contexts, successor and continuation counts.
/// Node 0 is the empty context; a node at depth k is the context of the k previous symbols, and
/// its child for symbol x extends that context one symbol further back. Each node lists its
/// successors w with the raw count C(h, w) and the Kneser-Ney continuation count N1+(• h w),
/// sorted by symbol (CSR arrays), so the whole model is a few integer arrays to store and load.
public struct NGramCounts: Sendable {
    public let order: Int
    public let vocabSize: Int
    var parent: [Int32], symbol: [Int32], depth: [UInt8]
    var rawStart: [Int32], rawSymbol: [Int32], rawCount: [Int32]
    var contStart: [Int32], contSymbol: [Int32], contCount: [Int32]
    var children: IntHashMap
    public var nodeCount: Int { parent.count }

    // MARK: Building

    /// Counts every (context, next) pair of `ids` for context lengths 0…order. Sequences are
    /// independent (no context crosses from one to the next).
    public init(sequences: [[Int32]], vocabSize: Int, order: Int) {
        self.order = order; self.vocabSize = vocabSize
        var parent: [Int32] = [-1], symbol: [Int32] = [-1], depth: [UInt8] = [0]
        let total = sequences.reduce(0) { $0 + $1.count }
        var children = IntHashMap(capacity: min(total, 1 << 20))   // grows as needed; oversizing costs cache misses
        var counts = IntHashMap(capacity: min(total, 1 << 20))
        for ids in sequences {
            for i in 0..<ids.count {
                let next = UInt64(UInt32(bitPattern: ids[i]))
                var node: Int32 = 0
                counts.add(next, 1)
                var k = 1
                while k <= order && i - k >= 0 {
                    let x = ids[i - k]
                    let key = UInt64(UInt32(node)) << 32 | UInt64(UInt32(bitPattern: x))
                    let (child, inserted) = children.getOrInsert(key, Int32(parent.count))
                    if inserted { parent.append(node); symbol.append(x); depth.append(UInt8(k)) }
                    node = child
                    counts.add(UInt64(UInt32(node)) << 32 | next, 1)
                    k += 1
                }
            }
        }
        // Continuation counts: each distinct (x·h, w) with a count adds one to N1+(• h w).
        var continuation = IntHashMap(capacity: counts.count)
        counts.forEach { key, _ in
            let node = Int(key >> 32)
            if node != 0 { continuation.add(UInt64(UInt32(parent[node])) << 32 | (key & 0xFFFF_FFFF), 1) }
        }
        self.parent = parent; self.symbol = symbol; self.depth = depth; self.children = children
        (rawStart, rawSymbol, rawCount) = NGramCounts.compress(counts, nodes: parent.count)
        (contStart, contSymbol, contCount) = NGramCounts.compress(continuation, nodes: parent.count)
    }

    /// (node, symbol) → count map to CSR arrays, successors sorted by symbol within each node.
    static func compress(_ map: IntHashMap, nodes: Int) -> ([Int32], [Int32], [Int32]) {
        var start = [Int32](repeating: 0, count: nodes + 1)
        map.forEach { key, _ in start[Int(key >> 32) + 1] += 1 }
        for i in 0..<nodes { start[i + 1] += start[i] }
        var fill = start
        var symbols = [Int32](repeating: 0, count: map.count), counts = symbols
        map.forEach { key, value in
            let node = Int(key >> 32), at = Int(fill[node])
            symbols[at] = Int32(bitPattern: UInt32(key & 0xFFFF_FFFF)); counts[at] = value
            fill[node] += 1
        }
        for n in 0..<nodes where start[n + 1] - start[n] > 1 {
            let range = Int(start[n])..<Int(start[n + 1])
            let sorted = range.map { (symbols[$0], counts[$0]) }.sorted { $0.0 < $1.0 }
            for (k, pair) in zip(range, sorted) { symbols[k] = pair.0; counts[k] = pair.1 }
        }
        return (start, symbols, counts)
    }

    // MARK: Lookups

    /// The nodes for contexts of length 0, 1, … up to `order` ending just before `end` in `history`.
    @inline(__always)
    func contextNodes(_ history: UnsafeBufferPointer<Int32>, end: Int, into nodes: inout [Int32]) {
        nodes.removeAll(keepingCapacity: true)
        var node: Int32 = 0
        nodes.append(0)
        var k = 1
        while k <= order && end - k >= 0 {
            guard let child = children.get(UInt64(UInt32(node)) << 32 | UInt64(UInt32(bitPattern: history[end - k]))) else { break }
            node = child
            nodes.append(node)
            k += 1
        }
    }

    /// C(h, w) (or the continuation count) by binary search in the node's sorted successors.
    @inline(__always)
    func count(_ node: Int32, _ w: Int32, continuation: Bool) -> Int32 {
        let start = continuation ? contStart : rawStart, syms = continuation ? contSymbol : rawSymbol
        var lo = Int(start[Int(node)]), hi = Int(start[Int(node) + 1])
        while lo < hi {
            let mid = (lo + hi) >> 1
            let s = syms[mid]
            if s == w { return (continuation ? contCount : rawCount)[mid] }
            if s < w { lo = mid + 1 } else { hi = mid }
        }
        return 0
    }
}

// MARK: - Flat arrays, for the store

extension NGramCounts {
    /// The model as named Int32 arrays (the trie's child map is rebuilt from parent and symbol).
    public var arrays: [(String, [Int32])] {
        [("parent", parent), ("symbol", symbol), ("depth", depth.map { Int32($0) }),
         ("raw_start", rawStart), ("raw_symbol", rawSymbol), ("raw_count", rawCount),
         ("cont_start", contStart), ("cont_symbol", contSymbol), ("cont_count", contCount)]
    }

    public init?(order: Int, vocabSize: Int, arrays: [String: [Int32]]) {
        guard let parent = arrays["parent"], let symbol = arrays["symbol"], let depth = arrays["depth"],
              let rs = arrays["raw_start"], let rsym = arrays["raw_symbol"], let rc = arrays["raw_count"],
              let cs = arrays["cont_start"], let csym = arrays["cont_symbol"], let cc = arrays["cont_count"],
              parent.count == symbol.count, parent.count == depth.count, rs.count == parent.count + 1,
              cs.count == parent.count + 1, rsym.count == rc.count, csym.count == cc.count else { return nil }
        self.order = order; self.vocabSize = vocabSize
        self.parent = parent; self.symbol = symbol; self.depth = depth.map { UInt8(clamping: $0) }
        rawStart = rs; rawSymbol = rsym; rawCount = rc; contStart = cs; contSymbol = csym; contCount = cc
        var children = IntHashMap(capacity: parent.count)
        for n in 1..<parent.count {
            children.add(UInt64(UInt32(parent[n])) << 32 | UInt64(UInt32(bitPattern: symbol[n])), Int32(n))
        }
        self.children = children
    }
}
