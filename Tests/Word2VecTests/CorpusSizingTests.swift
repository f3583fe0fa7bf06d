// Epochs and window chosen from the corpus's size when a run leaves them open.
import Foundation
import Testing
import VersoStore
import VersoText
@testable import Word2Vec

@Suite struct CorpusSizingTests {
    @Test func epochsAimAtFiftyMillionWordsBetweenFiveAndTwenty() {
        #expect(W2VConfig.epochs(forCorpusWords: 1) == 20)
        #expect(W2VConfig.epochs(forCorpusWords: 2_000_000) == 20)  // 25, capped
        #expect(W2VConfig.epochs(forCorpusWords: 5_021_393) == 10)  // the shipped novels
        #expect(W2VConfig.epochs(forCorpusWords: 8_000_000) == 6)  // 6.25, rounded
        #expect(W2VConfig.epochs(forCorpusWords: 20_000_000) == 5)
        #expect(W2VConfig.epochs(forCorpusWords: 2_000_000_000) == 5)
        #expect(W2VConfig.window(forCorpusWords: 19_999_999) == 10)
        #expect(W2VConfig.window(forCorpusWords: 20_000_000) == 5)
    }

    @Test func minCountIsTenFromOneToTwentyMillionWords() {
        #expect(W2VConfig.minCount(forCorpusWords: 999_999) == 5)
        #expect(W2VConfig.minCount(forCorpusWords: 1_000_000) == 10)
        #expect(W2VConfig.minCount(forCorpusWords: 5_021_393) == 10)
        #expect(W2VConfig.minCount(forCorpusWords: 19_999_999) == 10)
        #expect(W2VConfig.minCount(forCorpusWords: 20_000_000) == 5)
    }

    @Test func onlyTheSettingsLeftOpenAreChosen() {
        var given = W2VConfig()
        given.epochs = 3
        given.window = 2
        given.minCount = 3
        let all = given.sized(toCorpusWords: 2_000_000, choosing: .all)
        #expect(all.epochs == 20 && all.window == 10 && all.minCount == 10)
        let epochs = given.sized(toCorpusWords: 2_000_000, choosing: .epochs)
        #expect(epochs.epochs == 20 && epochs.window == 2 && epochs.minCount == 3)
        #expect(given.sized(toCorpusWords: 1000, choosing: []) == given)
    }

    /// The run trains and stores the chosen settings, and reports them.
    @Test func aRunKeepsWhatItChose() throws {
        let dir = NSTemporaryDirectory() + "verso-sizing-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try Store(path: dir + "/store.sqlite")
        var config = plantedConfig()
        config.epochs = 1
        let run = try W2VTraining.run(
            store: store, name: "v", text: Corpus([try plantedCorpus()]), config: config, replacing: false,
            sizing: .window)
        #expect(run.config.window == 10 && run.config.epochs == 1)
        let stored = try W2VModelStore.load(store: store, name: "v").config
        #expect(stored.window == 10 && stored.epochs == 1)
    }
}
