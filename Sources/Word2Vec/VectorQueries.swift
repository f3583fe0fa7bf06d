// The word-vector queries, written once over any source of rows: the matrix in memory, or the store's index.
import VersoNN
import VersoStore

/// Where a query finds its words' rows and searches for neighbours.
public protocol WordVectorSource {
    var dim: Int { get }
    /// A query word's id and unit row, or an error naming it (with close spellings).
    func row(_ word: String) throws -> WordRow
    /// A word's id and unit row, or nil when it is not in the vocabulary (no spelling search).
    func knownRow(_ word: String) throws -> WordRow?
    /// The `n` words whose unit rows score highest against `query` (inner product), not in `exclude`.
    func search(_ query: [Float], n: Int, exclude: Set<Int32>) throws -> [Neighbour]
}

extension WordVectorSource {
    /// gensim's most_similar: mean of the unit positive vectors minus the negative ones, renormalised.
    public func nearest(positive: [String], negative: [String], n: Int) throws -> [Neighbour] {
        let pos = try positive.map(row), neg = try negative.map(row)
        var q = [Float](repeating: 0, count: dim)
        for r in pos { for k in 0..<dim { q[k] += r.unit[k] } }
        for r in neg { for k in 0..<dim { q[k] -= r.unit[k] } }
        return try search(unitVector(q) ?? q, n: n, exclude: Set((pos + neg).map(\.id)))
    }

    /// 3CosAdd: the words closest to A − B + C (scored against the unnormalised sum, as gensim's
    /// `most_similar(positive=[A, C], negative=[B])` ranks), A, B and C excluded.
    public func analogy(_ a: String, _ b: String, _ c: String, n: Int) throws -> [Neighbour] {
        let ra = try row(a), rb = try row(b), rc = try row(c)
        let q = (0..<dim).map { ra.unit[$0] - rb.unit[$0] + rc.unit[$0] }
        return try search(q, n: n, exclude: [ra.id, rb.id, rc.id])
    }

    /// 3CosMul (Levy & Goldberg 2014): every word of `embeddings` scored against A, B and C, which no
    /// index answers. A, B and C are read as any query word is, so a subword model answers one outside
    /// its vocabulary from its n-grams; the known ones are never answers.
    public func analogyCosMul(
        _ a: String, _ b: String, _ c: String, scoring embeddings: Embeddings, n: Int
    ) throws -> [Neighbour] {
        let rows = try [a, b, c].map(row)
        return embeddings.analogy(
            rows[0].unit, rows[1].unit, rows[2].unit, exclude: Set(rows.filter { !$0.isOutOfVocabulary }.map(\.id)),
            method: .mul, n: n)
    }

    public func similarity(_ w1: String, _ w2: String) throws -> Float {
        let a = try row(w1), b = try row(w2)
        return dot(a.unit, b.unit)
    }

    /// gensim's doesnt_match: the word farthest from the mean of the words' unit vectors.
    public func doesntMatch(_ words: [String]) throws -> String {
        let rows = try words.map(row)
        var mean = [Float](repeating: 0, count: dim)
        for r in rows { for k in 0..<dim { mean[k] += r.unit[k] } }
        func score(_ r: WordRow) -> Float { dot(r.unit, mean) }
        return rows.min { score($0) < score($1) }!.word
    }
}

extension Embeddings: WordVectorSource {
    public func row(_ word: String) throws -> WordRow {
        let id = try require(word)
        return WordRow(id: id, word: word, unit: Array(UnsafeBufferPointer(start: row(id), count: dim)))
    }

    public func knownRow(_ word: String) throws -> WordRow? {
        guard let i = words.firstIndex(of: word) else { return nil }
        return WordRow(id: Int32(i), word: word, unit: Array(UnsafeBufferPointer(start: row(Int32(i)), count: dim)))
    }

    public func search(_ query: [Float], n: Int, exclude: Set<Int32>) throws -> [Neighbour] {
        nearest(to: query, n: n, exclude: exclude)
    }
}
