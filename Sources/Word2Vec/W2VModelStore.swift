// A word2vec model as the repository keeps it: vocabulary rows with unit vectors and norms, and its index.
import Foundation
import VersoNN
import VersoStore

/// A model loaded whole for exact work: every word, count and unit row in memory.
public struct W2VModel {
    public let record: StoredModel
    public let config: W2VConfig
    public let embeddings: Embeddings
}

public enum W2VModelStore {
    /// Unit-normalises `vectors` (V × dim) in place and returns them as the store keeps them, with
    /// the norms that rebuild the raw rows (no second copy of the matrix).
    public static func wordVectors(normalizing vectors: inout [Float], dim: Int) -> WordVectors {
        let rows = vectors.count / max(dim, 1)
        var norms = [Float](repeating: 0, count: rows)
        vectors.withUnsafeMutableBufferPointer { v in
            for r in 0..<rows {
                let row = v.baseAddress! + r * dim
                let norm = dot(row, row, dim).squareRoot()
                norms[r] = norm
                let inverse: Float = norm > 0 ? 1 / norm : 0
                for k in 0..<dim { row[k] *= inverse }
            }
        }
        return WordVectors(dim: dim, unit: vectors, norms: norms)
    }

    /// Hands the repository the whole model, written in one transaction (a model killed
    /// mid-training is absent, never partial), with an IVF index when it has more than
    /// `IVFIndex.minimumRows` words (unless `index` is false).
    public static func save(
        store: Store, name: String, corpus: CorpusInfo, config: W2VConfig, words: [String], counts: [Int],
        vectors: WordVectors, metrics: [Metric], replacing: Bool, threads: Int, index buildsIndex: Bool = true,
        subwords: SubwordMatrix? = nil, tensors: [Tensor] = [], keepingPreviousAs previous: String? = nil,
        stop: StopRequest = .never
    ) throws {
        let index = buildsIndex ? try buildIndex(vectors, threads: threads, stop: stop) : nil
        try save(
            store: store, name: name, corpus: corpus, config: config, words: words, counts: counts, vectors: vectors,
            metrics: metrics, replacing: replacing, index: index, subwords: subwords, tensors: tensors,
            keepingPreviousAs: previous, stop: stop)
    }

    /// `save` with the index given (nil: none).
    static func save(
        store: Store, name: String, corpus: CorpusInfo, config: W2VConfig, words: [String], counts: [Int],
        vectors: WordVectors, metrics: [Metric], replacing: Bool, index: VectorIndex?, subwords: SubwordMatrix?,
        tensors: [Tensor], keepingPreviousAs previous: String?, stop: StopRequest
    ) throws {
        let model = try NewModel(name: name, kind: .w2v, config: config, corpus: corpus, tokens: words, counts: counts)
        let contents = ModelContents(
            tensors: tensors, metrics: metrics, wordVectors: vectors, vectorIndex: index, ngramRows: subwords?.rows)
        try store.createModel(model, contents: contents, replacing: replacing, keepingPreviousAs: previous, stop: stop)
    }

    /// The IVF index of a model of more than `IVFIndex.minimumRows` words; nil for a smaller one.
    static func buildIndex(_ vectors: WordVectors, threads: Int, stop: StopRequest) throws -> VectorIndex? {
        let rows = vectors.norms.count
        guard rows > IVFIndex.minimumRows else { return nil }
        var options = IVFOptions()
        options.threads = threads
        options.stop = stop
        return try vectors.unit.withUnsafeBufferPointer {
            try IVFIndex.build(unit: $0.baseAddress!, rows: rows, dim: vectors.dim, options: options)
        }
    }

    /// The n-gram matrix of a subword model, whole; nil for a model of whole words.
    static func subwords(_ reader: ModelReader, _ record: StoredModel, config: W2VConfig) throws -> SubwordMatrix? {
        guard let subword = config.subword else { return nil }
        return SubwordMatrix(config: subword, rows: try reader.ngramRows(of: record, dim: config.dim))
    }

    /// The n-gram matrix of a subword model loaded whole (nil for a model of whole words).
    public static func subwords(store: Store, model: W2VModel) throws -> SubwordMatrix? {
        try store.read { try subwords($0, model.record, config: model.config) }
    }

    /// Loads a model whole for exact queries, evaluation and reports; with `limit`, only its
    /// `limit` most frequent words (`eval --restrict-vocab` reads no more).
    public static func load(store: Store, name: String?, limit: Int? = nil) throws -> W2VModel {
        try store.read { reader in
            let record = try reader.model(named: name, kind: .w2v)
            let config = try record.decodeConfig(W2VConfig.self)
            return W2VModel(
                record: record, config: config,
                embeddings: try embeddings(reader, record, dim: config.dim, limit: limit))
        }
    }

    static func embeddings(
        _ reader: ModelReader, _ record: StoredModel, dim: Int, limit: Int? = nil
    ) throws -> Embeddings {
        let (words, counts) = try reader.vocabulary(of: record, limit: limit)
        var buffer = FloatBuffer(0)
        let rows = try reader.unitMatrix(of: record, dim: dim, limit: limit) { rows in
            buffer = FloatBuffer(rows * dim)
            return buffer.p
        }
        guard rows == words.count else {
            throw StoreError("model '\(record.name)' is corrupt: \(words.count) words, \(rows) vectors")
        }
        return Embeddings(words: words, counts: counts, dim: dim, normalized: buffer)
    }

    /// The raw vectors (norm × unit row), for export.
    public static func rawVectors(store: Store, model: W2VModel) throws -> [Float] {
        rawVectors(model, norms: try store.read { try $0.vectorNorms(of: model.record) })
    }

    /// The raw vectors from the unit rows and the norms the caller has read.
    static func rawVectors(_ model: W2VModel, norms: [Float]) -> [Float] {
        let d = model.config.dim
        let unit = model.embeddings.normalized.p
        var raw = [Float](repeating: 0, count: norms.count * d)
        for r in 0..<norms.count {
            for k in 0..<d { raw[r * d + k] = unit[r * d + k] * norms[r] }
        }
        return raw
    }

    /// Runs `body` on model `name` inside one store snapshot: through its index when it has a
    /// sound one (unless `exact`), else on the whole matrix. `warn` hears why an index was passed over.
    public static func withVectors<T>(
        store: Store, name: String?, exact: Bool, probe: Int? = nil, warn: @escaping (String) -> Void,
        _ body: (StoredModel, W2VConfig, any WordVectorSource) throws -> T
    ) throws -> T {
        try store.read { reader in
            let record = try reader.model(named: name, kind: .w2v)
            let config = try record.decodeConfig(W2VConfig.self)
            let loadExact = { try embeddings(reader, record, dim: config.dim) }
            if !exact, let header = try reader.vectorIndexHeader(of: record, withCurve: false) {
                if let problem = IndexedVectors.problem(with: header, dim: config.dim, reader: reader, model: record) {
                    warn(
                        "the index of '\(record.name)' does not match its vectors (\(problem)); searching exactly "
                            + "(rebuild it: w2v index \(record.name))")
                } else {
                    let source = IndexedVectors(
                        reader: reader, model: record, header: header, probe: probe, exact: loadExact, warn: warn)
                    return try body(record, config, withSubwords(source, reader, record, config: config))
                }
            }
            return try body(record, config, withSubwords(try loadExact(), reader, record, config: config))
        }
    }

    /// Runs `body` on model `name`'s whole matrix, for the queries that score every row (3CosMul),
    /// and on its word source, which answers a subword model's unknown words from their n-gram rows
    /// read by bucket (the n-gram matrix is never loaded whole).
    public static func withMatrix<T>(
        store: Store, name: String?, _ body: (StoredModel, W2VConfig, Embeddings, any WordVectorSource) throws -> T
    ) throws -> T {
        try store.read { reader in
            let record = try reader.model(named: name, kind: .w2v)
            let config = try record.decodeConfig(W2VConfig.self)
            let matrix = try embeddings(reader, record, dim: config.dim)
            return try body(record, config, matrix, withSubwords(matrix, reader, record, config: config))
        }
    }

    /// `source` answering words outside the vocabulary from the n-grams of subword model `record`
    /// (each query word's n-gram rows read by bucket); `source` itself for a model of whole words.
    static func withSubwords(
        _ source: any WordVectorSource, _ reader: ModelReader, _ record: StoredModel, config: W2VConfig
    ) -> any WordVectorSource {
        guard let subword = config.subword else { return source }
        let d = config.dim
        let rows = OutOfVocabularyRows(config: subword, dim: d) { try reader.ngramRows($0, of: record, dim: d) }
        return SubwordVectors(words: source, outside: rows)
    }

    /// Builds (or rebuilds) model `name`'s index from its stored rows and writes it in one
    /// transaction; returns what the index says of itself.
    public static func buildIndex(store: Store, name: String, options: IVFOptions) throws -> VectorIndexHeader {
        let model = try load(store: store, name: name)
        let index = try IVFIndex.build(
            unit: model.embeddings.normalized.p, rows: model.embeddings.count, dim: model.config.dim,
            options: options)
        try store.saveVectorIndex(index, for: model.record)
        return index.header
    }
}
