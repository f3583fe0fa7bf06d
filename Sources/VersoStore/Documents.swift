// Document vectors as the store keeps them: each document's source and unit vector, as values and as SQL.
import Foundation
import GRDB

/// Where a document came from: its file, the byte offset and length of its text there (line
/// ends counted as one byte), its word count, and its first words.
public struct DocumentSource: Sendable, Equatable, Codable {
    public var path: String
    public var offset: Int
    public var length: Int
    public var words: Int
    public var preview: String

    public init(path: String, offset: Int, length: Int, words: Int, preview: String) {
        self.path = path
        self.offset = offset
        self.length = length
        self.words = words
        self.preview = preview
    }
}

/// A model's documents, in id order (id = position), with their vectors (unit rows and norms).
public struct DocumentVectors: Sendable {
    public let sources: [DocumentSource]
    public let vectors: WordVectors

    public init(sources: [DocumentSource], vectors: WordVectors) {
        precondition(sources.count == vectors.norms.count, "\(sources.count) documents, \(vectors.norms.count) vectors")
        self.sources = sources
        self.vectors = vectors
    }
}

/// The rows an index or a query reads: a model's words (`vocab`) or its documents (`documents`).
public enum VectorTable: Sendable {
    case words, documents
}

enum DocumentTable {
    static func create(_ db: Database) throws {
        try db.create(table: "documents") { t in
            t.column("model_id", .integer).notNull().references("models", onDelete: .cascade)
            t.column("idx", .integer).notNull()
            t.column("path", .text).notNull()
            t.column("offset", .integer).notNull()
            t.column("length", .integer).notNull()
            t.column("words", .integer).notNull()
            t.column("preview", .text).notNull()
            t.column("norm", .double).notNull()
            t.column("vector", .blob).notNull()  // unit row, little-endian float32
            t.primaryKey(["model_id", "idx"])
        }
        try db.create(index: "documents_path", on: "documents", columns: ["model_id", "path"])
    }

    static func save(_ db: Database, modelID: Int64, _ documents: DocumentVectors) throws {
        let vectors = documents.vectors, d = vectors.dim
        if let bad = vectors.unit.firstIndex(where: { !$0.isFinite }) {
            throw StoreError("refusing to store document vectors: a value of document \(bad / max(d, 1)) is not finite")
        }
        let statement = try db.makeStatement(
            sql: """
                INSERT INTO documents (model_id, idx, path, offset, length, words, preview, norm, vector)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        try vectors.unit.withUnsafeBytes { bytes in
            for (i, s) in documents.sources.enumerated() {
                let row = Data(UnsafeRawBufferPointer(rebasing: bytes[i * d * 4..<(i + 1) * d * 4]))
                try statement.execute(arguments: [
                    modelID, i, s.path, s.offset, s.length, s.words, s.preview, Double(vectors.norms[i]), row,
                ])
            }
        }
    }

    static func count(_ db: Database, modelID: Int64) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM documents WHERE model_id = ?", arguments: [modelID]) ?? 0
    }

    /// The sources of `ids`, in that order (nil for an id the model lacks).
    static func sources(_ db: Database, modelID: Int64, ids: [Int32]) throws -> [DocumentSource?] {
        let statement = try db.cachedStatement(
            sql: "SELECT path, offset, length, words, preview FROM documents WHERE model_id = ? AND idx = ?")
        return try ids.map { id in
            try Row.fetchOne(statement, arguments: [modelID, id]).map { row in
                DocumentSource(
                    path: row["path"], offset: row["offset"], length: row["length"], words: row["words"],
                    preview: row["preview"])
            }
        }
    }

    /// The ids of the documents cut from the file at `path`, in order.
    static func ids(_ db: Database, modelID: Int64, path: String) throws -> [Int32] {
        try Int32.fetchAll(
            db, sql: "SELECT idx FROM documents WHERE model_id = ? AND path = ? ORDER BY idx",
            arguments: [modelID, path])
    }

    /// The unit rows of `ids`, in that order, as rows named by their ids.
    static func rows(_ db: Database, modelID: Int64, ids: [Int32]) throws -> [WordRow] {
        let statement = try db.cachedStatement(sql: "SELECT idx, vector FROM documents WHERE model_id = ? AND idx = ?")
        return try ids.map { id in
            guard let row = try Row.fetchOne(statement, arguments: [modelID, id]),
                let data = row["vector"] as Data?
            else { throw StoreError("document vector \(id) is missing from the store") }
            return WordRow(id: row["idx"], word: String(id), unit: BlobValues.decode(data))
        }
    }

    /// Copies every unit row into memory that `allocate(rows)` returns; returns the row count.
    static func matrix(
        _ db: Database, modelID: Int64, dim: Int, into allocate: (Int) -> UnsafeMutablePointer<Float>
    ) throws -> Int {
        let rows = try count(db, modelID: modelID)
        let cursor = try Row.fetchCursor(
            db, sql: "SELECT idx, vector FROM documents WHERE model_id = ? ORDER BY idx", arguments: [modelID])
        try WordVectorTable.copyRows(cursor, rows: rows, dim: dim, into: allocate(rows), what: "document vector")
        return rows
    }
}

extension ModelReader {
    public func documentCount(of model: StoredModel) throws -> Int {
        try DocumentTable.count(db, modelID: model.id)
    }

    /// The sources of documents `ids`, in that order (nil for an id the model lacks).
    public func documentSources(_ ids: [Int32], of model: StoredModel) throws -> [DocumentSource?] {
        try DocumentTable.sources(db, modelID: model.id, ids: ids)
    }

    /// The ids of the documents cut from the file at `path` (as stored: absolute).
    public func documentIDs(path: String, of model: StoredModel) throws -> [Int32] {
        try DocumentTable.ids(db, modelID: model.id, path: path)
    }

    /// The unit rows of `ids` from the words or the documents, in that order.
    public func vectorRows(_ ids: [Int32], of model: StoredModel, table: VectorTable) throws -> [WordRow] {
        switch table {
        case .words: try WordVectorTable.rows(db, modelID: model.id, ids: ids)
        case .documents: try DocumentTable.rows(db, modelID: model.id, ids: ids)
        }
    }

    /// Every document's unit row, copied into memory that `allocate(rows)` returns; returns the rows.
    public func documentMatrix(
        of model: StoredModel, dim: Int, into allocate: (Int) -> UnsafeMutablePointer<Float>
    ) throws -> Int {
        try DocumentTable.matrix(db, modelID: model.id, dim: dim, into: allocate)
    }
}
