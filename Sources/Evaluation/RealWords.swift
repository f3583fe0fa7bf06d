// The real-word rate of generated text: the share of its words that occur in the training text.

/// Words are maximal runs of letters, lowercased; a sample whose words are mostly real spells
/// like its training text. Beside novelty (copied windows) it tells writing from copying.
public struct RealWordIndex: Sendable {
    private let words: Set<String>

    public init(training symbols: [String]) {
        var words = Set<String>()
        Self.forEachWord(symbols) { words.insert($0) }
        self.words = words
    }

    /// The share of `generated`'s words found in the training text (nil: it has no words).
    public func rate(_ generated: [String]) -> Double? {
        var total = 0, real = 0
        Self.forEachWord(generated) { w in
            total += 1
            if words.contains(w) { real += 1 }
        }
        return total == 0 ? nil : Double(real) / Double(total)
    }

    static func forEachWord(_ symbols: [String], _ body: (String) -> Void) {
        var word = ""
        for s in symbols {
            if let c = s.first, c.isLetter {
                word += s.lowercased()
            } else if !word.isEmpty {
                body(word)
                word = ""
            }
        }
        if !word.isEmpty { body(word) }
    }
}

/// Both checks of a sample against one training text: copied windows and real words.
public struct SampleCheck: Sendable {
    public let novelty: NoveltyIndex
    public let realWords: RealWordIndex

    public init(training symbols: [String]) {
        novelty = NoveltyIndex(training: symbols)
        realWords = RealWordIndex(training: symbols)
    }

    public struct Figures: Sendable {
        public var copied: Double  // share of 20-symbol windows found in the training text
        public var copiedSpans: [Range<Int>]  // copied stretches, in symbols
        public var realWords: Double?  // share of words found in the training text
    }

    public func check(_ generated: [String]) -> Figures {
        let copies = novelty.copies(generated)
        return Figures(copied: copies.fraction, copiedSpans: copies.spans, realWords: realWords.rate(generated))
    }
}
