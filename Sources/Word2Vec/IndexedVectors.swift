// Queries answered from the store through the IVF index: one word's row, the probed lists, the candidates.
import VersoNN
import VersoStore

/// A word2vec model (or a document model's documents) read row by row inside one store snapshot.
/// Until a list fails its checks it never loads the matrix; then it warns once and answers from
/// the exact matrix instead.
final class IndexedVectors: WordVectorSource {
    let reader: ModelReader
    let model: StoredModel
    let table: VectorTable
    let ivf: IVFSearch
    let probe: Int
    let exact: () throws -> Embeddings
    let warn: (String) -> Void
    private var fallback: Embeddings?

    var dim: Int { ivf.header.dim }

    init(
        reader: ModelReader, model: StoredModel, table: VectorTable = .words, header: VectorIndexHeader, probe: Int?,
        exact: @escaping () throws -> Embeddings, warn: @escaping (String) -> Void
    ) {
        self.reader = reader
        self.model = model
        self.table = table
        ivf = IVFSearch(header: header)
        self.probe = max(1, min(probe ?? header.probe, header.lists))
        self.exact = exact
        self.warn = warn
    }

    /// Why `header` cannot serve the model's vectors (`dim` wide), or nil when it can: another
    /// method or width, rows beyond its count, or fingerprint rows that are not those it was built from.
    static func problem(
        with header: VectorIndexHeader, dim: Int, reader: ModelReader, model: StoredModel, table: VectorTable = .words
    ) -> String? {
        if let problem = IVFSearch.shapeProblem(header, dim: dim) { return problem }
        let things = table == .words ? "words" : "documents"
        if (try? reader.vectorRows([Int32(header.rows)], of: model, table: table)) != nil {
            return "the model has more than the \(header.rows) \(things) it indexes"
        }
        let rows = IVFIndex.fingerprintRows(header.rows).map(Int32.init)
        guard let found = try? reader.vectorRows(rows, of: model, table: table) else {
            return "the model has fewer than the \(header.rows) \(things) it indexes"
        }
        let fingerprint = IVFIndex.fingerprint(rows: header.rows, dim: dim) { r in
            found[rows.firstIndex(of: Int32(r))!].unit
        }
        return fingerprint == header.fingerprint ? nil : "it was built from other vectors"
    }

    func row(_ word: String) throws -> WordRow {
        if let row = try reader.wordRow(word, of: model) { return row }
        let close = Spelling.suggestions(
            for: word, in: try reader.frequentWords(of: model, limit: 100_000), limit: 5)
        throw QueryError.unknownWord(word, suggestions: close)
    }

    func knownRow(_ word: String) throws -> WordRow? { try reader.wordRow(word, of: model) }

    func search(_ query: [Float], n: Int, exclude: Set<Int32>) throws -> [Neighbour] {
        if let fallback { return fallback.nearest(to: query, n: n, exclude: exclude) }
        let numbers = Array(ivf.listOrder(query).prefix(probe))
        let lists = try reader.vectorLists(numbers, of: model).compactMap { $0 }.filter(ivf.isValid)
        guard lists.count == numbers.count else {
            warn(
                "the index of '\(model.name)' has a missing or corrupt list; searching exactly "
                    + "(rebuild it: w2v index \(model.name))")
            let embeddings = try exact()
            fallback = embeddings
            return embeddings.nearest(to: query, n: n, exclude: exclude)
        }
        var words: [Int32: String] = [:]
        let best = try ivf.nearest(query, lists: lists, n: n, exclude: exclude) { ids in
            try reader.vectorRows(ids, of: model, table: table).map { row in
                words[row.id] = row.word
                return (row.id, dot(row.unit, query))
            }
        }
        return best.map { Neighbour(word: words[$0.id]!, score: $0.score) }
    }
}
