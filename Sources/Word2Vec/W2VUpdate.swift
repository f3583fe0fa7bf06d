// A trained word2vec model grown with new text: new words get fresh rows, old rows go on from their values.
import Foundation
import VersoNN
import VersoStore
import VersoText

/// What a finished update reports.
public struct W2VUpdateSummary: Sendable {
    public var run: W2VRunSummary
    public var newWords: [String]  // words the vocabulary gained, most frequent first
    public var previousName: String?  // where the model as it was is kept
    public var outputsKept: Bool  // false: the model had no stored output layer (imported), it restarted at zero
    public var indexRebuilt: Bool?  // nil: no index
}

extension W2VTraining {
    /// The output layer (negative sampling's V × d) a trained model keeps, so `--update` goes on from it.
    static let outputTensor = "output_negative"

    /// Grows model `name` with `text` and replaces it in one transaction, keeping the model as it
    /// was under `keepingPreviousAs` when given.
    /// - The vocabulary is rebuilt from the old counts plus the new text's, at the model's minimum
    ///   count, most frequent first: every old row moves to its word's new place and goes on from its
    ///   value (its output row too); a new word starts as a fresh training starts it.
    /// - Subsampling and negative sampling follow those whole-corpus counts. The learning rate starts
    ///   at the model's rate times the new text's share of all the words counted (where that text
    ///   would start in one run over both) and decays over exactly the words trained now (epochs ×
    ///   the new text's words in the vocabulary), never over the old total (gensim #1162's trap).
    /// - A subword model keeps its n-gram rows; n-grams only new words use start fresh.
    /// - The index keeps its centroids and takes every row into its nearest list, unless its
    ///   recall@10 at its probe count falls below the target: then it is built again.
    public static func update(
        store: Store, name: String, text: Corpus, threads: Int, epochs: Int? = nil,
        keepingPreviousAs previous: String? = nil, reading: ((Int, Int) -> Void)? = nil,
        training: (@Sendable (Double, Double, Float) -> Void)? = nil, stop: StopRequest = .never
    ) throws -> W2VUpdateSummary {
        try store.checkNameAvailable(name, for: .w2v, replacing: true)
        if let previous { try store.checkNameAvailable(previous, for: .w2v, replacing: true) }
        let started = Date()
        let old = try W2VModelStore.load(store: store, name: name)
        guard old.config.epochs > 0 else {
            throw W2VTrainingError(
                description: "model '\(old.record.name)' was imported without its word counts, which growing it "
                    + "needs: only models trained here or read from a fastText .bin can grow")
        }
        var config = old.config
        config.threads = threads
        if let epochs { config.epochs = epochs }
        let (norms, outputs, oldIndex) = try store.read { reader in
            (
                try reader.vectorNorms(of: old.record),
                try? reader.tensor(outputTensor, of: old.record).values,
                try reader.vectorIndexHeader(of: old.record)
            )
        }
        let phrases = try config.phrases.map { try PhraseModels.load(store: store, name: $0) }
        var corpus = try EncodedCorpus(
            text, options: .init(keepCase: config.keepCase), threads: config.threads, progress: reading)
        if let phrases { corpus = try PhraseLearner.join(corpus, table: phrases.table) }
        guard corpus.tokenCount > 0 else {
            throw W2VTrainingError(description: text.whyEmpty("\(text.name) has no words to train on"))
        }
        var counts = corpus.counts
        for (word, count) in zip(old.embeddings.words, old.embeddings.counts) { counts[word, default: 0] += count }
        let vocabulary = W2VVocabulary.build(counts: counts, minCount: config.minCount, maxVocab: config.maxVocab)
        let subwords = config.subword.map { SubwordRows(words: vocabulary.words, config: $0) }
        try SystemMemory.require(
            W2VTrainer.bytesNeeded(
                config: config, vocabularySize: vocabulary.count, subwordRows: subwords?.buckets.count ?? 0),
            for: "a vocabulary of \(vocabulary.count) words × \(config.dim) dimensions")
        let remap = corpus.remap(to: vocabulary)
        var trained = 0
        for (rawID, count) in corpus.rawCounts.enumerated() where remap[rawID] >= 0 { trained += count }
        guard trained > 0 else {
            throw W2VTrainingError(
                description: "\(text.name): none of its words reaches the minimum count (\(config.minCount)) "
                    + "of '\(old.record.name)', even counted with the model's own")
        }
        // The new text is the last share of the whole corpus: as in one run over both, its words start
        // at the learning rate that share would start at, so the old rows are nudged, not re-learned.
        let oldWords = old.embeddings.counts.reduce(0, +)
        var trainerConfig = config
        trainerConfig.alpha = config.startingAlpha * Float(trained) / Float(trained + oldWords)
        let trainer = W2VTrainer(
            config: trainerConfig, corpus: corpus, vocabulary: vocabulary, subwords: subwords, trainWords: trained)
        let raw = W2VModelStore.rawVectors(old, norms: norms)
        let oldSubwords = try W2VModelStore.subwords(store: store, model: old)
        startFrom(
            trainer, oldWords: old.embeddings.words, raw: raw, outputs: outputs, oldSubwords: oldSubwords)
        let readSeconds = Date().timeIntervalSince(started)
        trainer.onProgress = training
        trainer.stopRequest = stop
        let trainStart = Date()
        try trainer.train()
        let trainSeconds = Date().timeIntervalSince(trainStart)
        var vectors = trainer.vectors
        guard vectors.allSatisfy({ $0.isFinite }) else {
            throw W2VTrainingError.diverged(startingAt: config.startingAlpha)
        }
        let summary = W2VRunSummary(
            words: corpus.tokenCount, vocabularySize: vocabulary.count, readSeconds: readSeconds,
            trainSeconds: trainSeconds, wordsPerSecond: Double(trained * config.epochs) / trainSeconds,
            replacements: corpus.replacements, config: config)
        let wordVectors = W2VModelStore.wordVectors(normalizing: &vectors, dim: config.dim)
        var index: VectorIndex?, rebuilt: Bool?
        if vocabulary.count > IVFIndex.minimumRows {
            var options = IVFOptions()
            options.threads = threads
            options.stop = stop
            let rows = vocabulary.count, d = config.dim
            let made: (VectorIndex, Bool) = try wordVectors.unit.withUnsafeBufferPointer { unit in
                guard let header = oldIndex else {
                    return (try IVFIndex.build(unit: unit.baseAddress!, rows: rows, dim: d, options: options), true)
                }
                return try IVFIndex.update(
                    unit: unit.baseAddress!, rows: rows, dim: d, previous: header, options: options)
            }
            (index, rebuilt) = (made.0, made.1)
        }
        try W2VModelStore.save(
            store: store, name: old.record.name, corpus: old.record.corpus.appending(try CorpusInfo(read: text)),
            config: config, words: vocabulary.words, counts: vocabulary.counts,
            vectors: wordVectors, metrics: metrics(trainer, summary), replacing: true, index: index,
            subwords: trainer.subwordMatrix, tensors: outputTensors(trainer), keepingPreviousAs: previous, stop: stop)
        let known = Set(old.embeddings.words)
        return W2VUpdateSummary(
            run: summary, newWords: vocabulary.words.filter { !known.contains($0) }, previousName: previous,
            outputsKept: outputs != nil, indexRebuilt: rebuilt)
    }

    /// The trainer's weights set to go on from the old model's: each old word's input and output
    /// rows moved to its new id (a subword model's own row recovered from its stored mean, its
    /// n-gram rows copied by bucket); new words keep the trainer's fresh start.
    static func startFrom(
        _ trainer: W2VTrainer, oldWords: [String], raw: [Float], outputs: [Float]?, oldSubwords: SubwordMatrix?
    ) {
        let d = trainer.config.dim, w = trainer.weights, vocabulary = trainer.vocabulary
        if let oldSubwords, let rows = trainer.subwords {
            // Bucket rows first: a word's own row is its stored mean times its row count less them.
            for (k, bucket) in rows.buckets.enumerated() {
                guard let r = oldSubwords.row(of: bucket) else { continue }
                let row = w.input + (vocabulary.count + k) * d
                for j in 0..<d { row[j] = oldSubwords.rows.values[r * d + j] }
            }
        }
        for (j, word) in oldWords.enumerated() {
            guard let i = vocabulary.index[word].map(Int.init) else { continue }
            let row = w.input + i * d
            if let rows = trainer.subwords?.rows(of: Int32(i)), oldSubwords != nil {
                let n = Float(rows.count)
                for k in 0..<d { row[k] = raw[j * d + k] * n }
                for r in rows.dropFirst() { axpy(-1, w.input + Int(r) * d, row, d) }
            } else {
                for k in 0..<d { row[k] = raw[j * d + k] }
            }
            if let outputs, trainer.config.negative > 0, outputs.count == oldWords.count * d {
                for k in 0..<d { w.outputNeg[i * d + k] = outputs[j * d + k] }
            }
        }
    }

    /// The output layer a model keeps for a later `--update` (negative sampling's; none for a
    /// model trained with hierarchical softmax only, whose tree changes with the counts).
    static func outputTensors(_ trainer: W2VTrainer) -> [Tensor] {
        guard trainer.config.negative > 0 else { return [] }
        let v = trainer.vocabulary.count, d = trainer.config.dim
        return [
            Tensor(
                name: outputTensor, shape: [v, d],
                values: Array(UnsafeBufferPointer(start: trainer.weights.outputNeg, count: v * d)))
        ]
    }
}
