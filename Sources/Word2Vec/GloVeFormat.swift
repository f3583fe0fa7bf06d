// GloVe's headerless text vectors (glove.6B.300d.txt): a word and its numbers per line, read as a stream.
import VersoStore

extension VectorFiles {
    /// A line that is a word and at least one number, all printable: how a GloVe file starts. Two
    /// numbers alone are taken for a broken 'count dim' header, not for a numeric word of one dimension.
    static func looksLikeGloVe(_ line: ArraySlice<UInt8>) -> Bool {
        guard !line.contains(where: { $0 < 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return false }
        let fields = line.split(separator: 0x20).map { Substring(decoding: $0, as: UTF8.self) }
        let numbers = fields.map { Float($0.hasSuffix("\r") ? $0.dropLast() : $0) != nil }
        return fields.count >= 2 && numbers.dropFirst().allSatisfy { $0 } && !(fields.count == 2 && numbers[0])
    }

    /// Reads GloVe rows from `firstLine` on: its field count fixes the dimension. A line with more
    /// fields than that is a word with spaces (glove.840B has some): its last `dim` fields are the
    /// numbers. Blank lines are skipped; the first `limit` words are kept.
    static func parseGloVe(
        _ source: ByteSource, firstLine: ArraySlice<UInt8>, name path: String, encoding: WordEncoding, limit: Int?,
        notes: inout ImportNotes, stop: StopRequest
    ) throws -> ImportedVectors {
        var line = firstLine, number = 1, dim = 0
        var words: [String] = [], vectors: [Float] = [], seen = Set<String>()
        while words.count < (limit ?? Int.max) {
            if line.last == 0x0D { line = line.dropLast() }
            let fields = line.split(separator: 0x20)
            if !fields.isEmpty {
                if number % 10_000 == 0 { try stop.check() }
                if dim == 0 { dim = fields.count - 1 }
                guard dim >= 1 && dim <= 1 << 20 else {
                    throw VectorFileError("\(path): line 1 is not a word and its numbers")
                }
                guard fields.count > dim else {
                    throw VectorFileError(
                        "\(path): line \(number) has \(fields.count - 1) fields after its word, "
                            + "expected \(dim) numbers")
                }
                let wordFields = fields.prefix(fields.count - dim)
                let bytes = Array(wordFields.joined(separator: [0x20]))
                let word = try decodeWord(bytes[...], encoding: encoding, entry: number, path: path, notes: &notes)
                guard seen.insert(word).inserted else {
                    throw VectorFileError("\(path): the word '\(word)' appears twice (line \(number))")
                }
                // Fields are numbered from the line's start, as a person counts them.
                vectors += try numbers(Array(fields.suffix(dim)), dim: dim, line: number, path: path,
                                       firstField: wordFields.count + 1)
                words.append(word)
            }
            guard let next = try source.take(until: 0x0A, limit: 1 << 26) else { break }
            line = next
            number += 1
        }
        guard !words.isEmpty else { throw VectorFileError("\(path) holds no vectors") }
        return ImportedVectors(words: words, dim: dim, vectors: vectors)
    }
}
