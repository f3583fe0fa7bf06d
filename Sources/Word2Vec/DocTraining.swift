// A whole document-vector run into the store: read the documents, train PV-DBOW or average SIF, keep.
import Foundation
import VersoNN
import VersoStore
import VersoText

/// What a finished run reports.
public struct DocRunSummary: Sendable {
    public var documents: Int
    /// Documents left out: no word at all, or none the vocabulary keeps (the first few, and how many).
    public var leftOut: [DocumentSource]
    public var leftOutCount: Int
    public var words: Int  // of the documents kept, known or not
    public var vocabularySize: Int
    public var seconds: Double
    public var wordsPerSecond: Double
}

public enum DocTraining {
    /// Builds model `name` from the documents of `text` and hands it to the store in one
    /// transaction (replacing a document model of that name with `replacing`).
    public static func run(
        store: Store, name: String, text: Corpus, config: DocConfig, replacing: Bool,
        training: (@Sendable (Double, Double, Float) -> Void)? = nil, stop: StopRequest = .never
    ) throws -> DocRunSummary {
        try store.checkNameAvailable(name, for: .docs, replacing: replacing)
        switch config.method {
        case .dbow:
            return try dbow(
                store: store, name: name, text: text, config: config, replacing: replacing,
                training: training, stop: stop)
        case .sif:
            return try sif(store: store, name: name, text: text, config: config, replacing: replacing, stop: stop)
        }
    }

    // MARK: PV-DBOW

    static func dbow(
        store: Store, name: String, text: Corpus, config: DocConfig, replacing: Bool,
        training: (@Sendable (Double, Double, Float) -> Void)?, stop: StopRequest
    ) throws -> DocRunSummary {
        var documents = try DocumentCorpus.read(text, unit: config.unit, keepCase: config.keepCase)
        var counts: [String: Int] = [:]
        for words in documents.tokens { for w in words { counts[w, default: 0] += 1 } }
        let vocabulary = W2VVocabulary.build(counts: counts, minCount: config.minCount, maxVocab: nil)
        let (leftOut, leftOutCount) = try keepKnown(&documents, text: text, known: { vocabulary.index[$0] != nil })
        let wordConfig = config.wordConfig
        try SystemMemory.require(
            W2VTrainer.bytesNeeded(config: wordConfig, vocabularySize: vocabulary.count + documents.count),
            for: "\(vocabulary.count) words and \(documents.count) documents × \(config.dim) dimensions")
        let corpus = try EncodedCorpus(documents: documents.tokens)
        let trainer = W2VTrainer(documentsOf: corpus, vocabulary: vocabulary, config: wordConfig)
        trainer.onProgress = training
        trainer.stopRequest = stop
        let started = Date()
        try trainer.train()
        let seconds = Date().timeIntervalSince(started)
        var wordRows = trainer.vectors, documentRows = trainer.documentVectors
        guard wordRows.allSatisfy(\.isFinite), documentRows.allSatisfy(\.isFinite) else {
            throw W2VTrainingError.diverged(startingAt: wordConfig.startingAlpha)
        }
        let output = Array(UnsafeBufferPointer(start: trainer.weights.outputNeg, count: vocabulary.count * config.dim))
        let summary = DocRunSummary(
            documents: documents.count, leftOut: leftOut, leftOutCount: leftOutCount,
            words: corpus.tokenCount, vocabularySize: vocabulary.count, seconds: seconds,
            wordsPerSecond: Double(corpus.tokenCount * config.epochs) / max(seconds, 1e-9))
        try save(
            store: store, name: name, text: text, config: config, replacing: replacing,
            words: vocabulary.words, counts: vocabulary.counts,
            wordVectors: W2VModelStore.wordVectors(normalizing: &wordRows, dim: config.dim),
            documents: documents, documentRows: &documentRows,
            tensors: [Tensor(name: DocInference.outputTensor, shape: [vocabulary.count, config.dim], values: output)],
            summary: summary, stop: stop)
        return summary
    }

    // MARK: SIF

    static func sif(
        store: Store, name: String, text: Corpus, config: DocConfig, replacing: Bool, stop: StopRequest
    ) throws -> DocRunSummary {
        guard let source = config.source else {
            throw W2VTrainingError(description: "SIF needs a word2vec model to average")
        }
        let words = try W2VModelStore.load(store: store, name: source)
        var config = config
        config.dim = words.config.dim
        config.keepCase = words.config.keepCase
        config.subword = words.config.subword
        let started = Date()
        var documents = try DocumentCorpus.read(text, unit: config.unit, keepCase: config.keepCase)
        let embeddings = words.embeddings
        // A subword source averages in the words outside its vocabulary too, by their n-grams.
        let subwords = try W2VModelStore.subwords(store: store, model: words)
        let tokens = SIFTokens(
            id: { embeddings.id($0) }, ngramVector: subwords.map { matrix in { matrix.vector(of: $0) } })
        let (leftOut, leftOutCount) = try keepKnown(&documents, text: text, known: { try tokens.knows($0) })
        let norms = try store.read { try $0.vectorNorms(of: words.record) }
        let raw = W2VModelStore.rawVectors(words, norms: norms)
        let sif = SIFWeights(counts: embeddings.counts, a: config.sifA)
        let d = config.dim
        var rows = [Float](repeating: 0, count: documents.count * d)
        for (k, document) in documents.tokens.enumerated() {
            let known = try tokens.words(document)
            let mean = sif.average(known.ids, vectors: raw, dim: d, outside: known.outside)
            for j in 0..<d { rows[k * d + j] = mean[j] }
        }
        let component = SIFWeights.firstComponent(rows, count: documents.count, dim: d)
        SIFWeights.remove(component, from: &rows, dim: d)
        let seconds = Date().timeIntervalSince(started)
        let total = documents.sources.reduce(0) { $0 + $1.words }
        let summary = DocRunSummary(
            documents: documents.count, leftOut: leftOut, leftOutCount: leftOutCount, words: total,
            vocabularySize: embeddings.count, seconds: seconds, wordsPerSecond: Double(total) / max(seconds, 1e-9))
        // The source's words are kept with the documents as they are (unit rows and norms): `docs
        // words` and inference read them from this model alone, whatever becomes of the source.
        let unit = Array(UnsafeBufferPointer(start: embeddings.normalized.p, count: embeddings.count * d))
        try save(
            store: store, name: name, text: text, config: config, replacing: replacing,
            words: embeddings.words, counts: embeddings.counts,
            wordVectors: WordVectors(dim: d, unit: unit, norms: norms),
            documents: documents, documentRows: &rows,
            tensors: [Tensor(name: DocInference.componentTensor, shape: [d], values: component)],
            ngramRows: subwords?.rows, summary: summary, stop: stop)
        return summary
    }

    // MARK: Shared steps

    /// Leaves out the documents with no word that `known` accepts, returning the first few left
    /// out and how many; fails when none is left.
    static func keepKnown(
        _ documents: inout DocumentCorpus, text: Corpus, known: (String) throws -> Bool
    ) throws -> ([DocumentSource], Int) {
        guard documents.count > 0 else {
            throw W2VTrainingError(description: text.whyEmpty("\(text.name) has no text to make documents of"))
        }
        let keep = try documents.tokens.map { try $0.contains(where: known) }
        let out = documents.sources.indices.filter { !keep[$0] }
        guard out.count < documents.count else {
            throw W2VTrainingError(
                description: "\(text.name): no document holds a word of the vocabulary "
                    + "(\(documents.count) documents; a lower minimum word count, or more text)")
        }
        let firstOut = out.prefix(5).map { documents.sources[$0] }
        documents.filter { keep[$0] }
        return (firstOut, out.count)
    }

    /// Unit-normalises the document rows, indexes them when there are enough, and writes the model.
    static func save(
        store: Store, name: String, text: Corpus, config: DocConfig, replacing: Bool,
        words: [String], counts: [Int], wordVectors: WordVectors,
        documents: DocumentCorpus, documentRows: inout [Float], tensors: [Tensor], ngramRows: NgramRows? = nil,
        summary: DocRunSummary, stop: StopRequest
    ) throws {
        try stop.check()
        let vectors = W2VModelStore.wordVectors(normalizing: &documentRows, dim: config.dim)
        var index: VectorIndex?
        if documents.count > IVFIndex.minimumRows {
            var options = IVFOptions()
            options.threads = config.threads
            options.stop = stop
            index = try vectors.unit.withUnsafeBufferPointer {
                try IVFIndex.build(unit: $0.baseAddress!, rows: documents.count, dim: config.dim, options: options)
            }
        }
        let model = try NewModel(
            name: name, kind: .docs, config: config, corpus: try CorpusInfo(read: text), tokens: words, counts: counts)
        let metrics = [
            Metric(step: 100, key: "documents", value: Double(summary.documents)),
            Metric(step: 100, key: "documents_left_out", value: Double(summary.leftOutCount)),
            Metric(step: 100, key: "words_per_s_total", value: summary.wordsPerSecond),
            Metric(step: 100, key: "train_seconds", value: summary.seconds),
        ]
        let contents = ModelContents(
            tensors: tensors, metrics: metrics, wordVectors: wordVectors, vectorIndex: index,
            documents: DocumentVectors(sources: documents.sources, vectors: vectors), ngramRows: ngramRows)
        try store.createModel(model, contents: contents, replacing: replacing, stop: stop)
    }
}
