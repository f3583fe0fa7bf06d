// word2phrase's phrases: the score against a hand count, the greedy join, a second pass's trigrams,
// the store round trip, and training and queries on the joined tokens.
import Foundation
import Testing
import VersoStore
import VersoText
@testable import Word2Vec

@Suite struct PhraseTests {
    /// 20 lines "nueva york city" and 200 words seen once (20 lines of 10): N = 260.
    static func corpusFile() throws -> String {
        var lines = Array(repeating: "nueva york city", count: 20)
        for l in 0..<20 { lines.append((0..<10).map { "f\(l * 10 + $0)" }.joined(separator: " ")) }
        let path = NSTemporaryDirectory() + "verso-phrases-\(UUID().uuidString).txt"
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static var config: PhraseConfig {
        var c = PhraseConfig()
        c.threshold = 4  // pass 1 at 8, pass 2 at 4
        return c
    }

    @Test func scoresMatchAHandCountAndASecondPassFindsTrigrams() throws {
        let path = try Self.corpusFile()
        defer { unlink(path) }
        let corpus = try EncodedCorpus(Corpus([path]), options: .init())
        let table = PhraseLearner.learn(corpus, config: Self.config)
        // Pass 1: (count(ab) − δ) / (count(a) · count(b)) × N = (20 − 5) / (20 · 20) × 260 = 9.75 > 8.
        #expect(Set(table.passes[0].map(\.joined)) == ["nueva_york", "york_city"])
        #expect(table.passes[0].allSatisfy { abs($0.score - 9.75) < 1e-12 && $0.count == 20 })
        // "nueva york city" joins left to right: nueva_york, then city (york is taken). Pass 2 sees
        // N = 240: (20 − 5) / (20 · 20) × 240 = 9 > 4.
        #expect(table.passes[1] == [Phrase(left: "nueva_york", right: "city", count: 20, score: 9)])
        let joined = try PhraseLearner.join(corpus, table: table)
        let counts = joined.counts
        #expect(counts["nueva_york_city"] == 20 && (counts["nueva"] ?? 0) == 0 && (counts["york_city"] ?? 0) == 0)
        #expect(joined.tokenCount == 220)
        // Filler words seen once never pair: they are under the minimum count.
        #expect(table.passes.joined().allSatisfy { !$0.left.hasPrefix("f") })
    }

    @Test func aHighThresholdOrMinimumCountFindsNothing() throws {
        let path = try Self.corpusFile()
        defer { unlink(path) }
        let corpus = try EncodedCorpus(Corpus([path]), options: .init())
        var strict = Self.config
        strict.threshold = 5  // pass 1 at 10 > 9.75
        #expect(PhraseLearner.learn(corpus, config: strict).passes[0].isEmpty)
        var rare = Self.config
        rare.minCount = 21
        #expect(PhraseLearner.learn(corpus, config: rare).passes.allSatisfy { $0.isEmpty })
        var none = Self.config
        none.passes = 0
        #expect(throws: PhraseError.self) { try none.validate() }
    }

    @Test func storedPhrasesTrainAndAnswerQueriesWithSpaces() throws {
        let path = try Self.corpusFile()
        let dir = NSTemporaryDirectory() + "verso-phrases-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer {
            unlink(path)
            try? FileManager.default.removeItem(atPath: dir)
        }
        let store = try Store(path: dir + "/store.sqlite")
        let summary = try PhraseModels.learn(
            store: store, name: "fr", text: Corpus([path]), config: Self.config, replacing: false, threads: 1)
        #expect(summary.phrasesPerPass == [2, 1] && summary.words == 260)
        let loaded = try PhraseModels.load(store: store, name: "fr")
        #expect(loaded.config == Self.config)
        let again = PhraseLearner.learn(try EncodedCorpus(Corpus([path]), options: .init()), config: Self.config)
        #expect(loaded.table == again)
        var config = plantedConfig()
        config.phrases = "fr"
        _ = try W2VTraining.run(store: store, name: "v", text: Corpus([path]), config: config, replacing: false)
        let model = try W2VModelStore.load(store: store, name: "v")
        #expect(model.embeddings.words.contains("nueva_york_city") && !model.embeddings.words.contains("nueva"))
        let words = try QueryWords(config: model.config)
        #expect(try words.normalize("Nueva  York city") == "nueva_york_city")
        #expect(try words.normalize("nueva_york_city") == "nueva_york_city")
        #expect(try QueryWords(config: plantedConfig()).normalize("Nueva York") == "nueva york")
        // A phrase model learned folding case does not join a corpus read keeping it.
        config.keepCase = true
        #expect(throws: W2VTrainingError.self) {
            try W2VTraining.run(store: store, name: "w", text: Corpus([path]), config: config, replacing: false)
        }
    }
}
