// What a model expected at every symbol of a text: each symbol's surprisal and the symbols it ranked first.

/// One symbol of a scored text.
public struct SymbolScore: Codable, Sendable, Equatable {
    /// A symbol the model expected there, with its probability.
    public struct Expected: Codable, Sendable, Equatable {
        public let symbol: String
        public let probability: Double
    }

    public let symbol: String
    /// −log₂ p(symbol | the text before it): the bits the model needed to encode it.
    public let bits: Double
    /// The symbols the model ranked first there, most probable first.
    public let expected: [Expected]
}

public enum SymbolScores {
    /// How many expected symbols each score lists unless told otherwise.
    public static let defaultTop = 5

    /// Every symbol of `ids` but the first (which is context only, as a cross-entropy predicts
    /// `ids.count − 1` symbols) scored by `generator`, one step at a time from its start state.
    /// Their bits sum to the model's cross-entropy of the same text scored as one stream. A mixture
    /// learns on as it goes, each symbol predicted before its weights see it.
    public static func score(_ generator: any Generator, ids: [Int32], top: Int = defaultTop) -> [SymbolScore] {
        guard ids.count > 1 else { return [] }
        let symbols = generator.symbols, v = symbols.count, k = min(top, v)
        let rows = generator.scoresAfterEach(Array(ids.dropLast()))
        var out: [SymbolScore] = []
        out.reserveCapacity(ids.count - 1)
        var best = [Int](repeating: 0, count: k)
        rows.withUnsafeBufferPointer { all in
            for t in 0..<(ids.count - 1) {
                let z = all.baseAddress! + t * v
                // ln Σ e^z, shifted by the largest score, in Double (as `logProbabilities`).
                var high = z[0]
                for j in 1..<v where z[j] > high { high = z[j] }
                var sum = 0.0
                for j in 0..<v where z[j] > -Float.infinity { sum += _exp(Double(z[j] - high)) }
                let logSum = Double(high) + _log(sum)
                // The k largest by insertion, ties to the lower id: one pass over the row.
                var filled = 0
                for j in 0..<v {
                    guard filled < k || z[j] > z[best[filled - 1]] else { continue }
                    var at = min(filled, k - 1)
                    while at > 0 && z[best[at - 1]] < z[j] {
                        best[at] = best[at - 1]
                        at -= 1
                    }
                    best[at] = j
                    filled = min(filled + 1, k)
                }
                let target = Int(ids[t + 1])
                out.append(
                    SymbolScore(
                        symbol: symbols[target], bits: (logSum - Double(z[target])) / 0.693_147_180_559_945_3,
                        expected: best.prefix(filled).map {
                            SymbolScore.Expected(symbol: symbols[$0], probability: _exp(Double(z[$0]) - logSum))
                        }))
            }
        }
        return out
    }
}

/// A text scored symbol by symbol, as `eval --per-symbol` prints it and the API answers it.
public struct ScoredText: Encodable, Sendable {
    public let model: String
    public let bitsPerChar: Double
    public let chars: Int
    public let symbols: [SymbolScore]

    enum CodingKeys: String, CodingKey {
        case model, chars, symbols
        case bitsPerChar = "bits_per_char"
    }

    public init(model: String, symbols: [SymbolScore]) {
        self.model = model
        self.symbols = symbols
        chars = symbols.count
        bitsPerChar = symbols.isEmpty ? .nan : symbols.reduce(0) { $0 + $1.bits } / Double(symbols.count)
    }

    /// One line per symbol: the symbol (a space as ␠, a newline as ␤), its bits, and the expected
    /// symbols with their probabilities.
    public var lines: [String] {
        func shown(_ s: String) -> String { s == " " ? "␠" : s == "\n" ? "␤" : s == "\t" ? "⇥" : s }
        return symbols.map { s in
            let expected = s.expected.map { "\(shown($0.symbol)) \(rounded($0.probability, 3))" }
            return "\(shown(s.symbol))\t\(rounded(s.bits, 2))\t" + expected.joined(separator: "  ")
        }
    }

    private func rounded(_ x: Double, _ places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let r = (x * scale).rounded() / scale
        var text = String(r)
        let decimals = text.split(separator: ".").last?.count ?? 0
        if !text.contains(".") { text += "." }
        return text + String(repeating: "0", count: max(0, places - decimals))
    }
}
