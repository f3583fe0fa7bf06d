// The symbols of character models (char-RNN and character Markov chains): NFC grapheme clusters,
// lines joined by "\n". One pipeline, so both kinds of model see the same symbols; a fast path
// (FastGraphemes.swift) for the characters that are symbols by themselves, ICU for the rest.

public struct CharacterPipeline {
    let normalizer: Normalizer
    let graphemes: Graphemes
    let fast: FastGraphemeScanner
    let table: FastGraphemeTable

    public init() throws {
        normalizer = try Normalizer()
        graphemes = try Graphemes()
        fast = FastGraphemeScanner()
        table = .shared
    }

    public func symbols(of text: String) throws -> [String] {
        var out: [String] = []
        var text = text
        try text.withUTF8 { utf8 in
            try forEachSymbol(utf8, single: { out.append(table.strings[$0]) }, other: { out.append($0) })
        }
        return out
    }

    /// The symbols as ICU alone gives them (NFC, then its grapheme breaker): the fast path's reference.
    public func symbolsWithICU(of text: String) throws -> [String] {
        try graphemes.split(try normalizer.normalize(text))
    }

    /// Calls `single(slot)` for each symbol that is one character the fast path knows, and
    /// `other(symbol)` for every other symbol. A one-character symbol always comes as a slot,
    /// whichever path found it, so callers can count symbols by slot without a String each.
    func forEachSymbol(
        _ text: UnsafeBufferPointer<UInt8>, single: (Int) throws -> Void, other: (String) throws -> Void
    ) throws {
        try fast.scan(
            text, single: single,
            piece: { range in
                let piece = String(decoding: UnsafeBufferPointer(rebasing: text[range]), as: UTF8.self)
                for symbol in try graphemes.split(try normalizer.normalize(piece)) {
                    if let slot = table.slot(ofSingle: symbol) { try single(slot) } else { try other(symbol) }
                }
            })
    }

    /// A corpus file's symbols, all in memory.
    public func symbols(ofFile path: String, lenient: Bool = false) throws -> [String] {
        try EncodedSymbols.read(path: path, lenient: lenient).strings
    }
}
