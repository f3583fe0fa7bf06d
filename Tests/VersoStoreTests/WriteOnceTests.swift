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
}
