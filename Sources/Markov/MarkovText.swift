// Reading text the way Markov models see it: NFC grapheme clusters, or sentences of word tokens.
import VersoStore
import VersoText

public struct MarkovText {
    let characters: CharacterPipeline
    let sentences: SentenceSplitter
    let words: WordTokenizer

    public init() throws {
        characters = try CharacterPipeline()
        sentences = try SentenceSplitter()
        words = try WordTokenizer(.init(keepCase: true, punctuation: true))
    }

    /// The corpus's grapheme clusters, lines joined by "\n" (the same symbols `charnn` uses).
    public func characters(of corpus: Corpus, threads: Int = 1) throws -> [String] {
        try EncodedSymbols.read(corpus, threads: threads).strings
    }

    /// Streams a corpus into `builder`: graphemes (character models) or sentences (word models),
    /// never holding more than a block of lines and its counts beside the model. Returns the
    /// number of symbols (graphemes, or sentences) read, and the text as read (NFC for character
    /// models), compressed as it went, which the store keeps for copy checks.
    @discardableResult
    public func feed(
        _ corpus: Corpus, unit: MarkovConfig.Unit, into builder: MarkovModel.Builder, threads: Int = 1,
        stop: StopRequest = .never
    ) throws -> (symbols: Int, text: TrainingText.Compressed) {
        var n = 0
        let text = try TrainingText.Writer()
        switch unit {
        case .char:
            var bytes: [UInt8] = []
            try EncodedSymbols.forEachBlock(corpus, threads: threads) { block in
                try stop.check()
                builder.addCharacters(ids: block.ids, symbols: block.table.symbols)
                n += block.ids.count
                let utf8 = block.table.symbols.map { Array($0.utf8) }
                bytes.removeAll(keepingCapacity: true)
                for id in block.ids { bytes.append(contentsOf: utf8[Int(id)]) }
                try bytes.withUnsafeBytes { try text.append($0) }
            }
        case .word:
            var first = true
            try corpus.reader().forEachLine { line in
                try stop.check()
                try text.append(first ? line : "\n" + line)
                first = false
                for sentence in try sentences.split(line) {
                    let tokens = try words.tokenize(sentence)
                    if !tokens.isEmpty {
                        builder.addSentence(tokens)
                        n += 1
                    }
                }
            }
        }
        return (n, try text.finish())
    }

    public func characters(of text: String) throws -> [String] { try characters.symbols(of: text) }

    public func tokens(of text: String) throws -> [String] { try words.tokenize(text) }
}
