// A store written by Verso 0.1 (schema v1, made by the previous main's binaries) opens and migrates.
import Foundation
import GRDB
import Testing
@testable import VersoStore

/// A copy of the v1 fixture (a char-RNN with a compare table, a word2vec model and two Markov
/// models, written by the commit before schema v2), so the test never changes the original.
func copyOfVersion1Store() throws -> String {
    let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/store-v1.sqlite").path
    let path = temporaryStorePath()
    try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent,
        withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: fixture, toPath: path)
    return path
}

@Suite struct MigrationTests {
    @Test func aVersion1StoreMigratesWithEveryModelIntact() throws {
        let path = try copyOfVersion1Store()
        let before = try DatabaseQueue(path: path)
        let version = try before.read { try Int.fetchOne($0, sql: "PRAGMA user_version") }
        let tensorsBefore = try before.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM tensors") ?? 0 }
        let (w2vTensors, rawBefore) = try before.read { db in
            let id = try #require(try Int64.fetchOne(db, sql: "SELECT id FROM models WHERE kind = 'w2v'"))
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tensors WHERE model_id = ?", arguments: [id])
            return (count ?? 0, try TensorStore.load(db, modelID: id, name: "vectors"))
        }
        try before.close()
        #expect(version == 1)

        let store = try Store(path: path)
        let columns = try store.readDatabase { db in
            (try db.columns(in: "models").map(\.name), try db.columns(in: "checkpoints").map(\.name))
        }
        #expect(!columns.0.contains("state"))
        #expect(columns.1.contains("resume_state") && !columns.1.contains("rng_state"))
        #expect(try store.readDatabase { try Int.fetchOne($0, sql: "PRAGMA user_version") } == Schema.version)

        #expect(try store.summaries(of: .charnn).map(\.name) == ["c"])
        #expect(try store.summaries(of: .w2v).map(\.name) == ["w"])
        #expect(try store.summaries(of: .markov).map(\.name) == ["m", "mw"])
        try store.read { reader in
            let charnn = try reader.model(named: "c", kind: .charnn)
            let latest = try reader.checkpoint(.latest, of: charnn)
            #expect(latest.step == 4)
            #expect(latest.resumeState?.count == 16)  // RNG and optimiser step survive
            #expect(try reader.checkpoint(.best, of: charnn).resumeState == nil)
            #expect(try reader.tensor("optimizer.first", of: charnn, at: .latest).values.count > 0)
            // The compare table moved from `tensors` to `artifacts`, byte for byte a JSON array.
            let table = try #require(try reader.artifact("compare.json", of: charnn))
            #expect(table.first == UInt8(ascii: "["))
            #expect(try reader.blob("compare.json", of: charnn) == nil)
            // The word vectors moved from two tensors into their vocabulary rows (unit row, norm).
            let w2v = try reader.model(named: "w", kind: .w2v)
            var unit = UnsafeMutablePointer<Float>.allocate(capacity: 0)
            defer { unit.deallocate() }
            let rows = try reader.unitMatrix(of: w2v, dim: 8) { rows in
                unit.deallocate()
                unit = .allocate(capacity: rows * 8)
                return unit
            }
            let norms = try reader.vectorNorms(of: w2v)
            #expect(rows == rawBefore.shape[0] && norms.count == rows)
            for i in 0..<rows * 8 {
                #expect(abs(unit[i] * norms[i / 8] - rawBefore.values[i]) <= 1e-6 * max(1, abs(rawBefore.values[i])))
            }
        }
        let tensorsAfter = try store.readDatabase { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM tensors") ?? 0 }
        #expect(tensorsAfter == tensorsBefore - 1 - w2vTensors)
        #expect(try store.readDatabase { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
    }

    @Test func aMigratedStoreReopensWithoutMigratingAgain() throws {
        let path = try copyOfVersion1Store()
        _ = try Store(path: path)
        let again = try Store(path: path)
        #expect(try again.summaries(of: .markov).count == 2)
    }
}

/// Query commands open the store `forReading`: one read-only connection that never writes.
@Suite struct ReadingOpenTests {
    @Test func anOldStoreOpenedForReadingIsMigratedFirst() throws {
        let path = try copyOfVersion1Store()
        let store = try Store(path: path, forReading: true)
        #expect(!store.isReadOnly)  // it had to be the writer, to migrate
        #expect(try store.readDatabase { try Int.fetchOne($0, sql: "PRAGMA user_version") } == Schema.version)
        let reader = try Store(path: path, forReading: true)
        #expect(reader.isReadOnly)
        #expect(try reader.summaries(of: .markov).count == 2)
        #expect(throws: StoreError.self) { try reader.removeModel(named: "unused", kind: .markov) }
    }

    /// GRDB's pool writes a transaction into an empty WAL when it opens; a reader must not, or every
    /// query would wait behind a trainer's write lock (and fail after the 10 s busy timeout).
    @Test func aReaderOpensWhileAWriterHoldsTheLock() throws {
        let path = try copyOfVersion1Store()
        _ = try Store(path: path)
        let writer = try DatabaseQueue(path: path)
        try writer.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        // A writer holds the lock on another thread (a trainer's long transaction) until `done`.
        let locked = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? writer.write { db in
                try db.execute(sql: "UPDATE models SET name = name || '-renamed'")
                locked.signal()
                done.wait()
                throw CancellationError()  // rolls the renames back
            }
            finished.signal()
        }
        locked.wait()
        defer {
            done.signal()
            finished.wait()
        }
        var config = Configuration()
        config.busyMode = .immediateError
        let probe = try DatabaseQueue(path: path, configuration: config)
        #expect(throws: DatabaseError.self) { try probe.write { try $0.execute(sql: "DELETE FROM metrics") } }
        let reader = try Store(path: path, forReading: true)
        #expect(reader.isReadOnly)
        // The last committed state: the writer's renames are not visible.
        #expect(try reader.summaries(of: .markov).allSatisfy { !$0.name.hasSuffix("-renamed") })
    }
}
