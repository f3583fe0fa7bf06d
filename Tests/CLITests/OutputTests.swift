// The shared output helpers: fixed decimals as printf writes them, tables without trailing blanks.
import Foundation
import Testing
import VersoCLI
import VersoRandom

@Suite struct OutputTests {
    @Test func decimalsMatchPrintf() {
        var rng = SplitMix64(seed: 7)
        for i in 0..<20_000 {
            let magnitude = [1.0, 0.001, 1000, 1e7][i % 4]
            // Random signs and magnitudes; printf rounds the exact binary value, which only a
            // value lying on a rounding boundary to within 1e-9 could make differ.
            let value = (rng.nextDouble() * 2 - 1) * magnitude
            for places in [0, 1, 3, 4] {
                let expected = String(format: "%.\(places)f", value)
                let scaled = abs(value) * pow(10, Double(places))
                // (And printf's "-0.000" for a negative value that rounds to zero; Verso writes "0.000".)
                if abs(scaled - scaled.rounded(.down) - 0.5) < 1e-6 || scaled.rounded() == 0 { continue }
                #expect(Output.decimal(value, places: places) == expected, "\(value) to \(places) places")
            }
        }
        #expect(Output.decimal(-0.00001, places: 4) == "0.0000")
        #expect(Output.decimal(0.99996, places: 4) == "1.0000")
        #expect(Output.decimal(.nan, places: 3) == "nan")
    }

    @Test func tableRowsEndWithoutBlanks() {
        let table = Output.table(headers: ["word", "cosine"], rows: [["rey", "0.9"], ["", ""]], rightAligned: [1])
        #expect(table == "word  cosine\nrey      0.9\n")
    }
}

@Suite struct ArgumentTests {
    /// A negative number after a long option is its value (ArgumentParser alone reads "-1" as an
    /// option and says the value is missing); other words stay as they are.
    @Test func negativeNumbersAfterLongOptionsAreValues() {
        let given = [
            "sample", "--temp", "-1", "--length", "-5", "--lr", "-2e-3", "--x", "-.5", "--seed", "-abc", "--name=-1",
            "--flag", "-n", "-3", "-ab", "-2", "--", "--after", "-1",
        ]
        #expect(
            Verso.arguments(given) == [
                "sample", "--temp=-1", "--length=-5", "--lr=-2e-3", "--x=-.5", "--seed", "-abc", "--name=-1",
                "--flag", "-n=-3", "-ab", "-2", "--", "--after", "-1",
            ])
    }

    @Test func tablesEscapeControlCharacters() {
        let table = Output.table(headers: ["NAME"], rows: [["a\nb"], ["esc\u{1B}[31m"]])
        #expect(table == "NAME\na\\nb\nesc\\u{1B}[31m")
    }
}
