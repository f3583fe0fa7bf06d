// Fine-tuning across vocabularies: new symbols get fresh rows, shared symbols keep every weight.
import Foundation
import Testing
import VersoNN
import VersoRandom
import VersoText
@testable import CharRNN

@Suite struct VocabularyGrowthTests {
    @Test func grownVocabularyKeepsTheBaseIdsAndAppendsTheNewSymbols() throws {
        let base = CharVocabulary.build(["a", "b", "c", "a"])
        let path = NSTemporaryDirectory() + "verso-grow-\(UUID().uuidString).txt"
        try "cab día".write(toFile: path, atomically: true, encoding: .utf8)
        let corpus = try EncodedSymbols.read(path: path)
        let grown = VocabularyGrowth.grown(base, by: corpus)
        #expect(Array(grown.symbols.prefix(3)) == base.symbols)
        #expect(Set(grown.symbols.dropFirst(3)) == [" ", "d", "í"])
        #expect(grown.counts[Int(grown.id("a")!)] == 2 && grown.counts[Int(grown.id("d")!)] == 1)
    }

    @Test(arguments: CellKind.allCases)
    func widenedNetworkScoresTheSharedSymbolsAsTheBaseDid(cell: CellKind) {
        let base = StackedRNN(NetworkConfig(cell: cell, vocabSize: 4, hidden: 8, layers: 2))
        var rng = SplitMix64(seed: 3)
        base.initialise(rng: &rng)
        for i in 0..<base.params.count { base.params.values.p[i] *= 3 }
        let wide = VocabularyGrowth.widen(base, to: 7, rng: &rng)
        #expect(wide.config.vocabSize == 7)
        let a = StreamState(base), b = StreamState(wide)
        for id: Int32 in [0, 3, 1, 1, 2, 0] {
            a.feed(id)
            b.feed(id)
            for j in 0..<4 { #expect(abs(a.logits.p[j] - b.logits.p[j]) < 1e-5) }
            #expect((4..<7).allSatisfy { b.logits.p[$0] != 0 })  // fresh decoder columns
        }
        // The new symbols' biases start at the base's lowest.
        let bias = wide.params.slices.first { $0.name == "decoder.b" }!
        let baseBias = base.params.slices.first { $0.name == "decoder.b" }!
        let lowest = (0..<4).map { base.params.value(baseBias.offset)[$0] }.min()!
        #expect((4..<7).allSatisfy { wide.params.value(bias.offset)[$0] == lowest })
        // A new symbol fed in moves the state: its input row is fresh, not zero.
        let c = StreamState(wide), d = StreamState(wide)
        c.feed(5)
        d.feed(6)
        #expect((0..<7).contains { c.logits.p[$0] != d.logits.p[$0] })
    }
}
