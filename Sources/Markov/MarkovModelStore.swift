// Saving and loading Markov models in the shared store: symbols as vocabulary, counts as int32 arrays.
import Foundation
import GRDB
import VersoStore

public enum MarkovModelStore {
    /// Writes the whole model in one transaction (absent or complete, never partial).
    public static func save(store: Store, name: String, corpus: CorpusInfo, model: MarkovModel, replace: Bool) throws {
        try store.write { db in
            if let existing = try ModelRecord.filter(Column("name") == name).fetchOne(db) {
                guard replace, existing.kind == .markov else {
                    throw StoreError("a \(existing.kind.displayName) model named '\(name)' already exists; use --name NEW" + (existing.kind == .markov ? " or --force" : ""))
                }
                _ = try existing.delete(db)
            }
            var record = ModelRecord(name: name, kind: .markov, configJSON: try ModelRecord.encodeConfig(model.config), corpus: corpus)
            try record.insert(db)
            let id = record.id!
            let symbolCounts = (0..<model.symbols.count).map { Int(model.counts.count(0, Int32($0), continuation: false)) }
            try VocabStore.save(db, modelID: id, tokens: model.symbols, counts: symbolCounts)
            for (key, values) in model.counts.arrays + [("sentences", model.sentences)] {
                try TensorStore.saveBytes(db, modelID: id, name: "markov." + key, dtype: "int32",
                                          values.withUnsafeBytes { Array($0) })
            }
            try MetricsStore.add(db, modelID: id, step: 0, [("nodes", Double(model.counts.nodeCount)),
                                                            ("entries", Double(model.counts.rawCount.count))])
        }
    }

    public static func load(store: Store, name: String?) throws -> (record: ModelRecord, model: MarkovModel) {
        try store.read { db in
            let record = try name.map { try ModelRecord.find(db, name: $0, kind: .markov) } ?? ModelRecord.latest(db, kind: .markov)
            let config = try record.decodeConfig(MarkovConfig.self)
            let id = record.id!
            let symbols = try VocabStore.load(db, modelID: id).tokens
            var arrays: [String: [Int32]] = [:]
            for key in ["parent", "symbol", "depth", "raw_start", "raw_symbol", "raw_count",
                        "cont_start", "cont_symbol", "cont_count", "sentences"] {
                let bytes = try TensorStore.loadBytes(db, modelID: id, name: "markov." + key)
                arrays[key] = bytes.withUnsafeBytes { Array($0.bindMemory(to: Int32.self)) }
            }
            guard let counts = NGramCounts(order: config.order, vocabSize: max(symbols.count, 1), arrays: arrays) else {
                throw StoreError("model '\(record.name)' is corrupt: its count arrays do not fit together")
            }
            return (record, MarkovModel(config: config, symbols: symbols, counts: counts, sentences: arrays["sentences"] ?? []))
        }
    }
}
