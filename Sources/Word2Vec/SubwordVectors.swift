// Queries on a subword model: a word outside the vocabulary gets the vector of its character n-grams.
import VersoNN
import VersoStore

/// The rows a subword model gives words outside its vocabulary, from wherever its n-gram rows
/// are kept: in memory (a server) or in the store, read by bucket (a query command).
struct OutOfVocabularyRows {
    let config: SubwordConfig
    let dim: Int
    let rows: ([Int32]) throws -> [Int32: [Float]]

    init(config: SubwordConfig, dim: Int, rows: @escaping ([Int32]) throws -> [Int32: [Float]]) {
        self.config = config
        self.dim = dim
        self.rows = rows
    }

    init(_ matrix: SubwordMatrix) {
        self.init(config: matrix.config, dim: matrix.rows.dim) { matrix.lookup($0) }
    }

    /// The unit row of `word` from its n-grams (id −1); nil when none of them is known.
    func row(_ word: String) throws -> WordRow? {
        guard let v = try config.vector(of: word, dim: dim, rows: rows), let unit = SubwordMatrix.unit(v) else {
            return nil
        }
        return WordRow(id: WordRow.outOfVocabularyID, word: word, unit: unit)
    }

    /// The row of the word `unknown` failed on, or `unknown` again with the n-gram clause.
    func answer(_ unknown: QueryError) throws -> WordRow {
        guard let word = unknown.unknownWord else { throw unknown }
        if let row = try row(word) { return row }
        let close = unknown.suggestions
        throw QueryError(
            description: "'\(word)' is not in the vocabulary and none of its character n-grams is known"
                + (close.isEmpty ? "" : "; did you mean " + close.map { "'\($0)'" }.joined(separator: ", ") + "?"),
            unknownWord: word, suggestions: close)
    }
}

/// A subword model's word source: the words' own rows, and for any other word its n-grams'.
struct SubwordVectors: WordVectorSource {
    let words: any WordVectorSource
    let outside: OutOfVocabularyRows

    var dim: Int { words.dim }

    /// The word's own row, else its n-grams'; the spelling search only for a word with neither.
    func row(_ word: String) throws -> WordRow {
        if let row = try knownRow(word) { return row }
        do { return try words.row(word) } catch let unknown as QueryError where unknown.unknownWord != nil {
            return try outside.answer(unknown)
        }
    }

    func knownRow(_ word: String) throws -> WordRow? {
        if let row = try words.knownRow(word) { return row }
        return try outside.row(word)
    }

    func search(_ query: [Float], n: Int, exclude: Set<Int32>) throws -> [Neighbour] {
        try words.search(query, n: n, exclude: exclude)
    }
}

extension SubwordMatrix {
    /// The unit vector of a word outside the vocabulary, from its n-grams; nil when none is known.
    public func unitVector(of word: String) -> [Float]? { vector(of: word).flatMap(SubwordMatrix.unit) }

    static func unit(_ v: [Float]) -> [Float]? { VersoNN.unitVector(v) }
}

extension WordVectorSource {
    /// Which of `words` a subword model answers from n-grams (outside its vocabulary).
    public func outOfVocabulary(_ words: [String]) -> [String] {
        words.filter { (try? row($0))?.isOutOfVocabulary ?? false }
    }
}
