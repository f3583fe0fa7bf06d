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
        let symbols = generator.symbols, v = symbols.count
        let state = generator.startState()
        state.advance(ids[0])
        var out: [SymbolScore] = []
        out.reserveCapacity(ids.count - 1)
        for id in ids.dropFirst() {
            let logp = state.logProbabilities(count: v)
            let ranked = (0..<v).sorted { logp[$0] != logp[$1] ? logp[$0] > logp[$1] : $0 < $1 }.prefix(top)
            out.append(
                SymbolScore(
                    symbol: symbols[Int(id)], bits: -logp[Int(id)] / 0.693_147_180_559_945_3,
                    expected: ranked.map { SymbolScore.Expected(symbol: symbols[$0], probability: _exp(logp[$0])) }))
            state.advance(id)
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
