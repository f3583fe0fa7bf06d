// Word vectors in their vocabulary rows and the IVF index tables, as SQL: written whole, read by row.
import Foundation
import GRDB

enum WordVectorTable {
    /// The vocabulary rows of a model with their vectors (unit row as little-endian float32, norm).
    /// NaN or infinity never reaches the store (as `TensorStore.save` refuses it).
    static func save(
        _ db: Database, modelID: Int64, tokens: [String], counts: [Int], vectors: WordVectors,
        stop: StopRequest = .never
    ) throws {
        precondition(tokens.count == counts.count && vectors.norms.count == tokens.count)
        let badValue = vectors.unit.firstIndex { !$0.isFinite }.map { $0 / max(vectors.dim, 1) }
        if let word = badValue ?? vectors.norms.firstIndex(where: { !$0.isFinite }) {
            throw StoreError("refusing to store word vectors: a value of word \(word) is not finite")
        }
        try db.execute(sql: "DELETE FROM vocab WHERE model_id = ?", arguments: [modelID])
        let statement = try db.makeStatement(
            sql: "INSERT INTO vocab (model_id, idx, token, count, norm, vector) VALUES (?, ?, ?, ?, ?, ?)")
        let d = vectors.dim
        try vectors.unit.withUnsafeBytes { bytes in
            for (i, token) in tokens.enumerated() {
                if i % 10_000 == 0 { try stop.check() }  // rolls the transaction back
                let row = Data(UnsafeRawBufferPointer(rebasing: bytes[i * d * 4..<(i + 1) * d * 4]))
                try statement.execute(arguments: [modelID, i, token, counts[i], Double(vectors.norms[i]), row])
            }
        }
    }

    /// One word's row through the (model_id, token) index, or nil when the word is not there.
    static func row(_ db: Database, modelID: Int64, word: String) throws -> WordRow? {
        let statement = try db.cachedStatement(
            sql: "SELECT idx, token, vector FROM vocab WHERE model_id = ? AND token = ? LIMIT 1")
        return try Row.fetchOne(statement, arguments: [modelID, word]).map(wordRow)
    }

    /// The rows of `ids`, in that order (an id without a row is an error: the store is corrupt).
    static func rows(_ db: Database, modelID: Int64, ids: [Int32]) throws -> [WordRow] {
        let statement = try db.cachedStatement(
            sql: "SELECT idx, token, vector FROM vocab WHERE model_id = ? AND idx = ?")
        return try ids.map { id in
            guard let row = try Row.fetchOne(statement, arguments: [modelID, id]) else {
                throw StoreError("word vector \(id) is missing from the store")
            }
            return try wordRow(row)
        }
    }

    static func wordRow(_ row: Row) throws -> WordRow {
        guard let data = row["vector"] as Data? else { throw StoreError("a word vector is missing from the store") }
        let unit: [Float] = BlobValues.decode(data)
        return WordRow(id: row["idx"], word: row["token"], unit: unit)
    }

    /// Copies the unit rows of the first `limit` words (all without one) into memory that
    /// `allocate(rows)` returns (rows × dim floats). Returns the rows copied.
    static func matrix(
        _ db: Database, modelID: Int64, dim: Int, limit: Int?,
        into allocate: (Int) -> UnsafeMutablePointer<Float>
    ) throws -> Int {
        let total =
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM vocab WHERE model_id = ?", arguments: [modelID]) ?? 0
        let rows = min(total, limit ?? total)
        let cursor = try Row.fetchCursor(
            db, sql: "SELECT idx, vector FROM vocab WHERE model_id = ? AND idx < ? ORDER BY idx",
            arguments: [modelID, rows])
        try copyRows(cursor, rows: rows, dim: dim, into: allocate(rows), what: "word vector")
        return rows
    }

    /// Copies `rows` rows of (idx, unit vector) in idx order from 0 into `destination`, refusing a
    /// row out of place, of the wrong length, or missing.
    static func copyRows(
        _ cursor: RowCursor, rows: Int, dim: Int, into destination: UnsafeMutablePointer<Float>, what: String
    ) throws {
        var next = 0
        while let row = try cursor.next() {
            let idx: Int = row[0]
            try row.withUnsafeData(atIndex: 1) { data in
                guard idx == next, idx < rows, let data, data.count == dim * 4 else {
                    throw StoreError("\(what) \(idx) is corrupt or out of place (expected \(dim) floats)")
                }
                data.copyBytes(to: UnsafeMutableRawBufferPointer(start: destination + idx * dim, count: dim * 4))
            }
            next += 1
        }
        guard next == rows else { throw StoreError("the store holds \(next) of \(rows) \(what)s") }
    }

    /// The words' norms, in vocabulary order.
    static func norms(_ db: Database, modelID: Int64) throws -> [Float] {
        try Double.fetchAll(db, sql: "SELECT norm FROM vocab WHERE model_id = ? ORDER BY idx", arguments: [modelID])
            .map(Float.init)
    }

    /// The first `limit` words (most frequent first), for spelling suggestions.
    static func tokens(_ db: Database, modelID: Int64, limit: Int) throws -> [String] {
        try String.fetchAll(
            db, sql: "SELECT token FROM vocab WHERE model_id = ? AND idx < ? ORDER BY idx", arguments: [modelID, limit])
    }

    /// v3: the vectors of word2vec models written before move from tensors into their rows.
    static func moveTensorsIntoVocabulary(_ db: Database) throws {
        let ids = try Int64.fetchAll(db, sql: "SELECT id FROM models WHERE kind = 'w2v'")
        let update = try db.makeStatement(sql: "UPDATE vocab SET norm = ?, vector = ? WHERE model_id = ? AND idx = ?")
        for id in ids {
            let raw = try TensorStore.load(db, modelID: id, name: "vectors")
            let unit = try TensorStore.load(db, modelID: id, name: "normalized")
            guard raw.shape.count == 2, raw.shape == unit.shape else {
                throw StoreError("word2vec model \(id) is corrupt: vectors \(raw.shape), normalised \(unit.shape)")
            }
            let d = raw.shape[1]
            try unit.values.withUnsafeBytes { bytes in
                for i in 0..<raw.shape[0] {
                    var sum: Float = 0
                    for k in 0..<d { sum += raw.values[i * d + k] * raw.values[i * d + k] }
                    let row = Data(UnsafeRawBufferPointer(rebasing: bytes[i * d * 4..<(i + 1) * d * 4]))
                    try update.execute(arguments: [Double(sum.squareRoot()), row, id, i])
                }
            }
            // Migrations run with foreign keys off: the chunks go first, by hand.
            let moved = """
                SELECT id FROM tensors WHERE model_id = ? AND checkpoint_id IS NULL
                  AND name IN ('vectors', 'normalized', 'words', 'counts')
                """
            try db.execute(sql: "DELETE FROM tensor_chunks WHERE tensor_id IN (\(moved))", arguments: [id])
            try db.execute(sql: "DELETE FROM tensors WHERE id IN (\(moved))", arguments: [id])
        }
    }
}

enum VectorIndexTable {
    /// Writes `index` for a model, replacing any index it had.
    static func save(_ db: Database, modelID: Int64, _ index: VectorIndex) throws {
        let h = index.header
        try db.execute(sql: "DELETE FROM vector_indexes WHERE model_id = ?", arguments: [modelID])
        let curve = String(decoding: try JSONEncoder().encode(h.recallCurve), as: UTF8.self)
        try db.execute(
            sql: """
                INSERT INTO vector_indexes (model_id, method, rows, dim, lists, probe, recall_at_10,
                  recall_curve_json, fingerprint, centroids, built_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                modelID, h.method, h.rows, h.dim, h.lists, h.probe, h.recallAt10, curve, h.fingerprint,
                bytes(h.centroids), Date(),
            ])
        let statement = try db.makeStatement(
            sql: "INSERT INTO vector_lists (model_id, list, ids, scales, codes) VALUES (?, ?, ?, ?, ?)")
        for (i, list) in index.lists.enumerated() {
            try statement.execute(arguments: [modelID, i, bytes(list.ids), bytes(list.scales), bytes(list.codes)])
        }
    }

    /// The index's header; `withCurve: false` leaves the recall curve out (a query needs only the
    /// probe count, and decoding JSON costs a whole-process query about a millisecond).
    static func header(_ db: Database, modelID: Int64, withCurve: Bool = true) throws -> VectorIndexHeader? {
        guard
            let row = try Row.fetchOne(db, sql: "SELECT * FROM vector_indexes WHERE model_id = ?", arguments: [modelID])
        else { return nil }
        let curveJSON: String = row["recall_curve_json"]
        let curve = withCurve ? (try? JSONDecoder().decode([ProbeRecall].self, from: Data(curveJSON.utf8))) ?? [] : []
        return VectorIndexHeader(
            method: row["method"], rows: row["rows"], dim: row["dim"], lists: row["lists"], probe: row["probe"],
            recallAt10: row["recall_at_10"], recallCurve: curve, fingerprint: row["fingerprint"],
            centroids: BlobValues.decode(row["centroids"] as Data? ?? Data()))
    }

    /// The lists numbered `numbers`, in that order; a missing list reads as nil.
    static func lists(_ db: Database, modelID: Int64, numbers: [Int]) throws -> [VectorList?] {
        let statement = try db.cachedStatement(
            sql: "SELECT ids, scales, codes FROM vector_lists WHERE model_id = ? AND list = ?")
        return try numbers.map { number in
            try Row.fetchOne(statement, arguments: [modelID, number]).map { row in
                VectorList(
                    idsBlob: row["ids"] as Data? ?? Data(), scalesBlob: row["scales"] as Data? ?? Data(),
                    codesBlob: row["codes"] as Data? ?? Data())
            }
        }
    }

    static func bytes<T>(_ values: [T]) -> Data { values.withUnsafeBytes { Data($0) } }
}
