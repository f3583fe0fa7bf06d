// A whole word2vec run from a corpus file into the store: read, build the vocabulary, train, keep.
import Foundation
import VersoNN
import VersoStore
import VersoText

/// A corpus that cannot be trained on, or a run that diverged, as one line.
public struct W2VTrainingError: Error, CustomStringConvertible {
    public let description: String

    /// A run whose vectors became NaN or infinite, naming the learning rate it started from.
    static func diverged(startingAt alpha: Float) -> W2VTrainingError {
        W2VTrainingError(
            description: "training diverged: the vectors became NaN or infinite at a starting learning rate of "
                + "\(alpha) (try a lower one); nothing was saved")
    }
}

/// What a finished run reports.
public struct W2VRunSummary: Sendable {
    public var words: Int
    public var vocabularySize: Int
    public var readSeconds: Double
    public var trainSeconds: Double
    public var wordsPerSecond: Double
    public var replacements: Int  // invalid UTF-8 sequences replaced (lenient reading)
    public var config: W2VConfig  // as trained: with the epochs and window chosen for the corpus
}

public enum W2VTraining {
    /// Trains model `name` on `text` and hands it to the store (replacing a word2vec model of
    /// that name with `replacing`). The name is checked before the corpus is read, the memory the
    /// matrices need before they are allocated; nothing is written unless training succeeds. The
    /// settings in `sizing` are chosen from the corpus's size once it is read.
    public static func run(
        store: Store, name: String, text: Corpus, config given: W2VConfig, replacing: Bool,
        sizing: W2VConfig.CorpusSizing = [], reading: ((Int, Int) -> Void)? = nil,
        training: (@Sendable (Double, Double, Float) -> Void)? = nil, stop: StopRequest = .never
    ) throws -> W2VRunSummary {
        var config = given
        try config.subword?.validate()
        try store.checkNameAvailable(name, for: .w2v, replacing: replacing)
        let started = Date()
        let phrases = try config.phrases.map { try PhraseModels.load(store: store, name: $0) }
        if let phrases, phrases.config.keepCase != config.keepCase {
            throw W2VTrainingError(
                description: "phrase model '\(phrases.model.name)' was learned "
                    + (phrases.config.keepCase ? "keeping" : "folding") + " letter case; train the same way")
        }
        var corpus = try EncodedCorpus(
            text, options: .init(keepCase: config.keepCase), threads: config.threads, progress: reading)
        if let phrases { corpus = try PhraseLearner.join(corpus, table: phrases.table) }
        guard corpus.tokenCount > 0 else {
            throw W2VTrainingError(description: text.whyEmpty("\(text.name) has no words to train on"))
        }
        config = config.sized(toCorpusWords: corpus.tokenCount, choosing: sizing)
        let vocabulary = W2VVocabulary.build(
            counts: corpus.counts, minCount: config.minCount, maxVocab: config.maxVocab)
        guard vocabulary.count >= 2 else {
            let distinct = corpus.counts.count
            throw W2VTrainingError(
                description: config.minCount <= 1 || distinct < 2
                    ? "\(text.name) holds \(distinct) distinct word(s): word2vec needs at least two; give more text"
                    : "\(text.name): only \(vocabulary.count) word(s) occur at least \(config.minCount) times "
                        + "(the minimum count); lower it, or give more text")
        }
        let subwords = config.subword.map { SubwordRows(words: vocabulary.words, config: $0) }
        try SystemMemory.require(
            W2VTrainer.bytesNeeded(
                config: config, vocabularySize: vocabulary.count, subwordRows: subwords?.buckets.count ?? 0),
            for: "a vocabulary of \(vocabulary.count) words"
                + (subwords.map { " and \($0.buckets.count) n-gram buckets" } ?? "") + " × \(config.dim) dimensions")
        let readSeconds = Date().timeIntervalSince(started)
        let corpusInfo = try CorpusInfo(read: text)
        let trainer = W2VTrainer(config: config, corpus: corpus, vocabulary: vocabulary, subwords: subwords)
        trainer.onProgress = training
        trainer.stopRequest = stop
        let trainStart = Date()
        try trainer.train()
        let trainSeconds = Date().timeIntervalSince(trainStart)
        var vectors = trainer.vectors  // in a subword model, each word's mean row: computed once
        guard vectors.allSatisfy({ $0.isFinite }) else {
            throw W2VTrainingError.diverged(startingAt: config.startingAlpha)
        }
        let summary = W2VRunSummary(
            words: corpus.tokenCount, vocabularySize: vocabulary.count, readSeconds: readSeconds,
            trainSeconds: trainSeconds, wordsPerSecond: Double(corpus.tokenCount * config.epochs) / trainSeconds,
            replacements: corpus.replacements, config: config)
        try W2VModelStore.save(
            store: store, name: name,
            corpus: corpusInfo, config: config,
            words: vocabulary.words, counts: vocabulary.counts,
            vectors: W2VModelStore.wordVectors(normalizing: &vectors, dim: config.dim),
            metrics: metrics(trainer, summary), replacing: replacing, threads: config.threads,
            subwords: trainer.subwordMatrix, tensors: outputTensors(trainer), stop: stop)
        return summary
    }

    /// The progress series with step = percent done, and the run's totals at step 100.
    static func metrics(_ trainer: W2VTrainer, _ run: W2VRunSummary) -> [Metric] {
        var metrics: [Metric] = trainer.progressLog.flatMap { p in
            let percent = Int((p.fraction * 100).rounded())
            return [
                Metric(step: percent, key: "alpha", value: Double(p.alpha)),
                Metric(step: percent, key: "words_per_s", value: p.wordsPerSecond),
            ]
        }
        let totals = [
            ("words_per_s_total", run.wordsPerSecond), ("train_seconds", run.trainSeconds),
            ("read_seconds", run.readSeconds), ("corpus_words", Double(run.words)),
            ("vocab_size", Double(run.vocabularySize)),
        ]
        metrics += totals.map { Metric(step: 100, key: $0.0, value: $0.1) }
        return metrics
    }
}
