// Growing a trained model with new text: fresh rows for new words, old rows going on, the old model kept.
import Foundation
import Testing
import VersoRandom
import VersoStore
import VersoText
@testable import Word2Vec

@Suite struct UpdateTests {
    /// New text about birds, which also names the old animals but never the fruits.
    func birdText() throws -> String {
        var rng = SplitMix64(seed: 9)
        let birds = ["owl", "crow", "wren"], animals = ["cat", "dog"]
        let lines = (0..<800).map { _ in
            "the \(birds[Int(rng.next() % 3)]) sees the \(animals[Int(rng.next() % 2)])"
        }
        let path = NSTemporaryDirectory() + "verso-birds-\(UUID().uuidString).txt"
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func unitRow(_ model: W2VModel, _ word: String) throws -> [Float] {
        let id = Int(try #require(model.embeddings.id(word)))
        let d = model.embeddings.dim
        return Array(UnsafeBufferPointer(start: model.embeddings.normalized.p + id * d, count: d))
    }

    @Test func newWordsJoinOldRowsGoOnAndTheOldModelIsKept() throws {
        let store = try Store(path: NSTemporaryDirectory() + "verso-update-\(UUID().uuidString).sqlite")
        let old = try Corpus([try plantedCorpus()])
        _ = try W2VTraining.run(store: store, name: "m", text: old, config: plantedConfig(), replacing: false)
        let before = try W2VModelStore.load(store: store, name: "m")
        let birds = try birdText()
        let grown = try W2VTraining.update(
            store: store, name: "m", text: try Corpus([birds]), threads: 1, keepingPreviousAs: "m@before")
        #expect(Set(grown.newWords) == ["owl", "crow", "wren", "sees"])
        #expect(grown.outputsKept && grown.indexRebuilt == nil)
        let after = try W2VModelStore.load(store: store, name: "m")
        let kept = try W2VModelStore.load(store: store, name: "m@before")
        #expect(kept.embeddings.words == before.embeddings.words)
        // Counts add up; the vocabulary stays most frequent first.
        let count = { (m: W2VModel, w: String) in m.embeddings.counts[Int(m.embeddings.id(w)!)] }
        #expect(count(after, "cat") == count(before, "cat") + (try String(contentsOfFile: birds, encoding: .utf8))
            .split(whereSeparator: { $0 == " " || $0 == "\n" }).filter { $0 == "cat" }.count)
        #expect(after.embeddings.counts == after.embeddings.counts.sorted(by: >))
        // A word the new text never names keeps its row bit for bit; a word it names moves.
        let moved = { (w: String) in zip(try unitRow(after, w), try unitRow(before, w)).map { abs($0 - $1) }.max()! }
        #expect(try moved("plum") < 1e-6)  // (norm × unit row, normalised again: a last bit may differ)
        #expect(try moved("cat") > 1e-3)
        // Every file either training read is recorded.
        #expect(after.record.corpus.members.map(\.path) == [old.members[0].path, birds].map(CorpusInfo.absolute))
        // The same update again, on a copy of the old model, gives the same bits.
        let again = try Store(path: NSTemporaryDirectory() + "verso-update-\(UUID().uuidString).sqlite")
        _ = try W2VTraining.run(store: again, name: "m", text: try Corpus([try plantedCorpus()]),
                                config: plantedConfig(), replacing: false)
        _ = try W2VTraining.update(store: again, name: "m", text: try Corpus([birds]), threads: 1)
        let twin = try W2VModelStore.load(store: again, name: "m")
        #expect(try unitRow(twin, "owl").map(\.bitPattern) == unitRow(after, "owl").map(\.bitPattern))
        #expect(try again.kindOfModel(named: "m@before") == nil)
    }

    /// Before any training, the trainer set up from an old model gives back every old word's
    /// vector: a word model's rows as stored, a subword model's own rows recovered from its means.
    @Test func theStartIsTheOldModel() throws {
        for subword in [nil, SubwordConfig(minn: 2, maxn: 4, bucket: 500)] {
            let store = try Store(path: NSTemporaryDirectory() + "verso-update-\(UUID().uuidString).sqlite")
            var config = plantedConfig()
            config.subword = subword
            _ = try W2VTraining.run(
                store: store, name: "m", text: try Corpus([try plantedCorpus()]), config: config, replacing: false)
            let old = try W2VModelStore.load(store: store, name: "m")
            let raw = W2VModelStore.rawVectors(old, norms: try store.read { try $0.vectorNorms(of: old.record) })
            let corpus = try EncodedCorpus(Corpus([try birdText()]), options: .init())
            var counts = corpus.counts
            for (w, c) in zip(old.embeddings.words, old.embeddings.counts) { counts[w, default: 0] += c }
            let vocabulary = W2VVocabulary.build(counts: counts, minCount: 1, maxVocab: nil)
            let trainer = W2VTrainer(
                config: config, corpus: corpus, vocabulary: vocabulary,
                subwords: subword.map { SubwordRows(words: vocabulary.words, config: $0) })
            W2VTraining.startFrom(
                trainer, oldWords: old.embeddings.words, raw: raw, outputs: nil,
                oldSubwords: try W2VModelStore.subwords(store: store, model: old))
            let vectors = trainer.vectors, d = config.dim
            for (j, word) in old.embeddings.words.enumerated() {
                let i = Int(vocabulary.index[word]!)
                for k in 0..<d { #expect(abs(vectors[i * d + k] - raw[j * d + k]) < 1e-5) }
            }
        }
    }

    /// A then B grown, against A and B trained together: the same vocabulary in the same order,
    /// with the same counts.
    @Test func growingCountsAsTrainingOnBothWould() throws {
        let store = try Store(path: NSTemporaryDirectory() + "verso-update-\(UUID().uuidString).sqlite")
        let a = try plantedCorpus(), b = try birdText()
        var config = plantedConfig()
        config.minCount = 3
        _ = try W2VTraining.run(store: store, name: "grown", text: try Corpus([a]), config: config, replacing: false)
        _ = try W2VTraining.update(store: store, name: "grown", text: try Corpus([b]), threads: 1)
        _ = try W2VTraining.run(store: store, name: "both", text: try Corpus([a, b]), config: config, replacing: false)
        let grown = try W2VModelStore.load(store: store, name: "grown")
        let both = try W2VModelStore.load(store: store, name: "both")
        #expect(grown.embeddings.words == both.embeddings.words)
        #expect(grown.embeddings.counts == both.embeddings.counts)
    }

    @Test func anUpdateWithNothingToLearnIsOneErrorAndWritesNothing() throws {
        let store = try Store(path: NSTemporaryDirectory() + "verso-update-\(UUID().uuidString).sqlite")
        var config = plantedConfig()
        config.minCount = 50
        _ = try W2VTraining.run(
            store: store, name: "m", text: try Corpus([try plantedCorpus()]), config: config, replacing: false)
        let path = NSTemporaryDirectory() + "verso-rare-\(UUID().uuidString).txt"
        try "zebra yak".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: W2VTrainingError.self) {
            try W2VTraining.update(
                store: store, name: "m", text: try Corpus([path]), threads: 1, keepingPreviousAs: "m@b")
        }
        #expect(try store.kindOfModel(named: "m@b") == nil)
    }
}
