// word2vec training: skip-gram or CBOW, negative sampling and/or hierarchical softmax, threads
// that train replicas and merge them every round (deterministic for a seed and a thread count).
import Foundation
import VersoNN
import VersoRandom
import VersoStore

public final class W2VTrainer: @unchecked Sendable {
    public let config: W2VConfig
    public let vocabulary: W2VVocabulary
    let corpus: EncodedCorpus
    let remap: [Int32]
    let keep: [Float]
    let negatives: AliasTable
    let huffman: HuffmanTree?
    var sigmoid = SigmoidTable()  // a test sets a finer one to check gradients closely
    let weights: WeightSet
    let trainWords: Int  // in-vocabulary words per epoch
    /// PV-DBOW: one vector per line of the corpus (a document), trained alongside the words.
    let documents: DocumentRows?
    /// Subword models: each word's input rows (its own and its n-grams').
    let subwords: SubwordRows?

    /// Words of its share a thread trains between two merges of the replicas: two per vocabulary
    /// row, at most 100k. Short rounds keep a frequent word's row from being pushed far by every
    /// thread without the others' pushes (the merge sums them); a merge reads every row of every
    /// replica, so rounds in proportion to the rows keep merging a few percent of the training.
    let wordsPerRound: Int

    /// (fraction done, α, words/s) about every 1% of the run, written by thread 0 only.
    public internal(set) var progressLog: [(fraction: Double, alpha: Float, wordsPerSecond: Double)] = []

    /// Polled by every thread each 10,000 words: when raised, `train` throws `Interrupted` at the
    /// end of the round (the caller has written nothing yet, so nothing is kept).
    public var stopRequest = StopRequest.never

    /// Called now and then from thread 0 with (fraction done, words/s, α).
    public var onProgress: (@Sendable (Double, Double, Float) -> Void)?

    /// Bytes of the V × d matrices a run holds at its peak: input and both output matrices while
    /// training (and each thread's replica of them), then the vectors copied out and their
    /// unit-normalised copy for the store, and the output layer copied out for it.
    /// A subword model adds its n-gram rows (`subwordRows`) to the input matrix and its replicas,
    /// and to the n-gram matrix copied out for the store.
    public static func bytesNeeded(config: W2VConfig, vocabularySize: Int, subwordRows: Int = 0) -> Double {
        let replicas = Double(config.threads > 1 ? config.threads : 0)
        let v = Double(vocabularySize), u = Double(subwordRows)
        return ((6 + 3 * replicas) * v + (2 + replicas) * u) * 4 * Double(config.dim)
    }

    /// `trainWords` is the in-vocabulary words of one epoch over `corpus` when the vocabulary
    /// counted more text than it holds (a model grown by `--update`); the learning rate decays over
    /// exactly the words trained.
    public convenience init(
        config: W2VConfig, corpus: EncodedCorpus, vocabulary: W2VVocabulary, subwords: SubwordRows? = nil,
        trainWords: Int? = nil
    ) {
        let wordsPerRound = min(100_000, 2 * vocabulary.count)
        self.init(
            config: config, corpus: corpus, vocabulary: vocabulary, wordsPerRound: wordsPerRound,
            subwords: subwords, trainWords: trainWords)
    }

    /// PV-DBOW on `corpus`, whose lines are the documents: each document's vector predicts its
    /// words through the same output vectors, negatives and batched kernel as the words' skip-gram.
    public convenience init(documentsOf corpus: EncodedCorpus, vocabulary: W2VVocabulary, config: W2VConfig) {
        let wordsPerRound = min(100_000, 2 * vocabulary.count)
        self.init(
            config: config, corpus: corpus, vocabulary: vocabulary, wordsPerRound: wordsPerRound,
            documents: corpus.lines)
    }

    init(
        config: W2VConfig, corpus: EncodedCorpus, vocabulary: W2VVocabulary, wordsPerRound: Int, documents: Int = 0,
        subwords: SubwordRows? = nil, trainWords: Int? = nil
    ) {
        self.wordsPerRound = wordsPerRound
        self.config = config
        self.corpus = corpus
        self.vocabulary = vocabulary
        remap = corpus.remap(to: vocabulary)
        keep = vocabulary.keepProbabilities(sample: config.sample)
        // Subword models draw negatives as fastText does, by count^0.5 (word2vec: ^0.75). On 3M Spanish
        // tokens it took the dev analogies from 43.4% to 46.8% (fastText: 46.9%).
        negatives = AliasTable.unigram(counts: vocabulary.counts, power: config.subword != nil ? 0.5 : 0.75)
        huffman = config.hierarchicalSoftmax ? HuffmanTree(counts: vocabulary.counts) : nil
        self.trainWords = trainWords ?? vocabulary.totalCount
        let V = vocabulary.count, d = config.dim
        self.subwords = subwords ?? config.subword.map { SubwordRows(words: vocabulary.words, config: $0) }
        let inputRows = self.subwords?.inputRows ?? V
        weights = WeightSet(vocabularySize: V, inputRows: inputRows, dim: d)
        var documentRNG = SplitMix64(seed: config.rngSeed ^ 0xD0C0_FFEE)
        self.documents =
            documents > 0 ? DocumentRows(count: documents, dim: d, corpus: corpus, rng: &documentRNG) : nil
        // Input vectors U[−0.5, 0.5)/d as the C tool (the n-gram rows after the words' from the same
        // stream); output vectors start at zero.
        var rng = SplitMix64(seed: config.rngSeed)
        for k in 0..<(inputRows * d) { weights.input[k] = (rng.nextFloat() - 0.5) / Float(d) }
        weights.outputNeg.initialize(repeating: 0, count: V * d)
        weights.outputHS.initialize(repeating: 0, count: max(V - 1, 1) * d)
    }

    deinit {
        weights.deallocate()
        documents?.vectors.deallocate()
    }

    /// The trained document vectors (D × d, row-major), PV-DBOW only.
    public var documentVectors: [Float] {
        guard let documents else { return [] }
        return Array(UnsafeBufferPointer(start: documents.vectors, count: documents.count * config.dim))
    }

    /// The trained word vectors (V × d, row-major); in a subword model each is the mean of its
    /// rows, as fastText's getWordVector.
    public var vectors: [Float] {
        let d = config.dim
        guard let subwords else { return Array(UnsafeBufferPointer(start: weights.input, count: vocabulary.count * d)) }
        var out = [Float](repeating: 0, count: vocabulary.count * d)
        out.withUnsafeMutableBufferPointer { o in
            for w in 0..<vocabulary.count {
                let rows = subwords.rows(of: Int32(w)), row = o.baseAddress! + w * d
                for r in rows { axpy(1, weights.input + Int(r) * d, row, d) }
                let inverse = 1 / Float(rows.count)
                for k in 0..<d { row[k] *= inverse }
            }
        }
        return out
    }

    /// The trained n-gram rows of a subword model, as the store keeps them.
    public var subwordMatrix: SubwordMatrix? {
        guard let subwords else { return nil }
        let d = config.dim, start = weights.input + vocabulary.count * d
        return SubwordMatrix(
            config: subwords.config, dim: d, buckets: subwords.buckets,
            values: Array(UnsafeBufferPointer(start: start, count: subwords.buckets.count * d)))
    }

    // MARK: Running

    public func train() throws {
        let threads = max(1, config.threads)
        let started = Date()
        let seeds = (0..<threads).map { SplitMix64(seed: config.rngSeed &+ UInt64($0) &* 0x9E37_79B9) }
        if threads == 1 {
            let worker = Worker(trainer: self, weights: weights, rng: seeds[0])
            for epoch in 0..<config.epochs {
                let done = epoch * trainWords
                _ = worker.run(range: 0..<corpus.length, wordsBefore: done, threads: 1, reporter: started)
                try stopRequest.check()
            }
            return
        }
        let replicas = Replicas(
            base: weights, threads: threads, negative: config.negative > 0,
            hierarchicalSoftmax: config.hierarchicalSoftmax)
        defer { replicas.deallocate() }
        let workers = WorkerPool(
            workers: (0..<threads).map {
                Worker(trainer: self, weights: replicas.copies[$0], rng: seeds[$0])
            })
        let rounds = max(1, corpus.length / threads / wordsPerRound)
        let shares = (0...threads).map { corpus.length * $0 / threads }
        var done = 0
        for _ in 0..<config.epochs {
            for round in 0..<rounds {
                let counts = WordCounts(threads)
                let before = done
                DispatchQueue.concurrentPerform(iterations: threads) { t in
                    let share = shares[t + 1] - shares[t]
                    let range = shares[t] + share * round / rounds..<shares[t] + share * (round + 1) / rounds
                    counts.words[t] = workers.workers[t].run(
                        range: range, wordsBefore: before, threads: threads, reporter: t == 0 ? started : nil)
                }
                try stopRequest.check()
                replicas.merge(touched: workers.workers.map(\.touched))
                done += counts.words.reduce(0, +)
            }
        }
    }

    /// α decays linearly with the share of all epochs' words processed, floored at α·1e-4.
    func alpha(wordsDone done: Int) -> Float {
        let total = Double(config.epochs * trainWords) + 1
        return config.startingAlpha * Float(max(1 - Double(done) / total, 1e-4))
    }
}

/// The workers of a threaded run, handed to the threads of each round (one worker per thread).
private struct WorkerPool: @unchecked Sendable {
    let workers: [Worker]
}

/// Words each thread trained in a round; each thread writes only its own slot.
private final class WordCounts: @unchecked Sendable {
    let words: UnsafeMutableBufferPointer<Int>

    init(_ threads: Int) {
        words = .allocate(capacity: threads)
        words.initialize(repeating: 0)
    }

    deinit {
        words.deallocate()
    }
}

/// The document vectors of a PV-DBOW run and where each document starts in the corpus. A thread
/// trains the lines that start in its share of a round, so each document's row has one writer at
/// a time and needs no replica.
final class DocumentRows: @unchecked Sendable {
    let vectors: UnsafeMutablePointer<Float>  // D × d, U[−0.5, 0.5)/d as the word vectors
    let starts: [Int]  // the id position of each document's first word
    var count: Int { starts.count }

    init(count: Int, dim d: Int, corpus: EncodedCorpus, rng: inout SplitMix64) {
        vectors = .allocate(capacity: count * d)
        for k in 0..<(count * d) { vectors[k] = (rng.nextFloat() - 0.5) / Float(d) }
        var starts = [0]
        starts.reserveCapacity(count)
        let ids = corpus.ids
        for p in 0..<corpus.length where ids[p] == EncodedCorpus.lineEnd && p + 1 < corpus.length {
            starts.append(p + 1)
        }
        precondition(starts.count == count, "\(count) documents, \(starts.count) lines")
        self.starts = starts
    }

    /// The document whose line holds position `p`.
    func index(at p: Int) -> Int {
        var lo = 0, hi = starts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if starts[mid] <= p { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }
}
