// Vocabulary rows (index, token, count) of a model, written and read in index order.
import GRDB

public enum VocabStore {
    public static func save(_ db: Database, modelID: Int64, tokens: [String], counts: [Int]) throws {
        precondition(tokens.count == counts.count)
        try db.execute(sql: "DELETE FROM vocab WHERE model_id = ?", arguments: [modelID])
        let statement = try db.makeStatement(sql: "INSERT INTO vocab (model_id, idx, token, count) VALUES (?, ?, ?, ?)")
        for (i, token) in tokens.enumerated() {
            try statement.execute(arguments: [modelID, i, token, counts[i]])
        }
    }

    public static func load(_ db: Database, modelID: Int64) throws -> (tokens: [String], counts: [Int]) {
        var tokens: [String] = [], counts: [Int] = []
        let rows = try Row.fetchCursor(db, sql: "SELECT token, count FROM vocab WHERE model_id = ? ORDER BY idx",
                                       arguments: [modelID])
        while let row = try rows.next() {
            tokens.append(row[0]); counts.append(row[1])
        }
        return (tokens, counts)
    }
}
