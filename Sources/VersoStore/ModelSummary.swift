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
    public var indexRecallAt10: Double?  // word2vec: the nearest-neighbour index's measured recall@10
    public var documents: Int?  // document vectors: how many documents

    enum CodingKeys: String, CodingKey {
        case name, kind, bytes, created, corpus
        case bestValLoss = "best_val_loss"
        case indexRecallAt10 = "index_recall_at_10"
        case documents
    }

    static func all(_ db: Database, kind: ModelKind) throws -> [ModelSummary] {
        let iso = ISO8601DateFormatter()
        return try ModelRecord.filter(Column("kind") == kind.rawValue).order(Column("name")).fetchAll(db).map { m in
            // A char-RNN's best checkpoint; a mixture has none, only the validation loss it was made with.
            let best = try Double.fetchOne(
                db,
                sql: kind == .mixture
                    ? "SELECT MIN(value) FROM metrics WHERE model_id = ? AND key = 'val_loss'"
                    : "SELECT MIN(val_loss) FROM checkpoints WHERE model_id = ?",
                arguments: [m.id])
            let recall = try Double.fetchOne(
                db, sql: "SELECT recall_at_10 FROM vector_indexes WHERE model_id = ?", arguments: [m.id])
            let documents = kind == .docs ? try DocumentTable.count(db, modelID: m.id!) : nil
            let documentBytes =
                try Int64.fetchOne(
                    db,
                    sql: "SELECT COALESCE(SUM(length(vector) + length(preview) + 40), 0) FROM documents "
                        + "WHERE model_id = ?", arguments: [m.id]) ?? 0
            let bytes = try TensorStore.totalBytes(db, modelID: m.id!) + vectorBytes(db, modelID: m.id!) + documentBytes
            return ModelSummary(
                name: m.name, kind: m.kind.rawValue, bytes: bytes, created: iso.string(from: m.createdAt),
                corpus: m.corpusPath, bestValLoss: best, indexRecallAt10: recall, documents: documents)
        }
    }

    /// Bytes of a model's word vectors (rows × the first row's length, without scanning every
    /// row) and of its index's lists and centroids.
    static func vectorBytes(_ db: Database, modelID: Int64) throws -> Int64 {
        let rows =
            try Int64.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) * COALESCE((SELECT length(vector) + 8 FROM vocab
                      WHERE model_id = ?1 AND vector IS NOT NULL LIMIT 1), 0)
                    FROM vocab WHERE model_id = ?1
                    """, arguments: [modelID]) ?? 0
        let index =
            try Int64.fetchOne(
                db,
                sql: """
                    SELECT COALESCE((SELECT SUM(length(ids) + length(scales) + length(codes)) FROM vector_lists
                      WHERE model_id = ?1), 0) + COALESCE((SELECT length(centroids) FROM vector_indexes
                      WHERE model_id = ?1), 0)
                    """, arguments: [modelID]) ?? 0
        return rows + index
    }
}
