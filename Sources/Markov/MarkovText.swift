// Reading text the way Markov models see it: NFC grapheme clusters, or sentences of word tokens.
import VersoText

public struct MarkovText {
    let normalizer: Normalizer
    let graphemes: Graphemes
    let sentences: SentenceSplitter
    let words: WordTokenizer

    public init() throws {
        normalizer = try Normalizer()
        graphemes = try Graphemes()
        sentences = try SentenceSplitter()
        words = try WordTokenizer(.init(keepCase: true, punctuation: true))
    }

    /// The file's grapheme clusters, lines joined by "\n" (the same symbols `charnn` uses).
    public func characters(ofFile path: String, lenient: Bool = false) throws -> [String] {
        var out: [String] = []
        try CorpusReader(path: path, lenient: lenient).forEachPiece { newlineBefore, line in
            if newlineBefore { out.append("\n") }
            out.append(contentsOf: try graphemes.split(try normalizer.normalize(line)))
        }
        return out
    }

    /// Streams a file into `builder`: graphemes (character models) or sentences (word models),
    /// never holding more than a line and the counts of one chunk beside the model. Returns the
    /// number of symbols (graphemes, or sentences) read.
    @discardableResult
    public func feed(file path: String, unit: MarkovConfig.Unit, into builder: MarkovModel.Builder, lenient: Bool = false) throws -> Int {
        var n = 0
        let reader = try CorpusReader(path: path, lenient: lenient)
        switch unit {
        case .char:
            try reader.forEachPiece { newlineBefore, line in
                if newlineBefore { builder.addCharacters(["\n"]); n += 1 }
                let g = try graphemes.split(try normalizer.normalize(line))
                builder.addCharacters(g); n += g.count
            }
        case .word:
            try reader.forEachLine { line in
                for sentence in try sentences.split(line) {
                    let tokens = try words.tokenize(sentence)
                    if !tokens.isEmpty { builder.addSentence(tokens); n += 1 }
                }
            }
        }
        return n
    }

    public func characters(of text: String) throws -> [String] { try graphemes.split(try normalizer.normalize(text)) }

    public func tokens(of text: String) throws -> [String] { try words.tokenize(text) }
}
