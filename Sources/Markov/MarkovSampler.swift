// Sampling from a Markov chain: characters through the one sampling loop; markovify-style word sentences.
import Evaluation
import Foundation
import Sampling
import VersoRandom
import VersoText

/// A character chain's place in a text: the last `order` symbols.
final class MarkovState: GeneratorState {
    let model: MarkovModel
    var history: [Int32] = []
    var nodes: [Int32] = []
    var p: [Double]

    init(_ model: MarkovModel) {
        self.model = model
        p = [Double](repeating: 0, count: model.symbols.count)
    }

    /// The smoothed distribution (which backs off by itself when a context was never seen) as
    /// ln P(w | h), so p ∝ P^(1/T).
    func scores(into scores: UnsafeMutableBufferPointer<Float>) {
        distribution()
        for j in scores.indices { scores[j] = Float(Foundation.log(p[j])) }
    }

    /// `p` := the next symbol's distribution; returns the context's confidence.
    @discardableResult
    func distribution() -> (depth: Int, count: Int) {
        history.withUnsafeBufferPointer { h in
            p.withUnsafeMutableBufferPointer { model.distribution(after: h, nodes: &nodes, into: $0) }
        }
    }

    func advance(_ symbol: Int32) {
        history.append(symbol)
        if history.count > 2 * model.config.order + 16 { history.removeFirst(history.count - model.config.order) }
    }

    func fork() -> any GeneratorState {
        let copy = MarkovState(model)
        copy.history = history
        return copy
    }
}

/// A character chain generates like any other model; word chains write sentences (below).
extension MarkovModel: Generator {
    public func startState() -> any GeneratorState { MarkovState(self) }

    /// The distribution of the next symbol after `history` into `p`, and how much the chain
    /// knows of that context (the deepest seen context's length and count).
    public func distribution(
        after history: UnsafeBufferPointer<Int32>, nodes: inout [Int32], into p: UnsafeMutableBufferPointer<Double>
    ) -> (depth: Int, count: Int) {
        counts.contextNodes(history, end: history.count, into: &nodes)
        let smoother = self.smoother
        smoother.distribution(nodes: nodes, into: p)
        return smoother.confidence(nodes: nodes)
    }
}

extension MarkovModel {
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

    /// Every sample `settings` asks of a word model (each temperature, `count` times), each of
    /// `settings.sentences` sentences, reported as `SampleLoop.run` reports; `gaveUp` is told of
    /// each sentence that copied the corpus in every one of its `settings.tries` attempts.
    public func writeSentences(
        settings: SamplingSettings, text: MarkovText, keepGoing: () -> Bool = { true }, gaveUp: () -> Void = {},
        report: (SampleEvent) -> Void = { _ in }
    ) throws -> [GeneratedSample] {
        try settings.validate()
        return try SampleLoop.eachSample(settings, report: report) { t, rngSeed, emit in
            try sentences(
                settings: settings, temperature: t, rngSeed: rngSeed, text: text, keepGoing: keepGoing,
                gaveUp: gaveUp, emit: emit)
        }
    }

    /// One sample of `settings.sentences` sentences after the seed's known words, one a line,
    /// streamed to `emit`, until `keepGoing` says no.
    public func sentences(
        settings: SamplingSettings, temperature: Double, rngSeed: UInt64, text: MarkovText,
        keepGoing: () -> Bool = { true }, gaveUp: () -> Void = {}, emit: (String) -> Void = { _ in }
    ) throws -> GeneratedSample {
        var rng = SplitMix64(seed: rngSeed)
        let seedIDs = try text.tokens(of: settings.seed).compactMap { id($0) }
        let rules = settings.rules(temperature: temperature)
        var lines: [String] = []
        for _ in 0..<settings.sentences where keepGoing() {
            let (sentence, original) = sampleOriginalSentence(
                seed: seedIDs, rules: rules, tries: settings.tries, rng: &rng)
            if !original { gaveUp() }
            let line = detokenize(sentence)
            emit((lines.isEmpty ? "" : "\n") + line)
            lines.append(line)
        }
        let joined = lines.joined(separator: "\n")
        return GeneratedSample(
            temperature: temperature, rngSeed: rngSeed, text: joined, symbols: joined.map(String.init),
            generated: lines.count, stoppedBy: nil, skippedSeedSymbols: [])
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
