// One line of `models`: what a listing shows of each model, as a table or as JSON.
import Foundation
import GRDB

public struct ModelSummary: Codable, Sendable, Equatable {
    public var name: String
    public var kind: String
    public var bytes: Int64
    public var created: String
    public var corpus: String
    public var bestValLoss: Double?

    enum CodingKeys: String, CodingKey {
        case name, kind, bytes, created, corpus
        case bestValLoss = "best_val_loss"
    }

    static func all(_ db: Database, kind: ModelKind) throws -> [ModelSummary] {
        let iso = ISO8601DateFormatter()
        return try ModelRecord.filter(Column("kind") == kind.rawValue).order(Column("name")).fetchAll(db).map { m in
            let best = try Double.fetchOne(
                db, sql: "SELECT MIN(val_loss) FROM checkpoints WHERE model_id = ?",
                arguments: [m.id])
            return ModelSummary(
                name: m.name, kind: m.kind.rawValue,
                bytes: try TensorStore.totalBytes(db, modelID: m.id!),
                created: iso.string(from: m.createdAt),
                corpus: m.corpusPath, bestValLoss: best)
        }
    }
}
