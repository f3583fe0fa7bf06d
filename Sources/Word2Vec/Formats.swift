// The word2vec C tool's vector formats (text and binary), read and written, for gensim, fastText and Spark.
import Foundation
import VersoText

/// A vector or analogy file that cannot be read, parsed or written, in one line naming it.
public struct VectorFileError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

public enum VectorFormat: String, Sendable, CaseIterable { case text, binary }

public struct ImportedVectors {
    public var words: [String]
    public var dim: Int
    public var vectors: [Float]
}

public enum VectorFiles {
    /// Header "V d", then per word: text "word v1 … vd" or binary "word " + d little-endian float32 + "\n".
    public static func write(path: String, format: VectorFormat, words: [String], dim: Int, vectors: [Float]) throws {
        let out = try OutputFile(path: path)
        var buffer = Data("\(words.count) \(dim)\n".utf8)
        for (i, word) in words.enumerated() {
            let row = vectors[(i * dim)..<((i + 1) * dim)]
            switch format {
            case .text:
                // %.9g round-trips every float32 exactly.
                buffer.append(
                    contentsOf: (word + " " + row.map { String(format: "%.9g", $0) }.joined(separator: " ") + "\n").utf8
                )
            case .binary:
                buffer.append(contentsOf: Array(word.utf8) + [0x20])
                row.withUnsafeBytes { buffer.append(contentsOf: $0) }
                buffer.append(0x0A)
            }
            if buffer.count > 1 << 20 {
                try buffer.withUnsafeBytes { try out.write($0) }
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try buffer.withUnsafeBytes { try out.write($0) }
        try out.commit()
    }

    /// Reads either format (detected from the first entry, or forced with `format`).
    public static func read(path: String, format: VectorFormat? = nil) throws -> ImportedVectors {
        try CorpusReader.checkReadable(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw VectorFileError("cannot read \(path): permission denied")
        }
        return try parse([UInt8](data), name: path, format: format)
    }

    /// Parses a vector file's bytes (`name` is used in error messages). Fuzzed: any bytes give
    /// vectors or a `VectorFileError`, never a crash.
    public static func parse(_ bytes: [UInt8], name path: String, format: VectorFormat? = nil) throws -> ImportedVectors
    {
        guard let nl = bytes.firstIndex(of: 0x0A) else { throw VectorFileError("\(path): no 'count dim' header line") }
        let fields = String(decoding: bytes[..<nl], as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\r" })
        guard fields.count == 2, let n = Int(fields[0]), let dim = Int(fields[1]), n >= 0, dim > 0, dim <= 1 << 20
        else {
            throw VectorFileError("\(path): the first line must be 'word_count dimension'")
        }
        // Each entry takes at least a word, a space and one byte per number (four in binary).
        let (entries, overflow) = n.multipliedReportingOverflow(by: dim + 2)
        guard !overflow, entries <= bytes.count - nl else {
            throw VectorFileError(
                "\(path): the header promises \(n) vectors of \(dim) numbers, more than the file can hold")
        }
        let detected = format ?? (looksLikeText(bytes, from: nl + 1, dim: dim) ? .text : .binary)
        var words: [String] = [], vectors: [Float] = []
        var seen = Set<String>()
        words.reserveCapacity(n)
        vectors.reserveCapacity(n * dim)
        var pos = nl + 1
        for entry in 0..<n {
            while pos < bytes.count && (bytes[pos] == 0x0A || bytes[pos] == 0x20) { pos += 1 }
            guard let space = bytes[pos...].firstIndex(of: 0x20) else {
                throw VectorFileError("\(path): entry \(entry + 1) of \(n) is missing")
            }
            let word = String(decoding: bytes[pos..<space], as: UTF8.self)
            guard !word.utf8.contains(0x0A) else {
                throw VectorFileError("\(path): entry \(entry + 1) has a line break in its word")
            }
            guard seen.insert(word).inserted else {
                throw VectorFileError("\(path): the word '\(word)' appears twice (entry \(entry + 1))")
            }
            words.append(word)
            pos = space + 1
            switch detected {
            case .binary:
                guard pos + dim * 4 <= bytes.count else {
                    throw VectorFileError("\(path): entry \(entry + 1) is truncated")
                }
                bytes[pos..<(pos + dim * 4)].withUnsafeBytes { raw in
                    for k in 0..<dim { vectors.append(raw.loadUnaligned(fromByteOffset: k * 4, as: Float.self)) }
                }
                guard vectors.suffix(dim).allSatisfy({ $0.isFinite }) else {
                    throw VectorFileError("\(path): entry \(entry + 1) holds a NaN or infinite number")
                }
                pos += dim * 4
            case .text:
                let end = bytes[pos...].firstIndex(of: 0x0A) ?? bytes.count
                let fields = String(decoding: bytes[pos..<end], as: UTF8.self).split(separator: " ")
                let values = fields.compactMap { Float($0) }
                guard fields.count == dim, values.count == dim, values.allSatisfy({ $0.isFinite }) else {
                    if fields.count == dim && values.count == dim {
                        throw VectorFileError("\(path): line \(entry + 2) holds a NaN or infinite number")
                    }
                    throw VectorFileError(
                        "\(path): line \(entry + 2) has \(values.count) numbers\(fields.count != values.count ? " and \(fields.count - values.count) other fields" : ""), expected \(dim) numbers"
                    )
                }
                vectors.append(contentsOf: values)
                pos = end
            }
        }
        return ImportedVectors(words: words, dim: dim, vectors: vectors)
    }

    static func looksLikeText(_ bytes: [UInt8], from start: Int, dim: Int) -> Bool {
        // Binary rows hold raw float bytes, which almost always include control bytes; a text row
        // is printable up to its newline and ends in a number (a row with the wrong count of
        // numbers is then reported as such, not as a truncated binary entry).
        let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
        guard !bytes[start..<end].contains(where: { $0 < 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return false }
        let fields = String(decoding: bytes[start..<end], as: UTF8.self).split(whereSeparator: {
            $0 == " " || $0 == "\r"
        })
        return fields.count >= 2 && Float(fields.last!) != nil
    }
}
