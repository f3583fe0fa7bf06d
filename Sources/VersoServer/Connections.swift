// What each connection's pipeline adds to Hummingbird's: a deadline for the request head, and a
// JSON answer for what NIO's HTTP parser refuses; and a bind failure said in one line.
import Foundation
import HTTPTypes
import HummingbirdCore
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Closes a connection whose request head is not complete `limit` after it opened, or after the
/// previous response ended: a client that trickles its headers a byte at a time (slowloris)
/// would otherwise hold the connection for as long as it likes. Hummingbird's idle timeout
/// counts whole HTTP parts only, so it never fires while the head is still arriving.
final class HeadDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limit: TimeAmount
    private var timer: Scheduled<Void>?
    private var unanswered = 0  // heads read whose response has not ended

    init(seconds: Double) { limit = .nanoseconds(Int64(seconds * 1e9)) }

    func handlerAdded(context: ChannelHandlerContext) { if context.channel.isActive { arm(context) } }

    func channelActive(context: ChannelHandlerContext) {
        arm(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = Self.unwrapInboundIn(data) {
            unanswered += 1
            timer?.cancel()
            timer = nil
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = Self.unwrapOutboundIn(data) {
            unanswered -= 1
            if unanswered == 0 { arm(context) }
        }
        context.write(data, promise: promise)
    }

    private func arm(_ context: ChannelHandlerContext) {
        guard timer == nil else { return }
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: limit) {
            self.timer = nil
            context.close(promise: nil)
        }
    }
}

/// Answers a request NIO's parser refuses (a raw non-ASCII byte in the URL, a request line or
/// headers over the limit, malformed HTTP) with a JSON `{error}` and closes, as every other
/// refusal is answered; Hummingbird's own answer would be an empty 400.
final class ParserErrorHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var unanswered = 0
    private var answered = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = Self.unwrapInboundIn(data) { unanswered += 1 }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = Self.unwrapOutboundIn(data) { unanswered -= 1 }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if answered { return }  // the decoder repeats itself for every byte after its first error
        // Mid-request (a bad chunk of a body the route reads) the route answers.
        guard unanswered == 0, let (status, message) = ParserErrorHandler.verdict(error) else {
            return context.fireErrorCaught(error)
        }
        answered = true
        let body = ByteBuffer(bytes: (try? JSONEncoder().encode(["error": message])) ?? Data())
        var fields = HTTPFields()
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.contentLength] = String(body.readableBytes)
        fields[.connection] = "close"
        context.write(Self.wrapOutboundOut(.head(HTTPResponse(status: status, headerFields: fields))), promise: nil)
        context.write(Self.wrapOutboundOut(.body(body)), promise: nil)
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: written)
        written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    static func verdict(_ error: any Error) -> (HTTPResponse.Status, String)? {
        switch error {
        case HTTPParserError.headerOverflow:
            return (.requestHeaderFieldsTooLarge, "the request line or its headers are longer than the server reads")
        case HTTPParserError.invalidURL:
            return (.badRequest, "the URL holds a character that must be percent-encoded (año: a%C3%B1o)")
        case let e as HTTPParserError: return (.badRequest, "malformed HTTP request (\(e))")
        default: return nil
        }
    }
}

extension VersoServer {
    /// A failure to start listening in one line, or nil for another error.
    public static func startupFailure(_ error: any Error, host: String, port: Int) -> String? {
        switch error {
        case let e as IOError where e.errnoCode == EADDRINUSE: return "port \(port) is already in use on \(host)"
        case let e as IOError where e.errnoCode == EACCES: return "not allowed to listen on port \(port) of \(host)"
        case let e as IOError where e.errnoCode == EADDRNOTAVAIL: return "\(host) is not an address of this machine"
        case let e as SocketAddressError.UnknownHost: return "unknown host '\(e.host)'"
        case let e as IOError: return "cannot listen on \(host):\(port): \(String(cString: strerror(e.errnoCode)))"
        default: return nil
        }
    }
}
