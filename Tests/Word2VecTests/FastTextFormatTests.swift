// fastText's .bin read from bytes laid out by hand (its format as FastText::saveModel writes it),
// written and read back through the store, every truncation and malformed field refused; GloVe's
// headerless text.
import Foundation
import Testing
import VersoRandom
import VersoStore
import VersoText
@testable import Word2Vec

/// A fastText .bin laid out field by field, independently of `FastTextFiles.write`.
struct HandBuiltBin {
    var bytes: [UInt8] = []
    mutating func i32(_ v: Int32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func i64(_ v: Int64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func f32(_ v: [Float]) { for x in v { withUnsafeBytes(of: x.bitPattern.littleEndian) { bytes += $0 } } }

    /// Offsets of the fields the malformed cases change.
    var offsets: [String: Int] = [:]
    mutating func mark(_ name: String) { offsets[name] = bytes.count }

    /// dim 2, skip-gram, ns; words "</s>" and "ab"; `bucket` buckets, n-grams of 2…3 characters.
    static func model(
        bucket: Int32 = 7, words: [(String, Int64)] = [("</s>", 5), ("ab", 4)], rows: (Int) -> [Float]
    ) -> HandBuiltBin {
        var b = HandBuiltBin()
        b.mark("magic")
        b.i32(793_712_314)
        b.mark("version")
        b.i32(12)
        b.mark("dim")
        // dim, ws, epoch, minCount, neg, wordNgrams, loss (ns), model (sg), bucket, minn, maxn, lrUpdateRate
        for (i, v) in [2, 4, 3, 1, 6, 1, 2, 2, bucket, 2, 3, 100].enumerated() {
            if i == 6 { b.mark("loss") }
            if i == 7 { b.mark("model") }
            if i == 9 { b.mark("minn") }
            b.i32(v)
        }
        withUnsafeBytes(of: (1e-4).bitPattern.littleEndian) { b.bytes += $0 }
        b.mark("size")
        b.i32(2)  // size
        b.i32(2)  // nwords
        b.mark("nlabels")
        b.i32(0)  // nlabels
        b.i64(9)  // ntokens
        b.mark("pruneidx")
        b.i64(-1)
        for (i, (word, count)) in words.enumerated() {
            b.bytes += Array(word.utf8) + [0]
            if i == 1 { b.mark("count2") }
            b.i64(count)
            if i == 1 { b.mark("type2") }
            b.bytes.append(0)
        }
        b.mark("quant")
        b.bytes.append(0)
        b.mark("rows")
        b.i64(Int64(2 + bucket))
        b.i64(2)
        b.mark("row0")
        for r in 0..<(2 + Int(bucket)) { b.f32(rows(r)) }
        b.mark("qout")
        b.bytes.append(0)
        b.mark("output")
        b.i64(2)
        b.i64(2)
        b.f32([0, 0, 0, 0])
        return b
    }

    func with(_ field: String, _ change: (inout [UInt8], Int) -> Void) -> [UInt8] {
        var copy = bytes
        change(&copy, offsets[field]!)
        return copy
    }

    func with(_ field: String, int32 value: Int32) -> [UInt8] {
        with(field) { b, at in withUnsafeBytes(of: value.littleEndian) { b.replaceSubrange(at..<at + 4, with: $0) } }
    }

    func with(_ field: String, int64 value: Int64) -> [UInt8] {
        with(field) { b, at in withUnsafeBytes(of: value.littleEndian) { b.replaceSubrange(at..<at + 8, with: $0) } }
    }
}

@Suite struct FastTextFormatTests {
    static let cut = SubwordConfig(minn: 2, maxn: 3, bucket: 7)
    /// Row r of the hand-built model: words' own rows 0 and 1, then bucket r − 2; bucket 0's is zero.
    static func row(_ r: Int) -> [Float] { r == 2 ? [0, 0] : [Float(r) + 0.5, -Float(r) / 4] }

    @Test func readsAHandBuiltModelAsFastTextAveragesIt() throws {
        let bin = HandBuiltBin.model(rows: Self.row)
        let v = try VectorFiles.parse(bin.bytes, name: "hand.bin")
        #expect(v.words == ["</s>", "ab"] && v.counts == [5, 4] && v.dim == 2)
        let config = try #require(v.config)
        #expect(config.subword == Self.cut && config.window == 4 && config.epochs == 3 && config.negative == 6)
        #expect(config.arch == .skipgram && config.sample == 1e-4)
        // "</s>" is its own row only; "ab" is the mean of its row and its n-grams' rows (repeats kept).
        #expect(Array(v.vectors[0..<2]) == Self.row(0))
        let buckets = FastTextSubwords.buckets(of: "ab", config: Self.cut)
        #expect(buckets.count == 5)  // <a ab b> <ab ab>
        var sum = Self.row(1)
        for b in buckets { for k in 0..<2 { sum[k] += Self.row(2 + Int(b))[k] } }
        #expect(Array(v.vectors[2..<4]) == sum.map { $0 * (1 / Float(buckets.count + 1)) })
        // The store keeps the buckets whose rows are not zero.
        let subwords = try #require(v.subwords)
        #expect(subwords.rows.buckets == Array(1..<7))
        #expect(Array(subwords.rows.values[0..<2]) == Self.row(3))
    }

    @Test func everyTruncationIsOneError() throws {
        let bytes = HandBuiltBin.model(rows: Self.row).bytes
        for length in 0..<bytes.count {
            let error = #expect(throws: VectorFileError.self) {
                try VectorFiles.parse(Array(bytes[..<length]), name: "cut.bin", format: .fasttext)
            }
            #expect(error.map { !$0.description.contains("\n") } == true, "prefix of \(length) bytes")
        }
    }

    @Test func everyMalformedFieldIsRefusedByName() throws {
        let bin = HandBuiltBin.model(rows: Self.row)
        let nan = HandBuiltBin.model { $0 == 4 ? [.nan, 1] : Self.row($0) }
        let cases: [([UInt8], String)] = [
            (bin.with("magic", int32: 1), "neither a fastText .bin"),
            (bin.with("version", int32: 13), "version 13"),
            (bin.with("dim", int32: 0), "out of range"),
            (bin.with("loss", int32: 9), "unknown loss 9"),
            (bin.with("model", int32: 3), "supervised"),
            (bin.with("minn", int32: 5), "longest n-gram (3) is shorter than the shortest (5)"),
            (bin.with("nlabels", int32: 1), "1 labels"),
            (bin.with("size", int32: Int32.max), "entries"),
            (bin.with("pruneidx", int64: 4), "pruned"),
            (bin.with("count2", int64: -3), "entry 2 is malformed"),
            (bin.with("type2") { b, at in b[at] = 1 }, "entry 2 is malformed"),
            (HandBuiltBin.model(words: [("ab", 5), ("ab", 4)], rows: Self.row).bytes, "'ab' appears twice"),
            (bin.with("quant") { b, at in b[at] = 1 }, "quantized"),
            (bin.with("rows", int64: 8), "the input matrix is 8 × 2"),
            (bin.with("qout") { b, at in b[at] = 1 }, "quantized output"),
            (bin.with("output", int64: 1 << 40), "output matrix"),
            (nan.bytes, "bucket 2 holds a NaN"),
        ]
        for (bytes, phrase) in cases {
            let error = #expect(throws: VectorFileError.self) { try VectorFiles.parse(bytes, name: "bad.bin") }
            #expect(error?.description.contains(phrase) == true, "\(error?.description ?? "no error") ∌ \(phrase)")
        }
        // A huge word count is refused before anything is allocated for it.
        var huge = HandBuiltBin.model(rows: Self.row)
        huge.bytes = huge.with("size", int32: Int32.max)
        huge.bytes = huge.with("size") { b, at in
            withUnsafeBytes(of: Int32.max.littleEndian) { b.replaceSubrange(at + 4..<at + 8, with: $0) }
        }
        let error = #expect(throws: VectorFileError.self) { try VectorFiles.parse(huge.bytes, name: "huge.bin") }
        #expect(error?.description.contains("promises 2147483647 words") == true)
    }

    /// Import and export through the store: the same words, counts, vectors and n-gram rows, and an
    /// unknown word the same direction as fastText's mean over all its n-grams.
    @Test func storeImportAndExportKeepTheModel() throws {
        let dir = NSTemporaryDirectory() + "verso-fasttext-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let original = HandBuiltBin.model(rows: Self.row)
        try Data(original.bytes).write(to: URL(fileURLWithPath: dir + "/in.bin"))
        let store = try Store(path: dir + "/store.sqlite")
        let summary = try W2VModelStore.importVectors(
            store: store, name: "ft", path: dir + "/in.bin", request: ImportRequest())
        #expect(summary.words == 2 && summary.ngramBuckets == 6)
        try W2VModelStore.exportVectors(store: store, name: "ft", path: dir + "/out.bin", format: .fasttext)
        let before = try VectorFiles.parse(original.bytes, name: "in.bin")
        let after = try VectorFiles.read(path: dir + "/out.bin").vectors
        #expect(after.words == before.words && after.counts == before.counts && after.config == before.config)
        #expect(zip(after.vectors, before.vectors).allSatisfy { abs($0 - $1) <= 1e-6 })
        #expect(after.subwords?.rows == before.subwords?.rows)
        let oov = try W2VModelStore.withVectors(store: store, name: "ft", exact: true, warn: { _ in }) {
            _, _, source in try source.row("ba")
        }
        #expect(oov.isOutOfVocabulary)
        let expected = try #require(before.subwords?.unitVector(of: "ba"))
        #expect(zip(oov.unit, expected).allSatisfy { abs($0 - $1) <= 1e-6 })
    }

    @Test func aTrainedSubwordModelSurvivesTheBin() throws {
        let dir = NSTemporaryDirectory() + "verso-fasttext-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try Store(path: dir + "/store.sqlite")
        var config = plantedConfig()
        config.subword = SubwordConfig(minn: 3, maxn: 5, bucket: 5000)
        _ = try W2VTraining.run(
            store: store, name: "ft", text: Corpus([try plantedCorpus()]), config: config, replacing: false)
        let model = try W2VModelStore.exportVectors(store: store, name: "ft", path: dir + "/m.bin", format: .fasttext)
        let back = try VectorFiles.read(path: dir + "/m.bin").vectors
        let raw = try W2VModelStore.rawVectors(store: store, model: model)
        #expect(back.words == model.embeddings.words && back.config?.subword == config.subword)
        // Each word's own row is rebuilt as k·mean − Σ n-gram rows: equal to float rounding.
        #expect(zip(back.vectors, raw).allSatisfy { abs($0 - $1) <= 1e-4 })
        let stored = try #require(try W2VModelStore.subwords(store: store, model: model))
        #expect(back.subwords?.rows.buckets == stored.rows.buckets.filter { b in
            let r = stored.row(of: b)!
            return (0..<config.dim).contains { stored.rows.values[r * config.dim + $0] != 0 }
        })
    }

    @Test func gloveFilesAreReadWithoutAHeader() throws {
        let text = "el 0.5 -1\nla 0.25 2e-1\r\nnew york 1 2\n\nsão 3 4\n"
        let v = try VectorFiles.parse(Array(text.utf8), name: "glove.txt")
        #expect(v.words == ["el", "la", "new york", "são"] && v.dim == 2)
        #expect(v.vectors == [0.5, -1, 0.25, 0.2, 1, 2, 3, 4])
        #expect(try VectorFiles.parse(Array("3 2\n".utf8), name: "g.txt", format: .glove).words == ["3"])
        let short = #expect(throws: VectorFileError.self) {
            try VectorFiles.parse(Array("el 0.5 -1\nla 0.25\n".utf8), name: "g.txt")
        }
        #expect(short?.description == "g.txt: line 2 has 1 fields after its word, expected 2 numbers")
        let word = #expect(throws: VectorFileError.self) {
            try VectorFiles.parse(Array("el 0.5 -1\nla 0.25 x\n".utf8), name: "g.txt")
        }
        #expect(word?.description == "g.txt: line 2: field 3 ('x') is not a number")
        let path = NSTemporaryDirectory() + "verso-glove-\(UUID().uuidString).txt"
        defer { unlink(path) }
        try VectorFiles.write(path: path, format: .glove, words: v.words, dim: 2, vectors: v.vectors)
        #expect(try VectorFiles.read(path: path, limit: 3).vectors.words == ["el", "la", "new york"])
    }
}

/// The reader's straight-to-memory path for matrices: buffered bytes first, then the file itself.
@Suite struct ByteSourceTests {
    /// The n-gram averaging gives every word the same bits on one thread or several (blocks of
    /// 4,096 words each: 10,000 words make three).
    @Test func averagingIsTheSameOnAnyNumberOfThreads() {
        let config = SubwordConfig(minn: 2, maxn: 4, bucket: 500), d = 7
        let words = (0..<10_000).map { "w\($0)ñ" }
        var rng = SplitMix64(seed: 5)
        let rows = (0..<(config.bucket * d)).map { _ in rng.nextFloat() - 0.5 }
        let own = (0..<(words.count * d)).map { _ in rng.nextFloat() - 0.5 }
        var one = own, three = own
        FastTextFiles.averageSubwords(&one, words: words[...], rows: rows, config: config, dim: d, threads: 1)
        FastTextFiles.averageSubwords(&three, words: words[...], rows: rows, config: config, dim: d, threads: 3)
        #expect(one == three && one != own)
        // The last word by hand: its own row and its n-grams' rows, summed in order, over their count.
        let list = FastTextFiles.buckets(of: words.last!, config: config), last = (words.count - 1) * d
        var sum = Array(own[last..<(last + d)])
        for b in list { for k in 0..<d { sum[k] += rows[Int(b) * d + k] } }
        #expect(Array(one[last..<(last + d)]) == sum.map { $0 * (1 / Float(list.count + 1)) })
    }

    @Test func readIntoTakesTheBufferedBytesThenTheFileAndStopsAtItsEnd() throws {
        let path = NSTemporaryDirectory() + "verso-bytes-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let bytes = (0..<(ByteSource.block * 2 + 1000)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let file = try #require(FileHandle(forReadingAtPath: path))
        defer { try? file.close() }
        let source = ByteSource(file: file)
        #expect(try source.take(count: 3).map(Array.init) == Array(bytes[0..<3]))  // fills one block
        var middle = [UInt8](repeating: 0, count: ByteSource.block + 500)  // past the buffered block
        #expect(try middle.withUnsafeMutableBytes { try source.read(into: $0.baseAddress!, count: $0.count) })
        #expect(middle == Array(bytes[3..<(3 + middle.count)]))
        #expect(source.position == 3 + middle.count)
        let next = 3 + middle.count
        #expect(try source.take(count: 5).map(Array.init) == Array(bytes[next..<(next + 5)]))
        var rest = [UInt8](repeating: 0, count: bytes.count - next - 5 + 1)  // one more than is left
        #expect(try !rest.withUnsafeMutableBytes { try source.read(into: $0.baseAddress!, count: $0.count) })
        #expect(Array(rest.dropLast()) == Array(bytes[(next + 5)...]))
    }
}
