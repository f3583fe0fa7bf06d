// A corpus as files: one file, a folder of .txt files (recursively, sorted), or standard input ("-").
#if canImport(Glibc)
    import Glibc
#endif

public enum CorpusMembers {
    /// The extensions a folder's members may have: text, and text compressed three ways.
    static let extensions = [".txt", ".txt.gz", ".txt.xz", ".txt.bz2"]

    /// The files that make up the corpus named by `arguments`, one after another; standard input
    /// ("-") may come once.
    public static func expand(_ arguments: [String]) throws -> [String] {
        if arguments.filter({ $0 == "-" }).count > 1 { throw TextError("standard input (-) can be read only once") }
        return try arguments.flatMap { try expand($0) }
    }

    /// The files that make up the corpus at `path`, in reading order; "-" is standard input.
    /// A folder gives its .txt files (plain or compressed) at any depth, sorted by path; a folder
    /// without any is an error, as is a path that does not exist.
    public static func expand(_ path: String) throws -> [String] {
        if path == "-" { return ["-"] }
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw TextError(
                "cannot read \(path): " + (errno == ENOENT ? "no such file" : String(cString: strerror(errno))))
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { return [path] }
        var files: [String] = []
        try collect(path.hasSuffix("/") ? String(path.dropLast()) : path, into: &files)
        guard !files.isEmpty else { throw TextError("the folder \(path) has no .txt files (nor .txt.gz, .xz, .bz2)") }
        return files.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    private static func collect(_ folder: String, into files: inout [String]) throws {
        guard let dir = opendir(folder) else {
            throw TextError("cannot read the folder \(folder): \(String(cString: strerror(errno)))")
        }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(cString: $0.bindMemory(to: CChar.self).baseAddress!)
            }
            if name == "." || name == ".." || name.hasPrefix(".") { continue }
            let path = folder + "/" + name
            var info = stat()
            guard stat(path, &info) == 0 else { continue }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                try collect(path, into: &files)
            } else if (info.st_mode & S_IFMT) == S_IFREG, extensions.contains(where: { name.hasSuffix($0) }) {
                files.append(path)
            }
        }
    }

    /// The bytes of the members on disk (compressed sizes; 0 for standard input), for progress.
    static func totalSize(_ members: [String]) -> Int {
        members.reduce(0) { total, path in
            var info = stat()
            return total + (path != "-" && stat(path, &info) == 0 ? Int(info.st_size) : 0)
        }
    }
}

/// The members read one after another as one text: each decompressed as needed, its byte-order
/// mark dropped, checked for NUL bytes near its start (binary), and ended by a newline before the
/// next one starts. Remembers where each member starts, so errors can name member and offset.
/// Leniently, each file member is first read through (`problem(in:digest:)`) and skipped if bad.
final class MemberChain: ByteStream {
    let members: [String]
    let lenient: Bool
    private let makeDigest: (() -> any MemberDigest)?
    private let onSkip: ((Corpus.Member) -> Void)?
    private var next = 0
    private var current: (stream: ByteStream, file: FileStream, path: String)?
    private var finishedFiles = 0  // bytes consumed from members already closed
    private var memberBytes = 0  // bytes of the current member produced so far
    private var lastByte: UInt8 = 0x0A
    private var produced = 0
    /// (offset in the joined text where a member starts, the member's name)
    private(set) var starts: [(offset: Int, name: String)] = []
    /// The members done with, read or skipped, in order.
    private(set) var finished: [Corpus.Member] = []

    init(
        _ members: [String], lenient: Bool = false, digest: (() -> any MemberDigest)? = nil,
        onSkip: ((Corpus.Member) -> Void)? = nil
    ) {
        self.members = members
        self.lenient = lenient
        self.makeDigest = digest
        self.onSkip = onSkip
    }

    /// Bytes of the members read from disk so far (compressed), for progress.
    var consumed: Int { finishedFiles + (current?.file.consumed ?? 0) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            if current == nil {
                guard next < members.count else { return 0 }
                if lastByte != 0x0A && buffer.count > 0 {  // the previous member's last line ends here
                    buffer[0] = 0x0A
                    lastByte = 0x0A
                    produced += 1
                    return 1
                }
                let path = members[next]
                next += 1
                if lenient && path != "-" && skipIfBad(path) { continue }
                let opened = try openMember(path)
                opened.file.digest = makeDigest?()
                current = (opened.stream, opened.file, path)
                starts.append((produced, opened.file.name))
                memberBytes = 0
            }
            var n = try current!.stream.read(into: buffer)
            if n == 0 {
                let file = current!.file
                finishedFiles += file.consumed
                finished.append(
                    Corpus.Member(
                        path: current!.path, bytes: file.consumed, digest: file.digest?.finish() ?? "", skipped: nil))
                current = nil
                continue
            }
            if memberBytes == 0 {
                if let nul = buffer[..<min(n, 8192)].firstIndex(of: 0) {
                    // As git and grep decide: a NUL near the start means binary, whatever comes before it.
                    throw TextError("\(current!.file.name) looks binary: NUL byte at byte offset \(nul)")
                }
                if n >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF {
                    UnsafeMutableRawBufferPointer(rebasing: buffer[0..<n - 3]).copyMemory(
                        from: UnsafeRawBufferPointer(rebasing: buffer[3..<n]))
                    n -= 3  // a UTF-8 byte-order mark: offsets in the member still count it
                    memberBytes += 3
                    starts[starts.count - 1].offset -= 3
                }
            }
            memberBytes += n
            produced += n
            if n > 0 {
                lastByte = buffer[n - 1]
                return n
            }
        }
    }

    /// Reads `path` through; if it cannot be read whole, records it as skipped and says so.
    private func skipIfBad(_ path: String) -> Bool {
        let digest = makeDigest?()
        guard let problem = MemberChain.problem(in: path, digest: digest) else { return false }
        var info = stat()
        let size = stat(path, &info) == 0 ? Int(info.st_size) : 0
        let member = Corpus.Member(path: path, bytes: size, digest: digest?.finish() ?? "", skipped: problem)
        finishedFiles += size
        finished.append(member)
        onSkip?(member)
        return true
    }

    /// The member holding byte `offset` of the joined text, and the offset within it.
    func locate(_ offset: Int) -> (name: String, offset: Int) {
        guard let start = starts.last(where: { $0.offset <= offset }) else { return (members.first ?? "", offset) }
        return (start.name, offset - start.offset)
    }
}
