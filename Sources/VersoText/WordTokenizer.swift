// Word tokens for word2vec and word-level Markov models: normalization, then ICU word breaks, with a
// byte-level fast path (FastWords.swift) for the characters whose handling it knows to be ICU's.
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
    /// The fast path, for the options it covers: NFC, case kept or folded, the root locale.
    private let fast: FastWordScanner?

    public init(_ options: Options = Options()) throws {
        self.options = options
        normalizer = try Normalizer(
            .init(
                form: options.form, caseFold: !options.keepCase,
                stripAccents: options.stripAccents))
        breaker = try BreakIterator(UBRK_WORD, locale: options.locale)
        let covered = options.form == .nfc && !options.stripAccents && !options.punctuation && options.locale.isEmpty
        fast = covered ? FastWordScanner(table: options.keepCase ? .keepingCase : .folding) : nil
    }

    /// Whether the fast path serves these options (otherwise every line goes through ICU).
    public var hasFastPath: Bool { fast != nil }

    /// The word tokens of `text`, in order; punctuation and spaces are dropped.
    public func tokenize(_ text: String) throws -> [String] {
        var out: [String] = []
        try tokenize(text) { out.append($0) }
        return out
    }

    /// Streams the tokens of `text` to `body` without building an array.
    public func tokenize(_ text: String, _ body: (String) throws -> Void) throws {
        var text = text
        try text.withUTF8 { utf8 in
            try tokenize(utf8: utf8) { try body(String(decoding: $0, as: UTF8.self)) }
        }
    }

    /// The tokens of one line of valid UTF-8, as UTF-8 bytes that live only during the call: the
    /// fast path where it applies, ICU for the spans (text between spaces) it cannot decide.
    public func tokenize(
        utf8 line: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void
    )
        throws
    {
        func viaICU(_ range: Range<Int>) throws {
            try tokenizeWithICU(String(decoding: UnsafeBufferPointer(rebasing: line[range]), as: UTF8.self)) {
                var token = $0
                try token.withUTF8(body)
            }
        }
        guard let fast else { return try viaICU(0..<line.count) }
        try fast.scan(
            line,
            emit: { token, isNumber in
                guard isNumber else { return try body(token) }
                switch options.numbers {
                case .keep: try body(token)
                case .map(let replacement):
                    var replacement = replacement
                    try replacement.withUTF8(body)
                case .drop: return
                }
            }, fallback: viaICU)
    }

    /// The tokens as ICU alone gives them (normalization, break iterator, rule statuses): the
    /// reference the fast path is tested against.
    public func tokenizeWithICU(_ text: String, _ body: (String) throws -> Void) throws {
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
