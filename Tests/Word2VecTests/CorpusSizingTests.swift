// Epochs and window chosen from the corpus's size when a run leaves them open.
import Foundation
import Testing
import VersoStore
import VersoText
@testable import Word2Vec

@Suite struct CorpusSizingTests {
    @Test func epochsAimAtAHundredMillionWordsBetweenFiveAndTwenty() {
        #expect(W2VConfig.epochs(forCorpusWords: 1) == 20)
        #expect(W2VConfig.epochs(forCorpusWords: 5_021_393) == 20)  // the shipped novels
        #expect(W2VConfig.epochs(forCorpusWords: 8_000_000) == 13)  // 12.5, rounded
        #expect(W2VConfig.epochs(forCorpusWords: 20_000_000) == 5)
        #expect(W2VConfig.epochs(forCorpusWords: 2_000_000_000) == 5)
        #expect(W2VConfig.window(forCorpusWords: 19_999_999) == 10)
        #expect(W2VConfig.window(forCorpusWords: 20_000_000) == 5)
    }

    @Test func onlyTheSettingsLeftOpenAreChosen() {
        var given = W2VConfig()
        given.epochs = 3
        given.window = 2
        let both = given.sized(toCorpusWords: 1000, choosing: [.epochs, .window])
        #expect(both.epochs == 20 && both.window == 10)
        let epochs = given.sized(toCorpusWords: 1000, choosing: .epochs)
        #expect(epochs.epochs == 20 && epochs.window == 2)
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
