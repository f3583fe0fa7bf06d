// Weight averaging (--ema): the arithmetic of one update, and the averaged checkpoint a run keeps.
import Testing
import VersoNN
import VersoStore
@testable import CharRNN

@Suite struct WeightAverageTests {
    @Test func oneUpdateIsBetaTimesTheAveragePlusTheRestTimesTheWeights() throws {
        let trainer = try makeTrainer(store: try tempStore(), steps: 1, evalEvery: 1) { $0.weightAverage = 0.75 }
        let n = trainer.network.params.count
        let average = try #require(trainer.averagedWeights)
        #expect(average.array == trainer.network.params.values.array)  // it starts at the weights
        for k in 0..<n {
            trainer.network.params.values.p[k] = Float(k % 7)
            average.p[k] = Float(k % 3)
        }
        trainer.updateAverage()
        for k in 0..<n { #expect(average.p[k] == 0.75 * Float(k % 3) + 0.25 * Float(k % 7)) }
    }

    @Test func aRunKeepsTheAveragedWeightsAsACheckpointOfTheirOwn() throws {
        let store = try tempStore()
        let trainer = try makeTrainer(store: store, steps: 40, evalEvery: 20) { $0.weightAverage = 0.9 }
        try trainer.run(timeLimit: nil)
        let averaged = try CharModelStore.load(store: store, name: "rhyme", label: .averaged)
        #expect(averaged.network.params.values.array == trainer.averagedWeights!.array)
        #expect(averaged.network.params.values.array != trainer.network.params.values.array)
        let checkpoint = try store.read { try $0.checkpoint(.averaged, of: averaged.record) }
        #expect(checkpoint.step == 40 && checkpoint.valLoss == trainer.averagedValLoss)
        // The best checkpoint is whichever weights scored lower.
        let best = try store.read { try $0.checkpoint(.best, of: averaged.record) }
        let bestValue = try #require(trainer.state.bestValLoss)
        #expect(bestValue <= min(trainer.state.valLoss ?? .infinity, trainer.averagedValLoss ?? .infinity))
        #expect(best.step <= 40)
    }
}
