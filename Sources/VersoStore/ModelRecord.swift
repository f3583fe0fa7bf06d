// Rows of `models` and `checkpoints` as GRDB records: the repository's own, never seen outside it.
import Foundation
import GRDB

struct ModelRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "models"

    var id: Int64?
    var name: String
    var kind: ModelKind
    var configJSON: String
    var corpusPath: String
    var corpusSHA256: String
    var corpusBytes: Int64
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, kind
        case configJSON = "config_json", corpusPath = "corpus_path", corpusSHA256 = "corpus_sha256"
        case corpusBytes = "corpus_bytes", createdAt = "created_at", updatedAt = "updated_at"
    }

    init(_ model: NewModel, now: Date = Date()) {
        name = model.name
        kind = model.kind
        configJSON = model.configJSON
        corpusPath = model.corpus.path
        corpusSHA256 = model.corpus.sha256
        corpusBytes = model.corpus.bytes
        createdAt = now
        updatedAt = now
    }

    /// Read column by column: Codable's decoder costs a whole-process query a millisecond or two
    /// in runtime type lookups.
    init(row: Row) throws {
        id = row["id"]
        name = row["name"]
        guard let kind = ModelKind(rawValue: row["kind"]) else {
            throw StoreError("model '\(name)' has an unknown kind '\(row["kind"] as String? ?? "")'")
        }
        self.kind = kind
        configJSON = row["config_json"]
        corpusPath = row["corpus_path"]
        corpusSHA256 = row["corpus_sha256"]
        corpusBytes = row["corpus_bytes"]
        createdAt = row["created_at"]
        updatedAt = row["updated_at"]
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    func stored(members: [CorpusInfo.Member]) -> StoredModel {
        StoredModel(
            id: id!, name: name, kind: kind, configJSON: configJSON,
            corpus: CorpusInfo(path: corpusPath, sha256: corpusSHA256, bytes: corpusBytes, members: members),
            createdAt: createdAt, updatedAt: updatedAt)
    }

    static func named(_ db: Database, _ name: String) throws -> ModelRecord? {
        try ModelRecord.filter(Column("name") == name).fetchOne(db)
    }

    /// The model named `name`, which must be of `kind`.
    static func find(_ db: Database, name: String, kind: ModelKind) throws -> ModelRecord {
        guard let model = try named(db, name) else {
            throw StoreError("no \(kind.displayName) model named '\(name)' in the store")
        }
        guard model.kind == kind else {
            throw StoreError("model '\(name)' is a \(model.kind.displayName) model, not a \(kind.displayName) model")
        }
        return model
    }

    /// The most recently updated model of `kind`, for commands whose `--model` is omitted.
    static func latest(_ db: Database, kind: ModelKind) throws -> ModelRecord {
        guard
            let model = try ModelRecord.filter(Column("kind") == kind.rawValue)
                .order(Column("updated_at").desc, Column("id").desc).fetchOne(db)
        else {
            throw StoreError("the store has no \(kind.displayName) model yet; train one first")
        }
        return model
    }
}

struct CheckpointRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "checkpoints"

    var id: Int64?
    var modelID: Int64
    var label: String
    var step: Int
    var epoch: Double
    var trainLoss: Double?
    var valLoss: Double?
    var lr: Double?
    var resumeState: Data?
    var isBest: Bool
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, label, step, epoch, lr
        case modelID = "model_id", trainLoss = "train_loss", valLoss = "val_loss"
        case resumeState = "resume_state", isBest = "is_best", createdAt = "created_at"
    }

    init(modelID: Int64, _ checkpoint: Checkpoint, label: CheckpointLabel, isBest: Bool) {
        self.modelID = modelID
        self.label = label.rawValue
        step = checkpoint.step
        epoch = checkpoint.epoch
        trainLoss = checkpoint.trainLoss
        valLoss = checkpoint.valLoss
        lr = checkpoint.lr
        resumeState = label == .latest ? checkpoint.resumeState.map { Data($0) } : nil
        self.isBest = isBest
        createdAt = Date()
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    var checkpoint: Checkpoint {
        Checkpoint(
            step: step, epoch: epoch, trainLoss: trainLoss, valLoss: valLoss, lr: lr,
            resumeState: resumeState.map { [UInt8]($0) })
    }

    /// Replaces the model's checkpoint with this label (and its tensors, by cascade).
    mutating func replace(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM checkpoints WHERE model_id = ? AND label = ?", arguments: [modelID, label])
        id = nil
        try insert(db)
    }

    static func fetch(_ db: Database, modelID: Int64, label: CheckpointLabel) throws -> CheckpointRecord? {
        try CheckpointRecord.filter(Column("model_id") == modelID && Column("label") == label.rawValue).fetchOne(db)
    }
}
