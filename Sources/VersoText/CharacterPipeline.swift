// The symbols of character models (char-RNN and character Markov chains): NFC grapheme clusters,
// lines joined by "\n". One pipeline, so both kinds of model see the same symbols.

public struct CharacterPipeline {
    let normalizer: Normalizer
    let graphemes: Graphemes

    public init() throws {
        normalizer = try Normalizer()
        graphemes = try Graphemes()
    }

    public func symbols(of text: String) throws -> [String] {
        try graphemes.split(try normalizer.normalize(text))
    }

    /// Streams a corpus file (UTF-8 checked, long lines in pieces) as runs of symbols: `body` gets
    /// "\n" between lines, then each piece's graphemes, so memory holds one piece at a time.
    public func forEachRun(ofFile path: String, lenient: Bool = false, _ body: ([String]) throws -> Void) throws {
        try CorpusReader(path: path, lenient: lenient).forEachPiece { newlineBefore, line in
            if newlineBefore { try body(["\n"]) }
            try body(try symbols(of: line))
        }
    }

    /// A corpus file's symbols, all in memory.
    public func symbols(ofFile path: String, lenient: Bool = false) throws -> [String] {
        var out: [String] = []
        try forEachRun(ofFile: path, lenient: lenient) { out.append(contentsOf: $0) }
        return out
    }
}
