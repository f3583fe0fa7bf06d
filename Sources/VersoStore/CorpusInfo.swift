// Identifies the corpus a model was trained on: absolute path, size and SHA-256 of its bytes.
import Crypto
import Foundation

public struct CorpusInfo: Sendable, Equatable {
    public var path: String
    public var sha256: String
    public var bytes: Int64

    public init(path: String, sha256: String, bytes: Int64) {
        self.path = path
        self.sha256 = sha256
        self.bytes = bytes
    }

    /// The corpus at `path` made of `members` (a folder's files, in reading order): one member is
    /// described as a file; several by the SHA-256 of their digests and paths, one "digest  path"
    /// line each (as `sha256sum` prints them), and their total size. Standard input ("-") cannot
    /// be read twice: it is recorded by name only.
    public static func of(path: String, members: [String]) throws -> CorpusInfo {
        if members == ["-"] { return CorpusInfo(path: "-", sha256: "", bytes: 0) }
        if members.count == 1 && members[0] == path { return try of(file: path) }
        var listing = ""
        var total: Int64 = 0
        for member in members {
            let info = try of(file: member)
            listing += "\(info.sha256)  \(info.path)\n"
            total += info.bytes
        }
        let digest = SHA256.hash(data: Data(listing.utf8)).map { String(format: "%02x", $0) }.joined()
        return CorpusInfo(path: URL(fileURLWithPath: path).standardizedFileURL.path, sha256: digest, bytes: total)
    }

    /// Hashes the file in 1 MiB reads, so a multi-GB corpus never sits in memory.
    public static func of(file path: String) throws -> CorpusInfo {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError("cannot read \(path)")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var total: Int64 = 0
        while true {
            let data = handle.readData(ofLength: 1 << 20)
            if data.isEmpty { break }
            hasher.update(data: data)
            total += Int64(data.count)
        }
        let hex = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        return CorpusInfo(path: absolute, sha256: hex, bytes: total)
    }
}
