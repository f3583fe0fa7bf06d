// Checkpoint rows (latest and best per model) and the metrics time series.
import Foundation
import GRDB

public struct CheckpointRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "checkpoints"

    public var id: Int64?
    public var modelID: Int64
    public var label: String          // "latest" or "best"
    public var step: Int
    public var epoch: Double
    public var trainLoss: Double?
    public var valLoss: Double?
    public var lr: Double?
    public var rngState: Data?
    public var isBest: Bool
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, label, step, epoch, lr
        case modelID = "model_id", trainLoss = "train_loss", valLoss = "val_loss"
        case rngState = "rng_state", isBest = "is_best", createdAt = "created_at"
    }

    public init(modelID: Int64, label: String, step: Int, epoch: Double, trainLoss: Double?, valLoss: Double?,
                lr: Double?, rngState: Data?, isBest: Bool, createdAt: Date = Date()) {
        self.modelID = modelID; self.label = label; self.step = step; self.epoch = epoch
        self.trainLoss = trainLoss; self.valLoss = valLoss; self.lr = lr; self.rngState = rngState
        self.isBest = isBest; self.createdAt = createdAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// Replaces the model's checkpoint with this label (and its tensors, by cascade).
    public mutating func replace(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM checkpoints WHERE model_id = ? AND label = ?", arguments: [modelID, label])
        id = nil
        try insert(db)
    }

    public static func fetch(_ db: Database, modelID: Int64, label: String) throws -> CheckpointRecord? {
        try CheckpointRecord.filter(Column("model_id") == modelID && Column("label") == label).fetchOne(db)
    }
}

public enum MetricsStore {
    public static func add(_ db: Database, modelID: Int64, step: Int, _ values: [(String, Double)]) throws {
        let statement = try db.makeStatement(sql: "INSERT INTO metrics (model_id, step, key, value) VALUES (?, ?, ?, ?)")
        for (key, value) in values where value.isFinite {
            try statement.execute(arguments: [modelID, step, key, value])
        }
    }

    /// The (step, value) series of one key, in step order.
    public static func series(_ db: Database, modelID: Int64, key: String) throws -> [(step: Int, value: Double)] {
        try Row.fetchAll(db, sql: "SELECT step, value FROM metrics WHERE model_id = ? AND key = ? ORDER BY step, rowid",
                         arguments: [modelID, key]).map { ($0[0], $0[1]) }
    }

    public static func keys(_ db: Database, modelID: Int64) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT DISTINCT key FROM metrics WHERE model_id = ? ORDER BY key", arguments: [modelID])
    }
}
