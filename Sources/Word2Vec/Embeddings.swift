// Trained word vectors in memory and the queries on them: nearest, analogy, similarity, odd one out.
import Foundation
import VersoNN

public struct QueryError: Error, CustomStringConvertible, Equatable {
    public let description: String
    /// For an unknown word: the word, and up to 5 vocabulary words close in spelling.
    public var unknownWord: String? = nil
    public var suggestions: [String] = []

    static func unknownWord(_ word: String, suggestions close: [String]) -> QueryError {
        QueryError(
            description: "'\(word)' is not in the vocabulary"
                + (close.isEmpty ? "" : "; did you mean " + close.map { "'\($0)'" }.joined(separator: ", ") + "?"),
            unknownWord: word, suggestions: close)
    }
}

public struct Neighbour: Codable, Sendable, Equatable {
    public let word: String
    public let score: Float
}

public final class Embeddings: @unchecked Sendable {
    public let words: [String]
    public let counts: [Int]
    public let dim: Int
    public let normalized: FloatBuffer  // V × d, every row of unit length (zero rows stay zero)
    public var count: Int { words.count }

    /// Word → id for bulk lookups (evaluation files), built on first use. The query words of a
    /// command (`require`) are found by a scan instead: faster than hashing the whole vocabulary
    /// for the one to three words a query names.
    lazy var index: [String: Int32] = {
        var index: [String: Int32] = [:]
        index.reserveCapacity(words.count)
        for (i, w) in words.enumerated() { index[w] = Int32(i) }
        return index
    }()

    public init(words: [String], counts: [Int], dim: Int, normalized: FloatBuffer) {
        self.words = words
        self.counts = counts
        self.dim = dim
        self.normalized = normalized
    }

    /// Embeddings over `vectors` (V × d) unit-normalised as the store keeps them.
    public convenience init(words: [String], counts: [Int], dim: Int, vectors: [Float]) {
        var rows = vectors
        let unit = W2VModelStore.wordVectors(normalizing: &rows, dim: dim).unit
        let buffer = FloatBuffer(unit.count)
        buffer.load(unit)
        self.init(words: words, counts: counts, dim: dim, normalized: buffer)
    }

    // MARK: Lookup

    /// The id of `word` through the hash index (for many lookups).
    public func id(_ word: String) -> Int32? { index[word] }

    /// The id of a query word (one scan, no index), or an error naming it and up to 5 vocabulary
    /// words close in spelling.
    public func require(_ word: String) throws -> Int32 {
        if let i = words.firstIndex(of: word) { return Int32(i) }
        let close = Spelling.suggestions(for: word, in: words, limit: 5)
        throw QueryError.unknownWord(word, suggestions: close)
    }

    func row(_ i: Int32) -> UnsafeMutablePointer<Float> { normalized.p + Int(i) * dim }

    // MARK: Queries

    /// Cosine similarity of every word to the unit vector `query` (one sgemv), best `n` not in `exclude`.
    public func nearest(to query: [Float], n: Int, exclude: Set<Int32>) -> [Neighbour] {
        var scores = [Float](repeating: 0, count: count)
        BLAS.sgemv(m: count, n: dim, a: normalized.p, lda: dim, x: query, y: &scores)
        return top(scores, n: n, exclude: exclude)
    }

    public enum AnalogyMethod: String, Codable, Sendable, CaseIterable { case add, mul }

    /// Words x closest to A − B + C (3CosAdd), or maximising cos'(x,A)·cos'(x,C)/(cos'(x,B)+ε) with
    /// cos' = (cos+1)/2 (3CosMul, Levy & Goldberg 2014), among the `restrict` most frequent words
    /// (for evaluation, as the C tool). A, B and C are never answers. Queries without a restriction
    /// use `WordVectorSource.analogy`, which an index can answer.
    public func analogy(
        _ a: String, _ b: String, _ c: String, method: AnalogyMethod, n: Int,
        restrict: Int? = nil
    ) throws -> [Neighbour] {
        let ia = try require(a), ib = try require(b), ic = try require(c)
        let rows = [ia, ib, ic].map { Array(UnsafeBufferPointer(start: row($0), count: dim)) }
        return analogy(rows[0], rows[1], rows[2], exclude: [ia, ib, ic], method: method, n: n, restrict: restrict)
    }

    /// `analogy` of three unit rows given as vectors (a subword model's words outside the
    /// vocabulary have no row here); `exclude` holds the ids of those that have one.
    public func analogy(
        _ a: [Float], _ b: [Float], _ c: [Float], exclude: Set<Int32>, method: AnalogyMethod, n: Int,
        restrict: Int? = nil
    ) -> [Neighbour] {
        let limit = min(restrict ?? count, count)
        switch method {
        case .add:
            let q = (0..<dim).map { a[$0] - b[$0] + c[$0] }
            var scores = [Float](repeating: 0, count: limit)
            BLAS.sgemv(m: limit, n: dim, a: normalized.p, lda: dim, x: q, y: &scores)
            return top(scores, n: n, exclude: exclude)
        case .mul:
            var sa = [Float](repeating: 0, count: limit), sb = sa, sc = sa
            BLAS.sgemv(m: limit, n: dim, a: normalized.p, lda: dim, x: a, y: &sa)
            BLAS.sgemv(m: limit, n: dim, a: normalized.p, lda: dim, x: b, y: &sb)
            BLAS.sgemv(m: limit, n: dim, a: normalized.p, lda: dim, x: c, y: &sc)
            var scores = [Float](repeating: 0, count: limit)
            for i in 0..<limit {
                let a: Float = (sa[i] + 1) / 2, b: Float = (sb[i] + 1) / 2, c: Float = (sc[i] + 1) / 2
                scores[i] = a * c / (b + 1e-3)
            }
            return top(scores, n: n, exclude: exclude)
        }
    }

    /// The `n` best scores, skipping `exclude`, best first (ties to the lower id).
    func top(_ scores: [Float], n: Int, exclude: Set<Int32>) -> [Neighbour] {
        var best = TopScores(capacity: n)
        for (i, s) in scores.enumerated() where s > best.threshold && !exclude.contains(Int32(i)) {
            best.add(s, Int32(i))
        }
        return best.sorted.map { Neighbour(word: words[Int($0.id)], score: $0.score) }
    }
}

/// Spelling suggestions for out-of-vocabulary words (Levenshtein distance, frequent words first).
enum Spelling {
    static func suggestions(for word: String, in vocabulary: [String], limit: Int) -> [String] {
        let target = Array(word.unicodeScalars)
        var found: [(Int, Int, String)] = []
        let maxDistance = max(1, min(3, target.count / 3 + 1))
        for (rank, candidate) in vocabulary.enumerated() {
            let c = Array(candidate.unicodeScalars)
            guard abs(c.count - target.count) <= maxDistance else { continue }
            let d = distance(target, c, cap: maxDistance)
            if d <= maxDistance { found.append((d, rank, candidate)) }
        }
        return found.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.prefix(limit).map(\.2)
    }

    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], cap: Int) -> Int {
        var prev = Array(0...b.count), cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            cur[0] = i
            var rowMin = cur[0]
            for j in 1...max(b.count, 1) where !b.isEmpty {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                rowMin = min(rowMin, cur[j])
            }
            if rowMin > cap { return cap + 1 }
            swap(&prev, &cur)
        }
        return a.isEmpty ? b.count : prev[b.count]
    }
}
