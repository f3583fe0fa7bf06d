// Every failure of the API as JSON `{error}` with a 4xx status: bad input, unknown models and words.
import Foundation
import Hummingbird
import VersoStore
import VersoText
import Word2Vec

/// An error a client can act on: its status and a one-line message (an unknown word also carries
/// the spelling suggestions the command line gives).
public struct APIError: Error, HTTPResponseError {
    public let status: HTTPResponse.Status
    public let message: String
    public var suggestions: [String]? = nil

    public init(_ status: HTTPResponse.Status, _ message: String, suggestions: [String]? = nil) {
        self.status = status
        self.message = message
        self.suggestions = suggestions
    }

    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, message) }

    struct Body: Encodable {
        let error: String
        let suggestions: [String]?
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try JSONEncoder().encode(Body(error: message, suggestions: suggestions))
        var response = Response(status: status, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        response.headers[.contentType] = "application/json; charset=utf-8"
        return response
    }
}

extension APIError {
    /// What a thrown error says to the client: input problems are 4xx naming the problem; anything
    /// unforeseen is a 500 without details (never a stack trace).
    static func from(_ error: any Error) -> APIError {
        switch error {
        case let e as APIError: return e
        case let e as HTTPError: return APIError(e.status, e.body ?? e.status.reasonPhrase)
        case let e as DecodingError: return .badRequest(describe(e))
        case let e as QueryError:
            return e.unknownWord != nil
                ? APIError(.notFound, e.description, suggestions: e.suggestions) : .badRequest(e.description)
        case let e as StoreError:
            let missing =
                e.description.hasPrefix("no ") || e.description.contains("has no ")
                || e.description.contains(" model, not a ")
            return APIError(missing ? .notFound : .internalServerError, e.description)
        case let e as TextError: return .badRequest(e.description)
        default: return APIError(.internalServerError, "internal error")
        }
    }

    /// "field 'temperatures[1]': expected a number": the JSON path of a decoding failure.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.reduce("") { s, k in
                k.intValue.map { s + "[\($0)]" } ?? (s.isEmpty ? k.stringValue : s + "." + k.stringValue)
            }
        }
        switch error {
        case .typeMismatch(let type, let c), .valueNotFound(let type, let c):
            return "field '\(path(c.codingPath))': expected \(typeName(type))"
        case .keyNotFound(let key, let c):
            return "field '\(path(c.codingPath + [key]))' is required"
        case .dataCorrupted(let c):
            return c.codingPath.isEmpty
                ? "the body is not valid JSON" : "field '\(path(c.codingPath))': \(c.debugDescription)"
        @unknown default:
            return "the body does not match the request's schema"
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int.Type, is UInt64.Type: return "an integer"
        case is Float.Type, is Double.Type: return "a number"
        case is [Float].Type, is [Double].Type: return "an array of numbers"
        case is [Any].Type: return "an array"
        case is [String: Any].Type: return "an object"
        default: return "a value of type \(type)"
        }
    }
}
