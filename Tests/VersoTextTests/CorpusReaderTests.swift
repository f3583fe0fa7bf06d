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
        #expect(throws: TextError("\(path) is not valid UTF-8: bad byte at byte offset 7")) {
            _ = try reader.nextLine()
        }
    }

    @Test func lenientModeReplacesAndCounts() throws {
        let path = temporaryFile([0x61, 0xFF, 0x62, 0xE2, 0x82, 0x0A, 0x63])
        defer { unlink(path) }
        let reader = try CorpusReader(path: path, lenient: true)
        #expect(try reader.nextLine() == "a\u{FFFD}b\u{FFFD}")
        #expect(try reader.nextLine() == "c")
        #expect(reader.replacements == 2)
    }

    @Test func nulByteMeansBinary() throws {
        let path = temporaryFile([0x89, 0x50, 0x4E, 0x47, 0x00, 0x01])
        defer { unlink(path) }
        #expect(throws: TextError.self) { try CorpusReader(path: path, lenient: true).forEachLine { _ in } }
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
