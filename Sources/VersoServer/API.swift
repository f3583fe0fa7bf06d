// The JSON API's handlers: the model list, the loss curves, and sampling (whole, or streamed as SSE).
import Dispatch
import Foundation
import Hummingbird
import VersoPlot
import VersoStore

struct API: Sendable {
    let config: ServerConfig
    let cache: ModelCache
    let pool: SamplingPool

    init(config: ServerConfig, models: ModelCache, pool: SamplingPool) {
        self.config = config
        cache = models
        self.pool = pool
    }

    // MARK: Models

    struct ModelEntry: Encodable {
        let summary: ModelSummary
        let config: JSONValue?

        enum CodingKeys: String, CodingKey { case config }

        func encode(to encoder: any Encoder) throws {
            try summary.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(config, forKey: .config)
        }
    }

    /// `GET /api/models`: every model, with its size, training figures and configuration.
    func models() async throws -> Response {
        let store = cache.store
        var entries: [ModelEntry] = []
        for kind in ModelKind.allCases {
            for summary in try store.summaries(of: kind) {
                let record = try store.read { try $0.model(named: summary.name, kind: kind) }
                entries.append(ModelEntry(summary: summary, config: JSONValue.parse(record.configJSON)))
            }
        }
        return try jsonResponse(["models": entries])
    }

    /// `GET /api/charnn/curve?model=NAME`: the training and validation loss of a char-RNN, as SVG.
    func lossCurve(_ request: Request) async throws -> Response {
        let name = request.uri.queryParameters["model"].map(String.init)
        let store = cache.store
        let (record, metrics) = try store.read { reader in
            let record = try reader.model(named: name, kind: .charnn)
            return (record, try reader.metrics(of: record))
        }
        func series(_ key: String, _ label: String) -> Series {
            Series(name: label, points: (metrics[key] ?? []).map { (x: Double($0.step), y: $0.value) })
        }
        var plot = Plot(
            title: "\(record.name): loss (nats/char)", x: Axis("step"), y: Axis("nats/char"),
            series: [series("train_loss", "train"), series("val_loss", "validation")])
        plot.width = 560
        plot.height = 300
        var response = Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: plot.svg())))
        response.headers[.contentType] = "image/svg+xml; charset=utf-8"
        return response
    }

    // MARK: Sampling

    /// `POST /api/charnn/sample` and `/api/markov/sample`: one sample per temperature, as one JSON
    /// document, or as Server-Sent Events while the text is generated (`Accept: text/event-stream`).
    func sample(_ request: Request, kind: ModelKind) async throws -> Response {
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: config.maxBodyBytes) } catch {
            throw APIError(.contentTooLarge, "the request body is over \(config.maxBodyBytes / 1024) KB")
        }
        let sampleRequest = try JSONDecoder().decode(SampleRequest.self, from: Data(buffer: body))
        // A mixture samples through the char-RNN route.
        try sampleRequest.validate(config)
        let job = try await SampleJob(request: sampleRequest, kind: kind, cache: cache, config: config)
        let streaming = request.headers[.accept]?.contains("text/event-stream") ?? false
        guard streaming else {
            let results = try await job.run(pool: pool, stop: StopSignal()) { _ in }
            return try jsonResponse(job.response(results))
        }
        let (events, continuation) = AsyncStream<ByteBuffer>.makeStream(bufferingPolicy: .unbounded)
        let stop = StopSignal()
        continuation.onTermination = { _ in stop.stop() }  // the client went away (or the stream ended)
        continuation.yield(ServerSentEvent.buffer("start", job.response([])))
        let pool = self.pool
        Task {
            do {
                _ = try await job.run(pool: pool, stop: stop) { event in
                    switch event {
                    case .text(let index, let text):
                        let piece: [String: JSONValue] = ["index": .number(Double(index)), "text": .string(text)]
                        continuation.yield(ServerSentEvent.buffer("text", piece))
                    case .result(let result):
                        continuation.yield(ServerSentEvent.buffer("result", result))
                    }
                }
                continuation.yield(ServerSentEvent.buffer("done", JSONValue.object([:])))
            } catch {
                let failure: [String: JSONValue] = ["error": .string(APIError.from(error).message)]
                continuation.yield(ServerSentEvent.buffer("error", failure))
            }
            continuation.finish()
        }
        var response = Response(status: .ok, body: ResponseBody(asyncSequence: events))
        response.headers[.contentType] = "text/event-stream"
        response.headers[.cacheControl] = "no-cache"
        return response
    }
}

/// One sampling request bound to its loaded model.
struct SampleJob: Sendable {
    let request: SampleRequest
    let kind: ModelKind
    let charModel: ServedCharModel?
    let markovModel: ServedMarkovModel?
    let deadline: DispatchTime

    init(request: SampleRequest, kind: ModelKind, cache: ModelCache, config: ServerConfig) async throws {
        self.request = request
        self.kind = kind
        charModel = kind == .charnn ? try await cache.charModel(request.model) : nil
        markovModel = kind == .markov ? try await cache.markovModel(request.model) : nil
        deadline = .now() + config.requestSeconds
    }

    func response(_ results: [SampleResult]) -> SampleResponse {
        SampleResponse(
            model: charModel?.model.name ?? markovModel?.record.name ?? "",
            kind: charModel?.model.kind.rawValue ?? kind.rawValue, step: charModel?.model.step,
            note: charModel?.noveltyNote ?? markovModel?.noveltyNote, results: results)
    }

    /// Every temperature's sample, on the pool, in the request's order.
    func run(
        pool: SamplingPool, stop: StopSignal, emit: @escaping @Sendable (SampleProgress) -> Void
    ) async throws -> [SampleResult] {
        try await withThrowingTaskGroup(of: SampleResult.self) { group in
            for index in 0..<(request.settings.temperatures.count * request.settings.count) {
                let generation = Generation(request: request, index: index, deadline: deadline, stop: stop, emit: emit)
                let job = self
                group.addTask {
                    let result = try await pool.run {
                        if let m = job.charModel { return try generation.charRNN(m) }
                        return try generation.markov(job.markovModel!)
                    }
                    emit(.result(result))
                    return result
                }
            }
            var results: [SampleResult] = []
            for try await r in group { results.append(r) }
            return results.sorted { $0.index < $1.index }
        }
    }
}

enum ServerSentEvent {
    /// `event: NAME` with `value` as one line of JSON.
    static func buffer(_ name: String, _ value: some Encodable) -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return ByteBuffer(string: "event: \(name)\ndata: \(json)\n\n")
    }
}
