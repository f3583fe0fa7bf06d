// Corpora as folders and compressed files: the same lines as the plain text, errors that name the member.
import Foundation
import Testing
@testable import VersoText

/// A scratch folder for one test.
func scratchFolder() throws -> String {
    let dir = NSTemporaryDirectory() + "verso-input-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// Runs a compressor (`gzip`, `xz`, `bzip2`) on `path`, keeping nothing but `path.EXT`.
func compress(_ tool: String, _ path: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [tool, "-f", path]
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(tool) failed")
}

func lines(_ path: String) throws -> [String] {
    var out: [String] = []
    try CorpusReader(path: path, chunkSize: 4096).forEachLine { out.append($0) }
    return out
}

@Suite struct CorpusInputTests {
    let text = (0..<3000).map { "línea \($0): el niño y la canción" }.joined(separator: "\n") + "\n"

    @Test(arguments: [("gzip", ".gz"), ("xz", ".xz"), ("bzip2", ".bz2")])
    func compressedFilesReadAsTheirText(tool: String, ext: String) throws {
        let dir = try scratchFolder()
        try text.write(toFile: dir + "/c.txt", atomically: true, encoding: .utf8)
        let plain = try lines(dir + "/c.txt")
        try compress(tool, dir + "/c.txt")
        #expect(try lines(dir + "/c.txt" + ext) == plain)
        #expect(plain.count == 3000)
    }

    /// `cat a.gz b.gz > ab.gz` is a valid gzip file holding both texts.
    @Test func concatenatedGzipMembersAreAllRead() throws {
        let dir = try scratchFolder()
        try "uno\ndos\n".write(toFile: dir + "/a.txt", atomically: true, encoding: .utf8)
        try "tres\n".write(toFile: dir + "/b.txt", atomically: true, encoding: .utf8)
        try compress("gzip", dir + "/a.txt")
        try compress("gzip", dir + "/b.txt")
        let both =
            try Data(contentsOf: URL(fileURLWithPath: dir + "/a.txt.gz"))
            + Data(contentsOf: URL(fileURLWithPath: dir + "/b.txt.gz"))
        try both.write(to: URL(fileURLWithPath: dir + "/ab.gz"))
        #expect(try lines(dir + "/ab.gz") == ["uno", "dos", "tres"])
    }

    @Test func aTruncatedFileIsNamed() throws {
        let dir = try scratchFolder()
        try text.write(toFile: dir + "/t.txt", atomically: true, encoding: .utf8)
        try compress("xz", dir + "/t.txt")
        let whole = try Data(contentsOf: URL(fileURLWithPath: dir + "/t.txt.xz"))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: dir + "/t.txt.xz"))
        #expect(throws: TextError.self) { _ = try lines(dir + "/t.txt.xz") }
        do { _ = try lines(dir + "/t.txt.xz") } catch { #expect("\(error)".contains("t.txt.xz")) }
    }

    /// A folder: its .txt files (compressed or not) at any depth, sorted by path, each ending its
    /// last line; other files and hidden ones are left out.
    @Test func aFolderReadsItsTextFilesInOrder() throws {
        let dir = try scratchFolder()
        try FileManager.default.createDirectory(atPath: dir + "/b", withIntermediateDirectories: true)
        try "primero".write(toFile: dir + "/a.txt", atomically: true, encoding: .utf8)  // no final newline
        try "segundo\n".write(toFile: dir + "/b/c.txt", atomically: true, encoding: .utf8)
        try compress("gzip", dir + "/b/c.txt")
        try "tercero\n".write(toFile: dir + "/d.txt", atomically: true, encoding: .utf8)
        try "no".write(toFile: dir + "/notes.md", atomically: true, encoding: .utf8)
        try "no".write(toFile: dir + "/.hidden.txt", atomically: true, encoding: .utf8)
        #expect(try CorpusMembers.expand(dir) == [dir + "/a.txt", dir + "/b/c.txt.gz", dir + "/d.txt"])
        #expect(try lines(dir) == ["primero", "segundo", "tercero"])
        #expect(try CorpusReader.readText(path: dir) == "primero\nsegundo\ntercero")
    }

    @Test func badMembersAndEmptyFoldersAreOneLineErrors() throws {
        let dir = try scratchFolder()
        try "bien\n".write(toFile: dir + "/1.txt", atomically: true, encoding: .utf8)
        try Data([0x6F, 0x6B, 0x0A, 0x61, 0xFF, 0x62]).write(to: URL(fileURLWithPath: dir + "/2.txt"))
        do {
            _ = try lines(dir)
            Issue.record("invalid UTF-8 was read")
        } catch {
            #expect("\(error)" == "\(dir)/2.txt is not valid UTF-8: bad byte at byte offset 4")
        }
        let empty = try scratchFolder()
        #expect(throws: TextError("the folder \(empty) has no .txt files (nor .txt.gz, .xz, .bz2)")) {
            _ = try CorpusMembers.expand(empty)
        }
    }
}
