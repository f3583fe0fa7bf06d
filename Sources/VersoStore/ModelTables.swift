// The metrics time series, the vocabulary rows, the artifacts and the corpus members of a model, as SQL.
import Foundation
import GRDB
import GRDBSQLite

enum MetricsTable {
    static func add(_ db: Database, modelID: Int64, _ metrics: [Metric]) throws {
        let statement = try db.makeStatement(
            sql: "INSERT INTO metrics (model_id, step, key, value) VALUES (?, ?, ?, ?)")
        for metric in metrics where metric.value.isFinite {
            try statement.execute(arguments: [modelID, metric.step, metric.key, metric.value])
        }
    }

    /// Every key's (step, value) series, in step order.
    static func series(_ db: Database, modelID: Int64) throws -> [String: [(step: Int, value: Double)]] {
        var series: [String: [(step: Int, value: Double)]] = [:]
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT key, step, value FROM metrics WHERE model_id = ? ORDER BY key, step, rowid
                """, arguments: [modelID])
        while let row = try rows.next() {
            series[row[0], default: []].append((row[1], row[2]))
        }
        return series
    }
}

enum VocabTable {
    static func save(_ db: Database, modelID: Int64, tokens: [String], counts: [Int]) throws {
        precondition(tokens.count == counts.count)
        try db.execute(sql: "DELETE FROM vocab WHERE model_id = ?", arguments: [modelID])
        let statement = try db.makeStatement(sql: "INSERT INTO vocab (model_id, idx, token, count) VALUES (?, ?, ?, ?)")
        for (i, token) in tokens.enumerated() {
            try statement.execute(arguments: [modelID, i, token, counts[i]])
        }
    }

    /// The tokens and counts in vocabulary order, the first `limit` of them when given.
    static func load(_ db: Database, modelID: Int64, limit: Int? = nil) throws -> (tokens: [String], counts: [Int]) {
        var tokens: [String] = []
        var counts: [Int] = []
        let rows = try Row.fetchCursor(
            db, sql: "SELECT token, count FROM vocab WHERE model_id = ? AND idx < ? ORDER BY idx",
            arguments: [modelID, limit ?? Int.max])
        while let row = try rows.next() {
            tokens.append(row[0])
            counts.append(row[1])
        }
        return (tokens, counts)
    }
}

enum ArtifactsTable {
    static func save(_ db: Database, modelID: Int64, _ artifact: Blob) throws {
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO artifacts (model_id, name, media_type, data) VALUES (?, ?, ?, ?)
                """, arguments: [modelID, artifact.name, artifact.dtype, Data(artifact.bytes)])
    }

    /// Saves a large artifact a megabyte at a time from its temporary file (SQLite's incremental
    /// blob I/O into a zeroblob), so the bytes never sit in memory whole.
    static func save(
        _ db: Database, modelID: Int64, name: String, mediaType: String, _ text: TrainingText.Compressed
    ) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO artifacts (model_id, name, media_type, data) VALUES (?, ?, ?, zeroblob(?))",
            arguments: [modelID, name, mediaType, text.byteCount])
        var blob: OpaquePointer?
        guard
            sqlite3_blob_open(db.sqliteConnection, "main", "artifacts", "data", db.lastInsertedRowID, 1, &blob)
                == SQLITE_OK
        else {
            throw StoreError(
                "cannot write the artifact '\(name)': \(String(cString: sqlite3_errmsg(db.sqliteConnection)))")
        }
        defer { sqlite3_blob_close(blob) }
        let piece = 1 << 20
        for offset in stride(from: 0, to: text.byteCount, by: piece) {
            let bytes = try text.read(offset: offset, count: min(piece, text.byteCount - offset))
            guard sqlite3_blob_write(blob, bytes, Int32(bytes.count), Int32(offset)) == SQLITE_OK else {
                throw StoreError(
                    "cannot write the artifact '\(name)': \(String(cString: sqlite3_errmsg(db.sqliteConnection)))")
            }
        }
    }

    static func load(_ db: Database, modelID: Int64, name: String) throws -> [UInt8]? {
        try Row.fetchOne(
            db, sql: "SELECT data FROM artifacts WHERE model_id = ? AND name = ?",
            arguments: [modelID, name]
        ).map { [UInt8]($0["data"] as Data) }
    }
}

enum CorpusMembersTable {
    static func save(_ db: Database, modelID: Int64, _ members: [CorpusInfo.Member]) throws {
        let statement = try db.makeStatement(
            sql: "INSERT INTO corpus_members (model_id, seq, path, sha256, bytes, skipped) VALUES (?, ?, ?, ?, ?, ?)")
        for (seq, member) in members.enumerated() {
            try statement.execute(arguments: [modelID, seq, member.path, member.sha256, member.bytes, member.skipped])
        }
    }

    static func load(_ db: Database, modelID: Int64) throws -> [CorpusInfo.Member] {
        try Row.fetchAll(
            db, sql: "SELECT path, sha256, bytes, skipped FROM corpus_members WHERE model_id = ? ORDER BY seq",
            arguments: [modelID]
        ).map { CorpusInfo.Member(path: $0["path"], sha256: $0["sha256"], bytes: $0["bytes"], skipped: $0["skipped"]) }
    }
}
