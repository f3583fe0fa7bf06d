// The model repository: every way a model enters, changes in, is read from or leaves the store.
import Foundation
import GRDB

extension Store {
    // MARK: Names

    /// Refuses, before any training starts, a name the new model could not take: one held by a
    /// model of another kind (even with `replacing`), or of the same kind without `replacing`.
    public func checkNameAvailable(_ name: String, for kind: ModelKind, replacing: Bool) throws {
        try ModelName.check(name)
        if isReadOnly { throw StoreError("store \(path) is read-only (the file or its folder cannot be written)") }
        guard let existing = try readDatabase({ try ModelRecord.named($0, name) }) else { return }
        try Store.checkReplaceable(existing, name: name, kind: kind, replacing: replacing)
    }

    static func checkReplaceable(_ existing: ModelRecord, name: String, kind: ModelKind, replacing: Bool) throws {
        guard existing.kind == kind else {
            throw StoreError(
                "model '\(name)' is a \(existing.kind.displayName) model", advice: .anotherName(kind: kind.displayName))
        }
        guard replacing else {
            throw StoreError("a \(kind.displayName) model named '\(name)' already exists", advice: .renameOrReplace)
        }
    }

    // MARK: Writing

    /// Creates a whole model in one transaction, replacing (with `replacing`) the model of the
    /// same name and kind in that same transaction: readers see the old model or the new one.
    /// A raised `stop` rolls the transaction back (the store keeps what it held) and throws
    /// `Interrupted`. With `keepingPreviousAs`, the model it replaces is kept under that name
    /// instead (replacing a model of that name and kind), in the same transaction.
    public func createModel(
        _ model: NewModel, contents: ModelContents, replacing: Bool, keepingPreviousAs previous: String? = nil,
        stop: StopRequest = .never
    ) throws {
        if let previous { try ModelName.check(previous) }
        try (contents.largePartsBytes >= Store.writeOnceBytes ? writeOnce : writeDatabase) { db in
            if let previous, var existing = try ModelRecord.named(db, model.name) {
                if let older = try ModelRecord.named(db, previous) {
                    try Store.checkReplaceable(older, name: previous, kind: existing.kind, replacing: true)
                    _ = try older.delete(db)
                }
                existing.name = previous
                try existing.update(db)
            }
            let id = try Store.insert(db, model, replacing: replacing, vectors: contents.wordVectors, stop: stop)
            try stop.check()
            if let documents = contents.documents { try DocumentTable.save(db, modelID: id, documents) }
            if let index = contents.vectorIndex { try VectorIndexTable.save(db, modelID: id, index) }
            if let ngrams = contents.ngramRows { try NgramTable.save(db, modelID: id, ngrams, stop: stop) }
            if let phrases = contents.phrases { try PhraseTableRows.save(db, modelID: id, phrases, stop: stop) }
            for tensor in contents.tensors { try TensorStore.save(db, modelID: id, tensor) }
            for blob in contents.blobs {
                try TensorStore.saveBytes(db, modelID: id, name: blob.name, dtype: blob.dtype, blob.bytes)
            }
            try MetricsTable.add(db, modelID: id, contents.metrics)
            try stop.check()
        }
    }

    /// Writes a training checkpoint in one transaction: the latest checkpoint with `latestTensors`
    /// (weights, optimiser moments, carried state), the best one with `bestTensors` when this step
    /// is the best so far, and metrics. The first checkpoint creates the model (replacing the
    /// old one with `replacing`), so a run killed before it leaves the store as it was.
    public func saveCheckpoint(
        _ checkpoint: Checkpoint, of model: NewModel, latestTensors: [Tensor],
        bestTensors: [Tensor]?, averaged: (checkpoint: Checkpoint, tensors: [Tensor])? = nil, metrics: [Metric],
        replacing: Bool
    ) throws {
        try writeDatabase { db in
            let id: Int64
            if let existing = try ModelRecord.named(db, model.name), !replacing {
                guard existing.kind == model.kind else {
                    try Store.checkReplaceable(existing, name: model.name, kind: model.kind, replacing: false)
                    return
                }
                var touched = existing
                touched.updatedAt = Date()
                try touched.update(db)
                id = existing.id!
            } else {
                id = try Store.insert(db, model, replacing: replacing)
            }
            var latest = CheckpointRecord(modelID: id, checkpoint, label: .latest, isBest: bestTensors != nil)
            try latest.replace(db)
            for tensor in latestTensors { try TensorStore.save(db, modelID: id, checkpointID: latest.id!, tensor) }
            if let best = bestTensors {
                var record = CheckpointRecord(modelID: id, checkpoint, label: .best, isBest: true)
                try record.replace(db)
                for tensor in best { try TensorStore.save(db, modelID: id, checkpointID: record.id!, tensor) }
            }
            if let averaged {
                var record = CheckpointRecord(modelID: id, averaged.checkpoint, label: .averaged, isBest: false)
                try record.replace(db)
                for tensor in averaged.tensors {
                    try TensorStore.save(db, modelID: id, checkpointID: record.id!, tensor)
                }
            }
            try MetricsTable.add(db, modelID: id, metrics)
        }
    }

    /// Keeps something computed about a model (a compare table) beside it; replaces one of that name.
    public func saveArtifact(_ artifact: Blob, for model: StoredModel) throws {
        try writeDatabase { try ArtifactsTable.save($0, modelID: model.id, artifact) }
    }

    /// Deletes a model and, through foreign keys, everything that belongs to it.
    /// A store made with incremental auto-vacuum (every store since v0.1 of this) then gives the
    /// freed pages back to the disk; returns the bytes it gave back.
    @discardableResult
    public func removeModel(named name: String, kind: ModelKind) throws -> Int64 {
        try writeDatabase { db in _ = try ModelRecord.find(db, name: name, kind: kind).delete(db) }
        let before = bytesOnDisk()
        try wrap {
            try database.writeWithoutTransaction { db in
                guard try Int.fetchOne(db, sql: "PRAGMA auto_vacuum") == 2 else { return }
                try db.execute(sql: "PRAGMA incremental_vacuum")
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        }
        return max(0, before - bytesOnDisk())
    }

    /// Inserts the model row and its vocabulary (with its word vectors when given), first deleting
    /// the model it replaces.
    static func insert(
        _ db: Database, _ model: NewModel, replacing: Bool, vectors: WordVectors? = nil, stop: StopRequest = .never
    ) throws -> Int64 {
        if let existing = try ModelRecord.named(db, model.name) {
            try checkReplaceable(existing, name: model.name, kind: model.kind, replacing: replacing)
            _ = try existing.delete(db)
        }
        var record = ModelRecord(model)
        try record.insert(db)
        try CorpusMembersTable.save(db, modelID: record.id!, model.corpus.members)
        if let vectors {
            try WordVectorTable.save(
                db, modelID: record.id!, tokens: model.tokens, counts: model.counts, vectors: vectors, stop: stop)
        } else {
            try VocabTable.save(db, modelID: record.id!, tokens: model.tokens, counts: model.counts)
        }
        if let text = model.trainingText {
            try ArtifactsTable.save(
                db, modelID: record.id!, name: TrainingText.artifactName, mediaType: TrainingText.mediaType, text)
        }
        return record.id!
    }

    // MARK: Reading

    /// Runs `body` on one snapshot of the store, so a model's parts are read as they were
    /// committed together, whatever a trainer writes meanwhile.
    public func read<T>(_ body: (ModelReader) throws -> T) throws -> T {
        try readDatabase { try body(ModelReader(db: $0)) }
    }

    /// One line per model of `kind`, by name.
    public func summaries(of kind: ModelKind) throws -> [ModelSummary] {
        try readDatabase { try ModelSummary.all($0, kind: kind) }
    }

    /// The kind of model `name`, or nil when the store has none of that name.
    public func kindOfModel(named name: String) throws -> ModelKind? {
        try readDatabase { try ModelRecord.named($0, name)?.kind }
    }
}

/// Reads a model's parts inside one snapshot (`Store.read`).
public struct ModelReader {
    let db: Database

    /// The model `name` of `kind`, or the most recently updated model of `kind` when `name` is nil.
    public func model(named name: String?, kind: ModelKind) throws -> StoredModel {
        let record =
            try name.map { try ModelRecord.find(db, name: $0, kind: kind) } ?? ModelRecord.latest(db, kind: kind)
        return record.stored(members: try CorpusMembersTable.load(db, modelID: record.id!))
    }

    /// The model's tokens and counts in vocabulary order (the first `limit` when given).
    public func vocabulary(of model: StoredModel, limit: Int? = nil) throws -> (tokens: [String], counts: [Int]) {
        try VocabTable.load(db, modelID: model.id, limit: limit)
    }

    public func checkpoint(_ label: CheckpointLabel, of model: StoredModel) throws -> Checkpoint {
        guard let record = try CheckpointRecord.fetch(db, modelID: model.id, label: label) else {
            throw StoreError("model '\(model.name)' has no \(label.rawValue) checkpoint")
        }
        return record.checkpoint
    }

    /// The lowest validation loss any of the model's checkpoints reached.
    public func bestValidationLoss(of model: StoredModel) throws -> Double? {
        try Double.fetchOne(db, sql: "SELECT MIN(val_loss) FROM checkpoints WHERE model_id = ?", arguments: [model.id])
    }

    /// Tensor `name` of the model (`at` a checkpoint, or of the model itself).
    public func tensor(_ name: String, of model: StoredModel, at label: CheckpointLabel? = nil) throws -> Tensor {
        try TensorStore.load(db, modelID: model.id, checkpointID: checkpointID(model, label), name: name)
    }

    /// Tensor `name` loaded straight into memory `allocate(byteCount)` returns; returns its shape.
    public func tensor(
        _ name: String, of model: StoredModel,
        into allocate: (Int) -> UnsafeMutableRawBufferPointer
    ) throws -> [Int] {
        try TensorStore.load(db, modelID: model.id, name: name, into: allocate)
    }

    /// The bytes of blob `name`, or nil when the model has none of that name.
    public func blob(_ name: String, of model: StoredModel) throws -> [UInt8]? {
        let exists =
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM tensors WHERE model_id = ? AND checkpoint_id IS NULL AND name = ?)
                    """, arguments: [model.id, name]) ?? false
        return exists ? try TensorStore.loadBytes(db, modelID: model.id, name: name) : nil
    }

    public func artifact(_ name: String, of model: StoredModel) throws -> [UInt8]? {
        try ArtifactsTable.load(db, modelID: model.id, name: name)
    }

    /// Every metric's (step, value) series, in step order.
    public func metrics(of model: StoredModel) throws -> [String: [(step: Int, value: Double)]] {
        try MetricsTable.series(db, modelID: model.id)
    }

    func checkpointID(_ model: StoredModel, _ label: CheckpointLabel?) throws -> Int64? {
        guard let label else { return nil }
        guard let record = try CheckpointRecord.fetch(db, modelID: model.id, label: label) else {
            throw StoreError("model '\(model.name)' has no \(label.rawValue) checkpoint")
        }
        return record.id
    }
}

// MARK: - Space

extension Store {
    /// Bytes of the free pages inside the file: what removed models left, reused by the next ones.
    public func freeBytes() throws -> Int64 {
        try readDatabase { db in
            let pages = try Int64.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
            return pages * (try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 4096)
        }
    }

    /// The bytes the store takes on disk: its file and its write-ahead log.
    public func bytesOnDisk() -> Int64 {
        [path, path + "-wal"].reduce(0) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int64) ?? 0)
        }
    }

    /// Gives the free pages back to the disk: SQLite's VACUUM rewrites the file without them, then
    /// the write-ahead log is emptied. Readers and writers wait meanwhile; returns the bytes on
    /// disk before and after.
    public func compact() throws -> (before: Int64, after: Int64) {
        let before = bytesOnDisk()
        if isReadOnly { throw StoreError("store \(path) is read-only (the file or its folder cannot be written)") }
        try wrap {
            // VACUUM also turns a store made before incremental auto-vacuum over to it.
            try database.writeWithoutTransaction { try $0.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL") }
            try database.vacuum()
            try database.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        }
        return (before, bytesOnDisk())
    }
}
