// --auto's rule on made-up machines (a throughput that falls with the weights), and its schedule.
import Foundation
import Testing
import VersoNN
import VersoStore
import VersoText
@testable import CharRNN

@Suite struct AutoSizingTests {
    let base: TrainConfig = {
        var config = TrainConfig(network: NetworkConfig(cell: .lstm, vocabSize: 0, hidden: 128, layers: 2, dropout: 0))
        config.threads = 2
        return config
    }()

    /// A machine doing 2e10 weight-symbols a second: 2×128 (239k weights) trains 83.6k chars/s.
    func machine(_ shape: NetworkConfig) -> Double { 2e10 / shape.parameterCount }

    @Test func picksTheLargestSizeThatSeesEnoughTextAndStopsProbingThere() {
        let facts = AutoSizing.Facts(trainSymbols: 1_000_000, validationSymbols: 100_000, vocabulary: 65, seconds: 600)
        var probed: [Int] = []
        let choice = AutoSizing.choose(facts, base: base) { shape in
            probed.append(shape.hidden)
            return machine(shape)
        }
        // At 90% of the probe's rate, 2×192 sees 20M symbols in 10 minutes, 40 per weight; 2×256 would
        // see 11.3M, 13 per weight.
        #expect(probed == [128, 192, 256])
        #expect(choice.config.network.layers == 2 && choice.config.network.hidden == 192)
        #expect(choice.probes.count == 3)
        // 20 epochs × 0.506 weights per symbol: pressure 10.1, dropout 0.06 × log2(11.1) ≈ 0.21 → 0.2.
        #expect(choice.config.network.dropout == 0.2 && choice.config.network.dropConnect == nil)
        let rate = machine(choice.config.network)
        let steps = Double(choice.config.maxSteps!)
        #expect(steps * 2500 <= rate * 600 && steps * 2500 >= rate * 600 * 0.8)
        #expect(choice.config.lrSchedule == .cosine)
        #expect(choice.config.evalEvery * 20 >= choice.config.maxSteps! && choice.config.evalEvery > 1)
        #expect(choice.reasons.count == 3 && choice.reasons[0].contains("2×256 would see"))
    }

    @Test func aTextTooShortForEvenTheSmallestSizeGetsItWithDropoutHalf() {
        let facts = AutoSizing.Facts(trainSymbols: 10_000, validationSymbols: 1_000, vocabulary: 65, seconds: 60)
        let choice = AutoSizing.choose(facts, base: base, measure: machine)
        #expect(choice.config.network.hidden == 128 && choice.config.network.dropout == 0.5)
        #expect(choice.config.network.dropConnect == AutoSizing.dropConnectAtCap)
        #expect(choice.probes.count == 1 && choice.reasons[0].contains("weights, over 20 per training symbol"))
    }

    /// poetry.txt's shape (210k training symbols, 94 symbols) on a machine 2.5× faster than `machine`:
    /// 2×512 sees only 2 symbols per weight but 34 epochs, so it is taken, with the most dropout;
    /// 3×512 has over 20 weights per training symbol.
    @Test func aSmallTextBuysALargeModelHeldBackByDropout() {
        let facts = AutoSizing.Facts(trainSymbols: 210_000, validationSymbols: 23_000, vocabulary: 94, seconds: 600)
        var probed: [Int] = []
        let choice = AutoSizing.choose(facts, base: base) { shape in
            probed.append(shape.hidden)
            return 5e10 / shape.parameterCount
        }
        #expect(probed == [128, 192, 256, 384, 512])
        #expect(choice.config.network.layers == 2 && choice.config.network.hidden == 512)
        #expect(choice.config.network.dropout == 0.5)
        // At the cap, DropConnect too; a user's own --dropconnect (here 0) is kept.
        #expect(choice.config.network.dropConnect == AutoSizing.dropConnectAtCap)
        #expect(choice.reasons[1].hasSuffix("at the cap, so DropConnect 0.2 too"))
        var own = base
        own.network.dropConnect = 0
        let kept = AutoSizing.choose(facts, base: own) { 5e10 / $0.parameterCount }
        #expect(kept.config.network.dropConnect == 0 && !kept.reasons[1].contains("DropConnect"))
        #expect(choice.reasons[0].contains("3×512 has") && choice.reasons[0].contains("over 20 per training symbol"))
    }

    @Test func moreTimeOnMoreTextBuysALargerModelWithLessDropout() {
        let short = AutoSizing.Facts(
            trainSymbols: 13_000_000, validationSymbols: 1_500_000, vocabulary: 120, seconds: 600)
        var long = short
        long.seconds = 3600
        let small = AutoSizing.choose(short, base: base, measure: machine).config.network
        let large = AutoSizing.choose(long, base: base, measure: machine).config.network
        #expect(large.parameterCount > small.parameterCount)
        #expect(small.dropout <= 0.1)  // not even two epochs of a large text
    }

    @Test func dropoutGrowsWithTheLogOfThePressureUpToAHalf() {
        #expect(AutoSizing.dropout(pressure: 0) == 0)
        #expect(AutoSizing.dropout(pressure: 3) == 0.1)
        #expect(AutoSizing.dropout(pressure: 15) == 0.25)
        #expect(AutoSizing.dropout(pressure: 1000) == 0.5)
    }

    @Test func theCosineScheduleRunsFromTheFullRateToATenthAtTheLastStep() {
        var config = base
        config.lrSchedule = .cosine
        config.maxSteps = 1000
        config.learningRate = 2e-3
        #expect(config.learningRate(step: 0, epoch: 0) == 2e-3)
        #expect(abs(config.learningRate(step: 500, epoch: 3) - 1.1e-3) < 1e-9)
        #expect(abs(config.learningRate(step: 1000, epoch: 9) - 2e-4) < 1e-9)
        config.lrSchedule = nil  // stored configs without one keep char-rnn's per-epoch decay
        #expect(abs(config.learningRate(step: 5000, epoch: 10) - 2e-3 * 0.97) < 1e-9)
    }

    @Test func theProbeMeasuresARealNetwork() {
        let shape = NetworkConfig(cell: .lstm, vocabSize: 30, hidden: 32, layers: 2, dropout: 0)
        let rate = AutoSizing.measureThroughput(shape, threads: 2, batch: 8, steps: 10)
        #expect(rate > 1000 && rate.isFinite)
    }
}

@Suite struct AutoTrainingTests {
    /// A short text and a 2-second limit, end to end: the rule's choice trains and is stored as the
    /// model's config (cosine schedule, steps).
    @Test func autoSizedRunTrainsAndStoresItsChoice() throws {
        let path = NSTemporaryDirectory() + "verso-auto-\(UUID().uuidString).txt"
        try rhymeText(lines: 300).write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try tempStore()
        var base = TrainConfig(network: NetworkConfig(cell: .lstm, vocabSize: 0, hidden: 128, layers: 2, dropout: 0))
        base.threads = 2
        let trainer = try TrainingSetup.newModel(
            store: store, corpus: try Corpus(hashing: [path]), name: "auto", config: base, autoSeconds: 2)
        let choice = try #require(trainer.autoChoice)
        #expect(choice.config.network.hidden == 128 && choice.config.network.dropout == 0.5)  // 6 KB of text
        #expect(choice.config.epochs.isFinite && trainer.totalSteps == choice.config.maxSteps)
        try trainer.run(timeLimit: 2)
        #expect(trainer.state.step >= 1 && trainer.state.step <= choice.config.maxSteps!)
        let stored = try CharModelStore.load(store: store, name: "auto", label: .latest)
        #expect(stored.config.lrSchedule == .cosine && stored.config.maxSteps == choice.config.maxSteps)
    }
}
