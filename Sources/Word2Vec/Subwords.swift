// fastText's subwords (Bojanowski et al. 2017): the character n-grams of "<word>", hashed into buckets.
import VersoStore

/// How a subword model cuts words: n-grams of `minn`…`maxn` characters of "<word>", hashed into
/// `bucket` rows (fastText's -minn, -maxn, -bucket, and its defaults).
public struct SubwordConfig: Codable, Sendable, Equatable {
    public var minn = 3
    public var maxn = 6
    public var bucket = 2_000_000

    public init(minn: Int = 3, maxn: Int = 6, bucket: Int = 2_000_000) {
        self.minn = minn
        self.maxn = maxn
        self.bucket = bucket
    }

    /// Errors name the value that is wrong.
    public func validate() throws {
        guard minn >= 1 else { throw W2VTrainingError(description: "the shortest n-gram (\(minn)) must be ≥ 1") }
        guard maxn >= minn else {
            throw W2VTrainingError(description: "the longest n-gram (\(maxn)) is shorter than the shortest (\(minn))")
        }
        guard maxn <= 32 else { throw W2VTrainingError(description: "the longest n-gram (\(maxn)) must be ≤ 32") }
        guard bucket >= 1 && bucket <= Int(Int32.max) else {
            throw W2VTrainingError(description: "the bucket count (\(bucket)) must be between 1 and \(Int32.max)")
        }
    }
}

public enum FastTextSubwords {
    static let offsetBasis: UInt32 = 2_166_136_261
    static let prime: UInt32 = 16_777_619

    /// fastText's Dictionary::hash: FNV-1a over the UTF-8 bytes, each byte sign-extended first
    /// (fastText reads them as `int8_t`), so bytes ≥ 0x80 hash as fastText's files expect.
    public static func hash<S: Sequence>(_ bytes: S) -> UInt32 where S.Element == UInt8 {
        var h = offsetBasis
        for b in bytes { h = step(h, b) }
        return h
    }

    @inline(__always) static func step(_ h: UInt32, _ byte: UInt8) -> UInt32 {
        (h ^ UInt32(bitPattern: Int32(Int8(bitPattern: byte)))) &* prime
    }

    /// The n-grams of "<word>" in fastText's order (Dictionary::computeSubwords): from each
    /// character start, lengths 1…maxn in characters (UTF-8 continuation bytes never start or
    /// split one), kept from `minn` on, never the lone "<" or ">".
    public static func ngrams(of word: String, minn: Int, maxn: Int) -> [String] {
        var out: [String] = []
        forEachNgram(of: word, minn: minn, maxn: maxn) { bytes, _ in
            out.append(String(decoding: bytes, as: UTF8.self))
        }
        return out
    }

    /// The buckets of the n-grams of "<word>" (hash mod `bucket`), in `ngrams`' order, repeats kept
    /// as fastText keeps them.
    public static func buckets(of word: String, config: SubwordConfig) -> [Int32] {
        var out: [Int32] = []
        forEachNgram(of: word, minn: config.minn, maxn: config.maxn) { _, h in
            out.append(Int32(h % UInt32(config.bucket)))
        }
        return out
    }

    /// Calls `body` with each n-gram's bytes and hash (computed as the bytes are added).
    static func forEachNgram(
        of word: String, minn: Int, maxn: Int, _ body: (ArraySlice<UInt8>, UInt32) -> Void
    ) {
        let bytes = Array("<\(word)>".utf8)
        let n = bytes.count
        @inline(__always) func continues(_ j: Int) -> Bool { bytes[j] & 0xC0 == 0x80 }
        for i in 0..<n where !continues(i) {
            var h = offsetBasis, j = i, length = 1
            while j < n && length <= maxn {
                h = step(h, bytes[j])
                j += 1
                while j < n && continues(j) {
                    h = step(h, bytes[j])
                    j += 1
                }
                if length >= minn && !(length == 1 && (i == 0 || j == n)) { body(bytes[i..<j], h) }
                length += 1
            }
        }
    }
}

/// Each vocabulary word's input rows in a subword model: its own row, then one per n-gram. The
/// buckets no vocabulary word uses are never trained, so the matrix holds only the used ones:
/// V word rows, then one row per used bucket in ascending bucket order.
public struct SubwordRows: Sendable {
    public let config: SubwordConfig
    public let buckets: [Int32]  // the used buckets, ascending; bucket buckets[k] is row V + k
    let offsets: [Int32]  // word w's rows are rows[offsets[w]..<offsets[w + 1]]
    let rows: [Int32]
    public var inputRows: Int { offsets.count - 1 + buckets.count }

    public init(words: [String], config: SubwordConfig) {
        self.config = config
        let perWord = words.map { FastTextSubwords.buckets(of: $0, config: config) }
        var used = Set<Int32>()
        for list in perWord { used.formUnion(list) }
        buckets = used.sorted()
        var compact: [Int32: Int32] = [:]
        compact.reserveCapacity(buckets.count)
        let v = Int32(words.count)
        for (k, b) in buckets.enumerated() { compact[b] = v + Int32(k) }
        var offsets: [Int32] = [0], rows: [Int32] = []
        rows.reserveCapacity(words.count + perWord.reduce(0) { $0 + $1.count })
        for (w, list) in perWord.enumerated() {
            rows.append(Int32(w))
            for b in list { rows.append(compact[b]!) }
            offsets.append(Int32(rows.count))
        }
        self.offsets = offsets
        self.rows = rows
    }

    /// Where word `w`'s rows are in `rows`.
    @inline(__always) func range(of w: Int32) -> Range<Int> {
        Int(offsets[Int(w)])..<Int(offsets[Int(w) + 1])
    }

    /// Word `w`'s rows (its own, then its n-grams').
    public func rows(of w: Int32) -> ArraySlice<Int32> { rows[range(of: w)] }
}

/// The trained n-gram rows of a subword model with the settings that cut words into them.
public struct SubwordMatrix: Sendable {
    public let config: SubwordConfig
    public let rows: NgramRows

    public init(config: SubwordConfig, rows: NgramRows) {
        self.config = config
        self.rows = rows
    }

    public init(config: SubwordConfig, dim: Int, buckets: [Int32], values: [Float]) {
        self.init(config: config, rows: NgramRows(dim: dim, buckets: buckets, values: values))
    }

    /// The row index of `bucket`, or nil when no word used it (binary search).
    func row(of bucket: Int32) -> Int? {
        let buckets = rows.buckets
        var lo = 0, hi = buckets.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if buckets[mid] < bucket { lo = mid + 1 } else { hi = mid }
        }
        return lo < buckets.count && buckets[lo] == bucket ? lo : nil
    }

    /// The rows of those of `buckets` that are used.
    func lookup(_ buckets: [Int32]) -> [Int32: [Float]] {
        let d = rows.dim
        var found: [Int32: [Float]] = [:]
        for b in buckets where found[b] == nil {
            if let r = row(of: b) { found[b] = Array(rows.values[r * d..<(r + 1) * d]) }
        }
        return found
    }

    /// fastText's vector of a word outside the vocabulary (see `SubwordConfig.vector`).
    public func vector(of word: String) -> [Float]? {
        config.vector(of: word, dim: rows.dim, rows: lookup)
    }
}

extension SubwordConfig {
    /// fastText's vector of a word outside the vocabulary: the mean of its n-grams' rows over all
    /// of them (a bucket no vocabulary word used is a zero row). Nil when none of them is used.
    public func vector(
        of word: String, dim: Int, rows: ([Int32]) throws -> [Int32: [Float]]
    ) rethrows -> [Float]? {
        let list = FastTextSubwords.buckets(of: word, config: self)
        let found = try rows(list)
        var sum = [Float](repeating: 0, count: dim), known = 0
        for b in list {
            guard let row = found[b] else { continue }
            known += 1
            for k in 0..<dim { sum[k] += row[k] }
        }
        guard known > 0 else { return nil }
        let inverse = 1 / Float(list.count)
        return sum.map { $0 * inverse }
    }
}
