// A character or word Markov chain: its symbols, counts, smoothing, held-out scoring and sampling.
import Evaluation
import Foundation
import VersoRandom
import VersoText

public struct MarkovConfig: Codable, Sendable, Equatable {
    public enum Unit: String, Codable, Sendable, CaseIterable { case char, word }
    public var unit: Unit = .char
    public var order = 6
    public var smoothing: SmoothingKind = .kneserNey
    public init() {}
}

public final class MarkovModel: @unchecked Sendable {
    public let config: MarkovConfig
    public let symbols: [String]  // word level: 0 = sentence start, 1 = sentence end
    let index: [String: Int32]
    public let counts: NGramCounts
    private var smoothing: SmoothingKind
    private var cachedSmoother: Smoother?
    /// Built on first use (training only counts; scoring and sampling need the statistics).
    public var smoother: Smoother {
        if let s = cachedSmoother, s.kind == smoothing { return s }
        let s = Smoother(counts, kind: smoothing)
        cachedSmoother = s
        return s
    }
    let corpusWordIDs: [Int32]  // word level: the corpus, −1 between sentences (overlap filter)
    var windowCache: [Int: Set<UInt64>] = [:]  // run length → hashes of the corpus's windows of that length
    public static let begin: Int32 = 0, end: Int32 = 1

    init(config: MarkovConfig, symbols: [String], counts: NGramCounts, corpusWordIDs: [Int32]) {
        self.config = config
        self.symbols = symbols
        self.counts = counts
        self.corpusWordIDs = corpusWordIDs
        var index: [String: Int32] = [:]
        for (i, s) in symbols.enumerated() { index[s] = Int32(i) }
        self.index = index
        smoothing = config.smoothing
    }

    public func setSmoothing(_ kind: SmoothingKind) { smoothing = kind }

    // MARK: Building

    /// Character level: one sequence of NFC grapheme clusters (lines joined by "\n").
    /// `symbols` are given ids first, in order (a mixture counts its chain in its char-RNN's ids).
    public static func buildCharacters(
        _ graphemes: [String], config: MarkovConfig, symbols: [String] = []
    ) -> MarkovModel {
        let builder = Builder(config: config, words: false)
        for s in symbols { _ = builder.id(s) }
        builder.addCharacters(graphemes)
        return builder.finish()
    }

    /// Word level: each sentence padded with `order` start states and one end state (as markovify).
    public static func buildWords(_ sentences: [[String]], config: MarkovConfig) -> MarkovModel {
        let builder = Builder(config: config, words: true)
        for sentence in sentences { builder.addSentence(sentence) }
        return builder.finish()
    }

    /// Builds a model from text that arrives in pieces (a file streamed line by line): symbols get
    /// ids as they are first seen and are counted in bounded-memory chunks.
    public final class Builder {
        let config: MarkovConfig
        var index: [String: Int32] = [:], symbols: [String] = []
        var corpus: [Int32] = []  // word level: kept for the originality filter
        let counter: NGramAccumulator

        public init(config: MarkovConfig, words: Bool, chunkSize: Int = 1 << 22) {
            self.config = config
            counter = NGramAccumulator(order: config.order, chunkSize: chunkSize)
            if words {
                index = ["\u{2}BEGIN": 0, "\u{3}END": 1]
                symbols = ["\u{2}BEGIN", "\u{3}END"]
            }
        }

        func id(_ s: String) -> Int32 {
            if let i = index[s] { return i }
            let i = Int32(symbols.count)
            index[s] = i
            symbols.append(s)
            return i
        }

        public func addCharacters(_ graphemes: [String]) {
            counter.append(contentsOf: graphemes.lazy.map { self.id($0) }, vocabSize: self.symbols.count)
        }

        /// Characters given as ids into `symbols` (a block of a corpus read by `EncodedSymbols`).
        public func addCharacters(ids: [Int32], symbols blockSymbols: [String]) {
            let mapped = blockSymbols.map { id($0) }
            counter.append(contentsOf: ids.lazy.map { mapped[Int($0)] }, vocabSize: self.symbols.count)
        }

        public func addSentence(_ words: [String]) {
            guard !words.isEmpty else { return }
            let ids = words.map(id)
            counter.addSequence(Array(repeating: begin, count: config.order) + ids + [end], vocabSize: symbols.count)
            corpus.append(contentsOf: ids)
            corpus.append(-1)
        }

        public func finish() -> MarkovModel {
            let counts = counter.finish(vocabSize: max(symbols.count, 1))
            return MarkovModel(config: config, symbols: symbols, counts: counts, corpusWordIDs: corpus)
        }
    }

    public func id(_ s: String) -> Int32? { index[s] }

    // MARK: Held-out cross-entropy

    /// Mean −ln P(symbol | up to `order` previous symbols) over every symbol but the first;
    /// symbols the model never saw are skipped and counted (as `charnn eval` does).
    public func crossEntropy(_ graphemes: [String]) -> CrossEntropy {
        var ids: [Int32] = [], unknown = 0
        ids.reserveCapacity(graphemes.count)
        for g in graphemes { if let i = index[g] { ids.append(i) } else { unknown += 1 } }
        var nodes: [Int32] = []
        var total = 0.0
        ids.withUnsafeBufferPointer { s in
            for i in 1..<max(s.count, 1) {
                counts.contextNodes(s, end: i, into: &nodes)
                total -= log(smoother.probability(s[i], nodes: nodes))
            }
        }
        let n = max(ids.count - 1, 0)
        return CrossEntropy(natsPerChar: n > 0 ? total / Double(n) : .nan, chars: n, unknownChars: unknown)
    }
}
