// The document-vector queries: documents nearest a document or an unseen text, and the words nearest a document.
import Foundation
import VersoNN
import VersoStore
import VersoText

/// One document as a query answers it: its id and source, with its cosine to the query.
public struct DocumentMatch: Codable, Sendable, Equatable {
    public let id: Int
    public let score: Float
    public let path: String
    public let offset: Int
    public let length: Int
    public let words: Int
    public let preview: String

    init(id: Int, score: Float, source: DocumentSource) {
        self.id = id
        self.score = score
        path = source.path
        offset = source.offset
        length = source.length
        words = source.words
        preview = source.preview
    }
}

/// The documents nearest a query, and the query text's words a subword model answered from their
/// n-grams (SIF over a subword model; absent when none).
public struct DocumentAnswer: Encodable, Sendable {
    public let model: String
    public let documents: [DocumentMatch]
    public let outOfVocabulary: [String]?

    enum CodingKeys: String, CodingKey {
        case model, documents
        case outOfVocabulary = "out_of_vocabulary"
    }

    public init(model: String, documents: [DocumentMatch], fromNgrams: [String] = []) {
        self.model = model
        self.documents = documents
        outOfVocabulary = fromNgrams.isEmpty ? nil : fromNgrams
    }
}

/// An unseen text's vector, and its words answered from their n-grams (absent when none).
public struct InferredVector: Encodable, Sendable {
    public let text: String
    public let vector: [Float]
    public let outOfVocabulary: [String]?

    enum CodingKeys: String, CodingKey {
        case text, vector
        case outOfVocabulary = "out_of_vocabulary"
    }
}

public enum DocQueries {
    /// The `n` documents nearest document `document` (an id, or the path of a file that gave one
    /// document), itself left out; returns that document and them.
    public static func similar(
        store: Store, name: String?, document: String, n: Int, exact: Bool, warn: @escaping (String) -> Void
    ) throws -> (query: DocumentMatch, matches: [DocumentMatch]) {
        try store.read { reader in
            let (model, config) = try load(reader, name)
            let id = try resolve(document, reader: reader, model: model)
            let row = try reader.vectorRows([id], of: model, table: .documents)[0]
            let source = try reader.documentSources([id], of: model)[0]!
            let found = try search(reader, model, config, row.unit, n: n, exclude: [id], exact: exact, warn: warn)
            return (DocumentMatch(id: Int(id), score: 1, source: source), found)
        }
    }

    /// The `n` documents nearest the vector inferred for `text`.
    public static func similar(
        store: Store, name: String?, text: String, label: String, n: Int, exact: Bool, warn: @escaping (String) -> Void
    ) throws -> DocumentAnswer {
        try store.read { reader in
            let (model, config) = try load(reader, name)
            let inference = try DocInference(reader: reader, model: model, config: config)
            let inferred = try infer(inference, model, text: text, label: label)
            let found = try search(
                reader, model, config, unit(inferred.vector), n: n, exclude: [], exact: exact, warn: warn)
            return DocumentAnswer(model: model.name, documents: found, fromNgrams: inferred.outOfVocabulary ?? [])
        }
    }

    /// The vector inferred for `text` (`label` names it in errors); the same text gives the same bits.
    public static func infer(store: Store, name: String?, text: String, label: String) throws -> InferredVector {
        try infer(store: store, name: name, texts: [(text, label)])[0]
    }

    /// The vectors inferred for several texts, the model read once.
    public static func infer(
        store: Store, name: String?, texts: [(text: String, label: String)]
    ) throws -> [InferredVector] {
        try store.read { reader in
            let (model, config) = try load(reader, name)
            let inference = try DocInference(reader: reader, model: model, config: config)
            return try texts.map { try infer(inference, model, text: $0.text, label: $0.label) }
        }
    }

    /// The `n` words nearest document `document` (what it is about).
    public static func words(store: Store, name: String?, document: String, n: Int) throws -> [Neighbour] {
        try store.read { reader in
            let (model, config) = try load(reader, name)
            let id = try resolve(document, reader: reader, model: model)
            let row = try reader.vectorRows([id], of: model, table: .documents)[0]
            let embeddings = try W2VModelStore.embeddings(reader, model, dim: config.dim)
            return embeddings.nearest(to: row.unit, n: n, exclude: [])
        }
    }

    // MARK: Steps

    static func load(_ reader: ModelReader, _ name: String?) throws -> (StoredModel, DocConfig) {
        let model = try reader.model(named: name, kind: .docs)
        return (model, try model.decodeConfig(DocConfig.self))
    }

    /// A document named by its id, or by the path of a file that gave exactly one document.
    static func resolve(_ document: String, reader: ModelReader, model: StoredModel) throws -> Int32 {
        let count = try reader.documentCount(of: model)
        if let id = Int32(document) {
            guard id >= 0 && Int(id) < count else {
                throw QueryError(description: "model '\(model.name)' has documents 0 to \(count - 1), not \(id)")
            }
            return id
        }
        let ids = try reader.documentIDs(path: CorpusInfo.absolute(document), of: model)
        guard let first = ids.first else {
            throw QueryError(description: "\(document) is neither a document id nor a file of model '\(model.name)'")
        }
        guard ids.count == 1 else {
            throw QueryError(
                description:
                    "\(document) gave \(ids.count) documents (ids \(first) to \(ids.last!)); name one by its id")
        }
        return first
    }

    static func infer(
        _ inference: DocInference, _ model: StoredModel, text: String, label: String
    ) throws -> InferredVector {
        let tokens = try inference.tokenizer.tokenize(text)
        guard !tokens.isEmpty else { throw QueryError(description: "\(label) has no words") }
        guard let (vector, fromNgrams) = try inference.vector(for: tokens) else {
            let what = inference.outside == nil ? "is in the vocabulary" : "is in the vocabulary or has a known n-gram"
            throw QueryError(description: "no word of \(label) \(what) of '\(model.name)' (\(tokens.count) words)")
        }
        return InferredVector(text: label, vector: vector, outOfVocabulary: fromNgrams.isEmpty ? nil : fromNgrams)
    }

    static func unit(_ v: [Float]) -> [Float] { unitVector(v) ?? v }

    /// The nearest documents through the model's index when it has a sound one (unless `exact`),
    /// else by a scan of every document.
    static func search(
        _ reader: ModelReader, _ model: StoredModel, _ config: DocConfig, _ query: [Float], n: Int,
        exclude: Set<Int32>, exact: Bool, warn: @escaping (String) -> Void
    ) throws -> [DocumentMatch] {
        let all = { try documentEmbeddings(reader, model, dim: config.dim) }
        let source: any WordVectorSource
        if !exact, let header = try reader.vectorIndexHeader(of: model, withCurve: false) {
            if let problem = IndexedVectors.problem(
                with: header, dim: config.dim, reader: reader, model: model, table: .documents)
            {
                warn("the index of '\(model.name)' does not match its documents (\(problem)); searching exactly")
                source = try all()
            } else {
                source = IndexedVectors(
                    reader: reader, model: model, table: .documents, header: header, probe: nil, exact: all,
                    warn: warn)
            }
        } else {
            source = try all()
        }
        let found = try source.search(query, n: n, exclude: exclude)
        let ids = found.map { Int32($0.word)! }
        let sources = try reader.documentSources(ids, of: model)
        return zip(found, zip(ids, sources)).map { hit, document in
            DocumentMatch(id: Int(document.0), score: hit.score, source: document.1!)
        }
    }

    /// Every document's unit row in memory, named by its id, for an exact scan.
    static func documentEmbeddings(_ reader: ModelReader, _ model: StoredModel, dim: Int) throws -> Embeddings {
        var buffer = FloatBuffer(0)
        let rows = try reader.documentMatrix(of: model, dim: dim) { rows in
            buffer = FloatBuffer(rows * dim)
            return buffer.p
        }
        return Embeddings(
            words: (0..<rows).map(String.init), counts: Array(repeating: 0, count: rows), dim: dim,
            normalized: buffer)
    }
}
