// What a store refuses and gives back: model names, queries on a store that does not exist,
// a write stopped halfway, and the space of a removed model.
import Foundation
import Testing
@testable import VersoStore

@Suite struct SpaceAndNamesTests {
    func model(_ name: String) throws -> NewModel {
        try NewModel(
            name: name, kind: .markov, config: ["order": 2], corpus: CorpusInfo(path: "/x", sha256: "", bytes: 0),
            tokens: ["a", "b"], counts: [1, 1])
    }

    /// 8 MB of floats that do not compress (the store would keep them as they are anyway).
    func bigTensor() -> Tensor {
        var x: UInt32 = 12345
        let values = (0..<2_000_000).map { _ -> Float in
            x = x &* 1_664_525 &+ 1_013_904_223
            return Float(x >> 8)
        }
        return Tensor(name: "big", shape: [values.count], values: values)
    }

    @Test func namesHaveOneTo128CharactersAndNoControlCharacters() throws {
        for bad in ["", "two\nlines", "esc\u{1B}[31m", "tab\there", String(repeating: "n", count: 129)] {
            #expect(throws: StoreError.self, "\(bad.debugDescription)") { try model(bad) }
        }
        for good in ["a", "poemas-ñ", "名前", String(repeating: "n", count: 128), "with space"] {
            #expect(try model(good).name == good)
        }
        #expect(ModelName.printable("a\nb\u{1B}") == "a\\nb\\u{1B}")
        #expect(ModelName.printable("plain") == "plain")
    }

    @Test func aQueryOnAMissingStoreSaysSoAndCreatesNothing() throws {
        let path = temporaryStorePath()
        let error = try #require(throws: StoreError.self) { try Store(path: path, forReading: true) }
        #expect(error.description.contains("no store at \(path)"))
        #expect(throws: StoreError.self) { try Store(path: path, serving: true) }
        #expect(throws: StoreError.self) { try Store.requireExisting(path) }
        #expect(!FileManager.default.fileExists(atPath: path))
        _ = try Store(path: path)  // a writer creates it
        #expect(FileManager.default.fileExists(atPath: path))
        try Store.requireExisting(path)
    }

    @Test func aWriteStoppedHalfwayLeavesTheStoreAsItWas() throws {
        let store = try Store(path: temporaryStorePath())
        try store.createModel(try model("kept"), contents: ModelContents(), replacing: false)
        let stopped = StopRequest { 2 }
        let interrupted = try #require(throws: Interrupted.self) {
            try store.createModel(
                try model("kept"), contents: ModelContents(tensors: [bigTensor()]), replacing: true, stop: stopped)
        }
        #expect(interrupted.exitStatus == 130 && interrupted.kept == "nothing was written")
        let kept = try store.read { try $0.model(named: "kept", kind: .markov) }
        #expect(throws: (any Error).self) { try store.read { try $0.tensor("big", of: kept) } }
    }

    @Test func removingAModelGivesItsSpaceBackToTheDisk() throws {
        let store = try Store(path: temporaryStorePath())
        try store.createModel(try model("small"), contents: ModelContents(), replacing: false)
        let empty = store.bytesOnDisk()
        try store.createModel(try model("big"), contents: ModelContents(tensors: [bigTensor()]), replacing: false)
        #expect(store.bytesOnDisk() > empty + 7_000_000)
        let givenBack = try store.removeModel(named: "big", kind: .markov)
        #expect(givenBack > 7_000_000)
        #expect(store.bytesOnDisk() < empty + 1_000_000)
        #expect(try store.freeBytes() < 1_000_000)
        // A store made without auto-vacuum keeps the pages until it is compacted.
        let old = try Store(path: temporaryStorePath())
        try old.database.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA auto_vacuum = NONE")
            try db.execute(sql: "VACUUM")
        }
        try old.createModel(try model("big"), contents: ModelContents(tensors: [bigTensor()]), replacing: false)
        try old.removeModel(named: "big", kind: .markov)
        #expect(try old.freeBytes() > 7_000_000)
        let (before, after) = try old.compact()
        #expect(after < before - 7_000_000)
        #expect(try old.freeBytes() < 100_000)
    }
}
