// The one SQLite store (GRDB, WAL) that holds every model, its tensors, vocabulary and metrics.
import Foundation
import GRDB

public final class Store: Sendable {
    public let path: String
    public let pool: DatabasePool

    // MARK: Location

    /// `$VERSO_STORE`, else `$XDG_DATA_HOME/verso/verso.sqlite`, else `~/.local/share/verso/verso.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let p = environment["VERSO_STORE"], !p.isEmpty { return p }
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty { return xdg + "/verso/verso.sqlite" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/share/verso/verso.sqlite"
    }

    // MARK: Opening

    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    /// Refuses, without writing anything, a file that is not SQLite and a store from a newer Verso.
    public init(path: String? = nil) throws {
        let path = path ?? Store.defaultPath()
        self.path = path
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDir) {
            if isDir.boolValue { throw StoreError("store \(path) is a directory, not an SQLite file") }
            try Store.checkSQLiteHeader(path)
        } else {
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty && !fm.fileExists(atPath: dir) {
                do { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) }
                catch { throw StoreError("cannot create the store's folder \(dir): \(error.localizedDescription)") }
            }
        }
        var config = Configuration()
        config.busyMode = .timeout(10)          // readers and a trainer share the file
        config.foreignKeysEnabled = true
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try Store.migrate(pool, path: path)
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError("cannot open store \(path): \(error.message ?? error.description)")
        }
    }

    /// An SQLite file starts with these 16 bytes; an empty file is a new store.
    static func checkSQLiteHeader(_ path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError("cannot read store \(path): permission denied")
        }
        defer { try? handle.close() }
        let header = handle.readData(ofLength: 16)
        if header.isEmpty { return }
        if header != Data("SQLite format 3\0".utf8) {
            throw StoreError("\(path) is not a Verso store: not an SQLite database")
        }
    }

    static func migrate(_ pool: DatabasePool, path: String) throws {
        let migrator = Schema.migrator
        let (superseded, userVersion) = try pool.read { db in
            (try migrator.hasBeenSuperseded(db), try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0)
        }
        if superseded || userVersion > Schema.version {
            throw StoreError("store \(path) was written by a newer Verso (schema \(userVersion), this one knows \(Schema.version)); upgrade Verso")
        }
        try migrator.migrate(pool)
    }

    // MARK: Transactions

    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try wrap { try pool.read(body) }
    }

    /// Runs `body` in one write transaction: all of it lands, or none of it.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        try wrap { try pool.write(body) }
    }

    private func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() }
        catch let error as DatabaseError {
            throw StoreError("store \(path): \(error.message ?? error.description)")
        }
    }
}
