// Saving and loading word2vec models in the shared store: vocabulary, vectors, unit-normalised matrix.
import Foundation
import GRDB
import VersoNN
import VersoStore

public struct W2VModel {
    public let record: ModelRecord
    public let config: W2VConfig
    public let embeddings: Embeddings
}

public enum W2VModelStore {
    /// Writes the whole model in one transaction: a model killed mid-training is absent, never partial.
    /// Besides the `vocab` rows, the word list is kept as one UTF-8 blob so queries load it in one read.
    public static func save(store: Store, name: String, corpus: CorpusInfo, config: W2VConfig, vocabulary: W2VVocabulary,
                            vectors: [Float], metrics: [(Int, String, Double)], replace: Bool) throws {
        let normalized = Embeddings.normalize(vectors, dim: config.dim).array
        try store.write { db in
            if let existing = try ModelRecord.filter(Column("name") == name).fetchOne(db) {
                guard replace, existing.kind == .w2v else {
                    throw StoreError("a \(existing.kind.displayName) model named '\(name)' already exists; use --name NEW" + (existing.kind == .w2v ? " or --force" : ""))
                }
                _ = try existing.delete(db)
            }
            var model = ModelRecord(name: name, kind: .w2v, configJSON: try ModelRecord.encodeConfig(config), corpus: corpus)
            try model.insert(db)
            let id = model.id!
            try VocabStore.save(db, modelID: id, tokens: vocabulary.words, counts: vocabulary.counts)
            try TensorStore.saveBytes(db, modelID: id, name: "words", dtype: "utf8-lines",
                                      Array(vocabulary.words.joined(separator: "\n").utf8))
            try TensorStore.saveBytes(db, modelID: id, name: "counts", dtype: "int64",
                                      vocabulary.counts.map { Int64($0) }.withUnsafeBytes { Array($0) })
            try TensorStore.save(db, modelID: id, Tensor(name: "vectors", shape: [vocabulary.count, config.dim], values: vectors))
            try TensorStore.save(db, modelID: id, Tensor(name: "normalized", shape: [vocabulary.count, config.dim], values: normalized))
            for (step, key, value) in metrics { try MetricsStore.add(db, modelID: id, step: step, [(key, value)]) }
        }
    }

    /// Loads a model for queries (`vectorsToo` also loads the raw vectors, for export).
    public static func load(store: Store, name: String?) throws -> W2VModel {
        try store.read { db in
            let record = try name.map { try ModelRecord.find(db, name: $0, kind: .w2v) } ?? ModelRecord.latest(db, kind: .w2v)
            let config = try record.decodeConfig(W2VConfig.self)
            let id = record.id!
            let blob = try TensorStore.loadBytes(db, modelID: id, name: "words")
            let words = blob.isEmpty ? [] : blob.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
                .map { String(decoding: $0, as: UTF8.self) }
            let counts: [Int]
            if let blob = try? TensorStore.loadBytes(db, modelID: id, name: "counts") {
                counts = blob.withUnsafeBytes { raw in raw.bindMemory(to: Int64.self).map { Int($0) } }
            } else {   // stores written before the counts blob existed
                counts = try Int.fetchAll(db, sql: "SELECT count FROM vocab WHERE model_id = ? ORDER BY idx", arguments: [id])
            }
            var buffer = FloatBuffer(0)
            let shape = try TensorStore.load(db, modelID: id, name: "normalized") { bytes in
                buffer = FloatBuffer(bytes / MemoryLayout<Float>.size)
                return UnsafeMutableRawBufferPointer(start: buffer.p, count: bytes)
            }
            guard words.count == counts.count, shape == [words.count, config.dim], buffer.count == words.count * config.dim else {
                throw StoreError("model '\(record.name)' is corrupt: \(words.count) words, \(counts.count) counts, vectors \(shape)")
            }
            return W2VModel(record: record, config: config,
                            embeddings: Embeddings(words: words, counts: counts, dim: config.dim, normalized: buffer))
        }
    }

    public static func rawVectors(store: Store, model: W2VModel) throws -> [Float] {
        try store.read { try TensorStore.load($0, modelID: model.record.id!, name: "vectors").values }
    }
}
