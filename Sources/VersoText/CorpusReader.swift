// Streams a corpus (a file, a folder of them, standard input, compressed or not) line by line in
// fixed-size chunks, validating UTF-8 as it goes.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a corpus without loading it whole: memory stays at one chunk plus the longest line.
/// Invalid UTF-8 is an error naming its byte offset, unless `lenient`: then a bad file was skipped
/// before it was read (see `Corpus`), and in standard input, which cannot be read twice, each bad
/// sequence becomes U+FFFD and is counted in `replacements`. A NUL byte marks a binary file.
/// A leading byte-order mark is skipped and a trailing CR is dropped from each line.
/// A line longer than `maxLineBytes` (text8 is one 100 MB line) comes in pieces cut after a
/// space where there is one: `lastLineContinues` tells callers that join lines not to add "\n".
public final class CorpusReader {
    public let path: String  // how messages name the corpus
    public let lenient: Bool
    public let fileSize: Int
    public let maxLineBytes: Int
    public private(set) var bytesRead = 0  // bytes consumed so far, for progress
    public private(set) var replacements = 0
    public private(set) var lastLineContinues = false  // the last line returned was cut; the next continues it

    /// The files read, in order (one for a file; a folder's .txt files; "-" for standard input).
    public var members: [String] { chain.members }
    /// Bytes of the members read from disk so far (compressed sizes), against `fileSize`.
    public var consumedBytes: Int { chain.consumed }

    private let chain: MemberChain
    private var chunk: [UInt8]
    private var chunkStart = 0, chunkEnd = 0
    private var pending: [UInt8] = []  // the part of a line that spans chunks
    private var pendingOffset = 0  // file offset of pending[0]
    private var atEOF = false

    /// Reads `corpus`'s members (see `Corpus.reader`).
    init(chain: MemberChain, name: String, lenient: Bool, chunkSize: Int, maxLineBytes: Int) {
        self.path = name
        self.lenient = lenient
        self.maxLineBytes = max(maxLineBytes, 64)
        self.chain = chain
        fileSize = CorpusMembers.totalSize(chain.members)
        chunk = [UInt8](repeating: 0, count: max(chunkSize, 16))
    }

    /// Reads the corpus at `path` (a file, a folder or "-"), with no digests.
    public convenience init(
        path: String, lenient: Bool = false, chunkSize: Int = 1 << 20, maxLineBytes: Int = 1 << 20
    ) throws {
        let corpus = try Corpus([path], lenient: lenient)
        let chain = MemberChain(corpus.paths, lenient: lenient)
        self.init(chain: chain, name: path, lenient: lenient, chunkSize: chunkSize, maxLineBytes: maxLineBytes)
    }

    /// Fails, naming the problem, unless `path` exists and is not a directory.
    @discardableResult
    public static func checkReadable(_ path: String) throws -> stat {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw TextError(
                "cannot read \(path): " + (errno == ENOENT ? "no such file" : String(cString: strerror(errno))))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw TextError("cannot read \(path): it is a directory") }
        return info
    }

    /// The next line without its terminator, or nil at the end of the file.
    public func nextLine() throws -> String? {
        try nextPiece { bytes, offset, dropCR in try decode(bytes, offset: offset, dropCR: dropCR) }
    }

    /// The next lines (pieces of over-long lines count as lines), checked as `nextLine` checks
    /// them, each followed by "\n", until the block holds at least `size` bytes; nil at the end.
    /// Blocks are what parallel tokenizing hands to each thread.
    /// With `joiningPieces`, the pieces of an over-long line are not separated: a block may then
    /// end inside a line (it does not end with "\n") that the next block continues.
    public func nextBlock(size: Int, joiningPieces: Bool = false) throws -> [UInt8]? {
        var block: [UInt8] = []
        block.reserveCapacity(size + (1 << 16))
        while block.count < size {
            let more = try nextPiece { bytes, offset, dropCR in
                try appendChecked(bytes, offset: offset, dropCR: dropCR, to: &block)
            }
            guard more != nil else { break }
            if !(joiningPieces && lastLineContinues) { block.append(0x0A) }
        }
        return block.isEmpty ? nil : block
    }

    /// Finds the next line (or piece of one) and hands its bytes, their offset in the corpus and
    /// whether a trailing CR should go to `make`, whose result it returns; nil at the end.
    private func nextPiece<T>(_ make: (ArraySlice<UInt8>, Int, Bool) throws -> T) throws -> T? {
        while true {
            if chunkStart < chunkEnd {
                let newline = chunk.withUnsafeBufferPointer { buf -> Int? in
                    guard let p = memchr(buf.baseAddress! + chunkStart, 0x0A, chunkEnd - chunkStart) else { return nil }
                    return buf.baseAddress!.distance(to: p.assumingMemoryBound(to: UInt8.self))
                }
                if let nl = newline {
                    let lineStart = bytesRead - (chunkEnd - chunkStart)
                    let line: T
                    if pending.isEmpty {
                        line = try make(chunk[chunkStart..<nl], lineStart, true)
                    } else {
                        pending.append(contentsOf: chunk[chunkStart..<nl])
                        line = try make(pending[...], pendingOffset, true)
                        pending.removeAll(keepingCapacity: true)
                    }
                    chunkStart = nl + 1
                    lastLineContinues = false
                    return line
                }
                if pending.isEmpty { pendingOffset = bytesRead - (chunkEnd - chunkStart) }
                pending.append(contentsOf: chunk[chunkStart..<chunkEnd])
                chunkStart = chunkEnd
                if pending.count >= maxLineBytes { return try cutLongLine(make) }
            }
            if atEOF {
                lastLineContinues = false
                if pending.isEmpty { return nil }
                defer { pending.removeAll() }
                return try make(pending[...], pendingOffset, true)
            }
            try refill()
        }
    }

    /// Calls `body` with every line of the file.
    public func forEachLine(_ body: (String) throws -> Void) throws {
        while let line = try nextLine() { try body(line) }
    }

    /// Calls `body` with every line or piece of an over-long line, and whether a "\n" separates
    /// it from the one before (so joining the pieces gives back the file's text).
    public func forEachPiece(_ body: (_ newlineBefore: Bool, String) throws -> Void) throws {
        var first = true, continues = false
        while let line = try nextLine() {
            try body(!first && !continues, line)
            first = false
            continues = lastLineContinues
        }
    }

    /// Reads a whole (small) file into one string, lines joined with "\n".
    public static func readText(path: String, lenient: Bool = false) throws -> String {
        let reader = try CorpusReader(path: path, lenient: lenient)
        var text = ""
        try reader.forEachPiece { newlineBefore, piece in
            if newlineBefore { text += "\n" }
            text += piece
        }
        return text
    }

    /// The first piece of an over-long line: up to its last space (or tab), else up to a
    /// character boundary, so no word and no UTF-8 sequence is split where that can be avoided.
    private func cutLongLine<T>(_ make: (ArraySlice<UInt8>, Int, Bool) throws -> T) throws -> T {
        var cut = pending.count
        if let space = pending.lastIndex(where: { $0 == 0x20 || $0 == 0x09 }), space > 0 {
            cut = space + 1
        } else {
            var i = pending.count - 1
            while i > 0 && (pending[i] & 0xC0) == 0x80 { i -= 1 }  // back to a lead byte
            cut = max(i, 1)
        }
        let piece = try make(pending[..<cut], pendingOffset, false)
        pending.removeFirst(cut)
        pendingOffset += cut
        lastLineContinues = true
        return piece
    }

    // MARK: Reading and decoding

    private func refill() throws {
        let n = try chunk.withUnsafeMutableBytes { try chain.read(into: $0) }
        if n == 0 { atEOF = true }
        chunkStart = 0
        chunkEnd = n
        bytesRead += n
    }

    private func decode(_ bytes: ArraySlice<UInt8>, offset: Int, dropCR: Bool) throws -> String {
        var bytes = bytes
        if dropCR && bytes.last == 0x0D { bytes = bytes.dropLast() }
        try check(bytes, offset: offset)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends a line's bytes once checked; in lenient mode, with bad sequences made U+FFFD.
    private func appendChecked(_ bytes: ArraySlice<UInt8>, offset: Int, dropCR: Bool, to block: inout [UInt8]) throws {
        var bytes = bytes
        if dropCR && bytes.last == 0x0D { bytes = bytes.dropLast() }
        if try check(bytes, offset: offset) {
            block.append(contentsOf: bytes)
        } else {
            block.append(contentsOf: String(decoding: bytes, as: UTF8.self).utf8)
        }
    }

    /// Fails on a NUL byte (binary) or, unless lenient, on invalid UTF-8, naming member and
    /// offset; counts the bad sequences it lets through. Returns whether the bytes were valid.
    @discardableResult
    private func check(_ bytes: ArraySlice<UInt8>, offset: Int) throws -> Bool {
        let bad = bytes.withUnsafeBufferPointer { UTF8Check.scan($0) }
        if let nul = bad.firstNUL {
            let at = chain.locate(offset + nul)
            throw TextError("\(at.name) looks binary: NUL byte at byte offset \(at.offset)")
        }
        guard let first = bad.firstInvalid else { return true }
        let at = chain.locate(offset + first)
        if !lenient {
            throw TextError(
                "\(at.name) is not valid UTF-8: bad byte at byte offset \(at.offset)",
                advice: at.name == "standard input" ? .lenientReplacesBytes : .lenientSkipsFile)
        }
        replacements += bad.invalidCount
        return false
    }
}

/// A UTF-8 validator that reports where the first bad sequence is and how many there are.
public enum UTF8Check {
    public struct Result: Equatable, Sendable {
        public var firstInvalid: Int?
        public var invalidCount = 0
        public var firstNUL: Int?
    }

    public static func scan(_ b: UnsafeBufferPointer<UInt8>) -> Result {
        var r = Result()
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c < 0x80 {
                if c == 0 && r.firstNUL == nil { r.firstNUL = i }
                i += 1
                continue
            }
            let len: Int, lo: UInt8, hi: UInt8  // allowed range of the second byte
            switch c {
            case 0xC2...0xDF:
                len = 2
                lo = 0x80
                hi = 0xBF
            case 0xE0:
                len = 3
                lo = 0xA0
                hi = 0xBF
            case 0xE1...0xEC, 0xEE...0xEF:
                len = 3
                lo = 0x80
                hi = 0xBF
            case 0xED:
                len = 3
                lo = 0x80
                hi = 0x9F  // no surrogates
            case 0xF0:
                len = 4
                lo = 0x90
                hi = 0xBF
            case 0xF1...0xF3:
                len = 4
                lo = 0x80
                hi = 0xBF
            case 0xF4:
                len = 4
                lo = 0x80
                hi = 0x8F  // ≤ U+10FFFF
            default:
                len = 0
                lo = 0
                hi = 0
            }
            // Count how much of a valid sequence is present: a truncated one is one bad
            // sequence (one U+FFFD, as Swift's decoder does), not one per byte.
            var matched = 1
            if len > 0 && i + 1 < n && b[i + 1] >= lo && b[i + 1] <= hi {
                matched = 2
                while matched < len && i + matched < n && (b[i + matched] & 0xC0) == 0x80 { matched += 1 }
            }
            if matched == len {
                i += len
                continue
            }
            if r.firstInvalid == nil { r.firstInvalid = i }
            r.invalidCount += 1
            i += matched
        }
        return r
    }
}
