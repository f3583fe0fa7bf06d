// Identifies the corpus a model was trained on: where it came from, its size, the SHA-256 of each
// member and of the whole.
import Crypto
import Foundation
import VersoText

public struct CorpusInfo: Sendable, Equatable, Codable {
    /// One file of the corpus, as `sha256sum` would name it (compressed files by their bytes on
    /// disk); `skipped` is why lenient reading left it out.
    public struct Member: Sendable, Equatable, Codable {
        public var path: String
        public var sha256: String
        public var bytes: Int64
        public var skipped: String?

        public init(path: String, sha256: String, bytes: Int64, skipped: String? = nil) {
            self.path = path
            self.sha256 = sha256
            self.bytes = bytes
            self.skipped = skipped
        }
    }

    /// The arguments it was given, absolute, joined by " + "; "-" is standard input.
    public var path: String
    /// One member read: its SHA-256; several: the SHA-256 of their "digest  path" lines.
    public var sha256: String
    public var bytes: Int64
    /// Every member in reading order, skipped ones included (empty for models stored before v4).
    public var members: [Member]

    public init(path: String, sha256: String, bytes: Int64, members: [Member] = []) {
        self.path = path
        self.sha256 = sha256
        self.bytes = bytes
        self.members = members
    }

    /// The corpus as the reading of `corpus` found it, which must have reached its end; members
    /// read without a digest are hashed here.
    public init(read corpus: Corpus) throws {
        var members: [Member] = []
        for read in corpus.members {
            let path = read.path == "-" ? "-" : CorpusInfo.absolute(read.path)
            if read.digest.isEmpty && read.skipped == nil {
                guard path != "-" else { throw StoreError("standard input was read without its SHA-256") }
                members.append(
                    Member(path: path, sha256: try CorpusInfo.sha256(file: read.path), bytes: Int64(read.bytes)))
            } else {
                members.append(Member(path: path, sha256: read.digest, bytes: Int64(read.bytes), skipped: read.skipped))
            }
        }
        let used = members.filter { $0.skipped == nil }
        let digest: String
        if used.count == 1 {
            digest = used[0].sha256
        } else {
            let listing = used.map { "\($0.sha256)  \($0.path)\n" }.joined()
            digest = CorpusInfo.hex(SHA256.hash(data: Data(listing.utf8)))
        }
        self.init(
            path: corpus.arguments.map { $0 == "-" ? "-" : CorpusInfo.absolute($0) }.joined(separator: " + "),
            sha256: digest, bytes: used.reduce(0) { $0 + $1.bytes }, members: members)
    }

    /// This corpus followed by `more` (a model grown with new text): every member of both, in
    /// order, the paths joined by " + ", the digest over every member read (as for several files).
    public func appending(_ more: CorpusInfo) -> CorpusInfo {
        let all = (members.isEmpty ? [Member(path: path, sha256: sha256, bytes: bytes)] : members) + more.members
        let used = all.filter { $0.skipped == nil }
        let listing = used.map { "\($0.sha256)  \($0.path)\n" }.joined()
        return CorpusInfo(
            path: path + " + " + more.path, sha256: CorpusInfo.hex(SHA256.hash(data: Data(listing.utf8))),
            bytes: used.reduce(0) { $0 + $1.bytes }, members: all)
    }

    /// The arguments that read this corpus again: its members that were read, in order.
    public var memberPaths: [String] {
        members.isEmpty ? [path] : members.filter { $0.skipped == nil }.map(\.path)
    }

    /// A file described on its own, hashed in 1 MiB reads (a multi-GB file never sits in memory).
    public static func of(file path: String) throws -> CorpusInfo {
        let digest = try sha256(file: path)
        var info = stat()
        let size = stat(path, &info) == 0 ? Int64(info.st_size) : 0
        return CorpusInfo(path: absolute(path), sha256: digest, bytes: size)
    }

    static func sha256(file path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw StoreError("cannot read \(path)") }
        defer { try? handle.close() }
        var hasher = SHA256()
        while true {
            let data = handle.readData(ofLength: 1 << 20)
            if data.isEmpty { break }
            hasher.update(data: data)
        }
        return hex(hasher.finalize())
    }

    public static func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}

/// SHA-256 as a corpus reader's member digest.
public final class SHA256Digest: MemberDigest {
    private var hasher = SHA256()

    public init() {}

    public func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bufferPointer: bytes) }

    public func finish() -> String { CorpusInfo.hex(hasher.finalize()) }
}

extension Corpus {
    /// The corpus named by `arguments` with every member hashed (SHA-256) as it is read, as the
    /// store records it.
    public convenience init(hashing arguments: [String], lenient: Bool = false) throws {
        try self.init(arguments, lenient: lenient, digest: SHA256Digest.init)
    }
}
