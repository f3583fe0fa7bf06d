// Word tokens for word2vec and word-level Markov models: normalization, then ICU word breaks.
@_implementationOnly import CICU

public final class WordTokenizer {
    public enum Numbers: Sendable, Equatable {
        case keep  // "1984" stays a token
        case map(String)  // every number becomes one token, e.g. "<num>"
        case drop
    }

    public struct Options: Sendable, Equatable {
        public var keepCase: Bool
        public var form: Normalizer.Form
        public var stripAccents: Bool
        public var numbers: Numbers
        public var locale: String
        public var punctuation: Bool  // also yield punctuation (for word-level generation)
        public init(
            keepCase: Bool = false, form: Normalizer.Form = .nfc, stripAccents: Bool = false,
            numbers: Numbers = .keep, locale: String = "", punctuation: Bool = false
        ) {
            self.keepCase = keepCase
            self.form = form
            self.stripAccents = stripAccents
            self.numbers = numbers
            self.locale = locale
            self.punctuation = punctuation
        }
    }

    public let options: Options
    public let normalizer: Normalizer
    private let breaker: BreakIterator

    public init(_ options: Options = Options()) throws {
        self.options = options
        normalizer = try Normalizer(
            .init(
                form: options.form, caseFold: !options.keepCase,
                stripAccents: options.stripAccents))
        breaker = try BreakIterator(UBRK_WORD, locale: options.locale)
    }

    /// The word tokens of `text`, in order; punctuation and spaces are dropped.
    public func tokenize(_ text: String) throws -> [String] {
        var out: [String] = []
        try tokenize(text) { out.append($0) }
        return out
    }

    /// Streams the tokens of `text` to `body` without building an array.
    public func tokenize(_ text: String, _ body: (String) throws -> Void) throws {
        let units = try normalizer.normalize(utf16: Array(text.utf16))
        try breaker.segments(units) { start, end, status in
            // ICU rule status ranges: [0,100) none (spaces, punctuation), [100,200) numbers,
            // [200,300) letters, [300,400) kana, [400,500) ideographs.
            switch status {
            case 0..<100:
                guard options.punctuation else { return }
                let piece = String(decoding: units[start..<end], as: UTF16.self)
                if !piece.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) { try body(piece) }
            case 100..<200:
                switch options.numbers {
                case .keep: try emit(units[start..<end], body)
                case .map(let token): try body(token)
                case .drop: return
                }
            default: try emit(units[start..<end], body)
            }
        }
    }

    /// A word segment, split at whitespace inside it: ICU joins letters across U+202F (narrow
    /// no-break space, Word_Break=ExtendNumLet), which would make "año\u{202F}" a word of its own.
    private func emit(_ segment: ArraySlice<UInt16>, _ body: (String) throws -> Void) throws {
        let word = String(decoding: segment, as: UTF16.self)
        guard segment.contains(where: { $0 >= 0x80 }),
            word.unicodeScalars.contains(where: { $0.properties.isWhitespace })
        else {
            return try body(word)
        }
        for part in word.unicodeScalars.split(whereSeparator: { $0.properties.isWhitespace }) {
            try body(String(String.UnicodeScalarView(part)))
        }
    }
}
