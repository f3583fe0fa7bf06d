// The copied fraction: 1 for an excerpt of the training text, near 0 for random text.
import Testing
import VersoNN
@testable import Evaluation
import VersoRandom

@Suite struct NoveltyTests {
    let training: [String] = {
        var rng = SplitMix64(seed: 11)
        let letters = Array("abcdefghijklmnopqrstuvwxyz ")
        return (0..<20_000).map { _ in String(letters[Int(rng.next() % 27)]) }
    }()

    @Test func anExcerptIsFullyCopied() {
        let index = NoveltyIndex(training: training)
        #expect(index.copiedFraction(Array(training[5000..<7000])) == 1)
    }

    @Test func randomTextIsNovel() {
        let index = NoveltyIndex(training: training)
        var rng = SplitMix64(seed: 99)
        let letters = Array("abcdefghijklmnopqrstuvwxyz ")
        let random = (0..<5000).map { _ in String(letters[Int(rng.next() % 27)]) }
        #expect(index.copiedFraction(random) < 0.001)
    }

    @Test func shortTextHasNoWindows() {
        #expect(NoveltyIndex(training: training).copiedFraction(["a", "b"]) == 0)
    }
}
