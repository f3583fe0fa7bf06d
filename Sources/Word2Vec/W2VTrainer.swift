// word2vec training: skip-gram or CBOW, negative sampling and/or hierarchical softmax, Hogwild threads.
import Foundation
import Synchronization
import VersoNN
import VersoRandom

/// The weights being trained, shared by all threads without locks (Hogwild, Recht et al. 2011):
/// updates race, rarely collide on the same row, and the C tool and gensim rely on the same.
struct SharedWeights: @unchecked Sendable {
    let input: UnsafeMutablePointer<Float>  // V × d: the word vectors (syn0)
    let outputNeg: UnsafeMutablePointer<Float>  // V × d: negative-sampling output vectors (syn1neg)
    let outputHS: UnsafeMutablePointer<Float>  // (V−1) × d: Huffman inner-node vectors (syn1)
}

public final class W2VTrainer: @unchecked Sendable {
    public let config: W2VConfig
    public let vocabulary: W2VVocabulary
    let corpus: EncodedCorpus
    let remap: [Int32]
    let keep: [Float]
    let negatives: AliasTable
    let huffman: HuffmanTree?
    let sigmoid = SigmoidTable()
    let weights: SharedWeights
    let trainWords: Int  // in-vocabulary words per epoch
    let wordsDone = Atomic<Int>(0)  // across threads and epochs, for α and progress

    /// (fraction done, α, words/s) about every 1% of the run, written by thread 0 only.
    public internal(set) var progressLog: [(fraction: Double, alpha: Float, wordsPerSecond: Double)] = []

    /// Called now and then from thread 0 with (fraction done, words/s, α).
    public var onProgress: (@Sendable (Double, Double, Float) -> Void)?

    /// Bytes of the V × d matrices a run holds at its peak: input and both output matrices while
    /// training, then the vectors copied out and their unit-normalised copy for the store.
    public static func bytesNeeded(config: W2VConfig, vocabularySize: Int) -> Double {
        5 * 4 * Double(vocabularySize) * Double(config.dim)
    }

    public init(config: W2VConfig, corpus: EncodedCorpus, vocabulary: W2VVocabulary) {
        self.config = config
        self.corpus = corpus
        self.vocabulary = vocabulary
        remap = corpus.remap(to: vocabulary)
        keep = vocabulary.keepProbabilities(sample: config.sample)
        negatives = AliasTable.unigram(counts: vocabulary.counts)
        huffman = config.hierarchicalSoftmax ? HuffmanTree(counts: vocabulary.counts) : nil
        trainWords = vocabulary.totalCount
        let V = vocabulary.count, d = config.dim
        weights = SharedWeights(
            input: .allocate(capacity: V * d), outputNeg: .allocate(capacity: V * d),
            outputHS: .allocate(capacity: max(V - 1, 1) * d))
        // Input vectors U[−0.5, 0.5)/d as the C tool; output vectors start at zero.
        var rng = SplitMix64(seed: config.rngSeed)
        for k in 0..<(V * d) { weights.input[k] = (rng.nextFloat() - 0.5) / Float(d) }
        weights.outputNeg.initialize(repeating: 0, count: V * d)
        weights.outputHS.initialize(repeating: 0, count: max(V - 1, 1) * d)
    }

    deinit {
        weights.input.deallocate()
        weights.outputNeg.deallocate()
        weights.outputHS.deallocate()
    }

    /// The trained word vectors (V × d, row-major).
    public var vectors: [Float] {
        Array(UnsafeBufferPointer(start: weights.input, count: vocabulary.count * config.dim))
    }

    // MARK: Running

    public func train() {
        let threads = max(1, config.threads)
        let started = Date()
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            let start = corpus.length * t / threads, end = corpus.length * (t + 1) / threads
            let worker = Worker(trainer: self, rng: SplitMix64(seed: config.rngSeed &+ UInt64(t) &* 0x9E37_79B9))
            for epoch in 0..<config.epochs {
                worker.run(range: start..<end, epoch: epoch, isReporter: t == 0, started: started)
            }
        }
    }

    /// α decays linearly with the share of all epochs' words processed, floored at α·1e-4.
    func alpha(wordsDone done: Int) -> Float {
        let total = Double(config.epochs * trainWords) + 1
        return config.startingAlpha * Float(max(1 - Double(done) / total, 1e-4))
    }
}
