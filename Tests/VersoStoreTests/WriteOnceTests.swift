// Large word-vector models reach the file once (a rollback journal, not the WAL) and read back whole.
import Foundation
import GRDB
import Testing
@testable import VersoStore

@Suite struct WriteOnceTests {
    static func bigModel(_ name: String) throws -> (NewModel, WordVectors) {
        let dim = 256, rows = Store.writeOnceBytes / (dim * 4) + 1
        var model = try newModel(name, .w2v)
        model.tokens = (0..<rows).map { "w\($0)" }
        model.counts = (0..<rows).map { rows - $0 }
        var unit = [Float](repeating: 0.5, count: rows * dim)
        for k in 0..<dim { unit[(rows - 1) * dim + k] = Float(k) / Float(dim) }  // the row read back
        return (model, WordVectors(dim: dim, unit: unit, norms: [Float](repeating: 1, count: rows)))
    }

    static func walBytes(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? Int) ?? 0
    }

    /// Alone on the store, the rows skip the WAL (it stays small) and the store is back in WAL mode
    /// after; with another connection open, the same write goes through the WAL. Both read back.
    @Test func largeVectorsSkipTheWALUnlessTheStoreIsShared() throws {
        let path = temporaryStorePath()
        let store = try Store(path: path)
        let (model, vectors) = try Self.bigModel("big")
        try store.createModel(model, contents: ModelContents(wordVectors: vectors), replacing: false)
        #expect(Self.walBytes(path) < 1 << 20)
        #expect(try store.readDatabase { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")

        let other = try DatabaseQueue(path: path)  // another process's connection, say
        _ = try other.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM models") }
        var second = model
        second.name = "big2"
        try store.createModel(second, contents: ModelContents(wordVectors: vectors), replacing: false)
        #expect(Self.walBytes(path) > Store.writeOnceBytes)

        let dim = vectors.dim, last = model.tokens.count - 1
        for name in ["big", "big2"] {
            let (row, rows) = try store.read { reader in
                let stored = try reader.model(named: name, kind: .w2v)
                return (try reader.wordRow("w\(last)", of: stored), try reader.vocabulary(of: stored).tokens.count)
            }
            #expect(row?.unit == Array(vectors.unit[(last * dim)..<((last + 1) * dim)]))
            #expect(rows == model.tokens.count)
        }
        #expect(try other.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
    }

    /// A write-once transaction killed midway leaves the file half-changed and a hot journal. A
    /// query opening the store (read-only) must still answer, with the store as it was: the files
    /// copied in mid-transaction are that crash.
    @Test func aQueryPlaysBackTheJournalOfAKilledWrite() throws {
        let path = temporaryStorePath(), crash = temporaryStorePath()
        do {
            let store = try Store(path: path)
            try store.createModel(try newModel("kept", .w2v), contents: ModelContents(), replacing: false)
        }  // its connections close here, so the store may leave WAL
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE") == "delete")
            try db.execute(sql: "PRAGMA cache_size = 8")  // a small cache spills to the file mid-transaction
            try db.execute(sql: "BEGIN IMMEDIATE")
            try db.execute(sql: "DELETE FROM models")
            try db.execute(sql: "CREATE TABLE junk (x BLOB)")
            for _ in 0..<64 { try db.execute(sql: "INSERT INTO junk VALUES (zeroblob(50000))") }
            let fm = FileManager.default
            try fm.createDirectory(
                atPath: (crash as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try fm.copyItem(atPath: path, toPath: crash)
            try fm.copyItem(atPath: path + "-journal", toPath: crash + "-journal")
            try db.execute(sql: "ROLLBACK")
        }
        let reader = try Store(path: crash, forReading: true)
        #expect(try reader.summaries(of: .w2v).map(\.name) == ["kept"])
        #expect(try reader.readDatabase { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
    }
}
