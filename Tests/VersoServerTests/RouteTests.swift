// The HTTP API through Hummingbird's test client: models, sampling (JSON and SSE), queries, errors.
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Testing
import Markov
import Mixture
import Sampling
import VersoStore
import VersoText
import Word2Vec
@testable import VersoServer

func testApp(_ adjust: (inout ServerConfig) -> Void = { _ in }) throws -> some ApplicationProtocol {
    var config = ServerConfig()
    config.storePath = Fixture.shared.storePath
    adjust(&config)
    return Application(router: try VersoServer.router(config))
}

func json(_ buffer: ByteBuffer) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any])
}

func post(_ value: [String: Any]) throws -> ByteBuffer {
    ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: value))
}

@Suite struct RouteTests {
    @Test func listsEveryModelWithItsFigures() async throws {
        try await testApp().test(.router) { client in
            try await client.execute(uri: "/api/models", method: .get) { response in
                #expect(response.status == .ok)
                let models = try #require(try json(response.body)["models"] as? [[String: Any]])
                let byName = Dictionary(uniqueKeysWithValues: models.map { ($0["name"] as! String, $0) })
                #expect(Set(byName.keys) == ["rhyme", "rhyme-markov", "rhyme-mix", "old-markov", "words-a", "words-b"])
                #expect(byName["rhyme-mix"]?["kind"] as? String == "mixture")
                #expect(byName["rhyme"]?["kind"] as? String == "charnn")
                #expect((byName["rhyme"]?["best_val_loss"] as? Double ?? 0) > 0)
                #expect((byName["words-a"]?["index_recall_at_10"] as? Double ?? 0) > 0.5)
                #expect((byName["rhyme"]?["config"] as? [String: Any])?["seqLength"] != nil)
            }
        }
    }

    @Test func samplesOneTextPerTemperatureReproducibly() async throws {
        let body: [String: Any] = ["seed": "el ", "temperatures": [0.5, 1.0], "length": 120, "rng_seed": 7]
        let request = try post(body)
        try await testApp().test(.router) { client in
            var texts: [[String]] = []
            for _ in 0..<2 {
                try await client.execute(uri: "/api/charnn/sample", method: .post, body: request) { response in
                    #expect(response.status == .ok)
                    let reply = try json(response.body)
                    #expect(reply["model"] as? String == "rhyme")
                    let results = try #require(reply["results"] as? [[String: Any]])
                    #expect(results.map { $0["temperature"] as? Double } == [0.5, 1.0])
                    for r in results {
                        let text = try #require(r["text"] as? String)
                        #expect(text.hasPrefix("el ") && text.count == 123)
                        #expect(r["symbols"] as? Int == 120)
                        let copied = try #require(r["copied"] as? Double)
                        #expect((0...1).contains(copied))
                        // Spans lie inside the text, in order, at least one window wide.
                        let spans = try #require(r["copied_spans"] as? [[Int]])
                        #expect(spans.allSatisfy { $0[0] < $0[1] && $0[1] - $0[0] >= 20 && $0[1] <= text.count })
                    }
                    texts.append(results.map { $0["text"] as! String })
                }
            }
            #expect(texts[0] == texts[1])  // same rng_seed, same text
        }
    }

    /// One sampling loop for the three kinds: the API's text is the library loop's (which the CLI
    /// prints), for the same settings and seed, for a char-RNN, a Markov chain and a mixture.
    @Test func everyKindSamplesThroughTheOneLoop() async throws {
        let store = try Store(path: Fixture.shared.storePath)
        var settings = SamplingSettings()
        settings.seed = "el "
        settings.temperatures = [0.7]
        settings.count = 2
        settings.length = 90
        settings.topK = 5
        settings.rngSeed = 11
        let pipeline = try CharacterPipeline()
        let (_, chain) = try MarkovModelStore.load(store: store, name: "rhyme-markov")
        let expected: [(uri: String, model: String, texts: [String])] = [
            ("/api/charnn/sample", "rhyme", try CharGenerator.load(store: store, name: "rhyme").sample(settings, pipeline: pipeline).map(\.text)),
            ("/api/charnn/sample", "rhyme-mix", try CharGenerator.load(store: store, name: "rhyme-mix").sample(settings, pipeline: pipeline).map(\.text)),
            ("/api/markov/sample", "rhyme-markov", try SampleLoop.run(chain, settings: settings, pipeline: pipeline).map(\.text)),
        ]
        let bodies = try expected.map { e in
            try post([
                "model": e.model, "seed": "el ", "temperatures": [0.7], "count": 2, "length": 90, "top_k": 5,
                "rng_seed": 11,
            ])
        }
        try await testApp().test(.router) { client in
            for (e, body) in zip(expected, bodies) {
                try await client.execute(uri: e.uri, method: .post, body: body) { response in
                    #expect(response.status == .ok)
                    let reply = try json(response.body)
                    let results = try #require(reply["results"] as? [[String: Any]])
                    #expect(results.map { $0["text"] as? String } == e.texts, "\(e.model)")
                    #expect(results.map { $0["rng_seed"] as? Int } == [11, 12])
                    #expect(results.allSatisfy { ($0["real_words"] as? Double).map { (0...1).contains($0) } ?? false })
                    if e.model == "rhyme-mix" { #expect(reply["kind"] as? String == "mixture") }
                }
            }
        }
        #expect(expected[0].texts != expected[1].texts)  // the mixture is not its char-RNN
    }

    @Test func streamsTextAsServerSentEvents() async throws {
        let body: [String: Any] = ["seed": "la ", "temperatures": [0.8, 0.2], "length": 60]
        let request = try post(body)
        try await testApp().test(.router) { client in
            try await client.execute(
                uri: "/api/charnn/sample", method: .post, headers: [.accept: "text/event-stream"], body: request
            ) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/event-stream")
                let events = String(buffer: response.body).components(separatedBy: "\n\n").filter { !$0.isEmpty }
                let names = events.map { $0.split(separator: "\n")[0].dropFirst("event: ".count) }
                #expect(names.first == "start" && names.last == "done")
                #expect(names.filter { $0 == "result" }.count == 2)
                // The text events of each temperature add up to its result's text.
                var streamed = ["", ""]
                var finals = ["", ""]
                for e in events {
                    let data = Data(e.split(separator: "\n")[1].dropFirst("data: ".count).utf8)
                    let value = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
                    if e.hasPrefix("event: text") { streamed[value["index"] as! Int] += value["text"] as! String }
                    if e.hasPrefix("event: result") { finals[value["index"] as! Int] = value["text"] as! String }
                }
                #expect(streamed == finals)
                #expect(finals.allSatisfy { $0.hasPrefix("la ") })
            }
        }
    }

    @Test func samplesAMarkovModel() async throws {
        let body: [String: Any] = ["model": "rhyme-markov", "seed": "el ", "temperatures": [0], "length": 80]
        let request = try post(body)
        try await testApp().test(.router) { client in
            try await client.execute(uri: "/api/markov/sample", method: .post, body: request) { response in
                #expect(response.status == .ok)
                let r = try #require((try json(response.body)["results"] as? [[String: Any]])?.first)
                #expect((r["text"] as? String)?.count == 83)
                // The most likely path of an order-6 chain on a 300-line rhyme copies whole stretches.
                #expect((r["copied"] as? Double ?? 0) > 0.2)
                #expect(!(r["copied_spans"] as? [[Int]] ?? []).isEmpty)
            }
        }
    }

    /// Stop strings, nucleus and repetition penalty over HTTP, for both kinds: the text ends before
    /// the stop string (the rhyme's lines end in "."), and the result says which one stopped it.
    @Test func samplesStopAtAStopString() async throws {
        for (uri, model) in [("/api/charnn/sample", "rhyme"), ("/api/markov/sample", "rhyme-markov")] {
            let body: [String: Any] = [
                "model": model, "seed": "el ", "temperatures": [0.5], "length": 400, "stop": ["."],
                "top_p": 0.95, "repetition_penalty": 1.1,
            ]
            let request = try post(body)
            try await testApp().test(.router) { client in
                try await client.execute(uri: uri, method: .post, body: request) { response in
                    #expect(response.status == .ok)
                    let r = try #require((try json(response.body)["results"] as? [[String: Any]])?.first)
                    let text = r["text"] as? String ?? ""
                    #expect(text.hasPrefix("el ") && !text.contains(".") && text.count < 100, "\(uri): \(text)")
                    #expect(r["stopped"] as? String == "stop string" && r["stop_string"] as? String == ".")
                }
            }
        }
    }

    /// The copy check reads the training text the store keeps, never the corpus file; a model
    /// stored before Verso kept it says so.
    @Test func copyChecksNeedNoCorpusFile() async throws {
        let request = try post(["model": "old-markov", "temperatures": [0], "length": 40])
        try await testApp().test(.router) { client in
            try await client.execute(uri: "/api/markov/sample", method: .post, body: request) { response in
                #expect(response.status == .ok)
                let reply = try json(response.body)
                #expect((reply["note"] as? String ?? "").contains("trained before Verso kept its training text"))
                let r = try #require((reply["results"] as? [[String: Any]])?.first)
                #expect(r["copied"] == nil)
            }
        }
    }

    @Test func queriesWordVectorsOfSeveralModels() async throws {
        try await testApp().test(.router) { client in
            try await client.execute(uri: "/api/w2v/nearest?model=words-a&model=words-b&word=w7&n=5", method: .get) {
                response in
                #expect(response.status == .ok)
                let results = try #require(try json(response.body)["results"] as? [[String: Any]])
                #expect(results.map { $0["model"] as? String } == ["words-a", "words-b"])
                for r in results {
                    let neighbours = try #require(r["neighbours"] as? [[String: Any]])
                    #expect(neighbours.count == 5)
                    #expect(!neighbours.contains { $0["word"] as? String == "w7" })
                    #expect(r["indexed"] as? Bool == true)
                }
            }
            try await client.execute(uri: "/api/w2v/similarity?model=words-a&a=w1&b=w1", method: .get) { response in
                let r = try #require((try json(response.body)["results"] as? [[String: Any]])?.first)
                #expect(abs((r["similarity"] as? Double ?? 0) - 1) < 1e-5)
            }
            try await client.execute(uri: "/api/w2v/analogy?model=words-a&a=w1&b=w2&c=w3&n=3", method: .get) {
                response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/api/w2v/doesnt-match?model=words-a&word=w1&word=w2&word=w3", method: .get) {
                response in
                let r = try #require((try json(response.body)["results"] as? [[String: Any]])?.first)
                #expect(["w1", "w2", "w3"].contains(r["word"] as? String ?? ""))
            }
        }
    }

    /// A text scored symbol by symbol, by a char-RNN, a mixture and a chain: what the library's
    /// `SymbolScores` gives, whose bits sum to the cross-entropy (MixtureTests check that).
    @Test func scoresATextSymbolBySymbol() async throws {
        let text = "el sol y la luz.\nel mar"
        try await testApp().test(.router) { client in
            for (route, model) in [("charnn", "rhyme"), ("charnn", "rhyme-mix"), ("markov", "rhyme-markov")] {
                try await client.execute(
                    uri: "/api/\(route)/score", method: .post, body: try post(["model": model, "text": text])
                ) { response in
                    #expect(response.status == .ok, "\(model)")
                    let body = try json(response.body)
                    let symbols = try #require(body["symbols"] as? [[String: Any]])
                    #expect(body["model"] as? String == model && symbols.count == text.count - 1)
                    #expect(symbols.map { $0["symbol"] as? String ?? "" }.joined() == String(text.dropFirst()))
                    #expect(symbols.allSatisfy { ($0["expected"] as? [[String: Any]])?.count == 5 })
                    let mean = symbols.reduce(0.0) { $0 + ($1["bits"] as? Double ?? .nan) } / Double(symbols.count)
                    #expect(abs(mean - (body["bits_per_char"] as? Double ?? 0)) < 1e-9)
                }
            }
            for (route, body) in [("charnn", ["model": "rhyme"]), ("charnn", ["model": "rhyme", "text": "e"]),
                                  ("markov", ["model": "rhyme-markov", "text": "qqq"])] {
                try await client.execute(uri: "/api/\(route)/score", method: .post, body: try post(body)) { response in
                    #expect(response.status == .badRequest, "\(body)")
                }
            }
        }
    }

    /// The shift route answers what `w2v shift --json` prints: the same report, encoded the same way.
    @Test func shiftAnswersAsTheCommandDoes() async throws {
        var settings = ShiftSettings()
        settings.n = 5
        settings.minCount = 1
        settings.anchors = 200
        let store = try Store(path: Fixture.shared.storePath, forReading: true)
        let report = try SemanticShift.compare(store: store, a: "words-a", b: "words-b", settings: settings)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Both compared as JSONSerialization writes them back with sorted keys.
        let canonical: @Sendable (Data) throws -> String = { data in
            String(decoding: try JSONSerialization.data(
                withJSONObject: try JSONSerialization.jsonObject(with: data), options: [.sortedKeys]), as: UTF8.self)
        }
        let expected = try canonical(try encoder.encode(report))
        try await testApp().test(.router) { client in
            try await client.execute(
                uri: "/api/w2v/shift?a=words-a&b=words-b&n=5&min_count=1&anchors=200", method: .get
            ) { response in
                #expect(response.status == .ok)
                #expect(try canonical(Data(buffer: response.body)) == expected)
                let words = try #require(try json(response.body)["words"] as? [[String: Any]])
                #expect(words.count == 5)
            }
            for bad in ["a=words-a", "a=words-a&b=words-b&n=0", "a=words-a&b=words-b&min_count=x",
                        "a=words-a&b=words-b&min_count=100000"] {
                try await client.execute(uri: "/api/w2v/shift?" + bad, method: .get) { response in
                    #expect(response.status == .badRequest)
                }
            }
        }
    }

    /// Bad input: a 4xx with a one-line JSON error naming the problem, never a 5xx.
    @Test func badRequestsAreJSONErrors() async throws {
        let cases: [(String, HTTPRequest.Method, String?, HTTPResponse.Status, String)] = [
            ("/api/w2v/nearest?model=words-a&word=w9999", .get, nil, .notFound, "not in the vocabulary"),
            ("/api/w2v/nearest?model=nope&word=w1", .get, nil, .notFound, "nope"),
            ("/api/w2v/nearest?model=words-a", .get, nil, .badRequest, "word"),
            ("/api/w2v/nearest?model=words-a&word=w1&n=0", .get, nil, .badRequest, "'n'"),
            ("/api/w2v/analogy?model=words-a&a=w1&b=w2&c=w3&method=div", .get, nil, .badRequest, "method"),
            ("/api/charnn/sample", .post, "{\"temperatures\": \"hot\"}", .badRequest, "temperatures"),
            ("/api/charnn/sample", .post, "{\"length\": 1.5}", .badRequest, "length"),
            ("/api/charnn/sample", .post, "{\"temperatures\": [1,1,1,1,1,1,1,1,1]}", .badRequest, "temperatures"),
            ("/api/charnn/sample", .post, "{\"length\": 1000000}", .badRequest, "length"),
            ("/api/charnn/sample", .post, "not json", .badRequest, "JSON"),
            ("/api/charnn/sample", .post, "{\"model\": \"words-a\"}", .notFound, "not a char-RNN"),
            ("/api/markov/sample", .post, "{\"repetition_penalty\": 0.5}", .badRequest, "repetition_penalty"),
            ("/api/charnn/sample", .post, "{\"stop\": [\"\"]}", .badRequest, "stop"),
            ("/api/nothing-here", .get, nil, .notFound, "GET /api/nothing-here"),
        ]
        try await testApp().test(.router) { client in
            for (uri, method, body, status, words) in cases {
                try await client.execute(uri: uri, method: method, body: body.map { ByteBuffer(string: $0) }) {
                    response in
                    #expect(response.status == status, "\(uri) \(body ?? "")")
                    let error = try json(response.body)["error"] as? String ?? ""
                    #expect(error.contains(words) && !error.contains("\n"), "\(uri): \(error)")
                }
            }
            try await client.execute(uri: "/api/w2v/nearest?model=words-a&word=w4999", method: .get) { response in
                let suggestions = try json(response.body)["suggestions"] as? [String] ?? []
                #expect(suggestions.contains("w499"))  // the command line's "did you mean", as data
            }
            let tooBig = ByteBuffer(string: "{\"seed\": \"" + String(repeating: "a", count: 70_000) + "\"}")
            try await client.execute(uri: "/api/charnn/sample", method: .post, body: tooBig) { response in
                #expect(response.status == .contentTooLarge)
            }
        }
    }
}

/// The OpenAPI document served at /openapi.json says exactly what the router answers.
@Suite struct OpenAPITests {
    @Test func documentsEveryAPIRouteAndNoOther() async throws {
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(PackageResources.openapi_json)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
        var config = ServerConfig()
        config.storePath = Fixture.shared.storePath
        let api = API(
            config: config, models: ModelCache(store: try Store(path: config.storePath, forReading: true)),
            pool: SamplingPool(workers: 1))
        let routed = Set(
            VersoServer.routes(api).filter { $0.path.hasPrefix("/api/") }.map { "\($0.method) \($0.path)" })
        #expect(documented == routed)
        // Every schema a route refers to is defined.
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let text = String(decoding: PackageResources.openapi_json, as: UTF8.self)
        for match in text.matches(of: /#\/components\/schemas\/(\w+)/) {
            #expect(schemas[String(match.1)] != nil, "\(match.1)")
        }
    }

    @Test func servesTheDocumentAndThePage() async throws {
        try await testApp().test(.router) { client in
            for (uri, type) in [
                ("/openapi.json", "application/json"), ("/", "text/html"), ("/app.js", "text/javascript"),
                ("/read.js", "text/javascript"), ("/style.css", "text/css"),
            ] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType]?.hasPrefix(type) == true, "\(uri)")
                    #expect(response.body.readableBytes > 500)
                }
            }
        }
    }
}

@Suite struct ServingStoreTests {
    /// A model saved after the server started is found at its first request.
    @Test func picksUpModelsTrainedAfterItStarted() async throws {
        let path = NSTemporaryDirectory() + "verso-late-\(UUID().uuidString).sqlite"
        let store = try Store(path: path)
        try Fixture.saveWordVectors(store: store, name: "early", seed: 5)
        var config = ServerConfig()
        config.storePath = path
        try await Application(router: try VersoServer.router(config)).test(.router) { client in
            try await client.execute(uri: "/api/w2v/nearest?model=late&word=w1", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try Fixture.saveWordVectors(store: store, name: "late", seed: 6)
            try await client.execute(uri: "/api/w2v/nearest?model=late&word=w1", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    /// The server never writes: a store that would need migrating, or no store at all, is refused.
    @Test func refusesAStoreItWouldHaveToWrite() throws {
        var config = ServerConfig()
        config.storePath = NSTemporaryDirectory() + "verso-none-\(UUID().uuidString)/verso.sqlite"
        #expect(throws: StoreError.self) { _ = try VersoServer.router(config) }
        #expect(!FileManager.default.fileExists(atPath: config.storePath!))
    }
}

@Suite struct StartupAndParserTests {
    @Test func bindFailuresAreOneLine() {
        let taken = IOError(errnoCode: EADDRINUSE, reason: "bind")
        #expect(VersoServer.startupFailure(taken, host: "127.0.0.1", port: 8080) == "port 8080 is already in use on 127.0.0.1")
        #expect(VersoServer.startupFailure(CancellationError(), host: "h", port: 1) == nil)
    }

    @Test func parserRefusalsGetAStatusAndAMessage() throws {
        let url = try #require(ParserErrorHandler.verdict(HTTPParserError.invalidURL))
        #expect(url.0 == .badRequest && url.1.contains("percent-encoded"))
        #expect(ParserErrorHandler.verdict(HTTPParserError.headerOverflow)?.0 == .requestHeaderFieldsTooLarge)
        #expect(ParserErrorHandler.verdict(CancellationError()) == nil)
    }
}
