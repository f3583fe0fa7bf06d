// A word2vec model as the repository keeps it: vocabulary, vectors and their unit-normalised copy.
import Foundation
import VersoNN
import VersoStore

public struct W2VModel {
    public let record: StoredModel
    public let config: W2VConfig
    public let embeddings: Embeddings
}

public enum W2VModelStore {
    /// Hands the repository the whole model, written in one transaction: a model killed
    /// mid-training is absent, never partial. Besides the vocabulary rows, the word list is kept as
    /// one UTF-8 blob and the counts as one int64 blob, so queries load each in one read.
    public static func save(
        store: Store, name: String, corpus: CorpusInfo, config: W2VConfig,
        vocabulary: W2VVocabulary, vectors: [Float], metrics: [Metric], replacing: Bool
    ) throws {
        let normalized = Embeddings.normalize(vectors, dim: config.dim).array
        let model = try NewModel(
            name: name, kind: .w2v, config: config, corpus: corpus,
            tokens: vocabulary.words, counts: vocabulary.counts)
        let shape = [vocabulary.count, config.dim]
        let contents = ModelContents(
            tensors: [
                Tensor(name: "vectors", shape: shape, values: vectors),
                Tensor(name: "normalized", shape: shape, values: normalized),
            ],
            blobs: [
                Blob(name: "words", dtype: "utf8-lines", bytes: Array(vocabulary.words.joined(separator: "\n").utf8)),
                Blob(
                    name: "counts", dtype: "int64",
                    bytes: vocabulary.counts.map { Int64($0).littleEndian }.withUnsafeBytes { Array($0) }),
            ],
            metrics: metrics)
        try store.createModel(model, contents: contents, replacing: replacing)
    }

    /// Loads a model for queries: words, counts and the unit-normalised matrix.
    public static func load(store: Store, name: String?) throws -> W2VModel {
        try store.read { reader in
            let record = try reader.model(named: name, kind: .w2v)
            let config = try record.decodeConfig(W2VConfig.self)
            let blob = try reader.blob("words", of: record) ?? []
            let words =
                blob.isEmpty
                ? []
                : blob.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
                    .map { String(decoding: $0, as: UTF8.self) }
            let counts: [Int]
            if let blob = try reader.blob("counts", of: record) {
                counts = blob.withUnsafeBytes { raw in
                    raw.bindMemory(to: Int64.self).map { Int(Int64(littleEndian: $0)) }
                }
            } else {  // stores written before the counts blob existed
                counts = try reader.vocabulary(of: record).counts
            }
            var buffer = FloatBuffer(0)
            let shape = try reader.tensor("normalized", of: record) { bytes in
                buffer = FloatBuffer(bytes / MemoryLayout<Float>.size)
                return UnsafeMutableRawBufferPointer(start: buffer.p, count: bytes)
            }
            guard words.count == counts.count, shape == [words.count, config.dim],
                buffer.count == words.count * config.dim
            else {
                throw StoreError(
                    "model '\(record.name)' is corrupt: \(words.count) words, \(counts.count) counts, "
                        + "vectors \(shape)")
            }
            return W2VModel(
                record: record, config: config,
                embeddings: Embeddings(words: words, counts: counts, dim: config.dim, normalized: buffer))
        }
    }

    public static func rawVectors(store: Store, model: W2VModel) throws -> [Float] {
        try store.read { try $0.tensor("vectors", of: model.record).values }
    }
}
