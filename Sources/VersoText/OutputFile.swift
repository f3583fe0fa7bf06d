// Files a command writes (reports, exported vectors): parent folders created, written under a
// temporary name and renamed into place, every failure one message naming the path and the reason.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file being written: nothing appears at `path` until `commit()`, so a full disk or a killed
/// process never leaves half a report or half a vector file behind.
public final class OutputFile {
    public let path: String
    private let temporaryPath: String
    private var handle: UnsafeMutablePointer<FILE>?

    /// Creates the missing parent folders of `path` and opens a temporary file beside it.
    public init(path: String) throws {
        self.path = path
        let folder = OutputFile.folder(of: path)
        try OutputFile.createFolders(folder, for: path)
        var info = stat()
        if stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            throw TextError("cannot write \(path): it is a folder")
        }
        temporaryPath = folder + "/." + OutputFile.baseName(of: path) + ".tmp-\(getpid())"
        guard let handle = fopen(temporaryPath, "wb") else {
            throw TextError("cannot write \(path): \(OutputFile.reason())")
        }
        self.handle = handle
    }

    deinit {
        if let handle {
            fclose(handle)
            unlink(temporaryPath)
        }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let handle else { throw TextError("cannot write \(path): already closed") }
        guard bytes.count == 0 || fwrite(bytes.baseAddress, 1, bytes.count, handle) == bytes.count else {
            throw TextError("cannot write \(path): \(OutputFile.reason())")
        }
    }

    public func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }

    /// Flushes, closes and renames the file into place.
    public func commit() throws {
        guard let handle else { return }
        self.handle = nil
        let flushed = fflush(handle) == 0 && fsync(fileno(handle)) == 0
        let reason = flushed ? "" : OutputFile.reason()
        let closed = fclose(handle) == 0
        guard flushed, closed else {
            let why = flushed ? OutputFile.reason() : reason
            unlink(temporaryPath)
            throw TextError("cannot write \(path): \(why)")
        }
        guard rename(temporaryPath, path) == 0 else {
            let why = OutputFile.reason()
            unlink(temporaryPath)
            throw TextError("cannot write \(path): \(why)")
        }
    }

    /// Writes `text` to `path` in one go.
    public static func write(_ text: String, to path: String) throws {
        let file = try OutputFile(path: path)
        try file.write(text)
        try file.commit()
    }

    // MARK: Paths

    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func baseName(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }

    /// mkdir -p, naming the first folder that cannot be made.
    static func createFolders(_ folder: String, for path: String) throws {
        var info = stat()
        if stat(folder, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                throw TextError("cannot write \(path): \(folder) is not a folder")
            }
            return
        }
        let parent = OutputFile.folder(of: folder)
        if parent != folder { try createFolders(parent, for: path) }
        guard mkdir(folder, 0o755) == 0 || errno == EEXIST else {
            throw TextError("cannot write \(path): cannot create the folder \(folder): \(OutputFile.reason())")
        }
    }

    /// The C library's wording of `errno` ("No space left on device", "Permission denied").
    static func reason() -> String { String(cString: strerror(errno)) }
}
