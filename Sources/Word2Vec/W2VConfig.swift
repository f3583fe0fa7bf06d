// Everything that defines a word2vec training run, as one struct (stored as the model's JSON config).
public struct W2VConfig: Codable, Sendable, Equatable {
    public enum Architecture: String, Codable, Sendable, CaseIterable { case skipgram, cbow }
    /// classic: the C tool's per-pair loop; batched: pWord2Vec's shared negatives per window
    /// (skip-gram with negative sampling only; other settings always run the classic loop).
    public enum Kernel: String, Codable, Sendable, CaseIterable { case classic, batched }

    public var arch: Architecture = .skipgram
    public var dim = 100
    public var window = 5
    public var negative = 5  // 0 disables negative sampling
    public var hierarchicalSoftmax = false
    public var minCount = 5
    public var maxVocab: Int? = nil
    public var sample = 1e-3  // frequent-word subsampling threshold (0: off)
    public var epochs = 5
    public var alpha: Float? = nil  // default: 0.025 skip-gram, 0.05 CBOW and subword models (fastText's lr)
    public var threads = 1
    public var rngSeed: UInt64 = 1
    public var keepCase = false
    public var maxSentenceLength = 1000  // the C tool's MAX_SENTENCE_LENGTH
    public var kernel: Kernel = .batched
    /// fastText's subwords: a word's input vector is the mean of its row and its n-grams' rows.
    public var subword: SubwordConfig? = nil
    /// The phrase model (`w2v phrases`) whose pairs are joined while reading: "nueva york" → "nueva_york".
    public var phrases: String? = nil

    public init() {}

    public var usesBatchedKernel: Bool {
        kernel == .batched && arch == .skipgram && negative > 0 && !hierarchicalSoftmax
    }

    /// Subword skip-gram starts at fastText's 0.05: on 3M Spanish tokens it answered 43.4% of the dev
    /// analogies against 42.6% at word2vec's 0.025, and 46.9% of the rare-word ones against 41.9%.
    public var startingAlpha: Float { alpha ?? (arch == .skipgram && subword == nil ? 0.025 : 0.05) }

    /// Settings a run may leave to the corpus's size (`w2v train` without --epochs, --window or --min-count).
    public struct CorpusSizing: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let epochs = CorpusSizing(rawValue: 1)
        public static let window = CorpusSizing(rawValue: 2)
        public static let minCount = CorpusSizing(rawValue: 4)
        public static let all: CorpusSizing = [.epochs, .window, .minCount]
    }

    /// From this many words on, a corpus trains with fastText's and gensim's defaults (5 epochs,
    /// window 5, min-count 5); below it, small-corpus settings (the C tool's demo scripts widen the
    /// window and add passes by hand too).
    public static let largeCorpusWords = 20_000_000

    /// Passes for a corpus of `words` words: enough for about 50M words of training in all, between 5
    /// (fastText's and gensim's default, right for corpora of 10M words and more) and 20. A small corpus
    /// under-trains in 5: on the shipped novels (5M words) rey − hombre + mujer ranked reina first for
    /// one rng seed of five at 5 epochs.
    public static func epochs(forCorpusWords words: Int) -> Int {
        min(20, max(5, Int((5e7 / Double(max(words, 1))).rounded())))
    }

    /// The context window: 10 below 20M words, which sees more of a word's topic than of its syntax
    /// (the novels at window 5: reina first for two seeds of five), else 5.
    public static func window(forCorpusWords words: Int) -> Int { words >= largeCorpusWords ? 5 : 10 }

    /// The minimum count: 10 from 1M to 20M words, else 5. In a corpus of a few million words a word
    /// seen 5 to 9 times gets a vector trained on too few contexts, which lands among the neighbours
    /// of common words: on the novels at min-count 5 (10 or 20 epochs, window 10) rey − hombre + mujer
    /// put reina second for one rng seed of five, behind soberana or esposa; at min-count 10 (10 epochs,
    /// window 10) first for all five. Below 1M words 10 would leave too small a vocabulary.
    public static func minCount(forCorpusWords words: Int) -> Int {
        words >= 1_000_000 && words < largeCorpusWords ? 10 : 5
    }

    /// This config with the settings of `sizing` chosen for a corpus of `words` words.
    public func sized(toCorpusWords words: Int, choosing sizing: CorpusSizing) -> W2VConfig {
        var c = self
        if sizing.contains(.epochs) { c.epochs = W2VConfig.epochs(forCorpusWords: words) }
        if sizing.contains(.window) { c.window = W2VConfig.window(forCorpusWords: words) }
        if sizing.contains(.minCount) { c.minCount = W2VConfig.minCount(forCorpusWords: words) }
        return c
    }
}
