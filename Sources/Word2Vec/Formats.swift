// Vector files read and written: the word2vec C tool's text and binary (gensim, fastText's .vec, Spark),
// GloVe's headerless text, and fastText's .bin model (FastTextFormat.swift).
import Foundation
import VersoStore
import VersoText

/// A vector or analogy file that cannot be read, parsed or written, in one line naming it.
public struct VectorFileError: AdvisingError, Equatable {
    public let message: String
    public let advice: SettingAdvice?
    public init(_ message: String, advice: SettingAdvice? = nil) {
        self.message = message
        self.advice = advice
    }
}

/// text and binary: the word2vec C tool's (a "count dim" header); glove: text rows with no header;
/// fasttext: fastText's .bin model with its n-gram buckets.
public enum VectorFormat: String, Sendable, CaseIterable { case text, binary, glove, fasttext }

public struct ImportedVectors {
    public var words: [String]
    public var dim: Int
    public var vectors: [Float]
    /// From a fastText .bin: the words' counts, its arguments as settings, and its n-gram rows.
    public var counts: [Int]? = nil
    public var config: W2VConfig? = nil
    public var subwords: SubwordMatrix? = nil

    public init(words: [String], dim: Int, vectors: [Float]) {
        (self.words, self.dim, self.vectors) = (words, dim, vectors)
    }

    init(_ model: FastTextModel) {
        self.init(words: model.words, dim: Int(model.args.dim), vectors: model.vectors)
        counts = model.counts
        config = model.args.config
        subwords = model.subwords
    }
}

public enum VectorFiles {
    /// Header "V d", then per word: text "word v1 … vd" or binary "word " + d little-endian float32 + "\n";
    /// glove: the text rows without the header; fasttext: a .bin of whole words (`FastTextFiles.write`
    /// takes a model's settings and n-grams).
    public static func write(path: String, format: VectorFormat, words: [String], dim: Int, vectors: [Float]) throws {
        if format == .fasttext {
            var config = W2VConfig()
            config.dim = dim
            return try FastTextFiles.write(
                path: path, config: config, words: words, counts: words.indices.map { words.count - $0 },
                vectors: vectors, subwords: nil)
        }
        // A word the format cannot hold would read back as other words: refused before anything is written.
        let breaking: Set<UInt8> = format == .glove ? [0x0A, 0x0D] : [0x20, 0x0A, 0x0D]
        if let bad = words.first(where: { $0.isEmpty || $0.utf8.contains(where: breaking.contains) }) {
            throw VectorFileError(
                "the word '\(bad)' cannot be written as \(format): it is empty or holds a "
                    + (format == .glove ? "line break" : "space or a line break"))
        }
        let out = try OutputFile(path: path)
        var buffer = format == .glove ? Data() : Data("\(words.count) \(dim)\n".utf8)
        for (i, word) in words.enumerated() {
            let row = vectors[(i * dim)..<((i + 1) * dim)]
            switch format {
            case .text, .glove, .fasttext:
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

    /// Reads either format (detected from the first entry, or forced with `format`) as a stream:
    /// memory holds the vectors and words read, not the file. Takes the first `limit` words. A fastText
    /// .bin averages its words' n-gram rows on `threads`.
    public static func read(
        path: String, format: VectorFormat? = nil, encoding: WordEncoding = .auto, limit: Int? = nil,
        threads: Int = 1, stop: StopRequest = .never
    ) throws -> (vectors: ImportedVectors, notes: ImportNotes) {
        try CorpusReader.checkReadable(path)
        guard let file = FileHandle(forReadingAtPath: path) else {
            throw VectorFileError("cannot read \(path): permission denied")
        }
        defer { try? file.close() }
        // stat follows a symbolic link to the file (FileManager's attributes describe the link itself).
        var info = stat()
        let size = stat(path, &info) == 0 && info.st_size > 0 ? Int(info.st_size) : Int.max
        var notes = ImportNotes()
        let vectors = try parse(
            ByteSource(file: file), name: path, size: size, format: format, encoding: encoding, limit: limit,
            notes: &notes, threads: threads, stop: stop)
        return (vectors, notes)
    }

    /// Parses a vector file's bytes (`name` is used in error messages). Fuzzed: any bytes give
    /// vectors or a `VectorFileError`, never a crash.
    public static func parse(
        _ bytes: [UInt8], name path: String, format: VectorFormat? = nil, encoding: WordEncoding = .auto
    ) throws -> ImportedVectors {
        var notes = ImportNotes()
        return try parse(
            ByteSource(bytes: bytes), name: path, size: bytes.count, format: format, encoding: encoding, limit: nil,
            notes: &notes)
    }

    static func parse(
        _ source: ByteSource, name path: String, size: Int, format: VectorFormat?, encoding: WordEncoding,
        limit: Int?, notes: inout ImportNotes, threads: Int = 1, stop: StopRequest = .never
    ) throws -> ImportedVectors {
        let start = try source.peek(4)
        if format == .fasttext || (format == nil && FastTextFiles.hasMagic(start)) {
            let fields = BinaryFields(source: source, path: path, size: size)
            return ImportedVectors(
                try FastTextFiles.parse(
                    fields, encoding: encoding, limit: limit, notes: &notes, stop: stop, threads: threads))
        }
        guard let header = try source.take(until: 0x0A, limit: 1 << 22), header.count < 1 << 22 else {
            throw VectorFileError("\(path): no 'count dim' header line")
        }
        // A byte-order mark, as some Windows editors write, is not part of the header.
        let unmarked = header.starts(with: [0xEF, 0xBB, 0xBF]) ? header.dropFirst(3) : header
        if format == .glove {
            return try parseGloVe(source, firstLine: unmarked, name: path, encoding: encoding, limit: limit,
                                  notes: &notes, stop: stop)
        }
        let fields = String(decoding: unmarked, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\r" })
        let digits = fields.count == 2 && fields.allSatisfy { $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
        guard fields.count == 2, let n = Int(fields[0]), let dim = Int(fields[1]), n >= 0, dim > 0, dim <= 1 << 20
        else {
            if digits {
                throw VectorFileError(
                    "\(path): the header '\(fields[0]) \(fields[1])' asks for \(fields[0]) words of \(fields[1]) "
                        + "dimensions; the dimension must be 1 to \(1 << 20), the count a 64-bit number")
            }
            if format == nil && looksLikeGloVe(unmarked) {
                return try parseGloVe(source, firstLine: unmarked, name: path, encoding: encoding, limit: limit,
                                      notes: &notes, stop: stop)
            }
            if unmarked.prefix(64).contains(where: { $0 < 0x09 }) {
                throw VectorFileError(
                    "\(path) is neither a fastText .bin (its first bytes are not fastText's) nor a vector file "
                        + "with a 'word_count dimension' line")
            }
            throw VectorFileError(
                "\(path): the first line must be 'word_count dimension', or a word and its numbers as GloVe "
                    + "writes (it starts '\(String(decoding: unmarked.prefix(40), as: UTF8.self))')")
        }
        // Each entry takes at least a word, a space and one byte per number (four in binary).
        let (entries, overflow) = n.multipliedReportingOverflow(by: dim + 2)
        guard !overflow, entries <= size - header.count - 1 else {
            throw VectorFileError(
                "\(path): the header promises \(n) vectors of \(dim) numbers, more than the file can hold")
        }
        let count = min(n, max(limit ?? n, 0))
        let firstLine = try source.peek(1 << 20)
        let detected = format ?? (looksLikeText(firstLine, dim: dim) ? .text : .binary)
        var words: [String] = []
        var vectors: [Float] = []
        var seen = Set<String>()
        words.reserveCapacity(count)
        vectors.reserveCapacity(count * dim)
        for entry in stride(from: 1, through: count, by: 1) {
            if entry % 10_000 == 0 { try stop.check() }
            guard try source.skipSeparators(), let wordBytes = try source.take(until: 0x20, limit: 1 << 16),
                wordBytes.count < 1 << 16
            else {
                throw VectorFileError("\(path): entry \(entry) of \(n) is missing")
            }
            let word = try decodeWord(wordBytes, encoding: encoding, entry: entry, path: path, notes: &notes)
            guard !word.utf8.contains(0x0A) else {
                throw VectorFileError("\(path): entry \(entry) has a line break in its word")
            }
            guard seen.insert(word).inserted else {
                throw VectorFileError("\(path): the word '\(word)' appears twice (entry \(entry))")
            }
            words.append(word)
            switch detected {
            case .binary, .fasttext:
                guard let row = try source.take(count: dim * 4) else {
                    throw VectorFileError("\(path): entry \(entry) is truncated")
                }
                row.withUnsafeBytes { raw in
                    for k in 0..<dim { vectors.append(raw.loadUnaligned(fromByteOffset: k * 4, as: Float.self)) }
                }
                guard vectors.suffix(dim).allSatisfy({ $0.isFinite }) else {
                    throw VectorFileError("\(path): entry \(entry) holds a NaN or infinite number")
                }
            case .text, .glove:
                var line = try source.take(until: 0x0A, limit: 1 << 26) ?? []
                if line.last == 0x0D { line = line.dropLast() }
                let values = try numbers(line.split(separator: 0x20), dim: dim, line: entry + 1, path: path)
                vectors.append(contentsOf: values)
            }
        }
        return ImportedVectors(words: words, dim: dim, vectors: vectors)
    }

    /// The `dim` numbers of text line `line` (`fields`: what follows its word), or the error that says
    /// which field is wrong.
    static func numbers(
        _ fields: [ArraySlice<UInt8>], dim: Int, line: Int, path: String, firstField: Int = 2
    ) throws -> [Float] {
        let values = fields.compactMap { Float(Substring(decoding: $0, as: UTF8.self)) }
        guard fields.count == dim, values.count == dim, values.allSatisfy({ $0.isFinite }) else {
            if fields.count == dim && values.count == dim {
                throw VectorFileError("\(path): line \(line) holds a NaN or infinite number")
            }
            if fields.count == dim,
                let bad = fields.firstIndex(where: { Float(Substring(decoding: $0, as: UTF8.self)) == nil })
            {
                let text = String(decoding: fields[bad].prefix(40), as: UTF8.self)
                throw VectorFileError("\(path): line \(line): field \(bad + firstField) ('\(text)') is not a number")
            }
            let others = fields.count != values.count ? " and \(fields.count - values.count) other fields" : ""
            throw VectorFileError("\(path): line \(line) has \(values.count) numbers\(others), expected \(dim) numbers")
        }
        return values
    }

    /// Binary rows hold raw float bytes, which almost always include control bytes; a text row is
    /// printable up to its newline and ends in a number (a row with the wrong count of numbers is
    /// then reported as such, not as a truncated binary entry).
    static func looksLikeText(_ bytes: ArraySlice<UInt8>, dim: Int) -> Bool {
        let end = bytes.firstIndex(of: 0x0A) ?? bytes.endIndex
        guard !bytes[..<end].contains(where: { $0 < 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return false }
        let fields = String(decoding: bytes[..<end], as: UTF8.self).split(whereSeparator: {
            $0 == " " || $0 == "\r"
        })
        // A printable line of a word and `dim` fields is a text row even when a field is not a number.
        return fields.count >= 2 && (Float(fields.last!) != nil || fields.count == dim + 1)
    }
}
