// Training end to end on generated text: learning happens, resume is exact, sampling and eval work.
import Foundation
import Sampling
import Testing
import VersoNN
import VersoRandom
import VersoStore
@testable import CharRNN
import VersoText

/// A small text with structure an LSTM learns quickly (a repeated rhyme with accented letters).
func rhymeText(lines: Int) -> String {
    let words = ["mar", "sol", "canción", "niño", "está", "luz"]
    return (0..<lines).map { i in "el \(words[i % 6]) y la \(words[(i * 5 + 1) % 6])." }.joined(separator: "\n")
}

func makeTrainer(
    store: Store, steps: Int, evalEvery: Int, cell: CellKind = .lstm, hidden: Int = 32,
    adjust: (inout TrainConfig) -> Void = { _ in }
) throws -> Trainer {
    let pipeline = try CharacterPipeline()
    let symbols = try pipeline.symbols(of: rhymeText(lines: 300))
    let vocab = CharVocabulary.build(symbols)
    let ids = vocab.encode(symbols).ids
    var config = TrainConfig(
        network: NetworkConfig(cell: cell, vocabSize: vocab.count, hidden: hidden, layers: 2, dropout: 0.1))
    config.seqLength = 16
    config.batchSize = 8
    config.maxSteps = steps
    config.evalEvery = evalEvery
    config.learningRate = 1e-2
    config.threads = 2  // two data-parallel replicas: gather/scatter of state is exercised
    adjust(&config)
    let network = StackedRNN(config.network)
    var rng = SplitMix64(seed: 42)
    network.initialise(rng: &rng)
    let cut = ids.count * 9 / 10
    return try Trainer(
        config: config, vocabulary: vocab, network: network, trainIDs: Array(ids[..<cut]),
        validationIDs: Array(ids[cut...]), store: store, name: "rhyme",
        corpus: CorpusInfo(path: "/gen", sha256: "x", bytes: 1), resumeFrom: nil)
}

func tempStore() throws -> Store {
    try Store(path: NSTemporaryDirectory() + "verso-charnn-\(UUID().uuidString).sqlite")
}

@Suite struct TrainerTests {
    /// A 2×64 LSTM (2×32 GRU and RNN) on a repeated rhyme: the held-out loss must fall below half of
    /// ln V, the loss of guessing uniformly (about 1.4 nats/char here); untrained it sits near ln V.
    @Test(arguments: CellKind.allCases)
    func validationLossFallsWellBelowUniform(cell: CellKind) throws {
        let store = try tempStore()
        let trainer = try makeTrainer(
            store: store, steps: cell == .lstm ? 300 : 150, evalEvery: 300, cell: cell,
            hidden: cell == .lstm ? 64 : 32)
        try trainer.run(timeLimit: nil)
        let uniform = log(Double(trainer.vocabulary.count))
        let val = try #require(trainer.state.valLoss)
        #expect(val < 0.5 * uniform, "\(cell): val \(val) vs uniform \(uniform)")
    }

    /// The training loss is kept every evalEvery/20 steps (averaged over them), not only at the
    /// evaluations: a short run still draws a curve.
    @Test func trainingLossIsKeptBetweenEvaluations() throws {
        let store = try tempStore()
        let trainer = try makeTrainer(store: store, steps: 40, evalEvery: 40)
        try trainer.run(timeLimit: nil)
        let metrics = try store.read { try $0.metrics(of: try $0.model(named: "rhyme", kind: .charnn)) }
        let train = try #require(metrics["train_loss"])
        #expect(train.map(\.step) == Array(stride(from: 2, through: 40, by: 2)))
        #expect(train.allSatisfy { $0.value.isFinite && $0.value > 0 })
        #expect(metrics["val_loss"]?.map(\.step) == [40])
    }

    @Test func resumeGivesTheSameLossesAsAnUninterruptedRun() throws {
        let straightStore = try tempStore()
        let straight = try makeTrainer(store: straightStore, steps: 40, evalEvery: 20)
        try straight.run(timeLimit: nil)

        let store = try tempStore()
        let first = try makeTrainer(store: store, steps: 20, evalEvery: 20)
        try first.run(timeLimit: nil)
        // Resume from what the store holds, as `charnn train --resume` does.
        let model = try CharModelStore.load(store: store, name: "rhyme", label: .latest)
        var config = model.config
        config.maxSteps = 40
        let optimizer = Optimizer(config.optimizer, parameterCount: model.network.params.count)
        let state = try CharModelStore.restoreTraining(store: store, model: model, optimizer: optimizer)
        #expect(state.step == 20)
        let symbols = try CharacterPipeline().symbols(of: rhymeText(lines: 300))
        let ids = model.vocabulary.encode(symbols).ids
        let cut = ids.count * 9 / 10
        let resumed = try Trainer(
            config: config, vocabulary: model.vocabulary, network: model.network,
            trainIDs: Array(ids[..<cut]), validationIDs: Array(ids[cut...]), store: store,
            name: "rhyme", corpus: CorpusInfo(path: "/gen", sha256: "x", bytes: 1), resumeFrom: state)
        resumed.optimizer.first.load(optimizer.first.array)
        resumed.optimizer.second.load(optimizer.second.array)
        try resumed.run(timeLimit: nil)
        #expect(resumed.state.trainLoss == straight.state.trainLoss)
        #expect(resumed.state.valLoss == straight.state.valLoss)
        #expect(resumed.network.params.values.array == straight.network.params.values.array)
    }

    /// A stop request (Ctrl-C) between steps 13 and 14 keeps a checkpoint at step 13, off the
    /// evaluation schedule, with everything a resumed run needs: the resumed run, with dropout and
    /// a weight average, ends on the uninterrupted run's bits.
    @Test func aStoppedRunResumesToTheUninterruptedBits() throws {
        let adjust: (inout TrainConfig) -> Void = { $0.weightAverage = 0.9 }
        let straight = try makeTrainer(store: try tempStore(), steps: 40, evalEvery: 20, adjust: adjust)
        try straight.run(timeLimit: nil)

        let store = try tempStore()
        let first = try makeTrainer(store: store, steps: 40, evalEvery: 20, adjust: adjust)
        let polls = Countdown(13)
        first.stopRequest = StopRequest { polls.next() }
        let interrupted = try #require(throws: Interrupted.self) { try first.run(timeLimit: nil) }
        #expect(interrupted.signal == 2 && interrupted.step == 13)
        #expect(interrupted.kept.contains("kept at step 13"))
        let model = try CharModelStore.load(store: store, name: "rhyme", label: .latest)
        let optimizer = Optimizer(model.config.optimizer, parameterCount: model.network.params.count)
        let state = try CharModelStore.restoreTraining(store: store, model: model, optimizer: optimizer)
        #expect(state.step == 13)
        let ids = model.vocabulary.encode(try CharacterPipeline().symbols(of: rhymeText(lines: 300))).ids
        let cut = ids.count * 9 / 10
        let resumed = try Trainer(
            config: model.config, vocabulary: model.vocabulary, network: model.network,
            trainIDs: Array(ids[..<cut]), validationIDs: Array(ids[cut...]), store: store,
            name: "rhyme", corpus: CorpusInfo(path: "/gen", sha256: "x", bytes: 1), resumeFrom: state)
        resumed.optimizer.first.load(optimizer.first.array)
        resumed.optimizer.second.load(optimizer.second.array)
        resumed.optimizer.t = optimizer.t
        let average = try #require(
            try store.read { try CharModelStore.averagedWeights($0, of: model.record, network: model.network) })
        resumed.resumeAverage(from: average)
        try resumed.run(timeLimit: nil)
        #expect(resumed.network.params.values.array == straight.network.params.values.array)
        #expect(resumed.averagedWeights?.array == straight.averagedWeights?.array)
        #expect(resumed.state.valLoss == straight.state.valLoss)
    }

    /// A stop before the first step leaves the store as it was.
    @Test func aRunStoppedBeforeItsFirstStepWritesNothing() throws {
        let store = try tempStore()
        let trainer = try makeTrainer(store: store, steps: 10, evalEvery: 5)
        trainer.stopRequest = StopRequest { 15 }
        let interrupted = try #require(throws: Interrupted.self) { try trainer.run(timeLimit: nil) }
        #expect(interrupted.step == nil && interrupted.exitStatus == 143)
        #expect(try store.kindOfModel(named: "rhyme") == nil)
    }

    /// Same seed, same threads, same bits, whatever else runs in the process: a run alone and two
    /// runs side by side (with a third thread hammering BLAS meanwhile) end with identical weights
    /// and losses. Every matrix product runs on its caller's thread (Debian's sequential OpenBLAS,
    /// linked before oneDNN, gave wrong sgemm results now and then here).
    @Test func concurrentRunsInOneProcessGiveTheSameBits() throws {
        let alone = try makeTrainer(store: try tempStore(), steps: 30, evalEvery: 15)
        try alone.run(timeLimit: nil)
        let pair = try [
            makeTrainer(store: try tempStore(), steps: 30, evalEvery: 15),
            makeTrainer(store: try tempStore(), steps: 30, evalEvery: 15),
        ]
        let work = Unchecked(value: pair)
        let failures = ResultSlots<String?>(repeating: nil, count: 3)
        DispatchQueue.concurrentPerform(iterations: 3) { i in
            if i < 2 {
                do { try work.value[i].run(timeLimit: nil) } catch { failures[i] = "\(error)" }
            } else {
                failures[i] = busyBLAS()
            }
        }
        #expect(failures.values.allSatisfy { $0 == nil }, "\(failures.values)")
        for trainer in pair {
            #expect(trainer.state.trainLoss == alone.state.trainLoss)
            #expect(trainer.state.valLoss == alone.state.valLoss)
            #expect(trainer.network.params.values.array == alone.network.params.values.array)
        }
    }

    @Test func samplingIsReproducibleAndUsesTheVocabulary() throws {
        let store = try tempStore()
        try makeTrainer(store: store, steps: 60, evalEvery: 60).run(timeLimit: nil)
        let model = try CharModelStore.load(store: store, name: nil)
        var options = SamplingSettings()
        options.length = 80
        options.seed = "el Ω"
        options.temperature = 0.5
        let pipeline = try CharacterPipeline()
        let a = try SampleLoop.run(model, settings: options, pipeline: pipeline)[0]
        let b = try SampleLoop.run(model, settings: options, pipeline: pipeline)[0]
        #expect(a.text == b.text)
        #expect(a.text.hasPrefix("el "))
        #expect(a.skippedSeedSymbols == ["Ω"])
        #expect(try pipeline.symbols(of: a.text).allSatisfy { model.vocabulary.id($0) != nil })
        options.temperature = 0
        let greedy = try SampleLoop.run(model, settings: options, pipeline: pipeline)[0]
        #expect(greedy.text.count == 3 + 80)
    }

    @Test func tooShortCorpusIsAClearError() throws {
        let store = try tempStore()
        let vocab = CharVocabulary.build(["a", "b"])
        let config = TrainConfig(network: NetworkConfig(vocabSize: 2, hidden: 4, layers: 1))
        #expect(throws: TrainingError.self) {
            _ = try Trainer(
                config: config, vocabulary: vocab, network: StackedRNN(config.network), trainIDs: [0, 1, 0],
                validationIDs: [], store: store, name: "x", corpus: CorpusInfo(path: "/", sha256: "", bytes: 0),
                resumeFrom: nil)
        }
    }

    @Test func batchesCoverEveryPredictionWhenPadded() {
        let ids: [Int32] = Array(0..<23)
        let b = StreamBatches(ids: ids, steps: 4, batch: 3, pad: true)
        var inputs = [Int32](repeating: 0, count: 12), targets = inputs
        var seen: [Int32] = []
        for k in 0..<b.count {
            b.fill(k, inputs: &inputs, targets: &targets)
            for (i, t) in zip(inputs, targets) where t >= 0 {
                #expect(t == i + 1)
                seen.append(t)
            }
        }
        #expect(seen.sorted() == Array(1..<23))
    }

    @Test func durations() {
        #expect(parseDuration("90s") == 90)
        #expect(parseDuration("10m") == 600)
        #expect(parseDuration("1h30m") == 5400)
        #expect(parseDuration("45") == 45)
        #expect(parseDuration("soon") == nil)
    }
}

/// Other numeric work in the same process: large multi-core-sized sgemms, as a server would run.
func busyBLAS() -> String? {
    let n = 256
    let a = [Float](repeating: 0.5, count: n * n)
    var c = [Float](repeating: 0, count: n * n)
    for _ in 0..<20 {
        BLAS.sgemm(m: n, n: n, k: n, a: a, lda: n, b: a, ldb: n, c: &c, ldc: n)
    }
    if BLAS.threadsPerCall != 1 { return "sgemm used \(BLAS.threadsPerCall) threads" }
    return c[0] == Float(n) * 0.25 ? nil : "sgemm gave \(c[0])"
}

/// A stop request raised at its `after`-th poll (SIGINT), for tests.
final class Countdown: @unchecked Sendable {
    var left: Int
    init(_ polls: Int) { left = polls }
    func next() -> Int32 {
        left -= 1
        return left < 0 ? 2 : 0
    }
}
