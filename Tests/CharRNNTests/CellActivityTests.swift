// `charnn cells`: the text features on hand-made text, and the ranking finding a planted vowel cell.
import Foundation
import Testing
import VersoNN
import VersoRandom
@testable import CharRNN

@Suite struct CellActivityTests {
    @Test func featuresOfAHandMadeText() {
        let symbols = "ab \"cé\" (d)\nxy".map(String.init)
        func values(_ f: TextFeature) -> [Double] { f.values(of: symbols) }
        //                 a  b  ␠  "  c  é  "  ␠  (  d  )  ␤  x  y
        #expect(values(.inQuotes) == [0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0])
        #expect(values(.inBrackets) == [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0])
        #expect(values(.afterNewline) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0])
        #expect(values(.inWord) == [1, 1, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 1, 1])
        #expect(values(.vowel) == [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(values(.lineLengthSoFar) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 1, 2])
        let position = values(.linePosition)
        #expect(position[10] == 1 && position[0] == 1.0 / 11 && position[11] == 0 && position[13] == 1)
        #expect(TextFeature.inQuotes.values(of: ["“", "a", "”", "b"]) == [1, 1, 1, 0])
    }

    /// A random 1-layer LSTM whose cell `planted` copies "the symbol is a vowel" into c: its input
    /// and output gates always open, its forget gate shut, its candidate tanh(4) for a vowel, else 0.
    static func plantedNetwork(vocabulary symbols: [String], planted j: Int) -> StackedRNN {
        let H = 6, V = symbols.count
        let network = StackedRNN(NetworkConfig(cell: .lstm, vocabSize: V, hidden: H, layers: 1))
        var rng = SplitMix64(seed: 11)
        network.initialise(rng: &rng)
        let p = network.params
        let wx = p.value(p.slice("layer0.Wx")!.offset), wh = p.value(p.slice("layer0.Wh")!.offset)
        let b = p.value(p.slice("layer0.b")!.offset)
        for gate in 0..<4 {
            let column = gate * H + j
            for row in 0..<V { wx[row * 4 * H + column] = 0 }
            for row in 0..<H { wh[row * 4 * H + column] = 0 }
            b[column] = [12, -12, 12, 0][gate]  // i, f, o, g
        }
        for (id, s) in symbols.enumerated() where TextFeature.vowels.contains(s) { wx[id * 4 * H + 3 * H + j] = 4 }
        return network
    }

    @Test func theRankingFindsAPlantedVowelCellAndItsSaturatedGates() throws {
        let text = "la casa de piedra\nel perro que corre\ny un gato gris duerme al sol\n"
        let symbols = Array(Set(text.map(String.init))).sorted()
        let network = Self.plantedNetwork(vocabulary: symbols, planted: 4)
        let textSymbols = text.map(String.init)
        let ids = textSymbols.map { Int32(symbols.firstIndex(of: $0)!) }
        let analysis = CellActivity.analyse(network: network, ids: ids, symbols: textSymbols, top: 3)
        let vowel = try #require(analysis.features.first { $0.feature == .vowel })
        #expect(vowel.varies && vowel.cells.count == 3)
        #expect(Set(vowel.cells.prefix(2).map(\.unit)) == [
            CellUnit(layer: 0, cell: 4, state: .c), CellUnit(layer: 0, cell: 4, state: .h),
        ])
        #expect(vowel.cells[0].r > 0.999)
        #expect(vowel.cells[2].unit.cell != 4 && abs(vowel.cells[2].r) < vowel.cells[1].r)
        let quotes = try #require(analysis.features.first { $0.feature == .inQuotes })
        #expect(!quotes.varies && quotes.cells.isEmpty)
        // The planted input gate is open at every step, its forget gate shut at every step.
        let input = try #require(analysis.saturation.first { $0.gate == "input" })
        let forget = try #require(analysis.saturation.first { $0.gate == "forget" })
        #expect(input.cellsRight[4] == 1 && forget.cellsLeft[4] == 1)
        #expect(analysis.saturation.map(\.gate) == ["input", "forget", "output"])
        // The recorded trace is c itself: tanh(4) at a vowel, 0 elsewhere.
        let traces = CellActivity.trace(
            network: network, ids: Array(ids.prefix(10)),
            units: [CellUnit(layer: 0, cell: 4, state: .c), CellUnit(layer: 0, cell: 4, state: .h)])
        let trace = traces[0]
        #expect(trace.count == 10 && traces[1].count == 10)
        for (t, s) in textSymbols.prefix(10).enumerated() {
            #expect(abs(trace[t] - (TextFeature.vowels.contains(s) ? tanhf(4) : 0)) < 1e-4)
        }
    }

    @Test func aGRUHasOnlyOutputUnitsAndTwoGates() {
        let network = StackedRNN(NetworkConfig(cell: .gru, vocabSize: 3, hidden: 4, layers: 2))
        var rng = SplitMix64(seed: 2)
        network.initialise(rng: &rng)
        let ids: [Int32] = [0, 1, 2, 0, 2, 1, 1, 0]
        let analysis = CellActivity.analyse(network: network, ids: ids, symbols: ids.map { ["a", "b", "\n"][Int($0)] })
        #expect(analysis.features.allSatisfy { $0.cells.allSatisfy { $0.unit.state == .h } })
        #expect(analysis.saturation.map(\.gate) == ["reset", "update", "reset", "update"])
        #expect(analysis.features.first { $0.feature == .vowel }!.cells.count == CellActivity.defaultTop)
    }
}
