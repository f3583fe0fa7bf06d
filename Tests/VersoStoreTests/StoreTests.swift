// The store: migrations from empty, bit-exact tensors, refusals of newer schemas and non-SQLite files.
import Foundation
import GRDB
import Testing
@testable import VersoStore
import VersoText

func temporaryStorePath() -> String {
    NSTemporaryDirectory() + "verso-store-\(UUID().uuidString)/verso.sqlite"
}

@Suite struct StoreTests {
    @Test func migratesAnEmptyStore() throws {
        let store = try Store(path: temporaryStorePath())
        let (tables, version) = try store.readDatabase { db in
            (
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"),
                try Int.fetchOne(db, sql: "PRAGMA user_version")
            )
        }
        for t in ["checkpoints", "metrics", "models", "tensor_chunks", "tensors", "vocab"] {
            #expect(tables.contains(t))
        }
        #expect(version == Schema.version)
        let mode = try store.readDatabase { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    @Test func tensorRoundTripIsBitExact() throws {
        let store = try Store(path: temporaryStorePath())
        var rng = SystemRandomNumberGenerator()
        // More values than one chunk holds, including subnormals, signed zero and extremes.
        var values = (0..<(TensorStore.chunkBytes / 4 + 1234)).map { _ in
            Float(bitPattern: UInt32.random(in: 0..<0x7F00_0000, using: &rng))
        }
        values[0] = -0.0
        values[1] = .leastNonzeroMagnitude
        values[2] = .greatestFiniteMagnitude
        let tensor = Tensor(
            name: "W", shape: [values.count / 2, 2], values: Array(values.prefix(values.count / 2 * 2)))
        try store.createModel(try newModel("m", .w2v), contents: ModelContents(tensors: [tensor]), replacing: false)
        let back = try store.read { try $0.tensor("W", of: try $0.model(named: "m", kind: .w2v)) }
        #expect(back.shape == tensor.shape)
        #expect(back.values.map(\.bitPattern) == tensor.values.map(\.bitPattern))
    }

    /// The training text a model keeps comes back as it went in (zlib-compressed in between,
    /// whole or a piece at a time as a trainer reads it: pieces cut inside characters, too).
    @Test(arguments: [0, 1, 7, 65_536])
    func trainingTextRoundTrips(piece: Int) throws {
        let store = try Store(path: temporaryStorePath())
        let text = (0..<5000).map { "línea \($0): el niño y la canción 🎵\n" }.joined()
        var model = try newModel("m", .markov)
        if piece == 0 {
            model.trainingText = try TrainingText.compress(text)
        } else {
            let writer = try TrainingText.Writer()
            let bytes = Array(text.utf8)
            for start in stride(from: 0, to: bytes.count, by: piece) {
                try bytes[start..<min(start + piece, bytes.count)].withUnsafeBytes { try writer.append($0) }
            }
            model.trainingText = try writer.finish()
        }
        try store.createModel(model, contents: ModelContents(), replacing: false)
        try store.createModel(try newModel("old", .markov), contents: ModelContents(), replacing: false)
        let (back, none, stored) = try store.read { r in
            (
                try r.trainingText(of: try r.model(named: "m", kind: .markov)),
                try r.trainingText(of: try r.model(named: "old", kind: .markov)),
                try r.artifact("training-text", of: try r.model(named: "m", kind: .markov))?.count ?? 0
            )
        }
        #expect(back == text)
        #expect(none == nil)
        #expect(stored < text.utf8.count / 10)  // compressed
        #expect(throws: StoreError.self) { _ = try TrainingText.decompress([1, 0, 0, 0, 0, 0, 0, 0, 42]) }
    }

    @Test func nonFiniteTensorsNeverReachTheStore() throws {
        let store = try Store(path: temporaryStorePath())
        #expect(throws: StoreError.self) {
            let bad = ModelContents(tensors: [Tensor(name: "v", shape: [2], values: [1, .nan])])
            try store.createModel(try newModel("m", .w2v), contents: bad, replacing: false)
        }
        #expect(try store.readDatabase { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM models") } == 0)  // rolled back
    }

    @Test(arguments: [(Float.nan, Float(1)), (1, .infinity)])
    func nonFiniteWordVectorsNeverReachTheStore(value: Float, norm: Float) throws {
        let store = try Store(path: temporaryStorePath())
        var model = try newModel("w", .w2v)
        model.tokens = ["a", "b"]
        model.counts = [2, 1]
        let vectors = WordVectors(dim: 2, unit: [1, 0, 0, value], norms: [1, norm])
        #expect(throws: StoreError.self) {
            try store.createModel(model, contents: ModelContents(wordVectors: vectors), replacing: false)
        }
        #expect(try store.readDatabase { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM models") } == 0)
    }

    @Test func refusesAStoreFromANewerSchema() throws {
        let path = temporaryStorePath()
        _ = try Store(path: path)
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "PRAGMA user_version = 99") }
        try queue.close()
        #expect(throws: StoreError.self) { _ = try Store(path: path) }
        let after = try DatabaseQueue(path: path)
        #expect(try after.read { try Int.fetchOne($0, sql: "PRAGMA user_version") } == 99)  // unchanged
    }

    @Test func refusesANewerMigration() throws {
        let path = temporaryStorePath()
        _ = try Store(path: path)
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v999')") }
        try queue.close()
        #expect(throws: StoreError.self) { _ = try Store(path: path) }
    }

    @Test func refusesANonSQLiteFileWithoutTouchingIt() throws {
        let path = temporaryStorePath()
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let bytes = Data("this is a poem, not a database\n".utf8)
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(throws: StoreError("\(path) is not a Verso store: not an SQLite database")) {
            _ = try Store(path: path)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func wrongKindAndUnknownNamesAreOneLineErrors() throws {
        let store = try Store(path: temporaryStorePath())
        try store.createModel(try newModel("poetry", .charnn), contents: ModelContents(), replacing: false)
        #expect(throws: StoreError("model 'poetry' is a char-RNN model, not a word2vec model")) {
            try store.read { _ = try $0.model(named: "poetry", kind: .w2v) }
        }
        #expect(throws: StoreError("no word2vec model named 'nope' in the store")) {
            try store.read { _ = try $0.model(named: "nope", kind: .w2v) }
        }
    }

    /// Names are checked before any training: another kind's name is refused even with --force,
    /// the same kind's only without it; replacing keeps one model of the name.
    @Test func namesAreCheckedAcrossKindsBeforeTraining() throws {
        let store = try Store(path: temporaryStorePath())
        try store.createModel(try newModel("poetry", .charnn), contents: ModelContents(), replacing: false)
        #expect(throws: StoreError("model 'poetry' is a char-RNN model", advice: .anotherName(kind: "word2vec"))) {
            try store.checkNameAvailable("poetry", for: .w2v, replacing: true)
        }
        #expect(throws: StoreError("a char-RNN model named 'poetry' already exists", advice: .renameOrReplace)) {
            try store.checkNameAvailable("poetry", for: .charnn, replacing: false)
        }
        try store.checkNameAvailable("poetry", for: .charnn, replacing: true)
        try store.checkNameAvailable("other", for: .markov, replacing: false)
        #expect(throws: StoreError.self) {
            try store.createModel(try newModel("poetry", .w2v), contents: ModelContents(), replacing: true)
        }
        try store.createModel(try newModel("poetry", .charnn), contents: ModelContents(), replacing: true)
        #expect(try store.summaries(of: .charnn).map(\.name) == ["poetry"])
    }

    @Test func defaultLocationFollowsTheEnvironment() {
        #expect(Store.defaultPath(environment: ["VERSO_STORE": "/a/b.sqlite", "HOME": "/h"]) == "/a/b.sqlite")
        #expect(Store.defaultPath(environment: ["XDG_DATA_HOME": "/x", "HOME": "/h"]) == "/x/verso/verso.sqlite")
        #expect(Store.defaultPath(environment: ["HOME": "/h"]) == "/h/.local/share/verso/verso.sqlite")
    }
}

func newModel(_ name: String, _ kind: ModelKind) throws -> NewModel {
    try NewModel(
        name: name, kind: kind, config: ["dim": 2], corpus: CorpusInfo(path: "/x", sha256: "", bytes: 0),
        tokens: ["a"], counts: [1])
}
