// The mixture: distributions that sum to one, logistic mixing against a hand computation, online
// weights that never see the symbol they predict, and a stored mixture that samples reproducibly.
import Evaluation
import Foundation
@testable import Sampling
import Testing
import VersoNN
import VersoRandom
import VersoStore
import VersoText
@testable import CharRNN
@testable import Markov
@testable import Mixture

func randomParts(_ V: Int, context: Int, rng: inout SplitMix64) -> PartDistributions {
    func dist() -> [Double] {
        let raw = (0..<V).map { _ in Double(rng.nextFloat()) + 1e-3 }
        let sum = raw.reduce(0, +)
        return raw.map { $0 / sum }
    }
    return PartDistributions(lstm: dist(), markov: dist(), context: context)
}

@Suite struct MixerTests {
    @Test(arguments: [MixerConfig.Method.logistic, .linear], [2, 3, 5, 37])
    func distributionSumsToOneAndMatchesObserve(method: MixerConfig.Method, V: Int) {
        var rng = SplitMix64(seed: UInt64(V))
        var mixer = Mixer(config: MixerConfig(method: method, learningRate: 0.05), vocabulary: V, order: 3)
        for k in mixer.weights.indices { mixer.weights[k] = Double(rng.nextFloat()) * 2 - 1 }
        var work = Mixer.Workspace(mixer)
        var p = [Double](repeating: 0, count: V)
        for trial in 0..<5 {
            let parts = randomParts(V, context: trial % mixer.contexts, rng: &rng)
            mixer.distribution(parts, into: &p, work: &work)
            #expect(abs(p.reduce(0, +) - 1) < 1e-12)
            #expect(p.allSatisfy { $0 > 0 })
            // ln p(x) as observed is the distribution's, before the weights move.
            let x = Int32(rng.next() % UInt64(V))
            var copy = mixer
            let lp = copy.observe(x, parts, work: &work)
            #expect(abs(lp - log(p[Int(x)])) < 1e-12)
            #expect(copy.weights != mixer.weights)
        }
    }

    /// V = 3: leaves 4 (the fourth is padding), branches 1 (symbols {0,1} | {2}) and 2 ({0} | {1});
    /// branch 3 leads only to symbol 2 and its padding sibling.
    @Test func logisticMixingMatchesAHandComputation() {
        var mixer = Mixer(config: MixerConfig(method: .logistic, learningRate: 0.1), vocabulary: 3, order: 1)
        #expect(mixer.leaves == 4 && mixer.contexts == 24)
        let context = 4
        let w1 = [0.7, 0.2, -0.1], w2 = [0.3, 0.9, 0.05]  // level 0 (branch 1), level 1 (branches 2, 3)
        for k in 0..<3 {
            mixer.weights[(context * 2 + 0) * 3 + k] = w1[k]
            mixer.weights[(context * 2 + 1) * 3 + k] = w2[k]
        }
        let l = [0.5, 0.3, 0.2], m = [0.1, 0.6, 0.3]
        let parts = PartDistributions(lstm: l, markov: m, context: context)
        func σ(_ z: Double) -> Double { 1 / (1 + exp(-z)) }
        // Branch 1: right is symbol 2; stretch = ln(right mass / left mass).
        let x1 = [log(l[2] / (l[0] + l[1])), log(m[2] / (m[0] + m[1])), 1]
        let right1 = σ(zip(w1, x1).map(*).reduce(0, +))
        let x2 = [log(l[1] / l[0]), log(m[1] / m[0]), 1]
        let right2 = σ(zip(w2, x2).map(*).reduce(0, +))
        let expected = [(1 - right1) * (1 - right2), (1 - right1) * right2, right1]
        var work = Mixer.Workspace(mixer)
        var p = [0.0, 0.0, 0.0]
        mixer.distribution(parts, into: &p, work: &work)
        for i in 0..<3 { #expect(abs(p[i] - expected[i]) < 1e-12, "symbol \(i): \(p[i]) vs \(expected[i])") }
        // Observing symbol 1 moves branch 1 toward left (bit 0) and branch 2 toward right (bit 1):
        // w += η·(bit − p)·x.
        let before = mixer.weights
        let lp = mixer.observe(1, parts, work: &work)
        #expect(abs(lp - log(expected[1])) < 1e-12)
        for k in 0..<3 {
            let i1 = (context * 2) * 3 + k, i2 = (context * 2 + 1) * 3 + k
            #expect(abs(mixer.weights[i1] - (before[i1] + 0.1 * (0 - right1) * x1[k])) < 1e-12)
            #expect(abs(mixer.weights[i2] - (before[i2] + 0.1 * (1 - right2) * x2[k])) < 1e-12)
        }
    }

    @Test func linearMixingInterpolates() {
        let mixer = Mixer(config: MixerConfig(method: .linear), vocabulary: 2, order: 2)
        var work = Mixer.Workspace(mixer)
        var p = [0.0, 0.0]
        mixer.distribution(PartDistributions(lstm: [0.9, 0.1], markov: [0.3, 0.7], context: 0), into: &p, work: &work)
        #expect(abs(p[0] - 0.6) < 1e-12 && abs(p[1] - 0.4) < 1e-12)  // λ = 0.5 at first
    }
}

@Suite struct MixtureModelTests {
    /// A store with a 2×16 char-RNN trained a few steps on a rhyme (its corpus file kept, so
    /// `mix` finds its validation part), and the mixture of it.
    static func mixedStore(
        method: MixerConfig.Method, countingValidation: Bool = true
    ) throws -> (store: Store, mixture: MixtureModel) {
        let dir = NSTemporaryDirectory() + "verso-mix-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let words = ["mar", "sol", "canción", "niño", "está", "luz"]
        let text = (0..<200).map { i in "el \(words[i % 6]) y la \(words[(i * 5 + 1) % 6])." }.joined(separator: "\n")
        let path = dir + "/rhyme.txt"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let store = try Store(path: dir + "/verso.sqlite")
        let symbols = try CharacterPipeline().symbols(of: text)
        let vocab = CharVocabulary.build(symbols)
        let ids = vocab.encode(symbols).ids
        var config = TrainConfig(network: NetworkConfig(cell: .lstm, vocabSize: vocab.count, hidden: 16, layers: 2))
        config.seqLength = 16
        config.batchSize = 8
        config.maxSteps = 20
        config.evalEvery = 20
        config.learningRate = 1e-2
        config.threads = 1
        let network = StackedRNN(config.network)
        var rng = SplitMix64(seed: 5)
        network.initialise(rng: &rng)
        let cut = ids.count * 9 / 10
        try Trainer(
            config: config, vocabulary: vocab, network: network, trainIDs: Array(ids[..<cut]),
            validationIDs: Array(ids[cut...]), store: store, name: "rhyme", corpus: try CorpusInfo.of(file: path),
            resumeFrom: nil
        ).run(timeLimit: nil)
        var request = MixtureStore.Request(lstm: "rhyme", name: "rhyme-mix")
        request.order = 3
        request.mixer.method = method
        request.countingValidation = countingValidation
        let made = try MixtureStore.mix(store: store, request, pipeline: try CharacterPipeline())
        #expect(made.validation != nil, "\(made.warnings)")
        return (store, made.model)
    }

    @Test func theChainCountsTheValidationPartOnceTheWeightsAreLearned() throws {
        let (store, counted) = try Self.mixedStore(method: .logistic)
        let (splitStore, split) = try Self.mixedStore(method: .logistic, countingValidation: false)
        let whole = try #require(try MixtureStore.trainingText(store: store, name: "rhyme-mix"))
        let training = try #require(try MixtureStore.trainingText(store: splitStore, name: "rhyme-mix"))
        let symbols = try CharacterPipeline().symbols(of: whole)
        let tail = HeldOut.split(symbols, fraction: counted.lstm.config.valFrac).heldOut
        #expect(whole.hasPrefix(training) && whole.count > training.count)
        // The same weights (learned before the chain saw the tail); the chain knows the tail better.
        #expect(counted.mixer.weights == split.mixer.weights)
        #expect(counted.markov.crossEntropy(tail).natsPerChar < split.markov.crossEntropy(tail).natsPerChar)
    }

    @Test(arguments: [MixerConfig.Method.logistic, .linear])
    func onlineWeightsNeverSeeTheSymbolTheyPredict(method: MixerConfig.Method) throws {
        let (_, mixture) = try Self.mixedStore(method: method)
        let ids = mixture.lstm.vocabulary.encode(try CharacterPipeline().symbols(of: "el sol y la luz.\nel niño")).ids
        var changed = ids
        for i in 10..<changed.count { changed[i] = (changed[i] + 3) % Int32(mixture.symbols.count) }
        var a: [Double] = [], b: [Double] = []
        _ = mixture.score(ids) { a.append($1) }
        _ = mixture.score(changed) { b.append($1) }
        #expect(Array(a[..<9]) == Array(b[..<9]))  // positions 1…9 predict symbols before the change
        #expect(a[9...] != b[9...])
        // The weights did learn along the way.
        #expect(mixture.score(ids).mixer.weights != mixture.mixer.weights)
    }

    @Test func storedMixtureLoadsAndSamplesReproduciblyAtEveryTemperature() throws {
        let (store, made) = try Self.mixedStore(method: .logistic)
        let loaded = try MixtureStore.load(store: store, name: "rhyme-mix")
        #expect(loaded.mixer.weights.map(Float.init) == made.mixer.weights.map(Float.init))
        var settings = SamplingSettings()
        settings.seed = "el "
        settings.length = 60
        settings.temperatures = [0, 0.5, 1, 2]
        settings.topP = 0.9
        settings.topK = 8
        settings.repetitionPenalty = 1.2
        settings.stops = ["\n"]
        let pipeline = try CharacterPipeline()
        let a = try SampleLoop.run(loaded, settings: settings, pipeline: pipeline)
        let b = try SampleLoop.run(loaded, settings: settings, pipeline: pipeline)
        #expect(a.map(\.text) == b.map(\.text))
        #expect(a.allSatisfy { $0.text.hasPrefix("el ") && !$0.text.contains("\n") })
        settings.stops = []
        settings.temperatures = [0.6]
        settings.beamWidth = 3
        let beam = try SampleLoop.run(loaded, settings: settings, pipeline: pipeline)
        #expect(beam.count == 1 && beam[0].generated == 60 && (beam[0].logProbability ?? 0) < 0)
        // Each part's loss is reported beside the mixture's.
        let ids = loaded.lstm.vocabulary.encode(try pipeline.symbols(of: "el mar y la canción.")).ids
        let score = loaded.score(ids).score
        #expect(score.mixture.chars == ids.count - 1 && score.lstm.natsPerChar > 0 && score.markov.natsPerChar > 0)
    }

    /// Per-symbol scores of each kind sum to its cross-entropy of the same text: the char-RNN's
    /// scored as one stream, the chain's, and the mixture's learned online; and each lists the 5
    /// symbols it expected, most probable first, probabilities at most 1 in all.
    @Test func perSymbolSurprisalSumsToTheCrossEntropy() throws {
        let (_, mixture) = try Self.mixedStore(method: .logistic)
        let text = "el sol y la luz.\nel niño está"
        let ids = mixture.lstm.vocabulary.encode(try CharacterPipeline().symbols(of: text)).ids
        let ln2 = 0.693_147_180_559_945_3
        func nats(_ scores: [SymbolScore]) -> Double { scores.reduce(0) { $0 + $1.bits } * ln2 }
        let lstm = SymbolScores.score(mixture.lstm, ids: ids)
        let oneStream = Evaluator.crossEntropy(network: mixture.lstm.network, ids: ids, steps: 16, batch: 1)
        #expect(abs(nats(lstm) - oneStream.natsPerChar * Double(oneStream.chars)) < 1e-3)
        // The chain numbers its symbols its own way.
        let symbols = ids.map { mixture.symbols[Int($0)] }
        let chain = SymbolScores.score(mixture.markov, ids: symbols.compactMap(mixture.markov.id))
        let counted = mixture.markov.crossEntropy(symbols)
        #expect(counted.unknownChars == 0)
        #expect(abs(nats(chain) - counted.natsPerChar * Double(counted.chars)) < 1e-3)
        let mixed = SymbolScores.score(mixture, ids: ids)
        let online = mixture.score(ids).score.mixture
        #expect(abs(nats(mixed) - online.natsPerChar * Double(online.chars)) < 1e-3)
        for scores in [lstm, chain, mixed] {
            #expect(scores.count == ids.count - 1)
            #expect(scores.map(\.symbol) == Array(symbols.dropFirst()))
            for s in scores {
                #expect(s.expected.count == 5 && s.bits >= 0)
                #expect(zip(s.expected, s.expected.dropFirst()).allSatisfy { $0.probability >= $1.probability })
                #expect(s.expected.reduce(0) { $0 + $1.probability } <= 1 + 1e-9)
            }
        }
        #expect(ScoredText(model: "m", symbols: mixed).lines.count == mixed.count)
        // The hand-written JSON reads back as Foundation's encoding of the same scores does.
        let odd = SymbolScore(
            symbol: "\"\\\n\u{1}é", bits: 2, expected: [SymbolScore.Expected(symbol: "\t", probability: 1e-7)])
        for scored in [ScoredText(model: "m \"q\"", symbols: mixed), ScoredText(model: "o", symbols: [odd])] {
            let hand = try JSONSerialization.jsonObject(with: Data(scored.compactJSON)) as? NSDictionary
            let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(scored)) as? NSDictionary
            #expect(hand != nil && hand == encoded)
        }
    }

    /// The char-RNN's batched rows (chunks of 256, state carried) against its state stepped one
    /// symbol at a time: the same bits, and the 5 expected are the full distribution's 5 largest.
    @Test func topFiveAndBitsMatchTheFullDistributionStepByStep() throws {
        let (_, mixture) = try Self.mixedStore(method: .logistic)
        let model = mixture.lstm
        let text = String(repeating: "el sol y la luz.\nel niño está en el mar\n", count: 16)
        let ids = model.vocabulary.encode(try CharacterPipeline().symbols(of: text)).ids
        #expect(ids.count > 600)
        let scores = SymbolScores.score(model, ids: ids)
        let state = model.startState()
        state.advance(ids[0])
        for (t, id) in ids.dropFirst().enumerated() {
            let logp = state.logProbabilities(count: model.symbols.count)
            let ranked = logp.indices.sorted { logp[$0] != logp[$1] ? logp[$0] > logp[$1] : $0 < $1 }.prefix(5)
            #expect(abs(scores[t].bits - (-logp[Int(id)] / 0.693_147_180_559_945_3)) < 1e-3, "symbol \(t)")
            #expect(scores[t].expected.map(\.symbol) == ranked.map { model.symbols[$0] }, "symbol \(t)")
            for (e, j) in zip(scores[t].expected, ranked) { #expect(abs(e.probability - exp(logp[j])) < 1e-4) }
            state.advance(id)
        }
    }
}
