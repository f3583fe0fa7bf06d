// The word2vec vocabulary: words by descending count, subsampling, negative sampling and Huffman codes.
import VersoNN

public struct W2VVocabulary: Sendable {
    public let words: [String]
    public let counts: [Int]
    public let index: [String: Int32]
    public var count: Int { words.count }
    public var totalCount: Int { counts.reduce(0, +) }

    public init(words: [String], counts: [Int]) {
        self.words = words
        self.counts = counts
        var index: [String: Int32] = [:]
        index.reserveCapacity(words.count)
        for (i, w) in words.enumerated() { index[w] = Int32(i) }
        self.index = index
    }

    /// Keeps words seen at least `minCount` times (and the `maxVocab` most frequent), sorted by
    /// descending count, ties by code point order so the result is reproducible.
    public static func build(counts: [String: Int], minCount: Int, maxVocab: Int?) -> W2VVocabulary {
        var kept = counts.filter { $0.value >= minCount }.map { ($0.key, $0.value) }
        kept.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.unicodeScalars.lexicographicallyPrecedes($1.0.unicodeScalars) }
        if let m = maxVocab, kept.count > m { kept.removeLast(kept.count - m) }
        return W2VVocabulary(words: kept.map(\.0), counts: kept.map(\.1))
    }

    // MARK: Subsampling (Mikolov et al. 2013, as the C tool computes it)

    /// Probability of keeping each word: (√(f/(s·N)) + 1)·(s·N)/f, capped at 1; all 1 when s = 0.
    public func keepProbabilities(sample s: Double) -> [Float] {
        let n = Double(totalCount)
        return counts.map { c in
            guard s > 0 else { return 1 }
            let f = Double(c), t = s * n
            return Float(min(1, ((f / t).squareRoot() + 1) * t / f))
        }
    }
}

// MARK: - Negative sampling from counts^0.75 (Walker's alias method: O(1) per draw)

public struct AliasTable: Sendable {
    let probability: [Float]
    let alias: [Int32]

    public init(weights: [Double]) {
        let n = weights.count
        let total = weights.reduce(0, +)
        var scaled = weights.map { $0 * Double(n) / total }
        var prob = [Float](repeating: 1, count: n), alias = [Int32](repeating: 0, count: n)
        var small: [Int] = [], large: [Int] = []
        for (i, p) in scaled.enumerated() { if p < 1 { small.append(i) } else { large.append(i) } }
        while let s = small.popLast(), let l = large.last {
            prob[s] = Float(scaled[s])
            alias[s] = Int32(l)
            scaled[l] -= 1 - scaled[s]
            if scaled[l] < 1 {
                large.removeLast()
                small.append(l)
            }
        }
        for i in large + small {
            prob[i] = 1
            alias[i] = Int32(i)
        }
        probability = prob
        self.alias = alias
    }

    public static func unigram(counts: [Int], power: Double = 0.75) -> AliasTable {
        AliasTable(weights: counts.map { Double($0) > 0 ? pow(Double($0), power) : 0 })
    }

    @inline(__always) public func draw(_ rng: inout SplitMix64) -> Int32 {
        let r = rng.next()
        let i = Int((r >> 32) % UInt64(probability.count))
        return Float(r & 0xFF_FFFF) * 0x1p-24 < probability[i] ? Int32(i) : alias[i]
    }
}

import Foundation
import VersoRandom
