// The symbol set of a char-RNN: NFC grapheme clusters, so an accented letter is never split.
import VersoText

public struct CharVocabulary: Sendable, Equatable {
    public let symbols: [String]
    public let counts: [Int]
    private let index: [String: Int32]

    public init(symbols: [String], counts: [Int]) {
        self.symbols = symbols
        self.counts = counts
        var index: [String: Int32] = [:]
        for (i, s) in symbols.enumerated() { index[s] = Int32(i) }
        self.index = index
    }

    /// Builds the vocabulary of `graphemes`, sorted by code point order so it is reproducible.
    public static func build(_ graphemes: [String]) -> CharVocabulary {
        var counts: [String: Int] = [:]
        for g in graphemes { counts[g, default: 0] += 1 }
        let symbols = counts.keys.sorted {
            Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.unicodeScalars.map(\.value))
        }
        return CharVocabulary(symbols: symbols, counts: symbols.map { counts[$0]! })
    }

    /// The vocabulary of a corpus read as symbol ids, in the same order as `build(_:)`.
    public static func build(_ corpus: EncodedSymbols) -> CharVocabulary {
        let order = corpus.table.symbols.indices.sorted {
            let (a, b) = (corpus.table.symbols[$0], corpus.table.symbols[$1])
            return Array(a.unicodeScalars.map(\.value)).lexicographicallyPrecedes(b.unicodeScalars.map(\.value))
        }
        return CharVocabulary(
            symbols: order.map { corpus.table.symbols[$0] }, counts: order.map { corpus.table.counts[$0] })
    }

    /// The ids of a corpus read as symbol ids; symbols this vocabulary lacks are collected.
    public func encode(_ corpus: EncodedSymbols) -> (ids: [Int32], unknown: [String]) {
        let mapped = corpus.table.symbols.map { index[$0] ?? -1 }
        var ids: [Int32] = [], unknown: [String] = []
        ids.reserveCapacity(corpus.ids.count)
        for local in corpus.ids {
            let id = mapped[Int(local)]
            if id >= 0 { ids.append(id) } else { unknown.append(corpus.table.symbols[Int(local)]) }
        }
        return (ids, unknown)
    }

    public var count: Int { symbols.count }
    public func id(_ symbol: String) -> Int32? { index[symbol] }

    /// Ids of `graphemes`; unknown symbols are collected rather than silently dropped.
    public func encode(_ graphemes: [String]) -> (ids: [Int32], unknown: [String]) {
        var ids: [Int32] = [], unknown: [String] = []
        ids.reserveCapacity(graphemes.count)
        for g in graphemes {
            if let i = index[g] { ids.append(i) } else { unknown.append(g) }
        }
        return (ids, unknown)
    }
}

/// Text → NFC → grapheme clusters, the same way for training, evaluation and seeds.
/// A whole text file (UTF-8 checked), lines joined with "\n".
public func readText(_ path: String, lenient: Bool = false) throws -> String {
    try CorpusReader.readText(path: path, lenient: lenient)
}
