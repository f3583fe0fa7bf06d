// Counts for every order up to N in flat arrays: a trie of contexts, successor and continuation counts.
import Evaluation

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
    let childIndex: ChildIndex
    var children: IntHashMap { childIndex.map(parent: parent, symbol: symbol) }
    public var nodeCount: Int { parent.count }

    // MARK: Building

    /// Counts every (context, next) pair of `ids` for context lengths 0…order. Sequences are
    /// independent (no context crosses from one to the next).
    public init(sequences: [[Int32]], vocabSize: Int, order: Int) {
        let builder = NGramAccumulator(order: order, chunkSize: .max)
        for seq in sequences { builder.addSequence(seq) }
        self = builder.finish(vocabSize: vocabSize)
    }

    /// One chunk of a corpus: `ids[i]` sits at position `firstOffset + i` of its sequence, and only
    /// positions from `countFrom` on are counted (those before are context carried over).
    struct Piece {
        var ids: [Int32], firstOffset: Int, countFrom: Int
    }

    /// The raw counts (continuation counts left empty) of some pieces, built one context length
    /// at a time by sorting instead of hashing: at length k every position's key is (its node at
    /// length k−1, the symbol k back, the next symbol); one radix sort groups equal contexts (new
    /// nodes, numbered in order) and, within them, equal next symbols (their counts), so the CSR
    /// arrays come out already in node order. Nodes of one length are thus sorted by (parent,
    /// symbol), which is what lets `merged(with:)` combine two count tries in one linear pass.
    init(pieces: [Piece], vocabSize: Int, order: Int) {
        var text: [Int32] = [], offset: [Int32] = [], counted: [Bool] = []
        for piece in pieces {
            for (j, sym) in piece.ids.enumerated() {
                text.append(sym)
                offset.append(Int32(piece.firstOffset + j))
                counted.append(j >= piece.countFrom)
            }
        }
        let n = text.count
        var parent: [Int32] = [-1], symbol: [Int32] = [-1], depth: [UInt8] = [0]
        var rawStart: [Int32] = [0], rawSymbol: [Int32] = [], rawCount: [Int32] = []
        var unigram = [Int32](repeating: 0, count: max(vocabSize, 1))
        var active: [Int32] = []
        for i in 0..<n where counted[i] {
            unigram[Int(text[i])] += 1
            active.append(Int32(i))
        }
        for w in 0..<vocabSize where unigram[w] > 0 {
            rawSymbol.append(Int32(w))
            rawCount.append(unigram[w])
        }
        counted = []

        let symbolBits = RadixSort.bitWidth(vocabSize + 1)
        var nodeAt = [Int32](repeating: 0, count: n)  // each position's node at the previous length
        var k = 1
        while k <= order {
            active = active.filter { offset[Int($0)] >= k }
            if active.isEmpty { break }
            let nodeBits = RadixSort.bitWidth(parent.count + 1)
            precondition(nodeBits + 2 * symbolBits <= 64, "model too large for 64-bit sort keys")
            var keys = active.map { p -> UInt64 in
                let i = Int(p)
                return UInt64(nodeAt[i]) << UInt64(2 * symbolBits) | UInt64(text[i - k]) << UInt64(symbolBits)
                    | UInt64(text[i])
            }
            var positions = active
            RadixSort.sort(keys: &keys, values: &positions, bits: nodeBits + 2 * symbolBits)
            var lastContext = UInt64.max, lastNext = UInt64.max
            for (key, p) in zip(keys, positions) {
                let context = key >> UInt64(symbolBits), next = key & ((1 << UInt64(symbolBits)) - 1)
                if context != lastContext {
                    parent.append(nodeAt[Int(p)])
                    symbol.append(text[Int(p) - k])
                    depth.append(UInt8(k))
                    rawStart.append(Int32(rawSymbol.count))
                    lastContext = context
                    lastNext = .max
                }
                if next != lastNext {
                    rawSymbol.append(Int32(next))
                    rawCount.append(1)
                    lastNext = next
                } else {
                    rawCount[rawCount.count - 1] += 1
                }
                nodeAt[Int(p)] = Int32(parent.count - 1)
            }
            k += 1
        }
        rawStart.append(Int32(rawSymbol.count))
        self.init(
            order: order, vocabSize: vocabSize, parent: parent, symbol: symbol, depth: depth,
            rawStart: rawStart, rawSymbol: rawSymbol, rawCount: rawCount)
    }

    init(
        order: Int, vocabSize: Int, parent: [Int32], symbol: [Int32], depth: [UInt8],
        rawStart: [Int32], rawSymbol: [Int32], rawCount: [Int32]
    ) {
        self.order = order
        self.vocabSize = vocabSize
        self.parent = parent
        self.symbol = symbol
        self.depth = depth
        self.rawStart = rawStart
        self.rawSymbol = rawSymbol
        self.rawCount = rawCount
        contStart = [Int32](repeating: 0, count: parent.count + 1)
        contSymbol = []
        contCount = []
        childIndex = ChildIndex()
    }

    // MARK: Lookups

    /// The nodes for contexts of length 0, 1, … up to `order` ending just before `end` in `history`.
    @inline(__always)
    func contextNodes(_ history: UnsafeBufferPointer<Int32>, end: Int, into nodes: inout [Int32]) {
        nodes.removeAll(keepingCapacity: true)
        var node: Int32 = 0
        nodes.append(0)
        let children = self.children
        var k = 1
        while k <= order && end - k >= 0 {
            guard let child = children.get(UInt64(UInt32(node)) << 32 | UInt64(UInt32(bitPattern: history[end - k])))
            else { break }
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
        [
            ("parent", parent), ("symbol", symbol), ("depth", depth.map { Int32($0) }),
            ("raw_start", rawStart), ("raw_symbol", rawSymbol), ("raw_count", rawCount),
            ("cont_start", contStart), ("cont_symbol", contSymbol), ("cont_count", contCount),
        ]
    }

    public init?(order: Int, vocabSize: Int, arrays: [String: [Int32]]) {
        guard let parent = arrays["parent"], let symbol = arrays["symbol"], let depth = arrays["depth"],
            let rs = arrays["raw_start"], let rsym = arrays["raw_symbol"], let rc = arrays["raw_count"],
            let cs = arrays["cont_start"], let csym = arrays["cont_symbol"], let cc = arrays["cont_count"],
            parent.count == symbol.count, parent.count == depth.count, rs.count == parent.count + 1,
            cs.count == parent.count + 1, rsym.count == rc.count, csym.count == cc.count
        else { return nil }
        self.order = order
        self.vocabSize = vocabSize
        self.parent = parent
        self.symbol = symbol
        self.depth = depth.map { UInt8(clamping: $0) }
        rawStart = rs
        rawSymbol = rsym
        rawCount = rc
        contStart = cs
        contSymbol = csym
        contCount = cc
        childIndex = ChildIndex()
    }
}

/// The (parent, symbol) → child map, built on first lookup: counting and saving never need it.
final class ChildIndex: @unchecked Sendable {
    private var built: IntHashMap?

    func map(parent: [Int32], symbol: [Int32]) -> IntHashMap {
        if let built { return built }
        var children = IntHashMap(capacity: parent.count)
        for n in 1..<parent.count {
            children.add(UInt64(UInt32(parent[n])) << 32 | UInt64(UInt32(bitPattern: symbol[n])), Int32(n))
        }
        built = children
        return children
    }
}
