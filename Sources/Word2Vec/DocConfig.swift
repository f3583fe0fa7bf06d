// Everything that defines a document-vector model, as one struct (stored as the model's JSON config).
import VersoText

public struct DocConfig: Codable, Sendable, Equatable {
    /// dbow: paragraph vectors, PV-DBOW (Le & Mikolov 2014), with skip-gram word vectors trained
    /// alongside as gensim's `dbow_words=1`; sif: the smooth inverse-frequency average of a word2vec
    /// model's vectors, first principal component removed (Arora, Liang & Ma 2017).
    public enum Method: String, Codable, Sendable, CaseIterable { case dbow, sif }

    public var method: Method = .dbow
    public var unit: DocumentUnit = .paragraph
    public var dim = 100
    public var window = 5
    public var negative = 5
    public var minCount = 5
    public var sample = 1e-3
    public var epochs = 10
    public var alpha: Float = 0.025
    public var threads = 1
    public var rngSeed: UInt64 = 1
    public var keepCase = false
    /// sif: the word2vec model the vectors come from, and the weight a / (a + p(w)) of a word of
    /// unigram probability p(w).
    public var source: String?
    public var sifA = 1e-3
    /// sif over a subword model: how it cuts words into n-grams, so that a word outside the
    /// vocabulary is averaged in with its n-grams' vector (the model keeps the n-gram rows).
    public var subword: SubwordConfig?

    public init() {}

    /// The word2vec settings that PV-DBOW shares with skip-gram: negative sampling through the
    /// batched kernel, the same subsampling, window and learning-rate decay.
    public var wordConfig: W2VConfig {
        var c = W2VConfig()
        c.arch = .skipgram
        c.dim = dim
        c.window = window
        c.negative = negative
        c.minCount = minCount
        c.sample = sample
        c.epochs = epochs
        c.alpha = alpha
        c.threads = threads
        c.rngSeed = rngSeed
        c.keepCase = keepCase
        c.kernel = .batched
        return c
    }
}
