// The fast path of word tokenizing: characters whose word-break class, case folding and NFC form
// are read from ICU's own data once, then scanned byte by byte; a span holding anything else goes
// to ICU, so the tokens are ICU's tokens (tested token for token and fuzzed against ICU alone).
@_implementationOnly import CICU

/// How the fast scanner treats a character: the UAX #29 word-break classes it decides itself.
enum FastWordRole: UInt8 {
    case unknown = 0  // the span goes to ICU
    case letter  // ALetter
    case digit  // Numeric
    case midLetter  // joins letters only (U+00B7 "l·l")
    case midNum  // joins digits only ("3,5")
    case midNumLet  // joins letters or digits ("l'amour", "3.5")
    case other  // a break on both sides: punctuation, symbols, spaces other than U+0020
}

/// What the fast path knows about each character of U+0000–U+07FF and U+2000–U+20BF: its role and
/// its case-folded UTF-8. A character is known only when ICU's properties say that folding and NFC
/// leave it a run of characters of the same role that never combine with their neighbours, and
/// ICU's word breaker, asked about it between letters and between digits, agrees with the role.
final class FastWordTable: Sendable {
    static let folding = FastWordTable(caseFold: true)  // built once, on first use
    static let keepingCase = FastWordTable(caseFold: false)

    static let size = 0x800 + 0xC0
    let roles: [FastWordRole]
    let foldStart: [Int32]  // −1: the character folds to itself
    let foldLength: [UInt8]
    let foldBytes: [UInt8]

    /// The table slot of a scalar, or nil outside the two ranges.
    static func slot(_ scalar: UInt32) -> Int? {
        if scalar < 0x800 { return Int(scalar) }
        if scalar >= 0x2000 && scalar < 0x20C0 { return Int(scalar) - 0x2000 + 0x800 }
        return nil
    }

    static func scalar(ofSlot slot: Int) -> UInt32 { slot < 0x800 ? UInt32(slot) : UInt32(slot - 0x800 + 0x2000) }

    /// Calls `body` with every slot, its scalar, ICU's NFC normalizer and a breaker of `kind`, as
    /// the fast tables are built; calls nothing when ICU cannot give those (every slot then stays
    /// with the slow path).
    static func forEachSlot(
        breaking kind: UBreakIteratorType, _ body: (_ slot: Int, UInt32, _ nfc: OpaquePointer, BreakIterator) -> Void
    ) {
        var status = U_ZERO_ERROR
        let nfc = verso_unorm2_getNFCInstance(&status)
        guard let nfc, let probe = try? BreakIterator(kind), status.rawValue <= 0 else { return }
        for slot in 0..<size { body(slot, scalar(ofSlot: slot), nfc, probe) }
    }

    private init(caseFold: Bool) {
        var roles = [FastWordRole](repeating: .unknown, count: FastWordTable.size)
        var starts = [Int32](repeating: -1, count: FastWordTable.size)
        var lengths = [UInt8](repeating: 0, count: FastWordTable.size)
        var bytes: [UInt8] = []
        FastWordTable.forEachSlot(breaking: UBRK_WORD) { slot, scalar, nfc, probe in
            guard let role = FastWordTable.role(of: scalar, nfc: nfc),
                let folded = FastWordTable.folded(scalar, caseFold: caseFold),
                folded.allSatisfy({ FastWordTable.role(of: $0, nfc: nfc) == role }),
                FastWordTable.icuAgrees(scalar, role: role, probe: probe)
            else { return }
            roles[slot] = role
            if folded != [scalar] {
                let utf8 = Array(String(String.UnicodeScalarView(folded.compactMap(Unicode.Scalar.init))).utf8)
                starts[slot] = Int32(bytes.count)
                lengths[slot] = UInt8(utf8.count)
                bytes += utf8
            }
        }
        self.roles = roles
        foldStart = starts
        foldLength = lengths
        foldBytes = bytes
    }

    /// The role ICU's properties give a character that is its own NFC form and has a
    /// normalization boundary before it (so it never composes with what precedes it), or nil.
    private static func role(of scalar: UInt32, nfc: OpaquePointer) -> FastWordRole? {
        let c = UChar32(bitPattern: scalar)
        guard scalar != 0x20, verso_unorm2_hasBoundaryBefore(nfc, c) != 0,
            verso_u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC) == 0,
            let unit = UInt16(exactly: scalar), !(0xD800...0xDFFF).contains(unit)
        else { return nil }
        var status = U_ZERO_ERROR
        let normalized = withUnsafePointer(to: unit) { verso_unorm2_isNormalized(nfc, $0, 1, &status) }
        guard status.rawValue <= 0, normalized != 0 else { return nil }
        switch verso_u_getIntPropertyValue(c, UCHAR_WORD_BREAK) {
        case Int32(U_WB_ALETTER.rawValue): return .letter
        case Int32(U_WB_NUMERIC.rawValue): return .digit
        case Int32(U_WB_MIDLETTER.rawValue): return .midLetter
        case Int32(U_WB_MIDNUM.rawValue): return .midNum
        case Int32(U_WB_MIDNUMLET.rawValue), Int32(U_WB_SINGLE_QUOTE.rawValue): return .midNumLet
        case Int32(U_WB_OTHER.rawValue), Int32(U_WB_DOUBLE_QUOTE.rawValue), Int32(U_WB_WSEGSPACE.rawValue):
            return .other
        default: return nil  // Extend, Format, ZWJ, CR, LF, Newline, Katakana, Hebrew, ExtendNumLet, …
        }
    }

    /// The full case folding of one character (ICU's u_strFoldCase: "ß" → "ss"), as scalars.
    private static func folded(_ scalar: UInt32, caseFold: Bool) -> [UInt32]? {
        guard caseFold else { return [scalar] }
        let source = [UInt16(scalar)]
        guard
            let out = try? withICUBuffer(
                capacity: 8, "case folding",
                { out, cap, st in
                    verso_u_strFoldCase(out, cap, source, 1, 0, &st)
                })
        else { return nil }
        return String(decoding: out, as: UTF16.self).unicodeScalars.map(\.value)
    }

    /// Whether ICU's word breaker, given the character between two letters and between two
    /// digits, joins or splits them as the role says (a check against tailorings of the rules).
    private static func icuAgrees(_ scalar: UInt32, role: FastWordRole, probe: BreakIterator) -> Bool {
        let unit = UInt16(scalar)
        func joined(_ edge: UInt16) -> Bool {
            var count = 0
            try? probe.segments([edge, unit, edge]) { _, _, _ in count += 1 }
            return count == 1
        }
        let a: UInt16 = 0x61
        let one: UInt16 = 0x31
        switch role {
        case .letter, .digit: return joined(a) && joined(one)
        case .midLetter: return joined(a) && !joined(one)
        case .midNum: return !joined(a) && joined(one)
        case .midNumLet: return joined(a) && joined(one)
        case .other: return !joined(a) && !joined(one)
        case .unknown: return false
        }
    }
}

/// Scans one line of UTF-8 for word tokens with a `FastWordTable`. Tokens are written, folded,
/// into a buffer the scanner owns and handed out as bytes; no String is made. Each scanner keeps
/// its own copy of the table in plain memory: threads sharing the table's arrays would contend
/// for their reference counts on every character.
final class FastWordScanner {
    private let roles: UnsafeMutableBufferPointer<FastWordRole>
    private let foldStart: UnsafeMutableBufferPointer<Int32>
    private let foldLength: UnsafeMutableBufferPointer<UInt8>
    private let foldBytes: UnsafeMutableBufferPointer<UInt8>
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity = 256

    init(table: FastWordTable) {
        roles = .allocate(capacity: table.roles.count)
        _ = roles.initialize(from: table.roles)
        foldStart = .allocate(capacity: table.foldStart.count)
        _ = foldStart.initialize(from: table.foldStart)
        foldLength = .allocate(capacity: table.foldLength.count)
        _ = foldLength.initialize(from: table.foldLength)
        foldBytes = .allocate(capacity: max(table.foldBytes.count, 1))
        _ = foldBytes.initialize(from: table.foldBytes)
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        roles.deallocate()
        foldStart.deallocate()
        foldLength.deallocate()
        foldBytes.deallocate()
        buffer.deallocate()
    }

    /// Calls `emit(token, isNumber)` for each token of the spans between U+0020s that the table
    /// knows whole, and `fallback(range)` for each span that it does not (the range includes the
    /// space before the span, so ICU sees what the span's first character follows).
    func scan(
        _ line: UnsafeBufferPointer<UInt8>,
        emit: (UnsafeBufferPointer<UInt8>, _ isNumber: Bool) throws -> Void,
        fallback: (Range<Int>) throws -> Void
    ) rethrows {
        guard let p = line.baseAddress else { return }
        let n = line.count
        var start = 0
        while start < n {
            if p[start] == 0x20 {
                start += 1
                continue
            }
            var end = start
            var known = true
            while end < n && p[end] != 0x20 {
                let (slot, length) = decode(p, end, n)
                if slot < 0 || roles[slot] == .unknown { known = false }
                end += length
            }
            if known {
                try tokens(p, start, min(end, n), emit)
            } else {
                try fallback((start > 0 ? start - 1 : start)..<min(end, n))
            }
            start = end
        }
    }

    /// The tokens of a span whose characters are all known: runs of letters and digits, joined
    /// across one mid character with letters (or digits) on both sides (UAX #29 WB5–WB12).
    private func tokens(
        _ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int,
        _ emit: (UnsafeBufferPointer<UInt8>, Bool) throws -> Void
    ) rethrows {
        var i = start
        while i < end {
            let (slot, length) = decode(p, i, end)
            var last = roles[slot]
            guard last == .letter || last == .digit else {
                i += length
                continue
            }
            var count = 0
            append(slot, p + i, length, &count)
            i += length
            while i < end {
                let (next, nextLength) = decode(p, i, end)
                let role = roles[next]
                if role == .letter || role == .digit {
                    append(next, p + i, nextLength, &count)
                    last = role
                    i += nextLength
                    continue
                }
                guard i + nextLength < end else { break }
                let (after, afterLength) = decode(p, i + nextLength, end)
                let afterRole = roles[after]
                let joinsLetters = last == .letter && afterRole == .letter && (role == .midLetter || role == .midNumLet)
                let joinsDigits = last == .digit && afterRole == .digit && (role == .midNum || role == .midNumLet)
                guard joinsLetters || joinsDigits else { break }
                append(next, p + i, nextLength, &count)
                append(after, p + i + nextLength, afterLength, &count)
                last = afterRole
                i += nextLength + afterLength
            }
            // ICU's rule status is that of the last rule applied: "abc123" is a number, "12abc" a word.
            try emit(UnsafeBufferPointer(start: buffer, count: count), last == .digit)
        }
    }

    /// The table slot and byte length of the character at `i` (−1 when outside the table or cut).
    @inline(__always)
    private func decode(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> (Int, Int) {
        let lead = p[i]
        if lead < 0x80 { return (Int(lead), 1) }
        if lead >= 0xC2 && lead < 0xE0 {
            guard i + 1 < end else { return (-1, 1) }
            return ((Int(lead & 0x1F) << 6) | Int(p[i + 1] & 0x3F), 2)
        }
        if lead == 0xE2 {
            guard i + 2 < end else { return (-1, 1) }
            let second = p[i + 1]
            guard second >= 0x80 && second <= 0x82 else { return (-1, 3) }
            return (0x800 + (Int(second & 0x3F) << 6 | Int(p[i + 2] & 0x3F)), 3)
        }
        if lead >= 0xE0 && lead < 0xF0 { return (-1, min(3, end - i)) }
        if lead >= 0xF0 && lead < 0xF5 { return (-1, min(4, end - i)) }
        return (-1, 1)
    }

    /// Appends a character's folded bytes (or its own bytes when it folds to itself).
    @inline(__always)
    private func append(_ slot: Int, _ source: UnsafePointer<UInt8>, _ length: Int, _ count: inout Int) {
        if count + 16 > capacity { grow() }
        let start = foldStart[slot]
        if start < 0 {
            for k in 0..<length { buffer[count + k] = source[k] }
            count += length
        } else {
            let folded = Int(foldLength[slot])
            for k in 0..<folded { buffer[count + k] = foldBytes[Int(start) + k] }
            count += folded
        }
    }

    private func grow() {
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
        bigger.update(from: buffer, count: capacity)
        buffer.deallocate()
        buffer = bigger
        capacity *= 2
    }
}
