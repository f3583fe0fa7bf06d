// Reads word2vec C-format vector files as a stream: bounded buffers, UTF-8 or Latin-1 words, a word limit.
import Foundation
import VersoText

/// How the words of a vector file are encoded. `auto` reads UTF-8 and takes a word that is not
/// valid UTF-8 as Latin-1 (the GoogleNews binary's ISO-8859-1), counting how many it did so.
public enum WordEncoding: String, Sendable, CaseIterable { case auto, utf8, latin1 }

/// What an import read, besides the vectors: how many words it took as Latin-1.
public struct ImportNotes: Sendable, Equatable {
    public var latin1Words = 0
}

/// Bytes from a file (read in 4 MB blocks) or from memory, consumed front to back.
final class ByteSource {
    private var buffer: [UInt8]
    private var start = 0
    private let file: FileHandle?
    private var ended: Bool
    private var fetched = 0  // bytes read from the file (or given) so far
    static let block = 4 << 20

    /// Bytes consumed from the front of the input.
    var position: Int { fetched - (buffer.count - start) }

    init(bytes: [UInt8]) {
        buffer = bytes
        fetched = bytes.count
        file = nil
        ended = true
    }

    init(file: FileHandle) {
        buffer = []
        self.file = file
        ended = false
    }

    /// Makes at least `count` bytes available unless the input ends first; returns how many are.
    @discardableResult
    func fill(_ count: Int) throws -> Int {
        while buffer.count - start < count && !ended {
            if start > 0 {
                buffer.removeFirst(start)
                start = 0
            }
            let chunk = try file!.read(upToCount: max(Self.block, count)) ?? Data()
            if chunk.isEmpty { ended = true } else { buffer.append(contentsOf: chunk) }
            fetched += chunk.count
        }
        return buffer.count - start
    }

    /// The bytes up to (not including) `delimiter`, consumed with it; nil at the end of input.
    /// At most `limit` bytes are looked at: a longer run is returned without its delimiter.
    func take(until delimiter: UInt8, limit: Int = 1 << 20) throws -> ArraySlice<UInt8>? {
        var scanned = 0
        while true {
            let available = buffer.count - start
            if let i = buffer[(start + scanned)..<buffer.count].firstIndex(of: delimiter) {
                let slice = buffer[start..<i]
                start = i + 1
                return slice
            }
            scanned = available
            let grew = available < limit ? try fill(available + 1) > available : false
            if !grew {
                if available == 0 { return nil }
                let slice = buffer[start..<buffer.count]
                start = buffer.count
                return slice
            }
        }
    }

    /// Exactly `count` bytes, or nil when the input ends first.
    func take(count: Int) throws -> ArraySlice<UInt8>? {
        guard try fill(count) >= count else { return nil }
        let slice = buffer[start..<(start + count)]
        start += count
        return slice
    }

    /// Exactly `count` bytes copied into `destination`: what is buffered, then the rest straight from
    /// the file (a matrix of gigabytes is not staged through the block buffer); false when the input
    /// ends first.
    func read(into destination: UnsafeMutableRawPointer, count: Int) throws -> Bool {
        let buffered = min(count, buffer.count - start)
        if buffered > 0 {
            buffer.withUnsafeBytes { _ = memcpy(destination, $0.baseAddress! + start, buffered) }
            start += buffered
        }
        var done = buffered
        guard let file, !ended else { return done == count }
        while done < count {
            let n = Foundation.read(file.fileDescriptor, destination + done, min(count - done, 1 << 30))
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw VectorFileError("reading failed: \(String(cString: strerror(errno)))") }
            if n == 0 {
                ended = true
                return false
            }
            done += n
            fetched += n
        }
        return true
    }

    /// Consumes `count` bytes without keeping them (a file seeks past what is not buffered); the
    /// caller has checked that the input holds them.
    func skip(_ count: Int) throws {
        let buffered = min(count, buffer.count - start)
        start += buffered
        guard count > buffered else { return }
        if let file {
            try file.seek(toOffset: UInt64(fetched + count - buffered))
            fetched += count - buffered
        } else {
            start = buffer.count
        }
    }

    /// Skips line breaks and spaces (between binary entries); false at the end of input.
    func skipSeparators() throws -> Bool {
        while try fill(1) > 0 {
            let byte = buffer[start]
            if byte != 0x0A && byte != 0x20 { return true }
            start += 1
        }
        return false
    }

    /// The next `count` bytes without consuming them (fewer at the end of input).
    func peek(_ count: Int) throws -> ArraySlice<UInt8> {
        try fill(count)
        return buffer[start..<min(buffer.count, start + count)]
    }
}

extension VectorFiles {
    /// Decodes a word: UTF-8, or Latin-1 (every byte one code point) where `encoding` says so.
    static func decodeWord(
        _ bytes: ArraySlice<UInt8>, encoding: WordEncoding, entry: Int, path: String, notes: inout ImportNotes
    ) throws -> String {
        if encoding != .latin1, let word = String(validating: bytes, as: UTF8.self) { return word }
        if encoding == .utf8 {
            throw VectorFileError("\(path): the word of entry \(entry) is not valid UTF-8", advice: .latin1Words)
        }
        if encoding == .auto { notes.latin1Words += 1 }
        return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }
}
