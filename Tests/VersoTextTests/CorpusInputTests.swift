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
            #expect(
                "\(error)"
                    == "\(dir)/2.txt is not valid UTF-8: bad byte at byte offset 4 (lenient reading skips the file)")
        }
        let empty = try scratchFolder()
        #expect(throws: TextError("the folder \(empty) has no .txt files (nor .txt.gz, .xz, .bz2)")) {
            _ = try CorpusMembers.expand(empty)
        }
    }

    /// Several arguments are one text: each argument's members in turn, a folder's sorted.
    @Test func severalArgumentsReadOneAfterAnother() throws {
        let dir = try scratchFolder()
        try FileManager.default.createDirectory(atPath: dir + "/f", withIntermediateDirectories: true)
        try "b1\nb2".write(toFile: dir + "/f/b.txt", atomically: true, encoding: .utf8)
        try "a1\n".write(toFile: dir + "/f/a.txt", atomically: true, encoding: .utf8)
        try "z\n".write(toFile: dir + "/z.txt", atomically: true, encoding: .utf8)
        let corpus = try Corpus([dir + "/z.txt", dir + "/f"])
        #expect(corpus.paths == [dir + "/z.txt", dir + "/f/a.txt", dir + "/f/b.txt"])
        var read: [String] = []
        try corpus.reader().forEachLine { read.append($0) }
        #expect(read == ["z", "a1", "b1", "b2"])
        #expect(corpus.name == dir + "/z.txt and 1 more")
        #expect(throws: TextError("standard input (-) can be read only once")) { _ = try Corpus(["-", dir, "-"]) }
        #expect(throws: TextError.self) { _ = try Corpus([]) }
    }

    /// Lenient checking reads compressed members through: a corrupt one is skipped, and a valid
    /// one whose characters straddle the checker's 1 MiB reads is not.
    @Test func lenientReadingChecksCompressedMembersWhole() throws {
        let dir = try scratchFolder()
        // 2.2 MB in lines of 2,002 bytes: the 1 MiB reads end inside a "ñ".
        let long = String(repeating: "a" + String(repeating: "ñ", count: 1000) + "\n", count: 1100)
        try long.write(toFile: dir + "/1.txt", atomically: true, encoding: .utf8)
        try compress("xz", dir + "/1.txt")
        try text.write(toFile: dir + "/2.txt", atomically: true, encoding: .utf8)
        try compress("gzip", dir + "/2.txt")
        let whole = try Data(contentsOf: URL(fileURLWithPath: dir + "/2.txt.gz"))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: dir + "/2.txt.gz"))  // cut short
        var bad = Array(text.utf8)
        bad[bad.count - 10] = 0xC0
        try Data(bad).write(to: URL(fileURLWithPath: dir + "/3.txt"))
        try compress("bzip2", dir + "/3.txt")
        let corpus = try Corpus([dir], lenient: true)
        var lines = 0
        try corpus.reader().forEachLine { _ in lines += 1 }
        #expect(lines == 1100)
        #expect(corpus.members.map { $0.skipped != nil } == [false, true, true])
        #expect(corpus.members[1].skipped?.hasPrefix("\(dir)/2.txt.gz") == true)
        #expect(
            corpus.members[2].skipped
                == "\(dir)/3.txt.bz2 is not valid UTF-8: bad byte at byte offset \(bad.count - 10)")
    }
}
