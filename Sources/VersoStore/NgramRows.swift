// A subword model's character n-gram rows: one SQL row per used hash bucket, read by bucket.
import Foundation
import GRDB

/// The n-gram rows of a subword model: the buckets some vocabulary word uses, ascending, and
/// their raw (not normalised) float32 rows, buckets.count × dim. Every other bucket is zero.
public struct NgramRows: Sendable, Equatable {
    public let dim: Int
    public let buckets: [Int32]
    public let values: [Float]

    public init(dim: Int, buckets: [Int32], values: [Float]) {
        precondition(values.count == buckets.count * dim, "n-gram rows: \(values.count) values, \(buckets.count) rows")
        self.dim = dim
        self.buckets = buckets
        self.values = values
    }
}

enum NgramTable {
    /// WITHOUT ROWID on (model_id, bucket): the rows live in the key's B-tree, so a query word's
    /// ten-odd n-grams are ten point reads.
    static func create(_ db: Database) throws {
        try db.create(table: "ngram_rows", options: [.withoutRowID]) { t in
            t.column("model_id", .integer).notNull().references("models", onDelete: .cascade)
            t.column("bucket", .integer).notNull()
            t.column("vector", .blob).notNull()  // raw row, little-endian float32 × dim
            t.primaryKey(["model_id", "bucket"])
        }
    }

    static func save(_ db: Database, modelID: Int64, _ rows: NgramRows, stop: StopRequest) throws {
        if let bad = rows.values.firstIndex(where: { !$0.isFinite }) {
            let bucket = rows.buckets[bad / rows.dim]
            throw StoreError("refusing to store n-gram rows: a value of bucket \(bucket) is not finite")
        }
        try db.execute(sql: "DELETE FROM ngram_rows WHERE model_id = ?", arguments: [modelID])
        let statement = try db.makeStatement(sql: "INSERT INTO ngram_rows (model_id, bucket, vector) VALUES (?, ?, ?)")
        let d = rows.dim
        try rows.values.withUnsafeBytes { bytes in
            for (i, bucket) in rows.buckets.enumerated() {
                if i % 10_000 == 0 { try stop.check() }  // rolls the transaction back
                let row = Data(UnsafeRawBufferPointer(rebasing: bytes[i * d * 4..<(i + 1) * d * 4]))
                try statement.execute(arguments: [modelID, bucket, row])
            }
        }
    }

    /// The rows of those of `buckets` the model has (an absent bucket is a zero row, left out).
    static func rows(_ db: Database, modelID: Int64, buckets: [Int32], dim: Int) throws -> [Int32: [Float]] {
        let statement = try db.cachedStatement(sql: "SELECT vector FROM ngram_rows WHERE model_id = ? AND bucket = ?")
        var found: [Int32: [Float]] = [:]
        for bucket in Set(buckets) {
            guard let data = try Data.fetchOne(statement, arguments: [modelID, bucket]) else { continue }
            guard data.count == dim * 4 else {
                throw StoreError("n-gram row \(bucket) is \(data.count) bytes, not \(dim * 4)")
            }
            found[bucket] = BlobValues.decode(data)
        }
        return found
    }

    /// Every row, in bucket order.
    static func all(_ db: Database, modelID: Int64, dim: Int) throws -> NgramRows {
        var buckets: [Int32] = [], values: [Float] = []
        let cursor = try Row.fetchCursor(
            db, sql: "SELECT bucket, vector FROM ngram_rows WHERE model_id = ? ORDER BY bucket", arguments: [modelID])
        while let row = try cursor.next() {
            let bucket: Int32 = row[0]
            try row.withUnsafeData(atIndex: 1) { data in
                guard let data, data.count == dim * 4 else { throw StoreError("n-gram row \(bucket) is torn") }
                data.withUnsafeBytes { values.append(contentsOf: $0.bindMemory(to: Float.self)) }
            }
            buckets.append(bucket)
        }
        return NgramRows(dim: dim, buckets: buckets, values: values)
    }
}

extension ModelReader {
    /// The rows of those of `buckets` a subword model has (absent buckets are zero rows).
    public func ngramRows(_ buckets: [Int32], of model: StoredModel, dim: Int) throws -> [Int32: [Float]] {
        try NgramTable.rows(db, modelID: model.id, buckets: buckets, dim: dim)
    }

    /// All of a subword model's n-gram rows (for a server, or an export).
    public func ngramRows(of model: StoredModel, dim: Int) throws -> NgramRows {
        try NgramTable.all(db, modelID: model.id, dim: dim)
    }
}
