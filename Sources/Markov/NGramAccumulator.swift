// Counting a corpus larger than memory: chunks counted by the sort-based builder, merged as they come.
/// Symbols stream in (one running sequence for characters, whole sentences for words); every
/// `chunkSize` positions are counted with `NGramCounts(pieces:)` and merged into the running
/// total, so memory follows the model's size (distinct contexts), not the corpus's. A character
/// chunk carries the last `order` symbols of the one before as context, so no count is lost at
/// the seams: the result equals counting the whole corpus at once (tested).
public final class NGramAccumulator {
    public let order: Int
    let chunkSize: Int
    var pieces: [NGramCounts.Piece] = []
    var buffered = 0
    var total: NGramCounts?
    // The running character sequence: `stream[0]` is at `streamOffset`; the first `carried` are context.
    var stream: [Int32] = [], streamOffset = 0, carried = 0

    public init(order: Int, chunkSize: Int = 1 << 24) {
        self.order = order
        self.chunkSize = max(chunkSize, 1)
    }

    /// Appends symbols to the one running sequence (character models).
    public func append<S: Sequence>(contentsOf ids: S, vocabSize: @autoclosure () -> Int) where S.Element == Int32 {
        for id in ids {
            stream.append(id)
            if stream.count - carried >= chunkSize {
                flushStream()
                flush(vocabSize: vocabSize())
            }
        }
    }

    /// Adds one independent sequence (a padded sentence of a word model).
    public func addSequence(_ ids: [Int32], vocabSize: @autoclosure () -> Int = 0) {
        pieces.append(.init(ids: ids, firstOffset: 0, countFrom: 0))
        buffered += ids.count
        if buffered >= chunkSize { flush(vocabSize: vocabSize()) }
    }

    /// The counts of everything added, with continuation counts; `vocabSize` bounds every id.
    public func finish(vocabSize: Int) -> NGramCounts {
        flushStream()
        flush(vocabSize: vocabSize)
        var counts = total ?? NGramCounts(pieces: [], vocabSize: vocabSize, order: order)
        total = nil
        counts.computeContinuations()
        return counts
    }

    private func flushStream() {
        guard stream.count > carried else { return }
        pieces.append(.init(ids: stream, firstOffset: streamOffset, countFrom: carried))
        buffered += stream.count
        let keep = min(order, stream.count)
        streamOffset += stream.count - keep
        stream = Array(stream.suffix(keep))
        carried = keep
    }

    private func flush(vocabSize: Int) {
        guard !pieces.isEmpty else { return }
        let chunk = NGramCounts(pieces: pieces, vocabSize: vocabSize, order: order)
        pieces = []
        buffered = 0
        total = total.map { $0.merged(with: chunk) } ?? chunk
    }
}

// MARK: - Merging and continuation counts

extension NGramCounts {
    /// The raw counts of two tries together. Nodes of each context length are sorted by (parent,
    /// symbol) in both, and merging keeps that order, so mapped parents stay sorted: one linear
    /// merge per length, with successor lists merged by symbol (counts added).
    func merged(with other: NGramCounts) -> NGramCounts {
        let a = self, b = other
        var parent: [Int32] = [-1], symbol: [Int32] = [-1], depth: [UInt8] = [0]
        var rawStart: [Int32] = [0], rawSymbol: [Int32] = [], rawCount: [Int32] = []
        parent.reserveCapacity(max(a.nodeCount, b.nodeCount))
        symbol.reserveCapacity(parent.capacity)
        var mapA = [Int32](repeating: -1, count: a.nodeCount), mapB = [Int32](repeating: -1, count: b.nodeCount)
        mapA[0] = 0
        mapB[0] = 0

        func successors(_ t: NGramCounts, _ node: Int) -> Range<Int> {
            Int(t.rawStart[node])..<Int(t.rawStart[node + 1])
        }
        func mergeSuccessors(_ i: Int?, _ j: Int?) {
            let ra = i.map { successors(a, $0) } ?? 0..<0, rb = j.map { successors(b, $0) } ?? 0..<0
            var x = ra.lowerBound, y = rb.lowerBound
            while x < ra.upperBound || y < rb.upperBound {
                let sa = x < ra.upperBound ? a.rawSymbol[x] : .max, sb = y < rb.upperBound ? b.rawSymbol[y] : .max
                if sa == sb {
                    rawSymbol.append(sa)
                    rawCount.append(a.rawCount[x] + b.rawCount[y])
                    x += 1
                    y += 1
                } else if sa < sb {
                    rawSymbol.append(sa)
                    rawCount.append(a.rawCount[x])
                    x += 1
                } else {
                    rawSymbol.append(sb)
                    rawCount.append(b.rawCount[y])
                    y += 1
                }
            }
        }
        mergeSuccessors(0, 0)
        // Nodes are numbered length by length, so each length is one contiguous run.
        var i = 1, j = 1
        for k in 1...max(order, 1) {
            let endA = a.depthEnd(from: i, depth: k), endB = b.depthEnd(from: j, depth: k)
            while i < endA || j < endB {
                let keyA = i < endA ? (Int64(mapA[Int(a.parent[i])]) << 32 | Int64(a.symbol[i])) : .max
                let keyB = j < endB ? (Int64(mapB[Int(b.parent[j])]) << 32 | Int64(b.symbol[j])) : .max
                let id = Int32(parent.count)
                let key = min(keyA, keyB)
                parent.append(Int32(key >> 32))
                symbol.append(Int32(truncatingIfNeeded: key))
                depth.append(UInt8(k))
                rawStart.append(Int32(rawSymbol.count))
                let useA = keyA == key, useB = keyB == key
                mergeSuccessors(useA ? i : nil, useB ? j : nil)
                if useA {
                    mapA[i] = id
                    i += 1
                }
                if useB {
                    mapB[j] = id
                    j += 1
                }
            }
        }
        rawStart.append(Int32(rawSymbol.count))
        return NGramCounts(
            order: order, vocabSize: max(a.vocabSize, b.vocabSize), parent: parent, symbol: symbol,
            depth: depth, rawStart: rawStart, rawSymbol: rawSymbol, rawCount: rawCount)
    }

    /// The first node index at or after `from` whose context length is not `depth`.
    func depthEnd(from: Int, depth k: Int) -> Int {
        var e = from
        while e < nodeCount && Int(depth[e]) == k { e += 1 }
        return e
    }

    /// Kneser-Ney continuation counts from the raw ones: N1+(• h w) is the number of one-longer
    /// contexts x·h (children of h's node) that were followed by w. Children come grouped by
    /// parent, parents in increasing order, so the CSR arrays fill in node order.
    mutating func computeContinuations() {
        var start = [Int32](repeating: 0, count: nodeCount + 1)
        var symbols: [Int32] = [], counts: [Int32] = []
        var seen = [Int32](repeating: 0, count: max(vocabSize, 1)), touched: [Int32] = []
        var c = 1
        while c < nodeCount {
            let p = Int(parent[c])
            while c < nodeCount && Int(parent[c]) == p {
                for e in Int(rawStart[c])..<Int(rawStart[c + 1]) {
                    let w = Int(rawSymbol[e])
                    if seen[w] == 0 { touched.append(Int32(w)) }
                    seen[w] += 1
                }
                c += 1
            }
            touched.sort()
            for w in touched {
                symbols.append(w)
                counts.append(seen[Int(w)])
                seen[Int(w)] = 0
            }
            start[p + 1] = Int32(touched.count)
            touched.removeAll(keepingCapacity: true)
        }
        for n in 0..<nodeCount { start[n + 1] += start[n] }
        contStart = start
        contSymbol = symbols
        contCount = counts
    }
}
