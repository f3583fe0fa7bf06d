// Beam search against exhaustive search on a tiny model: wide enough, it finds the best sequence.
import Sampling
import Testing
import VersoNN
import VersoRandom
@testable import CharRNN

@Suite struct BeamSearchTests {
    /// A 1×6 LSTM over 3 symbols with random weights (large enough to make choices matter).
    func tinyNetwork(seed: UInt64) -> StackedRNN {
        let network = StackedRNN(NetworkConfig(cell: .lstm, vocabSize: 3, hidden: 6, layers: 1))
        var rng = SplitMix64(seed: seed)
        network.initialise(rng: &rng)
        for i in 0..<network.params.count { network.params.values.p[i] *= 4 }
        return network
    }

    func root(_ network: StackedRNN) -> any GeneratorState {
        let state = CharRNNState(StreamState(network))
        state.advance(0)
        return state
    }

    /// ln P of `ids` after the root context, one symbol at a time.
    func logProbability(_ ids: [Int32], _ network: StackedRNN) -> Double {
        let state = root(network)
        var total = 0.0
        for id in ids {
            total += state.logProbabilities(count: 3)[Int(id)]
            state.advance(id)
        }
        return total
    }

    /// Told to stop (a server's time budget), the search ends at that step with the best prefix it
    /// holds, which is what a search of that length finds.
    @Test func aStoppedSearchReturnsTheBestPrefixSoFar() {
        let network = tinyNetwork(seed: 2)
        var asked = 0
        let stopped = BeamSearch.continuation(from: root(network), vocabulary: 3, width: 4, length: 50) {
            asked += 1
            return asked <= 3
        }
        let three = BeamSearch.continuation(from: root(network), vocabulary: 3, width: 4, length: 3)
        #expect(asked == 4 && stopped.ids.count == 3)
        #expect(stopped.ids == three.ids && stopped.logProbability == three.logProbability)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func aWideBeamFindsWhatExhaustiveSearchFinds(seed: UInt64) {
        let network = tinyNetwork(seed: seed)
        let length = 5
        var best: (ids: [Int32], score: Double) = ([], -.infinity)
        for code in 0..<243 {  // 3^5 sequences
            var ids: [Int32] = []
            var rest = code
            for _ in 0..<length {
                ids.append(Int32(rest % 3))
                rest /= 3
            }
            let score = logProbability(ids, network)
            if score > best.score { best = (ids, score) }
        }
        let wide = BeamSearch.continuation(from: root(network), vocabulary: 3, width: 81, length: length)
        #expect(wide.ids == best.ids)
        #expect(abs(wide.logProbability - best.score) < 1e-9)
        // Narrower beams never beat it, and their reported score is their sequence's.
        for width in [1, 2, 4] {
            let narrow = BeamSearch.continuation(from: root(network), vocabulary: 3, width: width, length: length)
            #expect(narrow.logProbability <= best.score + 1e-12)
            #expect(abs(narrow.logProbability - logProbability(narrow.ids, network)) < 1e-9)
        }
    }

    /// Width 1 is greedy decoding: the argmax at every step, as sampling at temperature 0 does.
    @Test func widthOneIsGreedy() {
        let network = tinyNetwork(seed: 9)
        let greedy = root(network)
        var rng = SplitMix64(seed: 1)
        var ids: [Int32] = []
        for _ in 0..<12 {
            var z = [Float](repeating: 0, count: 3), w = z
            let next = z.withUnsafeMutableBufferPointer { scores in
                greedy.scores(into: scores)
                return w.withUnsafeMutableBufferPointer { SamplingRules(temperature: 0).draw(scores, weights: $0, rng: &rng) }
            }
            ids.append(next)
            greedy.advance(next)
        }
        #expect(BeamSearch.continuation(from: root(network), vocabulary: 3, width: 1, length: 12).ids == ids)
    }
}
