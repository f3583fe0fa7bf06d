// A word2vec model held in memory for a server: its unit rows, a word → id table and its whole index.
import VersoNN
import VersoStore

/// Answers the queries of a long-running process from memory: through the IVF index, every list
/// loaded, when the model has a sound one, else by scanning the matrix. Nothing changes after
/// loading, so concurrent requests share one instance.
public final class ServedVectors: WordVectorSource, @unchecked Sendable {
    public let model: W2VModel
    let ids: [String: Int32]
    let index: (search: IVFSearch, lists: [VectorList])?
    let probe: Int
    let outside: OutOfVocabularyRows?  // a subword model's n-gram rows, for words outside the vocabulary

    public var dim: Int { model.config.dim }
    /// Whether queries go through the index (false: exact scans).
    public var isIndexed: Bool { index != nil }

    init(model: W2VModel, index: (search: IVFSearch, lists: [VectorList])?, subwords: SubwordMatrix? = nil) {
        self.model = model
        outside = subwords.map(OutOfVocabularyRows.init)
        self.index = index
        probe = index.map { max(1, min($0.search.header.probe, $0.search.header.lists)) } ?? 0
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(model.embeddings.count)
        for (i, w) in model.embeddings.words.enumerated() where ids[w] == nil { ids[w] = Int32(i) }
        self.ids = ids
    }

    public func row(_ word: String) throws -> WordRow {
        guard let id = ids[word] else {
            if let row = try outside?.row(word) { return row }
            do { return try model.embeddings.row(word) } catch let unknown as QueryError {  // with suggestions
                guard let outside else { throw unknown }
                return try outside.answer(unknown)
            }
        }
        let e = model.embeddings
        return WordRow(id: id, word: word, unit: Array(UnsafeBufferPointer(start: e.row(id), count: dim)))
    }

    public func knownRow(_ word: String) throws -> WordRow? {
        guard let id = ids[word] else { return nil }
        let unit = Array(UnsafeBufferPointer(start: model.embeddings.row(id), count: dim))
        return WordRow(id: id, word: word, unit: unit)
    }

    /// 3CosMul over every word (see `WordVectorSource.analogyCosMul`).
    public func analogyCosMul(_ a: String, _ b: String, _ c: String, n: Int) throws -> [Neighbour] {
        try analogyCosMul(a, b, c, scoring: model.embeddings, n: n)
    }

    public func search(_ query: [Float], n: Int, exclude: Set<Int32>) throws -> [Neighbour] {
        let e = model.embeddings
        guard let index else { return e.nearest(to: query, n: n, exclude: exclude) }
        let lists = index.search.listOrder(query).prefix(probe).map { index.lists[$0] }
        let best = query.withUnsafeBufferPointer { q in
            index.search.nearest(query, lists: lists, n: n, exclude: exclude) { ids in
                ids.map { ($0, dot(e.row($0), q.baseAddress!, dim)) }
            }
        }
        return best.map { Neighbour(word: e.words[Int($0.id)], score: $0.score) }
    }
}

extension W2VModelStore {
    /// Loads model `name` (the latest when nil) whole, with every list of its index when the index
    /// matches the model; `warn` hears why an index was left out.
    public static func serve(store: Store, name: String?, warn: (String) -> Void) throws -> ServedVectors {
        try store.read { reader in
            let record = try reader.model(named: name, kind: .w2v)
            let config = try record.decodeConfig(W2VConfig.self)
            let model = W2VModel(
                record: record, config: config, embeddings: try embeddings(reader, record, dim: config.dim))
            let subwords = try subwords(reader, record, config: config)
            guard let header = try reader.vectorIndexHeader(of: record, withCurve: false) else {
                return ServedVectors(model: model, index: nil, subwords: subwords)
            }
            if let problem = IndexedVectors.problem(with: header, dim: config.dim, reader: reader, model: record) {
                warn("the index of '\(record.name)' does not match its vectors (\(problem)); searching exactly")
                return ServedVectors(model: model, index: nil, subwords: subwords)
            }
            let search = IVFSearch(header: header)
            let lists = try reader.vectorLists(Array(0..<header.lists), of: record).compactMap { $0 }
            guard lists.count == header.lists, lists.allSatisfy(search.isValid) else {
                warn("the index of '\(record.name)' has a missing or corrupt list; searching exactly")
                return ServedVectors(model: model, index: nil, subwords: subwords)
            }
            return ServedVectors(model: model, index: (search, lists), subwords: subwords)
        }
    }
}
