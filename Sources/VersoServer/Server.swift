// `verso serve`: the router (page, JSON API, OpenAPI document) and the application around it.
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import VersoStore

public enum VersoServer {
    /// The application `verso serve` runs: `config.host`:`config.port`, the store opened read-only.
    /// `onListening` runs once the socket is bound (a taken port or unknown host throws instead).
    /// Each connection gets `config.headerSeconds` to send a request head and is closed after
    /// `config.idleSeconds` without a whole HTTP part; past `config.maxConnections` open ones, new
    /// ones wait in the listen backlog until one closes.
    public static func application(
        _ config: ServerConfig, onListening: @escaping @Sendable () async -> Void = {}
    ) throws -> some ApplicationProtocol {
        var logger = Logger(label: "verso")
        logger.logLevel = .notice
        let http = HTTP1Channel.Configuration(
            additionalChannelHandlers: [HeadDeadlineHandler(seconds: config.headerSeconds), ParserErrorHandler()],
            idleTimeout: .nanoseconds(Int64(config.idleSeconds * 1e9)))
        return Application(
            router: try router(config),
            server: .http1(configuration: http),
            configuration: .init(
                address: .hostname(config.host, port: config.port), serverName: "verso",
                availableConnectionsDelegate: MaximumAvailableConnections(config.maxConnections)),
            onServerRunning: { _ in await onListening() },
            logger: logger)
    }

    /// Every route, over one read-only store; tests drive it without a socket.
    public static func router(_ config: ServerConfig) throws -> Router<BasicRequestContext> {
        let store = try Store(path: config.storePath, serving: true)
        let api = API(
            config: config, models: ModelCache(store: store), pool: SamplingPool(workers: config.samplingWorkers))
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ErrorMiddleware())
        for route in routes(api) { router.on(RouterPath(route.path), method: route.method, use: route.handle) }
        return router
    }

    struct Route: Sendable {
        let method: HTTPRequest.Method
        let path: String
        let handle: @Sendable (Request, BasicRequestContext) async throws -> Response
    }

    /// The page's files, then the API (every `/api/` route is in the OpenAPI document; a test checks).
    static func routes(_ api: API) -> [Route] {
        [
            Route(method: .get, path: "/") { _, _ in Page.response(.indexHTML) },
            Route(method: .get, path: "/app.js") { _, _ in Page.response(.appJS) },
            Route(method: .get, path: "/read.js") { _, _ in Page.response(.readJS) },
            Route(method: .get, path: "/cells.js") { _, _ in Page.response(.cellsJS) },
            Route(method: .get, path: "/map.js") { _, _ in Page.response(.mapJS) },
            Route(method: .get, path: "/style.css") { _, _ in Page.response(.styleCSS) },
            Route(method: .get, path: "/openapi.json") { _, _ in Page.response(.openAPI) },
            Route(method: .get, path: "/api/models") { _, _ in try await api.models() },
            Route(method: .get, path: "/api/charnn/curve") { request, _ in try await api.lossCurve(request) },
            Route(method: .post, path: "/api/charnn/sample") { request, _ in
                try await api.sample(request, kind: .charnn)
            },
            Route(method: .post, path: "/api/markov/sample") { request, _ in
                try await api.sample(request, kind: .markov)
            },
            Route(method: .post, path: "/api/charnn/score") { request, _ in
                try await api.score(request, kind: .charnn)
            },
            Route(method: .post, path: "/api/markov/score") { request, _ in
                try await api.score(request, kind: .markov)
            },
            Route(method: .post, path: "/api/charnn/cells") { request, _ in try await api.cells(request) },
            Route(method: .get, path: "/api/w2v/nearest") { request, _ in try await api.nearest(request) },
            Route(method: .get, path: "/api/w2v/analogy") { request, _ in try await api.analogy(request) },
            Route(method: .get, path: "/api/w2v/similarity") { request, _ in try await api.similarity(request) },
            Route(method: .get, path: "/api/w2v/doesnt-match") { request, _ in try await api.doesntMatch(request) },
            Route(method: .get, path: "/api/w2v/shift") { request, _ in try await api.shift(request) },
            Route(method: .get, path: "/api/w2v/map") { request, _ in try await api.map(request) },
        ]
    }
}

/// Turns whatever a route throws, including the router's own 404 and 405, into JSON `{error}`.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed {
            throw APIError(
                error.status, "no route for \(request.method) \(request.uri.path) (the API: GET /openapi.json)")
        } catch {
            throw APIError.from(error)
        }
    }
}

/// A JSON response body.
func jsonResponse(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var response = Response(status: status, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    response.headers[.contentType] = "application/json; charset=utf-8"
    return response
}
