// Nucleus (top-p) sampling: the kept set is the fewest most likely symbols reaching p.
import Testing
@testable import VersoNN

@Suite struct NucleusTests {
    func kept(_ weights: [Float], topP: Float) -> (kept: [Float], sum: Float) {
        var p = weights
        let sum = p.withUnsafeMutableBufferPointer {
            StreamState.keepNucleus($0.baseAddress!, count: weights.count, sum: weights.reduce(0, +), topP: topP)
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
}
