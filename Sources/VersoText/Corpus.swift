// The text a command reads: the members its arguments name, read in order, and what reading found.

/// Fingerprints a member's bytes as they come off the disk (the store uses SHA-256; this module
/// knows no hash, so it is handed one).
public protocol MemberDigest: AnyObject {
    func update(_ bytes: UnsafeRawBufferPointer)
    func finish() -> String
}

/// One or more files, folders or "-" (standard input), read as one text: each folder gives its
/// .txt files (plain or compressed) sorted, and every member is hashed as it is read.
/// With `lenient`, a member that cannot be read whole as UTF-8 text (binary, invalid UTF-8,
/// unreadable, corrupt compression) is checked through first and skipped, and `onSkip` is told;
/// without it, such a member is an error naming it and the byte offset. Standard input cannot be
/// read twice: with `lenient` its bad sequences become U+FFFD instead (counted by the reader).
public final class Corpus {
    /// One member as the last reading found it: its size on disk, its digest, and the one-line
    /// reason it was skipped (nil when it was read).
    public struct Member: Sendable, Equatable {
        public var path: String  // as given or found in a folder; "-" for standard input
        public var bytes: Int
        public var digest: String
        public var skipped: String?
    }

    public let arguments: [String]
    public let lenient: Bool
    /// The files to read, in order.
    public let paths: [String]
    /// Told of each member skipped (lenient reading), as it happens.
    public var onSkip: ((Member) -> Void)?
    let makeDigest: (() -> any MemberDigest)?
    private var lastChain: MemberChain?

    public init(_ arguments: [String], lenient: Bool = false, digest: (() -> any MemberDigest)? = nil) throws {
        guard !arguments.isEmpty else { throw TextError("no text given: name a file, a folder or - (stdin)") }
        self.arguments = arguments
        self.lenient = lenient
        self.makeDigest = digest
        paths = try CorpusMembers.expand(arguments)
    }

    /// How messages name the corpus: its one argument, or the first and how many more.
    public var name: String {
        let first = arguments[0] == "-" ? "standard input" : arguments[0]
        return arguments.count == 1 ? first : "\(first) and \(arguments.count - 1) more"
    }

    /// A reader from the first member; reading to its end fills `members`.
    public func reader(chunkSize: Int = 1 << 20, maxLineBytes: Int = 1 << 20) -> CorpusReader {
        let chain = MemberChain(paths, lenient: lenient, digest: makeDigest, onSkip: onSkip)
        lastChain = chain
        return CorpusReader(
            chain: chain, name: name, lenient: lenient, chunkSize: chunkSize, maxLineBytes: maxLineBytes)
    }

    /// The members the last reader has finished with (all of them once it reached the end),
    /// skipped ones included, in order.
    public var members: [Member] { lastChain?.finished ?? [] }
    public var skipped: [Member] { members.filter { $0.skipped != nil } }

    /// `usual`, the complaint about a text with nothing to use in it, unless lenient reading
    /// skipped every file, which is then what it says.
    public func whyEmpty(_ usual: String) -> String {
        guard !members.isEmpty, members.allSatisfy({ $0.skipped != nil }) else { return usual }
        return "\(name): lenient reading skipped every file, nothing is left to read"
    }
}

extension MemberChain {
    /// Reads member `path` through once, as lenient reading does before using it, and returns
    /// what stops it being read whole as UTF-8 text (one line naming it), or nil; `digest` sees
    /// every byte of the file either way.
    static func problem(in path: String, digest: (any MemberDigest)?) -> String? {
        let opened: (stream: ByteStream, file: FileStream)
        do { opened = try openMember(path) } catch { return "\(error)" }
        opened.file.digest = digest
        defer { while (try? opened.file.drain()) == true {} }  // the rest of the file, for its digest
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var carried = 0  // bytes of an incomplete UTF-8 sequence kept from the last read
        var offset = 0  // the member's offset of buffer[0]
        while true {
            let n: Int
            do { n = try opened.stream.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[carried...])) } catch {
                return "\(error)"
            }
            let end = carried + n
            let bytes = UnsafeBufferPointer(start: buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), count: end)
            let cut = n == 0 ? end : UTF8Check.completePrefix(bytes)
            let found = UTF8Check.scan(UnsafeBufferPointer(rebasing: bytes[..<cut]))
            // As the reader decides: a NUL near the start means binary, whatever comes before it.
            if let nul = found.firstNUL, nul < (offset == 0 ? 8192 : found.firstInvalid ?? Int.max) {
                return "\(opened.file.name) looks binary: NUL byte at byte offset \(offset + nul)"
            }
            if let bad = found.firstInvalid {
                return "\(opened.file.name) is not valid UTF-8: bad byte at byte offset \(offset + bad)"
            }
            if n == 0 { return nil }
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[cut..<end]))
            carried = end - cut
            offset += cut
        }
    }
}

extension UTF8Check {
    /// How many of `bytes` come before a multi-byte sequence that the end cuts short (all of them
    /// when none is), so that a text read in pieces is checked without false alarms at the seams.
    static func completePrefix(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var lead = bytes.count - 1
        while lead >= 0 && lead > bytes.count - 4 && (bytes[lead] & 0xC0) == 0x80 { lead -= 1 }
        guard lead >= 0, (0xC2...0xF4).contains(bytes[lead]) else { return bytes.count }
        let length = bytes[lead] >= 0xF0 ? 4 : bytes[lead] >= 0xE0 ? 3 : 2
        return lead + length > bytes.count ? lead : bytes.count
    }
}
