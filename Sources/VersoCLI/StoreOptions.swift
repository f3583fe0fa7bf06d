// Options and output helpers every Verso command shares: --store, --json, tables, one-line errors.
import ArgumentParser
import Foundation
import VersoStore

public struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The SQLite store (default: $VERSO_STORE, else $XDG_DATA_HOME/verso/verso.sqlite, "
                + "else ~/.local/share/verso/verso.sqlite).",
            valueName: "path"))
    public var store: String?

    public init() {}

    public func open() throws -> Store { try Store(path: store) }

    /// Opens the store for a command that only reads it (up to date, it is one read-only connection).
    public func openForReading() throws -> Store { try Store(path: store, forReading: true) }

    /// Opens an existing store for a command that changes models but never creates a store
    /// (removing a model, building an index, mixing two models).
    public func openExisting() throws -> Store {
        try Store.requireExisting(store)
        return try openForWriting()
    }

    /// Opens the store for a command that will write to it, failing before any work is done
    /// when it is read-only.
    public func openForWriting() throws -> Store {
        let opened = try Store(path: store)
        if opened.isReadOnly {
            throw InputError("store \(opened.path) is read-only (the file or its folder cannot be written)")
        }
        return opened
    }
}

// MARK: Output

public enum Output {
    /// Prints `value` as pretty, key-sorted JSON on stdout.
    public static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// A plain text table: columns padded to their widest cell, two spaces apart.
    /// Cells are printed with control characters escaped: a name or word holding a newline or
    /// an escape code cannot split the table or reach the terminal.
    public static func table(headers: [String], rows: [[String]], rightAligned: Set<Int> = []) -> String {
        let rows = rows.map { $0.map(ModelName.printable) }
        var widths = headers.map { $0.count }
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            let joined = cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return rightAligned.contains(i) ? pad + cell : cell + pad
            }.joined(separator: "  ")
            return String(joined.reversed().drop(while: \.isWhitespace).reversed())
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }

    /// `value` rounded to `places` decimals ("%.4f" without Foundation's formatter, whose first
    /// call costs a query command a millisecond).
    public static func decimal(_ value: Double, places: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e18 else { return String(format: "%.\(places)f", value) }
        let digits = String(UInt64(scaled))
        let padded = String(repeating: "0", count: max(0, places + 1 - digits.count)) + digits
        let sign = value < 0 && scaled > 0 ? "-" : ""
        guard places > 0 else { return sign + padded }
        return sign + padded.dropLast(places) + "." + padded.suffix(places)
    }

    /// 1536 → "1.5 KB": sizes as people read them.
    public static func bytes(_ n: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(n), unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(n) B" : String(format: "%.1f %@", value, units[unit])
    }

    public static var stderrIsTTY: Bool { isatty(STDERR_FILENO) != 0 }

    /// Rewrites the progress line on standard error, on a terminal only (pipes and files stay
    /// quiet); nil clears it, so the summary or error that follows takes its place.
    public static func progress(_ line: String?) {
        guard stderrIsTTY else { return }
        FileHandle.standardError.write(Data((line.map { "\r" + $0 + "\u{1B}[K" } ?? "\r\u{1B}[K").utf8))
    }

    /// Writes one line to standard error (warnings and notes; never data).
    public static func note(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}

// MARK: Errors

/// A problem with the files or models a command was given (not with its options): printed as
/// one `Error: …` line with exit status 1, without the usage text a `ValidationError` adds.
public struct InputError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The model name a trainer takes when `--name` is not given: the corpus's base name without its
/// extensions (`poems.txt.gz` → `poems`, a folder `es/` → `es`), `stdin` for standard input.
public func defaultModelName(corpus path: String) -> String {
    if path == "-" { return "stdin" }
    var name = URL(fileURLWithPath: path).lastPathComponent
    for ext in [".gz", ".xz", ".bz2"] where name.hasSuffix(ext) { name.removeLast(ext.count) }
    return URL(fileURLWithPath: name).deletingPathExtension().lastPathComponent
}
