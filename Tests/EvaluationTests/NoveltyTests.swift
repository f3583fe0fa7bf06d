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

    /// Random text with two excerpts of the training text spliced in: exactly those two stretches
    /// are reported, each a little wider than its excerpt at most by chance.
    @Test func copiedSpansAreTheSplicedExcerpts() {
        var rng = SplitMix64(seed: 5)
        let letters = Array("abcdefghijklmnopqrstuvwxyz ")
        var text = (0..<300).map { _ in String(letters[Int(rng.next() % 27)]) }
        text.replaceSubrange(40..<90, with: training[1000..<1050])
        text.replaceSubrange(200..<225, with: training[9000..<9025])
        let (fraction, spans) = NoveltyIndex(training: training).copies(text)
        #expect(spans == [40..<90, 200..<225])
        #expect(fraction == Double(31 + 6) / Double(300 - 19))
    }

    @Test func shortTextHasNoWindows() {
        #expect(NoveltyIndex(training: training).copiedFraction(["a", "b"]) == 0)
    }
}

@Suite struct StatisticsTests {
    @Test func spearmanOfMonotoneAndReversedRanks() {
        #expect(Statistics.spearman([1, 2, 3, 4], [10, 20, 30, 400]) == 1)
        #expect(Statistics.spearman([1, 2, 3, 4], [4, 3, 2, 1]) == -1)
        #expect(Statistics.ranks([5, 1, 5, 3]) == [3.5, 1, 3.5, 2])  // ties share their mean rank
        #expect(Statistics.spearman([1], [2]).isNaN)
    }
}

@Suite struct WindowHashTests {
    /// The rolling hash equals the hash computed from scratch for every window.
    @Test func rollingHashMatchesDirectHash() {
        let codes: [UInt64] = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]
        var rolled: [UInt64] = []
        WindowHash.forEach(codes, window: 4) { rolled.append($0) }
        let direct = (0...(codes.count - 4)).map { start in
            codes[start..<start + 4].reduce(UInt64(0)) { $0 &* 0x100_0000_01B3 &+ $1 }
        }
        #expect(rolled == direct)
    }
}
