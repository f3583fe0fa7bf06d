// Markov chains: smoothing sums to one, a hand-computed Kneser-Ney value, the originality filter.
import Foundation
import Testing
@testable import Markov
import VersoRandom

func chars(_ s: String) -> [String] { s.map(String.init) }

@Suite struct SmoothingTests {
    @Test(arguments: SmoothingKind.allCases)
    func probabilitiesSumToOneForSeenAndUnseenContexts(kind: SmoothingKind) {
        var config = MarkovConfig()
        config.order = 3
        config.smoothing = kind
        let m = MarkovModel.buildCharacters(chars("abracadabra arcada cabra bracada"), config: config)
        let contexts = ["abr", "ada", "zzz", "a", "", "rac", "c b"]  // seen, partly seen and unseen
        for context in contexts {
            let history = context.compactMap { m.id(String($0)) ?? 999 }
            var nodes: [Int32] = []
            history.withUnsafeBufferPointer { m.counts.contextNodes($0, end: $0.count, into: &nodes) }
            let total = m.smoother.distribution(nodes: nodes).reduce(0, +)
            #expect(abs(total - 1) < 1e-9, "\(kind) context '\(context)': Σp = \(total)")
        }
    }

    @Test func kneserNeyByHand() {
        // Text "abab" (order 1): bigrams ab, ba, ab → C(a·)={b:2}, C(b·)={a:1}.
        // Top order (1) uses raw counts; counts-of-counts n1=1 (b→a), n2=1 (a→b): Y = 1/3,
        // D1 = 1 − 2·(1/3)·1/1 = 1/3; with no n3, D2 falls back to 1 (and D3+ to 1.5).
        // Order 0 uses continuation counts N1+(•w): a ← {b}, b ← {a}: both 1 → n1 = 2, n2 = 0
        // → fixed discounts [0.5, 1, 1.5]; P0(w) = (1 − 0.5)/2 + (0.5·2/2)·(1/2) = 0.5.
        // P(b|a) = (2 − D2)/2 + γ(a)·P0(b) with γ(a) = D2·N2(a•)/C(a) = 1/2 → 0.5 + 0.25 = 0.75.
        var config = MarkovConfig()
        config.order = 1
        let m = MarkovModel.buildCharacters(chars("abab"), config: config)
        let a = m.id("a")!, b = m.id("b")!
        #expect(zip(m.smoother.discounts[1], [1.0 / 3, 1, 1.5]).allSatisfy { abs($0 - $1) < 1e-12 })
        var nodes: [Int32] = []
        [a].withUnsafeBufferPointer { m.counts.contextNodes($0, end: 1, into: &nodes) }
        #expect(abs(m.smoother.probability(b, nodes: nodes) - 0.75) < 1e-12)
        #expect(abs(m.smoother.probability(a, nodes: nodes) - 0.25) < 1e-12)
    }

    @Test func higherOrdersFitTheTrainingTextBetter() {
        let text = String(repeating: "the cat sat on the mat. the dog sat on the log. ", count: 20)
        var scores: [Double] = []
        for order in [0, 1, 3] {
            var config = MarkovConfig()
            config.order = order
            scores.append(
                MarkovModel.buildCharacters(chars(text), config: config).crossEntropy(chars(text)).natsPerChar)
        }
        #expect(scores[0] > scores[1] && scores[1] > scores[2])
    }

    @Test func storedArraysRebuildTheSameModel() {
        var config = MarkovConfig()
        config.order = 4
        let m = MarkovModel.buildCharacters(chars("la mar está serena, serena está la mar"), config: config)
        let copy = NGramCounts(
            order: 4, vocabSize: m.counts.vocabSize, arrays: Dictionary(uniqueKeysWithValues: m.counts.arrays))!
        let rebuilt = MarkovModel(config: config, symbols: m.symbols, counts: copy, corpusWordIDs: [])
        let probe = chars("serena la mar")
        #expect(rebuilt.crossEntropy(probe).natsPerChar == m.crossEntropy(probe).natsPerChar)
    }
}

@Suite struct WordChainTests {
    func model() -> MarkovModel {
        var config = MarkovConfig()
        config.unit = .word
        config.order = 2
        let sentences = [
            ["el", "rey", "come", "pan", "con", "miel", "y", "vino", "dulce", "."],
            ["la", "reina", "come", "pan", "."], ["el", "rey", "bebe", "vino", "."],
        ]
        return MarkovModel.buildWords(sentences, config: config)
    }

    @Test func originalityFilterRejectsVerbatimSentences() {
        let m = model()
        let verbatim = ["el", "rey", "come", "pan", "con", "miel", "y", "vino", "dulce", "."].map { m.id($0)! }
        #expect(m.overlapsCorpus(verbatim))
        let mixed = ["el", "rey", "come", "pan", "con", "miel", "."].map { m.id($0)! }  // 7 words: a 6-word run is shared
        #expect(m.overlapsCorpus(mixed))
        let recombined = ["la", "reina", "come", "pan", "con", "miel", "."].map { m.id($0)! }  // longest shared run: 4
        #expect(!m.overlapsCorpus(recombined))
        let novel = ["la", "reina", "bebe", "vino", "."].map { m.id($0)! }  // needs a 5-word run: none
        #expect(!m.overlapsCorpus(novel))
    }

    @Test func sentencesFollowTheChainAndDetokenize() {
        let m = model()
        var rng = SplitMix64(seed: 3)
        for _ in 0..<20 {
            let s = m.sampleSentence(seed: [], rules: SamplingRules(), rng: &rng)
            #expect(!s.isEmpty)
            #expect(m.symbols[Int(s[0])] == "el" || m.symbols[Int(s[0])] == "la")
        }
        #expect(m.detokenize(["el", "rey", "come", "."].map { m.id($0)! }) == "el rey come.")
    }
}

@Suite struct MarkovDistributionTests {
    /// The one-pass distribution the sampler reads is `probability`'s, bit for bit, for both smoothings.
    @Test(arguments: [SmoothingKind.kneserNey, .wittenBell])
    func distributionIsProbabilityBitForBit(kind: SmoothingKind) throws {
        var config = MarkovConfig()
        config.order = 4
        config.smoothing = kind
        let text = Array(repeating: "la luna y el sol, el mar y la sal.\n", count: 20).joined().map(String.init)
        let m = MarkovModel.buildCharacters(text, config: config)
        var nodes: [Int32] = []
        var p = [Double](repeating: 0, count: m.symbols.count)
        for end in [0, 1, 3, 7, 40, 200] {
            let history = Array(text.prefix(end)).compactMap { m.id($0) } + [m.id("z") ?? -1]
            _ = history.withUnsafeBufferPointer { h in p.withUnsafeMutableBufferPointer { m.distribution(after: h, nodes: &nodes, into: $0) } }
            for w in 0..<m.symbols.count {
                #expect(p[w] == m.smoother.probability(Int32(w), nodes: nodes))
            }
            #expect(abs(p.reduce(0, +) - 1) < 1e-12)
        }
    }
}
