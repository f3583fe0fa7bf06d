// Reads fastText's .bin as a stream: every field checked against the file's size before anything is
// allocated, so a truncated or hostile file is one error line, never a crash or a huge allocation.
import Foundation
import VersoNN
import VersoStore

/// Little-endian fields read from a `ByteSource`, each failure naming the file and the field.
struct BinaryFields {
    let source: ByteSource
    let path: String
    let size: Int

    var remaining: Int { size - source.position }

    func bytes(_ count: Int, _ what: String) throws -> ArraySlice<UInt8> {
        guard let bytes = try source.take(count: count) else {
            throw VectorFileError("\(path) is truncated: it ends in \(what)")
        }
        return bytes
    }

    func int32(_ what: String) throws -> Int32 {
        try bytes(4, what).withUnsafeBytes { Int32(littleEndian: $0.loadUnaligned(as: Int32.self)) }
    }

    func int64(_ what: String) throws -> Int64 {
        try bytes(8, what).withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(as: Int64.self)) }
    }

    func double(_ what: String) throws -> Double { Double(bitPattern: UInt64(bitPattern: try int64(what))) }

    func byte(_ what: String) throws -> UInt8 { try bytes(1, what).first! }

    /// `count` float32 rows of `dim` read into `out` (checked finite), `what` naming a row.
    func rows(_ count: Int, dim: Int, into out: UnsafeMutablePointer<Float>, _ what: (Int) -> String) throws {
        let block = max(1, (64 << 20) / (dim * 4))  // 64 MB a read: few system calls, a bounded error
        var done = 0
        while done < count {
            let n = min(block, count - done), first = out + done * dim
            guard try source.read(into: first, count: n * dim * 4) else {
                throw VectorFileError("\(path) is truncated: it ends in \(what(done))")
            }
            if let bad = firstNonFinite(first, n * dim) {
                throw VectorFileError("\(path): \(what(done + bad / dim)) holds a NaN or infinite number")
            }
            done += n
        }
    }
}

extension FastTextFiles {
    /// Reads a fastText .bin (a word-vector model: cbow or skip-gram, not quantized) as a stream; with
    /// `limit`, keeps its first `limit` words (each still averaged with its n-grams).
    static func parse(
        _ f: BinaryFields, encoding: WordEncoding, limit: Int?, notes: inout ImportNotes, stop: StopRequest,
        threads: Int = 1
    ) throws -> FastTextModel {
        let path = f.path
        guard try f.int32("its magic number") == magic else {
            throw VectorFileError("\(path) is not a fastText .bin model (its first four bytes are not fastText's)")
        }
        let version = try f.int32("its version")
        guard version == 11 || version == 12 else {
            throw VectorFileError("\(path): fastText file version \(version) is not one this reader knows (11, 12)")
        }
        let args = try readArgs(f)
        let vocabulary = try readDictionary(f, args: args, encoding: encoding, notes: &notes, stop: stop)
        guard try f.byte("the quantization flag") == 0 else {
            throw VectorFileError("\(path) is quantized (.ftz); read the full .bin model instead")
        }
        let nwords = vocabulary.words.count, bucket = Int(args.bucket), d = Int(args.dim)
        let m = try f.int64("the input matrix's shape"), n = try f.int64("the input matrix's shape")
        guard m == Int64(nwords + bucket), n == Int64(d) else {
            throw VectorFileError(
                "\(path): the input matrix is \(m) × \(n), expected \(nwords) words + \(bucket) buckets × \(d)")
        }
        // Input rows, the output matrix's flag and shape, then its rows (at least one per word).
        let inputBytes = (nwords + bucket) * d * 4
        guard inputBytes + 17 <= f.remaining else {
            throw VectorFileError("\(path) is truncated: its input matrix needs \(inputBytes) bytes")
        }
        let keep = min(nwords, max(limit ?? nwords, 0))
        let subword = args.config.subword
        try SystemMemory.require(
            Double((keep + (subword != nil ? bucket : 0)) * d * 4),
            for: "\(keep) words" + (subword != nil ? " and \(bucket) n-gram buckets" : "") + " × \(d) dimensions")
        var vectors = [Float](repeating: 0, count: keep * d)
        try vectors.withUnsafeMutableBufferPointer { v in
            try f.rows(keep, dim: d, into: v.baseAddress!) { "the row of word \($0 + 1)" }
        }
        try stop.check()
        try f.source.skip((nwords - keep) * d * 4)
        var ngrams: SubwordMatrix?
        if let subword {
            var rows = [Float](repeating: 0, count: bucket * d)
            try rows.withUnsafeMutableBufferPointer { r in
                try f.rows(bucket, dim: d, into: r.baseAddress!) { "the row of bucket \($0)" }
            }
            try stop.check()
            averageSubwords(
                &vectors, words: vocabulary.words.prefix(keep), rows: rows, config: subword, dim: d, threads: threads)
            // Finite rows can still sum past float32's largest number.
            let bad = vectors.withUnsafeBufferPointer { v in v.baseAddress.flatMap { firstNonFinite($0, v.count) } }
            if let bad {
                throw VectorFileError(
                    "\(f.path): the word '\(vocabulary.words[bad / d])' sums its row and n-gram rows "
                        + "past float32's range")
            }
            ngrams = SubwordMatrix(config: subword, rows: nonzeroRows(&rows, dim: d))
        } else {
            try f.source.skip(bucket * d * 4)
        }
        try readOutputMatrix(f, words: nwords, dim: d)
        return FastTextModel(
            args: args, words: Array(vocabulary.words.prefix(keep)), counts: Array(vocabulary.counts.prefix(keep)),
            vectors: vectors, subwords: ngrams)
    }

    static func readArgs(_ f: BinaryFields) throws -> FastTextArgs {
        var a = FastTextArgs()
        let what = "its arguments"
        (a.dim, a.ws, a.epoch, a.minCount, a.neg, a.wordNgrams) = (
            try f.int32(what), try f.int32(what), try f.int32(what), try f.int32(what), try f.int32(what),
            try f.int32(what)
        )
        let loss = try f.int32(what), model = try f.int32(what)
        (a.bucket, a.minn, a.maxn, a.lrUpdateRate) = (try f.int32(what), try f.int32(what), try f.int32(what),
                                                      try f.int32(what))
        a.t = try f.double(what)
        guard let l = FastTextArgs.Loss(rawValue: loss), let kind = FastTextArgs.Model(rawValue: model) else {
            throw VectorFileError("\(f.path): unknown loss \(loss) or model \(model) in its arguments")
        }
        (a.loss, a.model) = (l, kind)
        guard kind != .sup else {
            throw VectorFileError("\(f.path) is a supervised (classifier) model; only word-vector models are read")
        }
        guard a.dim > 0 && a.dim <= 1 << 20, a.bucket >= 0, a.minn >= 0, a.maxn >= 0 else {
            throw VectorFileError(
                "\(f.path): its arguments are out of range (dim \(a.dim), bucket \(a.bucket), minn \(a.minn), "
                    + "maxn \(a.maxn))")
        }
        if let subword = a.config.subword {
            do { try subword.validate() } catch { throw VectorFileError("\(f.path): \(error)") }
        }
        return a
    }

    static func readDictionary(
        _ f: BinaryFields, args: FastTextArgs, encoding: WordEncoding, notes: inout ImportNotes, stop: StopRequest
    ) throws -> (words: [String], counts: [Int]) {
        let path = f.path, what = "its dictionary's header"
        let size = try f.int32(what), nwords = try f.int32(what), nlabels = try f.int32(what)
        _ = try f.int64(what)  // ntokens
        let pruned = try f.int64(what)
        guard nlabels == 0, size == nwords, nwords > 0 else {
            throw VectorFileError("\(path): its dictionary holds \(size) entries, \(nwords) words, \(nlabels) labels")
        }
        // Each entry is at least its NUL, an int64 count and a type byte.
        guard Int(nwords) * 10 <= f.remaining else {
            throw VectorFileError("\(path) is truncated: its dictionary promises \(nwords) words")
        }
        guard pruned == -1 else {
            throw VectorFileError("\(path): its dictionary is pruned (\(pruned) n-gram indices); read the full model")
        }
        var words: [String] = [], counts: [Int] = [], seen = Set<String>()
        words.reserveCapacity(Int(nwords))
        counts.reserveCapacity(Int(nwords))
        for entry in 1...Int(nwords) {
            if entry % 10_000 == 0 { try stop.check() }
            guard let bytes = try f.source.take(until: 0, limit: 1 << 16), bytes.count < 1 << 16 else {
                throw VectorFileError("\(path) is truncated: it ends in word \(entry) of its dictionary")
            }
            let word = try VectorFiles.decodeWord(bytes, encoding: encoding, entry: entry, path: path, notes: &notes)
            let count = try f.int64("word \(entry) of its dictionary"), type = try f.byte("word \(entry)'s type")
            guard count >= 0, type == 0, !word.isEmpty else {
                throw VectorFileError("\(path): dictionary entry \(entry) is malformed (count \(count), type \(type))")
            }
            guard seen.insert(word).inserted else {
                throw VectorFileError("\(path): the word '\(word)' appears twice (entry \(entry))")
            }
            words.append(word)
            counts.append(Int(count))
        }
        return (words, counts)
    }

    /// fastText's getWordVector in place: the mean of a word's own row and its n-gram rows, summed in
    /// its order and scaled by 1/k as it does, so the vectors match fastText's bit for bit. Words are
    /// independent: `threads` take every `threads`-th block of them, the same bits whatever their number.
    static func averageSubwords(
        _ vectors: inout [Float], words: ArraySlice<String>, rows: [Float], config: SubwordConfig, dim d: Int,
        threads: Int = 1
    ) {
        let words = Array(words), block = 4096
        let blocks = (words.count + block - 1) / block
        rows.withUnsafeBufferPointer { r in
            vectors.withUnsafeMutableBufferPointer { v in
                let shared = UncheckedPointers(rows: r.baseAddress!, vectors: v.baseAddress!)
                let average: @Sendable (Int) -> Void = { b in
                    for w in (b * block)..<min(words.count, (b + 1) * block) {
                        let list = buckets(of: words[w], config: config), row = shared.vectors + w * d
                        for bucket in list { axpyOne(shared.rows + Int(bucket) * d, row, d) }
                        let inverse = 1 / Float(list.count + 1)
                        for k in 0..<d { row[k] *= inverse }
                    }
                }
                // Blocks go to the threads as they free up (Dispatch's pool), one writer per word.
                if threads > 1 && blocks > 1 {
                    DispatchQueue.concurrentPerform(iterations: blocks, execute: average)
                } else {
                    (0..<blocks).forEach(average)
                }
            }
        }
    }

    /// row += x, one add per element as fastText's addRow (no fused multiply-add, which would round
    /// differently from its loop).
    @inline(__always)
    static func axpyOne(_ x: UnsafePointer<Float>, _ row: UnsafeMutablePointer<Float>, _ d: Int) {
        var k = 0
        while k + 8 <= d {
            store8(load8(row + k) + load8(x + k), row + k)
            k += 8
        }
        while k < d {
            row[k] += x[k]
            k += 1
        }
    }

    /// The rows of `rows` (bucket × dim) that are not all zero, compacted in place: a zero row is what
    /// the store means by a bucket it does not keep.
    static func nonzeroRows(_ rows: inout [Float], dim d: Int) -> NgramRows {
        var kept: [Int32] = []
        rows.withUnsafeMutableBufferPointer { r in
            for b in 0..<(r.count / d) where !isZero(r.baseAddress! + b * d, d) {
                if kept.count != b { (r.baseAddress! + kept.count * d).update(from: r.baseAddress! + b * d, count: d) }
                kept.append(Int32(b))
            }
        }
        rows.removeLast(rows.count - kept.count * d)
        return NgramRows(dim: d, buckets: kept, values: rows)
    }

    /// Checks the output matrix's flag and shape and that the file holds its rows, without reading them.
    static func readOutputMatrix(_ f: BinaryFields, words: Int, dim: Int) throws {
        guard try f.byte("the output quantization flag") == 0 else {
            throw VectorFileError("\(f.path) has a quantized output matrix; read the full .bin model instead")
        }
        let m = try f.int64("the output matrix's shape"), n = try f.int64("the output matrix's shape")
        guard m >= 0, m <= Int64(words) * 2, n == Int64(dim) else {
            throw VectorFileError(
                "\(f.path): the output matrix is \(m) × \(n), expected at most \(2 * words) × \(dim)")
        }
        guard Int(m) * dim * 4 <= f.remaining else {
            throw VectorFileError("\(f.path) is truncated: its output matrix needs \(Int(m) * dim * 4) bytes")
        }
        try f.source.skip(Int(m) * dim * 4)
    }
}

/// The matrices `averageSubwords`' threads share: each writes only its own words' rows.
private struct UncheckedPointers: @unchecked Sendable {
    let rows: UnsafePointer<Float>
    let vectors: UnsafeMutablePointer<Float>
}
