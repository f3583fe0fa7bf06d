// The word2vec queries over HTTP: nearest, analogy, similarity, odd one out; one list per model.
import Foundation
import Hummingbird
import Word2Vec

extension API {
    /// `GET /api/w2v/nearest?word=W` (or `positive=`/`negative=`, repeatable) `&n=10&model=M…`.
    func nearest(_ request: Request) async throws -> Response {
        let q = request.uri.queryParameters
        let positive = (q["word"].map { [String($0)] } ?? []) + q[values: "positive"].map(String.init)
        let negative = q[values: "negative"].map(String.init)
        guard !positive.isEmpty else { throw APIError.badRequest("give 'word' or 'positive' words") }
        try checkWordCount(positive + negative)
        let n = try count(request)
        return try jsonResponse(
            [
                "results": try await eachModel(request) { name, m in
                    let (pos, neg) = (try positive.map(m.normalize), try negative.map(m.normalize))
                    return NeighbourList(
                        model: name, indexed: m.vectors.isIndexed,
                        neighbours: try m.vectors.nearest(positive: pos, negative: neg, n: n), query: pos + neg,
                        source: m.vectors)
                }
            ])
    }

    /// `GET /api/w2v/map?word=W&n=30&method=pca|tsne&model=M…`: the word and its neighbours in 2-D.
    func map(_ request: Request) async throws -> Response {
        let word = try required(request, "word")
        let name = request.uri.queryParameters["method"].map(String.init) ?? WordMap.Method.tsne.rawValue
        guard let method = WordMap.Method(rawValue: name) else {
            throw APIError.badRequest("parameter 'method': pca or tsne, not '\(name)'")
        }
        let n = try count(request)
        return try jsonResponse(
            [
                "results": try await eachModel(request) { name, m in
                    try WordMap.of(try m.normalize(word), in: m.vectors, model: name, n: n, method: method)
                }
            ])
    }

    /// `GET /api/w2v/analogy?a=&b=&c=&method=add|mul`: words closest to a − b + c.
    func analogy(_ request: Request) async throws -> Response {
        let q = request.uri.queryParameters
        let (a, b, c) = (try required(request, "a"), try required(request, "b"), try required(request, "c"))
        let method = q["method"].map(String.init) ?? "add"
        guard let analogyMethod = Embeddings.AnalogyMethod(rawValue: method) else {
            throw APIError.badRequest("parameter 'method': add or mul, not '\(method)'")
        }
        let n = try count(request)
        return try jsonResponse(
            [
                "results": try await eachModel(request) { name, m in
                    let (na, nb, nc) = (try m.normalize(a), try m.normalize(b), try m.normalize(c))
                    let neighbours =
                        analogyMethod == .add
                        ? try m.vectors.analogy(na, nb, nc, n: n)
                        : try m.vectors.analogyCosMul(na, nb, nc, n: n)
                    return NeighbourList(
                        model: name, indexed: analogyMethod == .add && m.vectors.isIndexed, neighbours: neighbours,
                        query: [na, nb, nc], source: m.vectors)
                }
            ])
    }

    /// `GET /api/w2v/similarity?a=&b=`: the cosine of two words.
    func similarity(_ request: Request) async throws -> Response {
        let (a, b) = (try required(request, "a"), try required(request, "b"))
        return try jsonResponse(
            [
                "results": try await eachModel(request) { name, m in
                    try WordSimilarity(model: name, try m.normalize(a), try m.normalize(b), source: m.vectors)
                }
            ])
    }

    /// `GET /api/w2v/doesnt-match?word=…&word=…`: the word farthest from the others' mean.
    func doesntMatch(_ request: Request) async throws -> Response {
        let words = request.uri.queryParameters[values: "word"].map(String.init)
        guard words.count >= 2 else { throw APIError.badRequest("give at least two 'word' parameters") }
        try checkWordCount(words)
        return try jsonResponse(
            [
                "results": try await eachModel(request) { name, m in
                    try OddWordOut(model: name, words: try words.map(m.normalize), source: m.vectors)
                }
            ])
    }

    /// `GET /api/w2v/shift?a=A&b=B&n=50&min_count=20&anchors=10000&neighbours=10`: the shared words
    /// whose meaning moved most from model A to model B (B aligned onto A), with both neighbour lists.
    func shift(_ request: Request) async throws -> Response {
        let (a, b) = (try required(request, "a"), try required(request, "b"))
        var settings = ShiftSettings()
        settings.n = try integer(request, "n") ?? settings.n
        settings.minCount = try integer(request, "min_count") ?? settings.minCount
        settings.anchors = try integer(request, "anchors") ?? settings.anchors
        settings.neighbours = try integer(request, "neighbours") ?? settings.neighbours
        guard settings.n <= config.maxNeighbours, settings.neighbours <= config.maxNeighbours else {
            throw APIError.badRequest("parameters 'n' and 'neighbours': at most \(config.maxNeighbours)")
        }
        try settings.validate()
        let (ma, mb) = (try await cache.wordModel(a), try await cache.wordModel(b))
        let report = try await Task.detached { [settings] in
            try SemanticShift.compare(
                ma.vectors.model.embeddings, named: ma.vectors.model.record.name, mb.vectors.model.embeddings,
                named: mb.vectors.model.record.name, settings: settings)
        }.value
        return try jsonResponse(report)
    }

    // MARK: Parameters

    /// The integer parameter `key`, nil when absent.
    func integer(_ request: Request, _ key: Substring) throws -> Int? {
        guard let text = request.uri.queryParameters[key] else { return nil }
        guard let value = Int(text) else { throw APIError.badRequest("parameter '\(key)': an integer, not '\(text)'") }
        return value
    }

    /// `body` on each `model=` (the latest word2vec model when none is given), in order.
    func eachModel<T>(_ request: Request, _ body: (String, ServedWordModel) throws -> T) async throws -> [T] {
        let names = request.uri.queryParameters[values: "model"].map(String.init)
        guard names.count <= config.maxModelsPerQuery else {
            throw APIError.badRequest("at most \(config.maxModelsPerQuery) 'model' parameters")
        }
        var results: [T] = []
        for name in names.isEmpty ? [nil] : names.map(Optional.some) {
            let m = try await cache.wordModel(name)
            results.append(try body(m.vectors.model.record.name, m))
        }
        return results
    }

    func required(_ request: Request, _ key: Substring) throws -> String {
        guard let value = request.uri.queryParameters[key], !value.isEmpty else {
            throw APIError.badRequest("parameter '\(key)' is required")
        }
        return String(value)
    }

    func count(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters["n"] else { return 10 }
        guard let n = Int(text), (1...config.maxNeighbours).contains(n) else {
            throw APIError.badRequest("parameter 'n': an integer from 1 to \(config.maxNeighbours)")
        }
        return n
    }

    func checkWordCount(_ words: [String]) throws {
        guard words.count <= config.maxWordsPerQuery else {
            throw APIError.badRequest("at most \(config.maxWordsPerQuery) words in one query")
        }
    }
}

extension ServedWordModel {
    func normalize(_ word: String) throws -> String { try normalizer.normalize(word) }
}
