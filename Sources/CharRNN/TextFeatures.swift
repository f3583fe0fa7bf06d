// Simple features of a text, one value per symbol, that a char-RNN's cells may track (Karpathy et al. 2015).

/// A feature of the text read so far, valued at every symbol: what a cell's state after reading
/// that symbol could encode.
public enum TextFeature: String, CaseIterable, Codable, Sendable {
    /// 1 inside a double-quoted span: `"` toggles; “ and « open, ” and » close. The quote marks count as inside.
    case inQuotes = "in_quotes"
    /// 1 while a (, [ or { is open; the opening bracket counts as inside, the closing one not.
    case inBrackets = "in_brackets"
    /// The symbol's place in its line as a fraction: column / the line's length (0 at a newline).
    case linePosition = "line_position"
    /// 1 for a newline: the state just after one.
    case afterNewline = "after_newline"
    /// 1 for a letter: the state inside a word.
    case inWord = "in_word"
    /// 1 for a vowel, accented or not, either case.
    case vowel
    /// The symbols since the last newline: the line's length so far.
    case lineLengthSoFar = "line_length_so_far"

    /// What the feature is, in a few words, for tables and the page.
    public var title: String {
        switch self {
        case .inQuotes: "inside quotes"
        case .inBrackets: "inside brackets"
        case .linePosition: "position in the line"
        case .afterNewline: "just after a newline"
        case .inWord: "inside a word"
        case .vowel: "vowel"
        case .lineLengthSoFar: "line length so far"
        }
    }

    /// The feature at every symbol of `symbols` (user-perceived characters), in order.
    public func values(of symbols: [String]) -> [Double] {
        switch self {
        case .inQuotes: Self.quoted(symbols)
        case .inBrackets: Self.bracketed(symbols)
        case .linePosition: Self.columns(symbols, fraction: true)
        case .afterNewline: symbols.map { $0 == "\n" ? 1 : 0 }
        case .inWord: symbols.map { s in s.unicodeScalars.first.map { $0.properties.isAlphabetic } == true ? 1 : 0 }
        case .vowel: symbols.map { Self.vowels.contains($0.lowercased()) ? 1 : 0 }
        case .lineLengthSoFar: Self.columns(symbols, fraction: false)
        }
    }

    static let vowels: Set<String> = [
        "a", "e", "i", "o", "u", "á", "é", "í", "ó", "ú", "à", "è", "ì", "ò", "ù",
        "â", "ê", "î", "ô", "û", "ä", "ë", "ï", "ö", "ü",
    ]

    private static func quoted(_ symbols: [String]) -> [Double] {
        var inside = false
        return symbols.map { s in
            switch s {
            case "\"":
                // The closing mark is still part of the quote: the value is taken before it toggles off.
                defer { inside.toggle() }
                return 1
            case "“", "«":
                inside = true
                return 1
            case "”", "»":
                inside = false
                return 1
            default: return inside ? 1 : 0
            }
        }
    }

    private static func bracketed(_ symbols: [String]) -> [Double] {
        var depth = 0
        return symbols.map { s in
            switch s {
            case "(", "[", "{": depth += 1
            case ")", "]", "}": depth = max(0, depth - 1)
            default: break
            }
            return depth > 0 ? 1 : 0
        }
    }

    /// Each symbol's column (a newline is column 0, the next symbol 1); as a fraction of its
    /// line's length (the symbols up to the next newline or the end) when `fraction` is set.
    private static func columns(_ symbols: [String], fraction: Bool) -> [Double] {
        var column = [Double](repeating: 0, count: symbols.count)
        var start = 0
        for (t, s) in symbols.enumerated() {
            if s == "\n" {
                if fraction { normalise(&column, start..<t) }
                start = t + 1
                column[t] = 0
            } else {
                column[t] = Double(t - start + 1)
            }
        }
        if fraction { normalise(&column, start..<symbols.count) }
        return column
    }

    private static func normalise(_ column: inout [Double], _ line: Range<Int>) {
        let length = Double(line.count)
        for t in line { column[t] /= length }
    }
}
