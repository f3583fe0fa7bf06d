// Sampling rules: the nucleus is the fewest most likely symbols reaching p; the repetition penalty.
import Testing
import VersoRandom

@Suite struct NucleusTests {
    func kept(_ weights: [Float], topP: Float) -> (kept: [Float], sum: Float) {
        var p = weights
        let sum = p.withUnsafeMutableBufferPointer {
            SamplingRules.keepNucleus($0, sum: weights.reduce(0, +), topP: topP)
        }
        return (p, sum)
    }

    @Test func keepsTheFewestMostLikelyReachingP() {
        // Shares 0.4, 0.3, 0.2, 0.1: p = 0.6 needs the two largest, p = 0.75 the three largest.
        let w: [Float] = [2, 4, 1, 3]
        #expect(kept(w, topP: 0.6).kept == [0, 4, 0, 3])
        #expect(kept(w, topP: 0.6).sum == 7)
        #expect(kept(w, topP: 0.75).kept == [2, 4, 0, 3])
        #expect(kept(w, topP: 0.01).kept == [0, 4, 0, 0])  // always at least the most likely
        #expect(kept(w, topP: 1).kept == w)
    }

    @Test func tiesAtTheEdgeGoToTheLowerID() {
        #expect(kept([1, 1, 1, 1], topP: 0.5).kept == [1, 1, 0, 0])
        #expect(kept([0, 5, 0, 5], topP: 0.9).kept == [0, 5, 0, 5])  // zero weights never join
    }

    /// CTRL's penalty on known logits: seen symbols (in the window, each once) lose, whatever
    /// their sign; the others keep their scores.
    @Test func repetitionPenaltyOnKnownLogits() {
        var rules = SamplingRules()
        rules.repetitionPenalty = 2
        rules.repetitionWindow = 3
        var scores: [Float] = [4, -1, 3, 0.5, -2]
        scores.withUnsafeMutableBufferPointer { rules.penalize($0, recent: [2, 0, 1, 1, 3, 1]) }
        #expect(scores == [4, -2, 3, 0.25, -2])  // window [1, 3, 1]: 1 and 3, each once
        rules.repetitionWindow = 64
        scores = [4, -1, 3, 0.5, -2]
        scores.withUnsafeMutableBufferPointer { rules.penalize($0, recent: [2, 0, 1, 1, 3, 1]) }
        #expect(scores == [2, -2, 1.5, 0.25, -2])
        // Greedy choice moves off a repeated symbol once the penalty outweighs its lead.
        var rng = SplitMix64(seed: 1)
        rules.temperature = 0
        var weights = [Float](repeating: 0, count: 5)
        var logits: [Float] = [3, 2, 0, 0, 0]
        let pick = logits.withUnsafeMutableBufferPointer { z in
            weights.withUnsafeMutableBufferPointer { rules.draw(z, recent: [0], weights: $0, rng: &rng) }
        }
        #expect(pick == 1)
    }
}
