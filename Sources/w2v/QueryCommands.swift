// `w2v nearest / analogy / similarity / doesnt-match`: queries on trained vectors, as text or --json.
import ArgumentParser
import Foundation
import VersoCLI
import VersoStore
import VersoNN
import VersoText
import Word2Vec

/// Options every query takes: the models and the output form.
struct QueryOptions: ParsableArguments {
    @Option(
        name: .customLong("model"),
        help: "Model name; repeat to compare models side by side (default: the most recent).")
    var models: [String] = []
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var storeOptions: StoreOptions

    /// Loads the models whole (or their `limit` most frequent words), each with a normaliser that
    /// maps query words as its training did (for evaluation and 3CosMul, which read every row).
    func load(limit: Int? = nil) throws -> [(model: W2VModel, normalize: (String) throws -> String)] {
        let store = try storeOptions.openForReading()
        let names: [String?] = models.isEmpty ? [nil] : models.map { $0 }
        return try names.map { name in
            let model = try W2VModelStore.load(store: store, name: name, limit: limit)
            let words = try QueryWords(config: model.config)
            return (model, { try words.normalize($0) })
        }
    }

    /// Runs `body` on each model's whole matrix and its word source (a subword model answers words
    /// outside its vocabulary), for the queries that score every row (3CosMul), with its normaliser.
    func eachMatrix<T>(
        _ body: (String, Embeddings, any WordVectorSource, (String) throws -> String) throws -> T
    ) throws -> [T] {
        let store = try storeOptions.openForReading()
        let names: [String?] = models.isEmpty ? [nil] : models.map { $0 }
        return try names.map { name in
            try W2VModelStore.withMatrix(store: store, name: name) { record, config, matrix, source in
                let words = try QueryWords(config: config)
                return try body(record.name, matrix, source, { try words.normalize($0) })
            }
        }
    }

    /// Runs `body` on each model's word source (through its index unless `exact`; a subword model
    /// answers words outside its vocabulary) with its query-word normaliser.
    func each<T>(
        exact: Bool, probe: Int? = nil, _ body: (String, any WordVectorSource, (String) throws -> String) throws -> T
    ) throws -> [T] {
        let store = try storeOptions.openForReading()
        let names: [String?] = models.isEmpty ? [nil] : models.map { $0 }
        return try names.map { name in
            let warn: (String) -> Void = { Output.note("w2v: warning: " + $0) }
            return try W2VModelStore.withVectors(store: store, name: name, exact: exact, probe: probe, warn: warn) {
                record, config, source in
                let words = try QueryWords(config: config)
                return try body(record.name, source, { try words.normalize($0) })
            }
        }
    }
}

/// Options of the queries an index can answer.
struct IndexedQueryOptions: ParsableArguments {
    @OptionGroup var query: QueryOptions
    @Flag(help: "Scan every vector instead of using the model's nearest-neighbour index.") var exact = false
    @Option(help: "Index lists to scan (default: the index's own, chosen for recall@10 ≥ 0.95).") var probe: Int?

    func validate() throws {
        if let probe, probe < 1 { throw ValidationError("--probe must be positive") }
    }

    /// Runs `body` on each model (through its index unless --exact) with its query-word normaliser.
    func each<T>(_ body: (String, any WordVectorSource, (String) throws -> String) throws -> T) throws -> [T] {
        try query.each(exact: exact, probe: probe, body)
    }
}

/// Says which query words came from character n-grams (on stderr, so the table stays clean in pipes).
func noteOutOfVocabulary(_ words: [String]?, model: String) {
    guard let words, !words.isEmpty else { return }
    let list = words.map { "'\($0)'" }.joined(separator: ", ")
    Output.note("w2v: \(list) not in the vocabulary of '\(model)': answered with its character n-grams' mean vector")
}

/// Prints one neighbour list per model, side by side when there are several.
func printNeighbours(_ lists: [NeighbourList], json: Bool) throws {
    if json { return try lists.count == 1 ? Output.json(lists[0]) : Output.json(lists) }
    for l in lists { noteOutOfVocabulary(l.outOfVocabulary, model: l.model) }
    let rows = (0..<(lists.map(\.neighbours.count).max() ?? 0)).map { i in
        lists.flatMap { l in
            i < l.neighbours.count
                ? [l.neighbours[i].word, Output.decimal(Double(l.neighbours[i].score), places: 4)] : ["", ""]
        }
    }
    let headers = lists.flatMap { [$0.model, "cosine"] }
    print(Output.table(headers: headers, rows: rows, rightAligned: Set(stride(from: 1, to: headers.count, by: 2))))
}

struct NearestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nearest", abstract: "Words nearest to a word (cosine), or to Σ positive − Σ negative.",
        discussion: """
            Examples:
              w2v nearest rey
              w2v nearest rey -n 20 --model novelas --model biblia
              w2v nearest --positive rey --positive mujer --negative hombre
            """)
    @Argument(help: "The word.") var word: String?
    @Option(name: .shortAndLong, help: "How many neighbours.") var n = 10
    @Option(help: "Words to add (gensim's positive=).") var positive: [String] = []
    @Option(help: "Words to subtract (gensim's negative=).") var negative: [String] = []
    @OptionGroup var options: IndexedQueryOptions

    func validate() throws {
        if word == nil && positive.isEmpty { throw ValidationError("give a WORD or --positive words") }
        guard n > 0 else { throw ValidationError("-n must be positive") }
    }

    func run() throws {
        let lists = try options.each { model, source, normalize in
            let pos = try ((word.map { [$0] } ?? []) + positive).map(normalize)
            let neg = try negative.map(normalize)
            return NeighbourList(
                model: model, neighbours: try source.nearest(positive: pos, negative: neg, n: n), query: pos + neg,
                source: source)
        }
        try printNeighbours(lists, json: options.query.json)
    }
}

struct AnalogyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analogy", abstract: "Words closest to A − B + C (A is to B as ? is to C).",
        discussion: "Example: w2v analogy rey hombre mujer   (rey − hombre + mujer ≈ reina)")
    @Argument(help: "A") var a: String
    @Argument(help: "B") var b: String
    @Argument(help: "C") var c: String
    @Option(name: .shortAndLong, help: "How many answers.") var n = 10
    @Option(help: "add (3CosAdd, gensim most_similar) or mul (3CosMul, most_similar_cosmul).") var method:
        Embeddings.AnalogyMethod = .add
    @OptionGroup var options: IndexedQueryOptions

    func run() throws {
        // 3CosMul scores every word against all three; only 3CosAdd is one query vector an index can search.
        let lists =
            method == .mul
            ? try options.query.eachMatrix { model, matrix, source, normalize in
                let query = try [a, b, c].map(normalize)
                return NeighbourList(
                    model: model,
                    neighbours: try source.analogyCosMul(query[0], query[1], query[2], scoring: matrix, n: n),
                    query: query, source: source)
            }
            : try options.each { model, source, normalize in
                let query = try [a, b, c].map(normalize)
                return NeighbourList(
                    model: model, neighbours: try source.analogy(query[0], query[1], query[2], n: n), query: query,
                    source: source)
            }
        try printNeighbours(lists, json: options.query.json)
    }
}

struct SimilarityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similarity", abstract: "Cosine similarity of two words.")
    @Argument(help: "First word.") var w1: String
    @Argument(help: "Second word.") var w2: String
    @OptionGroup var options: IndexedQueryOptions

    func run() throws {
        let results = try options.each { model, source, normalize in
            try WordSimilarity(model: model, try normalize(w1), try normalize(w2), source: source)
        }
        if options.query.json { return try results.count == 1 ? Output.json(results[0]) : Output.json(results) }
        for r in results {
            noteOutOfVocabulary(r.outOfVocabulary, model: r.model)
            print(
                results.count > 1
                    ? "\(r.model): " + Output.decimal(Double(r.similarity), places: 4)
                    : Output.decimal(Double(r.similarity), places: 4))
        }
    }
}

struct DoesntMatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doesnt-match", abstract: "The word that fits least with the others.",
        discussion: "Example: w2v doesnt-match rey reina príncipe manzana")
    @Argument(help: "Two or more words.") var words: [String]
    @OptionGroup var options: IndexedQueryOptions

    func validate() throws { if words.count < 2 { throw ValidationError("give at least two words") } }

    func run() throws {
        let results = try options.each { model, source, normalize in
            try OddWordOut(model: model, words: try words.map(normalize), source: source)
        }
        if options.query.json { return try results.count == 1 ? Output.json(results[0]) : Output.json(results) }
        for r in results { print(results.count > 1 ? "\(r.model): \(r.word)" : r.word) }
    }
}
