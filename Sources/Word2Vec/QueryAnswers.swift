// What a word query answers, one value per model, as the CLI's --json and the HTTP API both print it.

/// One model's neighbours of a query, and the query words a subword model answered from their
/// character n-grams (absent when none). `indexed` says whether the model's index answered (the
/// server reports it; absent elsewhere).
public struct NeighbourList: Encodable, Sendable {
    public let model: String
    public let indexed: Bool?
    public let neighbours: [Neighbour]
    public let outOfVocabulary: [String]?

    enum CodingKeys: String, CodingKey {
        case model, indexed, neighbours
        case outOfVocabulary = "out_of_vocabulary"
    }

    public init(
        model: String, indexed: Bool? = nil, neighbours: [Neighbour], query: [String] = [],
        source: (any WordVectorSource)? = nil
    ) {
        self.model = model
        self.indexed = indexed
        self.neighbours = neighbours
        let outside = source?.outOfVocabulary(query) ?? []
        outOfVocabulary = outside.isEmpty ? nil : outside
    }
}

/// One model's cosine of two words.
public struct WordSimilarity: Encodable, Sendable {
    public let model: String
    public let similarity: Float
    public let outOfVocabulary: [String]?

    enum CodingKeys: String, CodingKey {
        case model, similarity
        case outOfVocabulary = "out_of_vocabulary"
    }

    /// The cosine of `a` and `b` (already normalised as the model's training text was).
    public init(model: String, _ a: String, _ b: String, source: any WordVectorSource) throws {
        self.model = model
        similarity = try source.similarity(a, b)
        let outside = source.outOfVocabulary([a, b])
        outOfVocabulary = outside.isEmpty ? nil : outside
    }
}

/// One model's odd word out.
public struct OddWordOut: Encodable, Sendable {
    public let model: String
    public let word: String

    public init(model: String, words: [String], source: any WordVectorSource) throws {
        self.model = model
        word = try source.doesntMatch(words)
    }
}
