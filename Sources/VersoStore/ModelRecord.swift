// A row of `models`: one trained (or training) model of any kind, and its lookups.
import Foundation
import GRDB

public struct ModelRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "models"

    public var id: Int64?
    public var name: String
    public var kind: ModelKind
    public var state: String              // "training" while a first checkpoint is pending, then "ready"
    public var configJSON: String
    public var corpusPath: String
    public var corpusSHA256: String
    public var corpusBytes: Int64
    public var createdAt: Date
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, kind, state
        case configJSON = "config_json", corpusPath = "corpus_path", corpusSHA256 = "corpus_sha256"
        case corpusBytes = "corpus_bytes", createdAt = "created_at", updatedAt = "updated_at"
    }

    public init(name: String, kind: ModelKind, state: String = "ready", configJSON: String,
                corpus: CorpusInfo, now: Date = Date()) {
        self.name = name; self.kind = kind; self.state = state; self.configJSON = configJSON
        corpusPath = corpus.path; corpusSHA256 = corpus.sha256; corpusBytes = corpus.bytes
        createdAt = now; updatedAt = now
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    // MARK: Config as JSON

    public static func encodeConfig<C: Encodable>(_ config: C) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(config), as: UTF8.self)
    }

    public func decodeConfig<C: Decodable>(_ type: C.Type) throws -> C {
        do { return try JSONDecoder().decode(type, from: Data(configJSON.utf8)) }
        catch { throw StoreError("model \(name): its stored configuration cannot be read (\(error))") }
    }
}

// MARK: Lookups

extension ModelRecord {
    /// The model named `name`, which must be of `kind`.
    public static func find(_ db: Database, name: String, kind: ModelKind) throws -> ModelRecord {
        guard let model = try ModelRecord.filter(Column("name") == name).fetchOne(db) else {
            throw StoreError("no \(kind.displayName) model named '\(name)' in the store")
        }
        guard model.kind == kind else {
            throw StoreError("model '\(name)' is a \(model.kind.displayName) model, not a \(kind.displayName) model")
        }
        guard model.state == "ready" else {
            throw StoreError("model '\(name)' has no checkpoint yet (training has not saved one)")
        }
        return model
    }

    /// The most recently updated ready model of `kind`, for commands whose `--model` is omitted.
    public static func latest(_ db: Database, kind: ModelKind) throws -> ModelRecord {
        guard let model = try ModelRecord
            .filter(Column("kind") == kind.rawValue && Column("state") == "ready")
            .order(Column("updated_at").desc, Column("id").desc).fetchOne(db) else {
            throw StoreError("the store has no \(kind.displayName) model yet; train one first")
        }
        return model
    }

    /// Deletes a model and, through foreign keys, everything that belongs to it.
    public static func remove(_ db: Database, name: String, kind: ModelKind) throws {
        guard let model = try ModelRecord.filter(Column("name") == name).fetchOne(db) else {
            throw StoreError("no \(kind.displayName) model named '\(name)' in the store")
        }
        guard model.kind == kind else {
            throw StoreError("model '\(name)' is a \(model.kind.displayName) model, not a \(kind.displayName) model")
        }
        _ = try model.delete(db)
    }
}

// MARK: Store-level conveniences (for tools that do not import GRDB)

extension Store {
    public func modelExists(_ name: String) throws -> Bool {
        try modelKind(name) != nil
    }

    /// The kind of model `name`, or nil when the store has none of that name.
    public func modelKind(_ name: String) throws -> ModelKind? {
        try read { try ModelRecord.filter(Column("name") == name).fetchOne($0)?.kind }
    }
}
