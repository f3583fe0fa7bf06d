// Saving and loading char-RNN models and their checkpoints in the shared store.
import Foundation
import GRDB
import VersoNN
import VersoRandom
import VersoStore

/// A char-RNN loaded from the store: its record, configuration, vocabulary and network.
public struct CharModel {
    public let record: ModelRecord
    public let config: TrainConfig
    public let vocabulary: CharVocabulary
    public let network: StackedRNN
    public let checkpoint: CheckpointRecord
}

/// What a checkpoint holds beyond the weights, so `--resume` continues exactly.
public struct TrainingState {
    public var step: Int
    public var epoch: Double
    public var trainLoss: Double?
    public var valLoss: Double?
    public var bestValLoss: Double?
    public var lr: Float
    public var dropoutRNG: SplitMix64
    public var carried: [[Float]]? = nil   // per layer: h then c, B×H each (truncated-BPTT state)
}

public enum CharModelStore {
    static let paramPrefix = "param:"

    // MARK: Writing

    /// Writes the latest checkpoint (weights, optimiser moments, carried state, RNG) and, when
    /// `isBest`, the best one (weights), plus metrics, in one transaction. The model row itself is
    /// created by the first checkpoint, so an interrupted first run leaves nothing behind; with
    /// `replacing`, that first checkpoint also deletes the model it replaces (`--force`), so a run
    /// killed before it keeps the old model.
    public static func writeCheckpoint(store: Store, name: String, corpus: CorpusInfo, config: TrainConfig,
                                       vocabulary: CharVocabulary, network: StackedRNN, optimizer: Optimizer,
                                       state: TrainingState, isBest: Bool, metrics: [(String, Double)],
                                       replacing: Bool = false) throws {
        try store.write { db in
            if replacing, let old = try ModelRecord.filter(Column("name") == name).fetchOne(db), old.kind == .charnn {
                _ = try old.delete(db)
            }
            var model: ModelRecord
            if let existing = try ModelRecord.filter(Column("name") == name).fetchOne(db) {
                guard existing.kind == .charnn else {
                    throw StoreError("model '\(name)' is a \(existing.kind.displayName) model, not a char-RNN model")
                }
                model = existing
                model.updatedAt = Date()
                try model.update(db)
            } else {
                model = ModelRecord(name: name, kind: .charnn, configJSON: try ModelRecord.encodeConfig(config), corpus: corpus)
                try model.insert(db)
                try VocabStore.save(db, modelID: model.id!, tokens: vocabulary.symbols, counts: vocabulary.counts)
            }
            let modelID = model.id!
            var rngBlob = Data()
            withUnsafeBytes(of: state.dropoutRNG.state.littleEndian) { rngBlob.append(contentsOf: $0) }
            withUnsafeBytes(of: UInt64(optimizer.t).littleEndian) { rngBlob.append(contentsOf: $0) }
            var latest = CheckpointRecord(modelID: modelID, label: "latest", step: state.step, epoch: state.epoch,
                                          trainLoss: state.trainLoss, valLoss: state.valLoss, lr: Double(state.lr),
                                          rngState: rngBlob, isBest: isBest)
            try latest.replace(db)
            try saveWeights(db, modelID: modelID, checkpointID: latest.id!, network: network)
            try TensorStore.save(db, modelID: modelID, checkpointID: latest.id!,
                                 Tensor(name: "optimizer.first", shape: [optimizer.first.count], values: optimizer.first.array))
            try TensorStore.save(db, modelID: modelID, checkpointID: latest.id!,
                                 Tensor(name: "optimizer.second", shape: [optimizer.second.count], values: optimizer.second.array))
            for (k, values) in (state.carried ?? []).enumerated() {
                try TensorStore.save(db, modelID: modelID, checkpointID: latest.id!,
                                     Tensor(name: "state.\(k % 2 == 0 ? "h" : "c")\(k / 2)", shape: [values.count], values: values))
            }
            let hasBest = try CheckpointRecord.fetch(db, modelID: modelID, label: "best") != nil
            if isBest || !hasBest {
                var best = CheckpointRecord(modelID: modelID, label: "best", step: state.step, epoch: state.epoch,
                                            trainLoss: state.trainLoss, valLoss: state.valLoss, lr: Double(state.lr),
                                            rngState: nil, isBest: true)
                try best.replace(db)
                try saveWeights(db, modelID: modelID, checkpointID: best.id!, network: network)
            }
            try MetricsStore.add(db, modelID: modelID, step: state.step, metrics)
        }
    }

    static func saveWeights(_ db: Database, modelID: Int64, checkpointID: Int64, network: StackedRNN) throws {
        for s in network.params.slices {
            let values = Array(UnsafeBufferPointer(start: network.params.value(s.offset), count: s.count))
            try TensorStore.save(db, modelID: modelID, checkpointID: checkpointID,
                                 Tensor(name: paramPrefix + s.name, shape: s.shape, values: values))
        }
    }

    // MARK: Reading

    /// Loads model `name` (default: the most recent char-RNN) at its "best" or "latest" checkpoint.
    public static func load(store: Store, name: String?, label: String = "best") throws -> CharModel {
        try store.read { db in
            let record = try name.map { try ModelRecord.find(db, name: $0, kind: .charnn) } ?? ModelRecord.latest(db, kind: .charnn)
            let config = try record.decodeConfig(TrainConfig.self)
            let (symbols, counts) = try VocabStore.load(db, modelID: record.id!)
            guard let checkpoint = try CheckpointRecord.fetch(db, modelID: record.id!, label: label) else {
                throw StoreError("model '\(record.name)' has no \(label) checkpoint")
            }
            let network = StackedRNN(config.network)
            for s in network.params.slices {
                let t = try TensorStore.load(db, modelID: record.id!, checkpointID: checkpoint.id, name: paramPrefix + s.name)
                guard t.shape == s.shape else { throw StoreError("model '\(record.name)': tensor \(s.name) has shape \(t.shape), expected \(s.shape)") }
                t.values.withUnsafeBufferPointer { network.params.value(s.offset).update(from: $0.baseAddress!, count: s.count) }
            }
            return CharModel(record: record, config: config, vocabulary: CharVocabulary(symbols: symbols, counts: counts),
                             network: network, checkpoint: checkpoint)
        }
    }

    /// Restores what `--resume` needs from the latest checkpoint into `optimizer` and `network`.
    public static func restoreTraining(store: Store, model: CharModel, optimizer: Optimizer, batch: Int) throws -> TrainingState {
        try store.read { db in
            let id = model.record.id!, cp = model.checkpoint
            optimizer.first.load(try TensorStore.load(db, modelID: id, checkpointID: cp.id, name: "optimizer.first").values)
            optimizer.second.load(try TensorStore.load(db, modelID: id, checkpointID: cp.id, name: "optimizer.second").values)
            var carried: [[Float]] = []
            for l in 0..<model.network.layers.count {
                carried.append(try TensorStore.load(db, modelID: id, checkpointID: cp.id, name: "state.h\(l)").values)
                carried.append(try TensorStore.load(db, modelID: id, checkpointID: cp.id, name: "state.c\(l)").values)
            }
            let blob = [UInt8](cp.rngState ?? Data(count: 16))
            let rng = blob[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
            let t = blob[8..<16].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
            optimizer.t = Int(t)
            let best = try Double.fetchOne(db, sql: "SELECT MIN(val_loss) FROM checkpoints WHERE model_id = ?", arguments: [id])
            return TrainingState(step: cp.step, epoch: cp.epoch, trainLoss: cp.trainLoss, valLoss: cp.valLoss,
                                 bestValLoss: best, lr: Float(cp.lr ?? 0), dropoutRNG: SplitMix64(seed: rng),
                                 carried: carried)
        }
    }
}
