// The fast path of grapheme segmentation: characters that ICU's data shows to be NFC, never to
// combine with a neighbour and always a cluster of their own are symbols by themselves; stretches
// holding anything else are normalized and segmented by ICU (tested and fuzzed against ICU alone).
@_implementationOnly import CICU

/// Which characters of U+0000–U+07FF and U+2000–U+20BF (the slots of `FastWordTable`) stand alone:
/// Grapheme_Cluster_Break Other or Control (not CR or LF), not Extended_Pictographic, their own
/// NFC form with a normalization boundary before them, and split from letters by ICU's breaker.
final class FastGraphemeTable: Sendable {
    static let shared = FastGraphemeTable()  // built once, on first use

    let alone: [Bool]
    /// The symbol of each slot, made once (small strings: no allocation when copied).
    let strings: [String]

    private init() {
        var alone = [Bool](repeating: false, count: FastWordTable.size)
        FastWordTable.forEachSlot(breaking: UBRK_CHARACTER) { slot, scalar, nfc, probe in
            alone[slot] = FastGraphemeTable.standsAlone(scalar, nfc: nfc, probe: probe)
        }
        self.alone = alone
        strings = (0..<FastWordTable.size).map { slot in
            Unicode.Scalar(FastWordTable.scalar(ofSlot: slot)).map { String(Character($0)) } ?? ""
        }
    }

    /// The slot of a symbol that is one character standing alone, or nil: whichever path found
    /// such a symbol, it is counted by its slot.
    func slot(ofSingle symbol: String) -> Int? {
        let scalars = symbol.unicodeScalars
        guard let first = scalars.first, scalars.index(after: scalars.startIndex) == scalars.endIndex,
            let slot = FastWordTable.slot(first.value), alone[slot]
        else { return nil }
        return slot
    }

    private static func standsAlone(_ scalar: UInt32, nfc: OpaquePointer, probe: BreakIterator) -> Bool {
        guard scalar != 0x0A && scalar != 0x0D, !(0xD800...0xDFFF).contains(scalar) else { return false }
        let c = UChar32(bitPattern: scalar)
        let gcb = verso_u_getIntPropertyValue(c, UCHAR_GRAPHEME_CLUSTER_BREAK)
        guard gcb == Int32(U_GCB_OTHER.rawValue) || gcb == Int32(U_GCB_CONTROL.rawValue),
            verso_u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC) == 0,
            verso_unorm2_hasBoundaryBefore(nfc, c) != 0
        else { return false }
        var status = U_ZERO_ERROR
        let unit = UInt16(scalar)
        let normalized = withUnsafePointer(to: unit) { verso_unorm2_isNormalized(nfc, $0, 1, &status) }
        guard status.rawValue <= 0, normalized != 0 else { return false }
        var segments = 0
        try? probe.segments([0x61, unit, unit, 0x61]) { _, _, _ in segments += 1 }
        return segments == 4
    }
}

/// Cuts a line of UTF-8 into single characters the table knows to stand alone and pieces for
/// ICU. A piece runs from one cut to the next, a cut being a place between two characters that
/// stand alone: there ICU's normalizer and its grapheme rules both always break.
final class FastGraphemeScanner {
    private let alone: UnsafeMutableBufferPointer<Bool>  // a private copy: no shared reference counts

    init(table: FastGraphemeTable = .shared) {
        alone = .allocate(capacity: table.alone.count)
        _ = alone.initialize(from: table.alone)
    }

    deinit { alone.deallocate() }

    /// Calls `single(slot)` for each character that is a symbol by itself, and `piece(range)`
    /// for each stretch ICU must normalize and segment, in order.
    func scan(
        _ line: UnsafeBufferPointer<UInt8>, single: (Int) throws -> Void, piece: (Range<Int>) throws -> Void
    ) rethrows {
        guard let p = line.baseAddress else { return }
        let n = line.count
        var i = 0
        var (slot, length) = decode(p, 0, n)
        while i < n {
            let next = i + length
            let (nextSlot, nextLength) = next < n ? decode(p, next, n) : (-1, 0)
            let here = slot >= 0 && alone[slot]
            if here && (next == n || (nextSlot >= 0 && alone[nextSlot])) {
                try single(slot)
                (i, slot, length) = (next, nextSlot, nextLength)
                continue
            }
            // A piece: on to the next place between two characters that stand alone.
            var end = next
            var previousAlone = here
            var (endSlot, endLength) = (nextSlot, nextLength)
            while end < n {
                let endAlone = endSlot >= 0 && alone[endSlot]
                if previousAlone && endAlone { break }
                previousAlone = endAlone
                end += endLength
                (endSlot, endLength) = end < n ? decode(p, end, n) : (-1, 0)
            }
            try piece(i..<end)
            (i, slot, length) = (end, endSlot, endLength)
        }
    }

    /// The slot and byte length of the character at `i` (slot −1 outside the table).
    @inline(__always)
    private func decode(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> (Int, Int) {
        let lead = p[i]
        if lead < 0x80 { return (Int(lead), 1) }
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        guard i + length <= end else { return (-1, end - i) }
        if length == 2 { return ((Int(lead & 0x1F) << 6) | Int(p[i + 1] & 0x3F), 2) }
        if length == 3 && lead == 0xE2 && p[i + 1] >= 0x80 && p[i + 1] <= 0x82 {
            return (0x800 + (Int(p[i + 1] & 0x3F) << 6 | Int(p[i + 2] & 0x3F)), 3)
        }
        return (-1, length)
    }
}
