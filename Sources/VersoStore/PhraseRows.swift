// A phrase model's table (w2v phrases): each learned pair with its pass, count and score.
import GRDB

/// A pair of tokens a phrase pass joins ("nueva" + "york" → "nueva_york"), with the count and the
/// score it was learned with.
public struct Phrase: Sendable, Equatable, Codable {
    public var left: String
    public var right: String
    public var count: Int
    public var score: Double

    public init(left: String, right: String, count: Int, score: Double) {
        (self.left, self.right, self.count, self.score) = (left, right, count, score)
    }
}

enum PhraseTableRows {
    static func create(_ db: Database) throws {
        try db.create(table: "phrase_rows", options: [.withoutRowID]) { t in
            t.column("model_id", .integer).notNull().references("models", onDelete: .cascade)
            t.column("pass", .integer).notNull()
            t.column("left", .text).notNull()
            t.column("right", .text).notNull()
            t.column("count", .integer).notNull()
            t.column("score", .double).notNull()
            t.primaryKey(["model_id", "pass", "left", "right"])
        }
    }

    static func save(_ db: Database, modelID: Int64, _ passes: [[Phrase]], stop: StopRequest) throws {
        try db.execute(sql: "DELETE FROM phrase_rows WHERE model_id = ?", arguments: [modelID])
        let statement = try db.makeStatement(
            sql: "INSERT INTO phrase_rows (model_id, pass, left, right, count, score) VALUES (?, ?, ?, ?, ?, ?)")
        var written = 0
        for (pass, phrases) in passes.enumerated() {
            for p in phrases {
                if written % 10_000 == 0 { try stop.check() }  // rolls the transaction back
                guard p.score.isFinite else {
                    throw StoreError("refusing to store phrase '\(p.left) \(p.right)': its score is not finite")
                }
                try statement.execute(arguments: [modelID, pass, p.left, p.right, p.count, p.score])
                written += 1
            }
        }
    }

    static func all(_ db: Database, modelID: Int64) throws -> [[Phrase]] {
        var passes: [[Phrase]] = []
        let rows = try Row.fetchCursor(
            db, sql: "SELECT pass, left, right, count, score FROM phrase_rows WHERE model_id = ? ORDER BY pass",
            arguments: [modelID])
        while let row = try rows.next() {
            let pass: Int = row[0]
            guard pass >= 0 && pass < 64 else { throw StoreError("phrase row of pass \(pass) is corrupt") }
            while passes.count <= pass { passes.append([]) }
            passes[pass].append(Phrase(left: row[1], right: row[2], count: row[3], score: row[4]))
        }
        return passes
    }
}

extension ModelReader {
    /// A phrase model's pairs, pass by pass.
    public func phrases(of model: StoredModel) throws -> [[Phrase]] {
        try PhraseTableRows.all(db, modelID: model.id)
    }
}
