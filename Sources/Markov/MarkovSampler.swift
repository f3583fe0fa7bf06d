// Sampling from a Markov chain: smoothed characters with temperature; markovify-style word sentences.
import Evaluation
import Foundation
import VersoRandom

extension MarkovModel {
    /// Characters continuing `seed` (ids of known symbols): p ∝ P(w|h)^(1/T) from the smoothed
    /// distribution, which backs off by itself when a context was never seen. T ≤ 0 is argmax.
    public func sampleCharacters(
        seed: [Int32], length: Int, temperature: Double, rng: inout SplitMix64,
        keepGoing: () -> Bool = { true }, emit: (String) -> Void
    ) {
        var history = seed
        var nodes: [Int32] = []
        for _ in 0..<length {
            guard keepGoing() else { break }
            history.withUnsafeBufferPointer { counts.contextNodes($0, end: $0.count, into: &nodes) }
            let p = smoother.distribution(nodes: nodes)
            let next = MarkovModel.draw(p, temperature: temperature, rng: &rng)
            history.append(Int32(next))
            if history.count > 4 * config.order + 64 { history.removeFirst(history.count - config.order) }
            emit(symbols[next])
        }
    }

    /// Draws an index from weights `w` re-weighted as w^(1/T).
    static func draw(_ w: [Double], temperature: Double, rng: inout SplitMix64) -> Int {
        if temperature <= 0 { return w.indices.max { w[$0] < w[$1] } ?? 0 }
        let reweighted = temperature == 1 ? w : w.map { $0 > 0 ? Foundation.pow($0, 1 / temperature) : 0 }
        var u = rng.nextDouble() * reweighted.reduce(0, +)
        for (i, x) in reweighted.enumerated() {
            u -= x
            if u < 0 { return i }
        }
        return reweighted.lastIndex { $0 > 0 } ?? 0
    }

    /// One sentence from the raw counts of the exact `order`-word state (markovify's chain),
    /// starting after `seed` words when given (backing off to shorter states it never saw).
    public func sampleSentence(
        seed: [Int32], temperature: Double, maxWords: Int = 200, rng: inout SplitMix64
    ) -> [Int32] {
        var history = Array(repeating: MarkovModel.begin, count: config.order) + seed
        var out = seed
        var nodes: [Int32] = []
        while out.count < maxWords {
            history.withUnsafeBufferPointer { counts.contextNodes($0, end: $0.count, into: &nodes) }
            guard let node = nodes.last(where: { counts.rawStart[Int($0) + 1] > counts.rawStart[Int($0)] }) else {
                break
            }
            let range = Int(counts.rawStart[Int(node)])..<Int(counts.rawStart[Int(node) + 1])
            let choice = MarkovModel.draw(
                range.map { Double(counts.rawCount[$0]) }, temperature: temperature, rng: &rng)
            let next = counts.rawSymbol[range.lowerBound + choice]
            if next == MarkovModel.end { break }
            out.append(next)
            history.append(next)
        }
        return out
    }

    /// markovify's `make_sentence`: up to `tries` sentences until one passes the originality test.
    /// Returns the last sentence drawn and whether it passed.
    public func sampleOriginalSentence(
        seed: [Int32], temperature: Double, tries: Int,
        rng: inout SplitMix64
    ) -> (sentence: [Int32], original: Bool) {
        var sentence: [Int32] = []
        for _ in 0..<max(tries, 1) {
            sentence = sampleSentence(seed: seed, temperature: temperature, rng: &rng)
            if !overlapsCorpus(sentence) { return (sentence, true) }
        }
        return (sentence, false)
    }

    /// markovify's originality test: a sentence of n words is rejected when a run of
    /// min(15, round(0.7·n)) + 1 consecutive words occurs verbatim in a corpus sentence.
    /// The corpus's windows of each run length are hashed once and kept, so a test costs O(n).
    public func overlapsCorpus(_ sentence: [Int32]) -> Bool {
        let n = sentence.count
        let run = min(15, Int((0.7 * Double(n)).rounded())) + 1
        guard n >= run, run > 0 else { return false }
        let corpusWindows = windows(of: run)
        var found = false
        MarkovModel.forEachWindowHash(sentence[...], run) { if corpusWindows.contains($0) { found = true } }
        return found
    }

    func windows(of run: Int) -> Set<UInt64> {
        if let cached = windowCache[run] { return cached }
        var set = Set<UInt64>()
        var start = 0
        for (i, id) in corpusWordIDs.enumerated() where id == -1 {
            MarkovModel.forEachWindowHash(corpusWordIDs[start..<i], run) { set.insert($0) }
            start = i + 1
        }
        windowCache[run] = set
        return set
    }

    /// Window hashes of word ids (shifted by one, so the id 0 still counts).
    static func forEachWindowHash(_ ids: ArraySlice<Int32>, _ w: Int, _ body: (UInt64) -> Void) {
        WindowHash.forEach(ids.lazy.map { UInt64(UInt32(bitPattern: $0) &+ 1) }, window: w, body)
    }

    /// Joins word tokens with spaces, but none before closing punctuation or after opening marks.
    public func detokenize(_ ids: [Int32]) -> String {
        var out = ""
        var noSpaceNext = true
        for id in ids {
            let w = symbols[Int(id)]
            let closing = w.count == 1 && ".,;:!?)]}»”’%…".contains(w)
            if !noSpaceNext && !closing { out += " " }
            out += w
            noSpaceNext = w.count == 1 && "¿¡([{«“‘".contains(w)
        }
        return out
    }
}
