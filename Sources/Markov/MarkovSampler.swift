// Sampling from a Markov chain: smoothed characters with temperature; markovify-style word sentences.
import Evaluation
import Foundation
import VersoRandom
import VersoText

extension MarkovModel {
    /// Characters continuing `seed` (ids of known symbols), drawn under `rules` from the smoothed
    /// distribution (scores ln P(w|h), so p ∝ P^(1/T)), which backs off by itself when a context
    /// was never seen. Ends before the first of `stops` it produces (none of which is emitted),
    /// and returns that stop string.
    @discardableResult
    public func sampleCharacters(
        seed: [Int32], length: Int, rules: SamplingRules, stops: [String] = [], rng: inout SplitMix64,
        keepGoing: () -> Bool = { true }, emit: (String) -> Void
    ) -> String? {
        var history = seed
        var nodes: [Int32] = []
        var stopper = StopStrings(stops)
        var scores = [Float](repeating: 0, count: symbols.count)
        var weights = scores
        for _ in 0..<length {
            guard keepGoing(), stopper.stopped == nil else { break }
            history.withUnsafeBufferPointer { counts.contextNodes($0, end: $0.count, into: &nodes) }
            for (j, p) in smoother.distribution(nodes: nodes).enumerated() { scores[j] = Float(Foundation.log(p)) }
            let next = scores.withUnsafeMutableBufferPointer { z in
                weights.withUnsafeMutableBufferPointer { rules.draw(z, recent: history[...], weights: $0, rng: &rng) }
            }
            history.append(next)
            if history.count > 4 * max(config.order, rules.repetitionWindow) + 64 {
                history.removeFirst(history.count / 2)
            }
            let shown = stopper.add(symbols[Int(next)])
            if !shown.isEmpty { emit(shown) }
        }
        let rest = stopper.flush()
        if !rest.isEmpty { emit(rest) }
        return stopper.stopped
    }

    /// One of `candidates` (symbol ids with counts) under `rules`, after `recent`.
    static func pick(
        _ candidates: [(symbol: Int32, count: Double)], recent: ArraySlice<Int32>, rules: SamplingRules,
        rng: inout SplitMix64
    ) -> Int32 {
        var scores = candidates.map { Float(Foundation.log($0.count)) }
        if rules.repetitionPenalty != 1 {
            let seen = Set(recent.suffix(rules.repetitionWindow))
            for (i, c) in candidates.enumerated() where seen.contains(c.symbol) {
                scores[i] = scores[i] > 0 ? scores[i] / rules.repetitionPenalty : scores[i] * rules.repetitionPenalty
            }
        }
        var weights = scores
        let i = scores.withUnsafeMutableBufferPointer { z in
            weights.withUnsafeMutableBufferPointer { rules.draw(z, weights: $0, rng: &rng) }
        }
        return candidates[Int(i)].symbol
    }

    /// One sentence from the raw counts of the exact `order`-word state (markovify's chain),
    /// starting after `seed` words when given (backing off to shorter states it never saw).
    public func sampleSentence(
        seed: [Int32], rules: SamplingRules, maxWords: Int = 200, rng: inout SplitMix64
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
            let next = MarkovModel.pick(
                range.map { (counts.rawSymbol[$0], Double(counts.rawCount[$0])) }, recent: out[...], rules: rules,
                rng: &rng)
            if next == MarkovModel.end { break }
            out.append(next)
            history.append(next)
        }
        return out
    }

    /// markovify's `make_sentence`: up to `tries` sentences until one passes the originality test.
    /// Returns the last sentence drawn and whether it passed.
    public func sampleOriginalSentence(
        seed: [Int32], rules: SamplingRules, tries: Int, rng: inout SplitMix64
    ) -> (sentence: [Int32], original: Bool) {
        var sentence: [Int32] = []
        for _ in 0..<max(tries, 1) {
            sentence = sampleSentence(seed: seed, rules: rules, rng: &rng)
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
