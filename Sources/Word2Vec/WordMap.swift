// A word and its nearest neighbours laid out in 2-D (PCA or t-SNE), for the Words tab's map.

/// The query word and its neighbours as points of a plane.
public struct WordMap: Encodable, Sendable {
    public enum Method: String, Codable, Sendable, CaseIterable { case pca, tsne }

    public struct Point: Encodable, Sendable {
        public let word: String
        public let x: Double
        public let y: Double
        /// The word asked about (the others are its neighbours).
        public let query: Bool
    }

    public let model: String
    public let method: Method
    public let points: [Point]

    /// `word` and its `n` nearest neighbours in `source` (through its index when it has one),
    /// projected by `method` from their unit vectors (t-SNE caps its perplexity at (n − 1) / 3
    /// itself); the same query always draws the same map.
    public static func of(
        _ word: String, in source: any WordVectorSource, model: String, n: Int, method: Method
    ) throws -> WordMap {
        guard n + 1 <= TSNEConfig.maxPoints else {
            throw QueryError(description: "a map holds at most \(TSNEConfig.maxPoints) words (asked for \(n + 1))")
        }
        let query = try source.row(word)
        let neighbours = try source.nearest(positive: [word], negative: [], n: n)
        let rows = [query.unit] + (try neighbours.map { try source.row($0.word).unit })
        let words = [query.word] + neighbours.map(\.word)
        let xy = method == .pca ? PCA.project2D(rows) : TSNE.layout(rows)
        return WordMap(
            model: model, method: method,
            points: zip(words, xy).enumerated().map { k, p in Point(word: p.0, x: p.1.0, y: p.1.1, query: k == 0) })
    }
}
