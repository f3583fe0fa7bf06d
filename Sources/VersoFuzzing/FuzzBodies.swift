// What each fuzz target does with one input: shared by the libFuzzer executables in Fuzz/ and by
// the regression tests that replay the committed corpus (Fuzz/corpus) in every `swift test`.
import Foundation
import VersoStore
import VersoText
import Word2Vec

/// Each body takes arbitrary bytes, runs them through the parsers, and checks the invariants that
/// must hold for every input; a broken invariant is a crash (`precondition`), which is what
/// libFuzzer reports and the regression tests catch.
public enum FuzzBodies {
    // Built once: opening ICU break iterators per input would make the fuzzer 10× slower.
    // Fuzzing and replay are single-threaded.
    nonisolated(unsafe) static let tools = try! (
        nfc: Normalizer(), folded: Normalizer(.init(form: .nfkc, caseFold: true, stripAccents: true)),
        words: WordTokenizer(), tokens: WordTokenizer(.init(keepCase: true, punctuation: true)),
        graphemes: Graphemes(), sentences: SentenceSplitter()
    )

    /// The text layer: UTF-8 validation, normalisation, word tokenising, grapheme and sentence
    /// segmentation, and the streaming reader (small chunks and line limit, so cuts happen).
    public static func text(_ bytes: [UInt8]) {
        let check = bytes.withUnsafeBufferPointer { UTF8Check.scan($0) }
        let valid = String(validating: bytes, as: UTF8.self) != nil
        precondition((check.firstInvalid == nil) == valid, "UTF8Check disagrees with Swift's decoder")
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            let t = tools
            let once = try t.nfc.normalize(text)
            let twice = try t.nfc.normalize(once)
            precondition(twice.utf8.elementsEqual(once.utf8), "NFC is not idempotent")
            _ = try t.folded.normalize(text)
            for token in try t.words.tokenize(text) {
                precondition(
                    !token.isEmpty && !token.unicodeScalars.contains { $0.properties.isWhitespace },
                    "a token is empty or holds whitespace")
            }
            _ = try t.tokens.tokenize(text)
            let pieces = try t.graphemes.split(text)
            precondition(pieces.joined().utf8.elementsEqual(text.utf8), "graphemes do not join back to the text")
            let sentences = try t.sentences.split(text)
            let squeeze = { (s: String) in s.unicodeScalars.filter { !$0.properties.isWhitespace }.map(\.value) }
            precondition(sentences.flatMap(squeeze) == squeeze(text), "sentences lose or add text")
        } catch {
            // ICU may refuse some input (it reports an error code); that is an error, not a crash.
        }
        reader(bytes, valid: valid && check.firstNUL == nil)
    }

    /// CorpusReader with 16-byte chunks and a 64-byte line limit: joining what it returns gives the
    /// file's text back (BOM dropped, CR before each LF dropped) whenever the file is valid.
    static func reader(_ bytes: [UInt8], valid: Bool) {
        let path = scratchPath("txt")
        guard writeFile(path, bytes) else { return }
        defer { unlink(path) }
        var joined = ""
        do {
            let reader = try CorpusReader(path: path, chunkSize: 16, maxLineBytes: 64)
            try reader.forEachPiece { newlineBefore, piece in
                if newlineBefore { joined += "\n" }
                joined += piece
            }
        } catch {
            precondition(!valid || bytes.prefix(8192).contains(0), "valid text refused: \(error)")
            return
        }
        guard valid else { return }
        var expected = bytes
        if expected.starts(with: [0xEF, 0xBB, 0xBF]) { expected.removeFirst(3) }
        var raw = expected.split(separator: 0x0A, omittingEmptySubsequences: false)
        if raw.last?.isEmpty == true { raw.removeLast() }  // a final newline ends the last line
        let lines = raw.map { line in line.last == 0x0D ? Array(line.dropLast()) : Array(line) }
        let want = lines.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n")
        precondition(joined.utf8.elementsEqual(want.utf8), "the reader's pieces do not join back to the file")
    }

    /// A per-process scratch file, in memory (/dev/shm) where there is one: thousands per second.
    static func scratchPath(_ ext: String) -> String {
        (access("/dev/shm", W_OK) == 0 ? "/dev/shm/" : NSTemporaryDirectory()) + "verso-fuzz-\(getpid()).\(ext)"
    }

    /// A plain write (FileManager's atomic create syncs the disk on every call).
    static func writeFile(_ path: String, _ bytes: [UInt8]) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == bytes.count
    }

    /// The word2vec text/binary importer: any bytes give vectors or an error; vectors it accepts
    /// are consistent (one finite row per unique word) and survive an export/import round trip.
    public static func vectors(_ bytes: [UInt8]) {
        guard let v = try? VectorFiles.parse(bytes, name: "fuzz") else { return }
        precondition(v.vectors.count == v.words.count * v.dim, "rows and words disagree")
        precondition(v.vectors.allSatisfy { $0.isFinite }, "a non-finite number was accepted")
        precondition(Set(v.words).count == v.words.count, "a duplicate word was accepted")
        let path = scratchPath("vec")
        defer { unlink(path) }
        for format in VectorFormat.allCases {
            guard
                (try? VectorFiles.write(path: path, format: format, words: v.words, dim: v.dim, vectors: v.vectors))
                    != nil,
                let back = try? VectorFiles.read(path: path, format: format).vectors
            else {
                // Not writable as-is: a word that is empty or holds a space or a line break (or, in a .bin, a NUL); no
                // words at all, in the formats without a header.
                let unwritable: Set<UInt8> = [0x20, 0x0A, 0x0D, 0]
                if v.words.contains(where: { $0.isEmpty || $0.utf8.contains(where: unwritable.contains) }) { continue }
                if v.words.isEmpty && (format == .glove || format == .fasttext) { continue }
                preconditionFailure("accepted vectors do not round-trip (\(format))")
            }
            precondition(back.words == v.words && back.dim == v.dim, "round trip changed the words")
            precondition(
                zip(back.vectors, v.vectors).allSatisfy { $0.bitPattern == $1.bitPattern },
                "round trip changed a number")
        }
    }
}

extension FuzzBodies {
    /// The fastText .bin reader: any bytes give a model or an error. A model it accepts has one finite
    /// row per unique word and ascending n-gram buckets inside the bucket count, and it survives a
    /// write and a read back (rows rebuilt from the means, so to float rounding).
    public static func fastText(_ bytes: [UInt8]) {
        guard let v = try? VectorFiles.parse(bytes, name: "fuzz.bin", format: .fasttext) else { return }
        precondition(v.vectors.count == v.words.count * v.dim, "rows and words disagree")
        precondition(v.vectors.allSatisfy { $0.isFinite }, "a non-finite number was accepted")
        precondition(Set(v.words).count == v.words.count, "a duplicate word was accepted")
        guard let config = v.config, let counts = v.counts else { preconditionFailure("a .bin without arguments") }
        if let s = v.subwords {
            precondition(zip(s.rows.buckets, s.rows.buckets.dropFirst()).allSatisfy { $0 < $1 }, "buckets unsorted")
            precondition(s.rows.buckets.allSatisfy { $0 >= 0 && Int($0) < s.config.bucket }, "a bucket out of range")
        }
        let path = scratchPath("bin")
        defer { unlink(path) }
        // k·mean could overflow float32 when a value is near its largest.
        guard (v.vectors + (v.subwords?.rows.values ?? [])).allSatisfy({ abs($0) < 1e30 }) else { return }
        do {
            try FastTextFiles.write(
                path: path, config: config, words: v.words, counts: counts, vectors: v.vectors, subwords: v.subwords)
            let back = try VectorFiles.read(path: path).vectors
            precondition(back.words == v.words && back.counts == counts, "round trip changed the words")
            // Rows are rebuilt as k·mean − Σ n-gram rows: the error scales with the largest value.
            let scale = (v.vectors + (v.subwords?.rows.values ?? [])).reduce(1) { max($0, abs($1)) }
            precondition(
                zip(back.vectors, v.vectors).allSatisfy { abs($0 - $1) <= 1e-3 * scale },
                "round trip changed a vector")
        } catch {
            preconditionFailure("an accepted model does not round-trip: \(error)")
        }
    }

    /// The index loader: arbitrary bytes become a header and lists decoded as the store decodes
    /// its BLOBs; the checks must refuse what does not fit, and a search over what passes must
    /// return ids of real rows, best first.
    public static func index(_ bytes: [UInt8]) {
        guard bytes.count >= 4 else { return }
        let dim = Int(bytes[0] % 8) + 1, lists = Int(bytes[1] % 4) + 1, rows = Int(bytes[2] % 64) + 1
        var cursor = 4
        func section() -> ArraySlice<UInt8> {
            guard cursor < bytes.count else { return [] }
            let length = Int(bytes[cursor]) * 4
            let end = min(bytes.count, cursor + 1 + length)
            defer { cursor = end }
            return bytes[(cursor + 1)..<end]
        }
        let header = VectorIndexHeader(
            method: bytes[3] == 0 ? "other" : IVFIndex.method, rows: rows, dim: dim, lists: lists,
            probe: Int(bytes[3] % 5), recallAt10: 1, recallCurve: [], fingerprint: "",
            centroids: BlobValues.decode(Array(section())))
        let decoded = (0..<lists).map { _ in
            VectorList(idsBlob: Array(section()), scalesBlob: Array(section()), codesBlob: Array(section()))
        }
        guard IVFSearch.shapeProblem(header, dim: dim) == nil else { return }
        let search = IVFSearch(header: header)
        let query = [Float](repeating: 0.5, count: dim)
        let order = search.listOrder(query)
        precondition(order.sorted() == Array(0..<lists), "list order is not a permutation")
        let probed = order.prefix(header.probe).map { decoded[$0] }.filter(search.isValid)
        let found = search.candidates(query, lists: probed, count: 5, exclude: [0])
        precondition(found.allSatisfy { $0.id > 0 && Int($0.id) < rows }, "a search returned an id outside the rows")
        precondition(zip(found, found.dropFirst()).allSatisfy { $0.score >= $1.score }, "results are not best first")
    }
}
