// The one SQLite store (GRDB, WAL): where it lives, opening and migrating it, its transactions.
import Foundation
import GRDB

public final class Store: Sendable {
    public let path: String
    /// A WAL pool normally; a read-only queue when the store or its folder cannot be written.
    let database: any DatabaseWriter
    /// True when the store was opened read-only: queries work, writes fail with a clear error.
    public let isReadOnly: Bool

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
    /// `forReading` opens an up-to-date store as one read-only connection, for a command that only
    /// queries it: GRDB's pool writes a transaction into an empty WAL on every open, which would
    /// make each query wait behind a trainer's write lock and cost it a write and a checkpoint.
    /// `serving` is stricter still (a server that must never write): a store that needs migrating
    /// is refused instead of migrated.
    public init(path: String? = nil, forReading: Bool = false, serving: Bool = false) throws {
        let path = path ?? Store.defaultPath()
        self.path = path
        let fm = FileManager.default
        var isDir: ObjCBool = false
        let exists = fm.fileExists(atPath: path, isDirectory: &isDir)
        // A query never creates a store: a mistyped path would otherwise leave an empty one behind.
        if !exists && (forReading || serving) { throw StoreError(Store.noStore(at: path)) }
        if exists {
            if isDir.boolValue { throw StoreError("store \(path) is a directory, not an SQLite file") }
            try Store.checkSQLiteHeader(path)
        } else {
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty && !fm.fileExists(atPath: dir) {
                do { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                    throw StoreError("cannot create the store's folder \(dir): \(error.localizedDescription)")
                }
            }
        }
        var config = Configuration()
        config.busyMode = .timeout(10)  // readers and a trainer share the file
        config.foreignKeysEnabled = true
        let dir = (path as NSString).deletingLastPathComponent
        let cannotWrite = exists && (access(path, W_OK) != 0 || access(dir.isEmpty ? "." : dir, W_OK) != 0)
        if !exists && access(dir.isEmpty ? "." : dir, W_OK) != 0 {
            throw StoreError("cannot create the store \(path): its folder \(dir.isEmpty ? "." : dir) is not writable")
        }
        do {
            let queryOnly = (forReading || serving) && exists && !cannotWrite
            if queryOnly { try Store.playBackHotJournal(path, config) }
            if queryOnly, let reader = try Store.openUpToDateReader(path, config) {
                database = reader
                isReadOnly = true
            } else if cannotWrite {
                // WAL needs the -shm file beside the store; in a folder nobody may write to, SQLite
                // reads the file as immutable instead (nobody can be writing it either).
                config.readonly = true
                database = try DatabaseQueue(path: "file:\(path)?immutable=1", configuration: config)
                try Store.checkSchema(database, path: path, requireComplete: true)
                isReadOnly = true
            } else if serving {
                throw StoreError(
                    exists
                        ? "store \(path) needs upgrading by a command that may write to it (e.g. `w2v models`) first"
                        : "no store at \(path)")
            } else {
                // 16 KB pages for a new store: a word vector row (300 floats: 1.2 KB) fills a 4 KB
                // page only to 88%, a 16 KB one to 98%. (A no-op on an existing store: WAL fixes it.)
                // Incremental auto-vacuum (also fixed at creation), so that removing a model gives
                // its pages back to the disk.
                config.prepareDatabase { db in
                    try db.execute(sql: "PRAGMA page_size = 16384")
                    // (Readers may not set it: a read-only connection refuses the pragma.)
                    if !db.configuration.readonly { try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL") }
                }
                database = try Store.openAndMigrate(path: path, configuration: config)
                isReadOnly = false
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            if !exists && [.SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_PERM].contains(error.resultCode) {
                try? FileManager.default.removeItem(atPath: path)  // an empty file SQLite may have left
                throw StoreError(
                    "cannot create the store \(path): its folder \(dir.isEmpty ? "." : dir) is not writable")
            }
            throw StoreError("cannot open store \(path): \(Store.explain(error, path: path))")
        }
    }

    /// Why a command that reads an existing store cannot go on.
    public static func noStore(at path: String) -> String {
        "no store at \(path): nothing has been trained or imported into it yet"
    }

    /// Throws unless a store exists at `path` (default: the default path), for commands that
    /// change models but never create one.
    public static func requireExisting(_ path: String?) throws {
        let path = path ?? defaultPath()
        if !FileManager.default.fileExists(atPath: path) { throw StoreError(noStore(at: path)) }
    }

    /// A writer killed inside a write-once transaction leaves a hot journal, which only a connection
    /// that may write can play back: a read-only one fails ("attempt to write a readonly database")
    /// until then. So a query first opens the store writable and reads it, which plays the journal
    /// back, restoring the store as it was before that transaction. (A journal that a live writer
    /// still holds is not hot: SQLite leaves it alone.)
    static func playBackHotJournal(_ path: String, _ configuration: Configuration) throws {
        let journal = (try? FileManager.default.attributesOfItem(atPath: path + "-journal"))?[.size] as? Int
        guard let journal, journal > 0 else { return }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        _ = try queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM sqlite_master") }
        try queue.close()
    }

    /// One read-only connection to the store at `path`, or nil when the store needs migrating first
    /// (or is still empty), which only a writer can do.
    static func openUpToDateReader(_ path: String, _ configuration: Configuration) throws -> DatabaseQueue? {
        var config = configuration
        config.readonly = true
        // A query reads each page once: a small page cache reuses its buffers instead of faulting
        // in fresh memory for every 16 KB page (the OS keeps the file cached between processes).
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -256") }
        let queue = try DatabaseQueue(path: path, configuration: config)
        return try checkSchema(queue, path: path, requireComplete: false) ? queue : nil
    }

    /// Opens the WAL pool and migrates it. Two processes creating the same new store at once race
    /// for the switch to WAL and the first migration, and SQLite answers the loser "database is
    /// locked" at once, without its busy handler; the loser waits and tries again (up to 10 s).
    static func openAndMigrate(path: String, configuration: Configuration) throws -> DatabasePool {
        let deadline = Date().addingTimeInterval(10)
        var pause = 0.01
        while true {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                try Store.migrate(pool, path: path)
                return pool
            } catch let error as DatabaseError where isCreationRace(error) && Date() < deadline {
                Thread.sleep(forTimeInterval: pause)
                pause = min(pause * 2, 0.25)
            }
        }
    }

    /// Locked by the other opener, or beaten by it to a migration (GRDB reads which migrations ran
    /// before it takes the write lock, so the loser's CREATE TABLE finds the table, or its ALTER
    /// TABLE … ADD COLUMN the column; its transaction rolls back whole).
    static func isCreationRace(_ error: DatabaseError) -> Bool {
        let message = error.message ?? ""
        return [.SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode)
            || (error.resultCode == .SQLITE_ERROR
                && (message.contains("already exists") || message.contains("duplicate column name")))
    }

    /// SQLite's message, with the cause named when it is a full disk (SQLite only says "I/O error"
    /// when the -shm file cannot grow).
    static func explain(_ error: DatabaseError, path: String) -> String {
        var message = error.message ?? error.description
        var fs = statvfs()
        let dir = (path as NSString).deletingLastPathComponent
        if statvfs(dir.isEmpty ? "." : dir, &fs) == 0, UInt64(fs.f_bavail) * UInt64(fs.f_frsize) < 1 << 20 {
            message += " (the disk is full: \(UInt64(fs.f_bavail) * UInt64(fs.f_frsize) / 1024) KB free)"
        }
        return message
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

    /// Migrates only when needed: a query opening an up-to-date store never asks for the write
    /// lock, so it cannot wait behind a trainer's long transaction.
    static func migrate(_ writer: any DatabaseWriter, path: String) throws {
        if try checkSchema(writer, path: path, requireComplete: false) { return }
        try Schema.migrator.migrate(writer)
    }

    /// Refuses a store from a newer Verso, and one not fully migrated when `requireComplete` (a
    /// store that cannot be written). Returns whether every migration has been applied.
    @discardableResult
    static func checkSchema(_ reader: any DatabaseReader, path: String, requireComplete: Bool) throws -> Bool {
        let migrator = Schema.migrator
        let (superseded, userVersion, complete) = try reader.read { db in
            (
                try migrator.hasBeenSuperseded(db), try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0,
                try migrator.hasCompletedMigrations(db)
            )
        }
        if superseded || userVersion > Schema.version {
            throw StoreError(
                "store \(path) was written by a newer Verso (schema \(userVersion), "
                    + "this one knows \(Schema.version)); upgrade Verso"
            )
        }
        if requireComplete && !complete {
            throw StoreError(
                "store \(path) is read-only and from an older Verso; open it once where it can be written to upgrade it"
            )
        }
        return complete
    }

    // MARK: Transactions

    /// Runs `body` on one snapshot of the store: what it reads belongs together, whatever a
    /// trainer commits meanwhile.
    func readDatabase<T>(_ body: (Database) throws -> T) throws -> T {
        try wrap { try database.read(body) }
    }

    /// Runs `body` in one write transaction: all of it lands, or none of it.
    func writeDatabase<T>(_ body: (Database) throws -> T) throws -> T {
        if isReadOnly { throw StoreError("store \(path) is read-only (the file or its folder cannot be written)") }
        return try wrap { try database.write(body) }
    }

    /// Models whose large parts reach this many bytes are written by `writeOnce`; smaller ones
    /// keep the WAL's readers-never-wait (their second copy costs little).
    static let writeOnceBytes = 32 << 20

    /// Runs `body` in one write transaction whose new pages reach the file once, for a model too
    /// large to write twice. Under WAL every page goes into the log and again into the file at the
    /// checkpoint; under a rollback journal, pages past the file's old end are written straight to
    /// the file, and only the few pages the transaction changes are journaled. So when no other
    /// connection has the store open, the store leaves WAL for this transaction and returns to it
    /// after. A crash midway leaves a hot journal, which the next opener plays back: the store is
    /// as it was. Readers that open the store meanwhile wait for the commit (their busy timeout),
    /// where under WAL they would read on. With another connection open, it writes through the WAL.
    func writeOnce<T>(_ body: (Database) throws -> T) throws -> T {
        guard let pool = database as? DatabasePool, !isReadOnly else { return try writeDatabase(body) }
        pool.releaseMemory()  // closes this process's idle readers, which hold the WAL open too
        return try wrap {
            try pool.writeWithoutTransaction { db in
                let rollback = (try? String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")) == "delete"
                defer { if rollback { try? db.execute(sql: "PRAGMA journal_mode = WAL") } }
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        }
    }

    func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as DatabaseError {
            throw StoreError("store \(path): \(Store.explain(error, path: path))")
        }
    }
}
