// A Markov model as the repository keeps it: symbols as vocabulary, counts as int32 arrays.
import Foundation
import VersoStore

public enum MarkovModelStore {
    /// The count arrays of `NGramCounts`, and the word corpus the originality filter reads.
    static let arrayNames = [
        "parent", "symbol", "depth", "raw_start", "raw_symbol", "raw_count",
        "cont_start", "cont_symbol", "cont_count",
    ]
    static let corpusName = "sentences"  // the stored name predates `corpusWordIDs`

    /// Hands the repository the whole model, written in one transaction (absent or complete).
    public static func save(
        store: Store, name: String, corpus: CorpusInfo, model: MarkovModel,
        trainingText: TrainingText.Compressed? = nil, replacing: Bool
    ) throws {
        let symbolCounts = (0..<model.symbols.count).map {
            Int(model.counts.count(0, Int32($0), continuation: false))
        }
        var record = try NewModel(
            name: name, kind: .markov, config: model.config, corpus: corpus,
            tokens: model.symbols, counts: symbolCounts)
        record.trainingText = trainingText  // for copy checks without the corpus file
        let blobs = countBlobs(model)
        let metrics = [
            Metric(step: 0, key: "nodes", value: Double(model.counts.nodeCount)),
            Metric(step: 0, key: "entries", value: Double(model.counts.rawCount.count)),
        ]
        try store.createModel(record, contents: ModelContents(blobs: blobs, metrics: metrics), replacing: replacing)
    }

    /// The text the model was built from, or nil for a model built before Verso kept it.
    public static func trainingText(store: Store, record: StoredModel) throws -> String? {
        try store.read { try $0.trainingText(of: record) }
    }

    public static func load(store: Store, name: String?) throws -> (record: StoredModel, model: MarkovModel) {
        try store.read { reader in
            let record = try reader.model(named: name, kind: .markov)
            let config = try record.decodeConfig(MarkovConfig.self)
            let symbols = try reader.vocabulary(of: record).tokens
            return (record, try model(reader, of: record, config: config, symbols: symbols))
        }
    }

    /// The count arrays (and word corpus) as blobs named `markov.*`.
    public static func countBlobs(_ model: MarkovModel) -> [Blob] {
        let arrays = model.counts.arrays + [(corpusName, model.corpusWordIDs)]
        return arrays.map { key, values in
            Blob(name: "markov." + key, dtype: "int32", bytes: values.withUnsafeBytes { Array($0) })
        }
    }

    /// The chain whose `markov.*` blobs `record` keeps (a Markov model's, or a mixture's part).
    public static func model(
        _ reader: ModelReader, of record: StoredModel, config: MarkovConfig, symbols: [String]
    ) throws -> MarkovModel {
        var arrays: [String: [Int32]] = [:]
        for key in arrayNames + [corpusName] {
            guard let bytes = try reader.blob("markov." + key, of: record) else {
                throw StoreError("model '\(record.name)' is corrupt: its \(key) array is missing")
            }
            arrays[key] = bytes.withUnsafeBytes { Array($0.bindMemory(to: Int32.self)) }
        }
        guard let counts = NGramCounts(order: config.order, vocabSize: max(symbols.count, 1), arrays: arrays) else {
            throw StoreError("model '\(record.name)' is corrupt: its count arrays do not fit together")
        }
        return MarkovModel(config: config, symbols: symbols, counts: counts, corpusWordIDs: arrays[corpusName] ?? [])
    }
}
