// A thin owner of one ICU break iterator (word, sentence or character) reused across texts.
@_implementationOnly import CICU

/// One ICU `UBreakIterator`, opened once and pointed at each new text: opening is the expensive
/// part, so tokenizers keep one and call `segments` per line. Not thread-safe; one per thread.
final class BreakIterator {
    private let iterator: OpaquePointer

    init(_ type: UBreakIteratorType, locale: String = "") throws {
        var status = U_ZERO_ERROR
        let empty: [UInt16] = [0]
        let it = empty.withUnsafeBufferPointer { verso_ubrk_open(type, locale, $0.baseAddress, 0, &status) }
        try checkICU(status, "opening the ICU break iterator")
        iterator = it!
    }

    deinit { verso_ubrk_close(iterator) }

    /// Calls `body(start, end, ruleStatus)` for each segment of `text` (UTF-16 offsets).
    func segments(_ text: [UInt16], _ body: (Int, Int, Int32) throws -> Void) throws {
        if text.isEmpty { return }
        try text.withUnsafeBufferPointer { buf in
            var status = U_ZERO_ERROR
            verso_ubrk_setText(iterator, buf.baseAddress, Int32(buf.count), &status)
            try checkICU(status, "setting the break iterator's text")
            var start = Int(verso_ubrk_first(iterator))
            while true {
                let end = Int(verso_ubrk_next(iterator))
                if end < 0 { break }  // UBRK_DONE
                try body(start, end, verso_ubrk_getRuleStatus(iterator))
                start = end
            }
            // Do not leave ICU holding a pointer into a buffer that is about to go away.
            let none: [UInt16] = [0]
            none.withUnsafeBufferPointer { verso_ubrk_setText(iterator, $0.baseAddress, 0, &status) }
        }
    }
}

/// Splits text into user-perceived characters (extended grapheme clusters), as ICU defines them.
public final class Graphemes {
    private let breaker: BreakIterator
    public init() throws { breaker = try BreakIterator(UBRK_CHARACTER) }
    /// One shared string per ASCII character: ASCII text needs no break iterator, nor a new string per character.
    static let ascii: [String] = (0..<128).map { String(UnicodeScalar(UInt8($0))) }

    /// Strings already made for one-unit graphemes (accented letters and the like), so a
    /// non-ASCII line does not build a new String per character.
    private var single: [UInt16: String] = [:]

    public func split(_ text: String) throws -> [String] {
        // ASCII is a symbol per character, but for "\r\n", one cluster.
        if isASCII(text) && !text.utf8.contains(0x0D) { return text.utf8.map { Graphemes.ascii[Int($0)] } }
        let units = Array(text.utf16)
        var out: [String] = []
        out.reserveCapacity(units.count)
        try breaker.segments(units) { s, e, _ in
            if e - s == 1 {
                let u = units[s]
                if u < 0x80 {
                    out.append(Graphemes.ascii[Int(u)])
                    return
                }
                if let known = single[u] {
                    out.append(known)
                    return
                }
                let made = String(decoding: units[s..<e], as: UTF16.self)
                if single.count < 4096 { single[u] = made }
                out.append(made)
            } else {
                out.append(String(decoding: units[s..<e], as: UTF16.self))
            }
        }
        return out
    }
}

/// Splits text into sentences with ICU's sentence break rules (trailing spaces stay with the sentence).
public final class SentenceSplitter {
    private let breaker: BreakIterator
    public init(locale: String = "") throws { breaker = try BreakIterator(UBRK_SENTENCE, locale: locale) }

    public func split(_ text: String) throws -> [String] {
        let units = Array(text.utf16)
        var out: [String] = []
        try breaker.segments(units) { s, e, _ in
            let sentence = String(decoding: units[s..<e], as: UTF16.self)
            let trimmed = trimWhitespace(sentence)
            if !trimmed.isEmpty { out.append(trimmed) }
        }
        return out
    }
}

func trimWhitespace(_ s: String) -> String {
    let scalars = s.unicodeScalars
    guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
    else { return "" }
    return String(scalars[first...last])
}
