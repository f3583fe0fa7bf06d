// Counting in chunks (bounded memory) must give exactly the counts of the whole corpus at once.
import Testing
@testable import Markov

@Suite struct ChunkedCountingTests {
    /// A reproducible text over a small alphabet, so contexts repeat and tries are deep.
    func randomIDs(_ n: Int, vocab: Int, seed: UInt64) -> [Int32] {
        var state = seed
        return (0..<n).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int32((state >> 33) % UInt64(vocab))
        }
    }

    func dictionary(_ c: NGramCounts) -> [String: [Int32]] { Dictionary(uniqueKeysWithValues: c.arrays) }

    @Test(arguments: [1, 2, 5, 13, 100, 10_000])
    func characterStreamInChunksEqualsWhole(chunk: Int) {
        let ids = randomIDs(600, vocab: 5, seed: 7)
        let whole = NGramCounts(sequences: [ids], vocabSize: 5, order: 4)
        let acc = NGramAccumulator(order: 4, chunkSize: chunk)
        for part in stride(from: 0, to: ids.count, by: 37) {
            acc.append(contentsOf: ids[part..<min(part + 37, ids.count)], vocabSize: 5)
        }
        #expect(dictionary(acc.finish(vocabSize: 5)) == dictionary(whole))
    }

    @Test(arguments: [1, 4, 30])
    func sentencesInChunksEqualWhole(chunk: Int) {
        let sentences = (0..<40).map { s in
            [0, 0] + randomIDs(3 + s % 7, vocab: 6, seed: UInt64(s)).map { $0 + 2 } + [1]
        }
        let whole = NGramCounts(sequences: sentences, vocabSize: 8, order: 2)
        let acc = NGramAccumulator(order: 2, chunkSize: chunk)
        for s in sentences { acc.addSequence(s, vocabSize: 8) }
        #expect(dictionary(acc.finish(vocabSize: 8)) == dictionary(whole))
    }

    /// The trie's raw and continuation counts against counting every n-gram by brute force.
    @Test func countsMatchBruteForce() {
        let ids = randomIDs(400, vocab: 4, seed: 3), order = 3
        let acc = NGramAccumulator(order: order, chunkSize: 17)
        acc.append(contentsOf: ids, vocabSize: 4)
        let c = acc.finish(vocabSize: 4)
        var raw: [[Int32]: Int32] = [:], followers: [[Int32]: Set<Int32>] = [:]
        for i in 0..<ids.count {
            for k in 0...min(order, i) {
                let context = Array(ids[(i - k)..<i])
                raw[context + [ids[i]], default: 0] += 1
                if k + 1 <= order && i - k - 1 >= 0 {
                    followers[context + [ids[i]], default: []].insert(ids[i - k - 1])
                }
            }
        }
        let children = c.children
        func node(_ context: [Int32]) -> Int32? {
            var n: Int32 = 0
            for s in context.reversed() {
                guard let child = children.get(UInt64(UInt32(n)) << 32 | UInt64(UInt32(bitPattern: s))) else {
                    return nil
                }
                n = child
            }
            return n
        }
        for (gram, count) in raw {
            let h = node(Array(gram.dropLast()))
            #expect(h != nil)
            #expect(c.count(h!, gram.last!, continuation: false) == count, "C(\(gram))")
            #expect(c.count(h!, gram.last!, continuation: true) == Int32(followers[gram]?.count ?? 0), "N1+(• \(gram))")
        }
        #expect(c.rawSymbol.count == raw.count)
    }
}
