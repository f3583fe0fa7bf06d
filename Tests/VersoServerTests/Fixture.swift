// A small store for the server's tests: a char-RNN, a Markov model and two word2vec models.
import Foundation
import Markov
import Mixture
import VersoNN
import VersoRandom
import VersoStore
import VersoText
@testable import CharRNN
@testable import Word2Vec

/// The store (one per test process) and its training text's path.
struct Fixture {
    let storePath: String
    let corpusPath: String

    static let shared: Fixture = {
        do { return try make() } catch { fatalError("cannot build the server's test store: \(error)") }
    }()

    static func make() throws -> Fixture {
        let dir = NSTemporaryDirectory() + "verso-server-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let corpusPath = dir + "/rhyme.txt"
        let words = ["mar", "sol", "canción", "niño", "está", "luz"]
        let text = (0..<300).map { i in "el \(words[i % 6]) y la \(words[(i * 5 + 1) % 6])." }.joined(separator: "\n")
        try text.write(toFile: corpusPath, atomically: true, encoding: .utf8)
        let storePath = dir + "/verso.sqlite"
        let store = try Store(path: storePath)
        let corpus = try CorpusInfo.of(file: corpusPath)
        try trainCharRNN(store: store, text: text, corpus: corpus)
        let builder = MarkovModel.Builder(config: MarkovConfig(), words: false)
        builder.addCharacters(try CharacterPipeline().symbols(of: text))
        let markov = builder.finish()
        try MarkovModelStore.save(
            store: store, name: "rhyme-markov", corpus: corpus, model: markov,
            trainingText: try TrainingText.compress(text),
            replacing: false)
        // As a store written before models kept their training text has them.
        try MarkovModelStore.save(store: store, name: "old-markov", corpus: corpus, model: markov, replacing: false)
        var mix = MixtureStore.Request(lstm: "rhyme", name: "rhyme-mix")
        mix.order = 4
        _ = try MixtureStore.mix(store: store, mix, pipeline: try CharacterPipeline())
        try saveWordVectors(store: store, name: "words-a", seed: 3)
        try saveWordVectors(store: store, name: "words-b", seed: 4)
        return Fixture(storePath: storePath, corpusPath: corpusPath)
    }

    /// A 2×16 LSTM, a few dozen steps: enough to sample from, quick to train.
    static func trainCharRNN(store: Store, text: String, corpus: CorpusInfo) throws {
        let symbols = try CharacterPipeline().symbols(of: text)
        let vocab = CharVocabulary.build(symbols)
        let ids = vocab.encode(symbols).ids
        var config = TrainConfig(network: NetworkConfig(cell: .lstm, vocabSize: vocab.count, hidden: 16, layers: 2))
        config.seqLength = 16
        config.batchSize = 8
        config.maxSteps = 30
        config.evalEvery = 15
        config.learningRate = 1e-2
        config.threads = 1
        let network = StackedRNN(config.network)
        var rng = SplitMix64(seed: 42)
        network.initialise(rng: &rng)
        let cut = ids.count * 9 / 10
        let trainer = try Trainer(
            config: config, vocabulary: vocab, network: network, trainIDs: Array(ids[..<cut]),
            validationIDs: Array(ids[cut...]), store: store, name: "rhyme", corpus: corpus, resumeFrom: nil)
        try trainer.run(timeLimit: nil)
    }

    /// 500 clustered words w0…w499 of 16 dimensions, with an index.
    static func saveWordVectors(store: Store, name: String, seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let rows = 500, dim = 16
        let centres = (0..<20 * dim).map { _ in rng.nextFloat() * 2 - 1 }
        var vectors = [Float](repeating: 0, count: rows * dim)
        for r in 0..<rows {
            let c = Int(rng.next() % 20)
            for k in 0..<dim { vectors[r * dim + k] = centres[c * dim + k] + 0.3 * (rng.nextFloat() * 2 - 1) }
        }
        var config = W2VConfig()
        config.dim = dim
        let stored = W2VModelStore.wordVectors(normalizing: &vectors, dim: dim)
        try W2VModelStore.save(
            store: store, name: name, corpus: CorpusInfo(path: "synthetic", sha256: "", bytes: 0), config: config,
            words: (0..<rows).map { "w\($0)" }, counts: (0..<rows).map { rows - $0 }, vectors: stored, metrics: [],
            replacing: false, threads: 1)
        _ = try W2VModelStore.buildIndex(store: store, name: name, options: IVFOptions())  // small: built on demand
    }
}
