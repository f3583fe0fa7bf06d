// Streaming reads: lines across chunk borders, BOM and CRLF, invalid UTF-8 with offsets, binary files.
#if canImport(Glibc)
    import Glibc
#endif
import Testing
@testable import VersoText

/// Writes `bytes` to a fresh temporary file and returns its path (no Foundation in this module).
func temporaryFile(_ bytes: [UInt8]) -> String {
    var template = Array("/tmp/verso-text-XXXXXX".utf8CString)
    let fd = mkstemp(&template)
    precondition(fd >= 0)
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
    return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

@Suite struct CorpusReaderTests {
    @Test func linesSpanTinyChunks() throws {
        let path = temporaryFile(Array("\u{FEFF}uno\r\ndós\n\ntres".utf8))
        defer { unlink(path) }
        let reader = try CorpusReader(path: path, chunkSize: 3)  // every line crosses a chunk border
        var lines: [String] = []
        try reader.forEachLine { lines.append($0) }
        #expect(lines == ["uno", "dós", "", "tres"])
        #expect(reader.consumedBytes == reader.fileSize)
    }

    @Test func emptyFileHasNoLines() throws {
        let path = temporaryFile([])
        defer { unlink(path) }
        #expect(try CorpusReader(path: path).nextLine() == nil)
    }

    @Test func invalidUTF8NamesTheByteOffset() throws {
        let path = temporaryFile(Array("hola\nma".utf8) + [0xC3, 0x28] + Array("na\n".utf8))
        defer { unlink(path) }
        let reader = try CorpusReader(path: path, chunkSize: 4)
        #expect(try reader.nextLine() == "hola")
        #expect(throws: TextError("\(path) is not valid UTF-8: bad byte at byte offset 7", advice: .lenientSkipsFile)) {
            _ = try reader.nextLine()
        }
    }

    /// Leniently, a bad file is read through first and left out whole, named with the offset of
    /// its first bad byte, and the files around it are read as if it were not there.
    @Test func lenientReadingSkipsABadFileAndSaysSo() throws {
        let good = temporaryFile(Array("uno\ndos\n".utf8))
        let bad = temporaryFile([0x61, 0x0A, 0x61, 0xFF, 0x62, 0xE2, 0x82, 0x0A, 0x63])
        let binary = temporaryFile([0x89, 0x50, 0x4E, 0x47, 0x00, 0x01])
        let last = temporaryFile(Array("tres".utf8))
        defer { for p in [good, bad, binary, last] { unlink(p) } }
        let corpus = try Corpus([good, bad, binary, last], lenient: true)
        var told: [String] = []
        corpus.onSkip = { told.append($0.skipped ?? "") }
        var lines: [String] = []
        try corpus.reader(chunkSize: 4).forEachLine { lines.append($0) }
        #expect(lines == ["uno", "dos", "tres"])
        #expect(
            told == [
                "\(bad) is not valid UTF-8: bad byte at byte offset 3",
                "\(binary) looks binary: NUL byte at byte offset 4",
            ])
        #expect(corpus.members.map(\.path) == [good, bad, binary, last])
        #expect(corpus.members.map { $0.skipped != nil } == [false, true, true, false])
        #expect(corpus.members.map(\.bytes) == [8, 9, 6, 4])
        #expect(throws: TextError("\(bad) is not valid UTF-8: bad byte at byte offset 3", advice: .lenientSkipsFile)) {
            try Corpus([good, bad]).reader().forEachLine { _ in }
        }
    }

    @Test func nulByteMeansBinary() throws {
        let path = temporaryFile([0x89, 0x50, 0x4E, 0x47, 0x00, 0x01])
        defer { unlink(path) }
        #expect(throws: TextError("\(path) looks binary: NUL byte at byte offset 4")) {
            try CorpusReader(path: path).forEachLine { _ in }
        }
    }

    /// A read that ends inside a multi-byte character keeps its start for the next read.
    @Test func checkingInPiecesKeepsACutCharacterWhole() {
        func prefix(_ bytes: [UInt8]) -> Int { bytes.withUnsafeBufferPointer { UTF8Check.completePrefix($0) } }
        #expect(prefix(Array("añ".utf8)) == 3)
        #expect(prefix(Array("añ".utf8).dropLast()) == 1)
        #expect(prefix(Array("a€".utf8).dropLast()) == 1)
        #expect(prefix(Array("a😀".utf8).dropLast(1)) == 1)
        #expect(prefix([0x61, 0xFF]) == 2)  // not a cut character: bad, and checked now
        #expect(prefix([]) == 0)
    }

    @Test func missingFileAndDirectoryAreOneLineErrors() {
        #expect(throws: TextError("cannot read /nonexistent/x.txt: no such file")) {
            _ = try CorpusReader(path: "/nonexistent/x.txt")
        }
        let empty = "/tmp/verso-empty-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        mkdir(empty, 0o755)
        #expect(throws: TextError("the folder \(empty) has no .txt files (nor .txt.gz, .xz, .bz2)")) {
            _ = try CorpusReader(path: empty)
        }
    }

    @Test func validatorAcceptsAllWellFormedPlanes() {
        let text = Array("aé€𝄞".utf8)
        let r = text.withUnsafeBufferPointer { UTF8Check.scan($0) }
        #expect(r == UTF8Check.Result())
        let surrogate: [UInt8] = [0xED, 0xA0, 0x80]  // encoded U+D800 is not UTF-8
        #expect(surrogate.withUnsafeBufferPointer { UTF8Check.scan($0) }.firstInvalid == 0)
    }
}

@Suite struct LongLineTests {
    /// A line longer than the limit comes in pieces cut after spaces; joined, they are the line.
    @Test func overLongLinesComeInPiecesCutAtSpaces() throws {
        let words = (0..<400).map { "palabra\($0 % 37)" }
        let text = words.joined(separator: " ") + "\nshort line\n" + String(repeating: "ñ", count: 300)
        let path = temporaryFile(Array(text.utf8))
        defer { unlink(path) }
        let reader = try CorpusReader(path: path, chunkSize: 50, maxLineBytes: 100)
        var joined = "", pieces: [String] = []
        try reader.forEachPiece { newlineBefore, piece in
            if newlineBefore { joined += "\n" }
            joined += piece
            pieces.append(piece)
        }
        #expect(joined == text)
        #expect(pieces.count > 30)
        #expect(pieces.allSatisfy { $0.utf8.count <= 100 + 50 })
        // Inside the long line every cut falls after a space, so no word is split.
        let firstLine = pieces.prefix { !$0.hasPrefix("short") }
        #expect(firstLine.dropLast().allSatisfy { $0.hasSuffix(" ") })
        #expect(pieces.contains("short line"))
    }

    @Test func binaryIsSniffedBeforeInvalidUTF8() throws {
        let path = temporaryFile([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00])
        defer { unlink(path) }
        #expect(throws: TextError("\(path) looks binary: NUL byte at byte offset 8")) {
            _ = try CorpusReader(path: path).nextLine()
        }
    }
}
