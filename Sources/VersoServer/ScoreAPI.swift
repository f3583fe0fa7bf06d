// What a model expected at every symbol of a text, over HTTP: the Read tab's colours and hover lists.
import Foundation
import Hummingbird
import Markov
import Sampling
import VersoStore
import VersoText

extension API {
    struct ScoreRequest: Decodable, Sendable {
        let model: String?
        let text: String
    }

    /// `POST /api/charnn/score` (a char-RNN or mixture) and `/api/markov/score` (a character chain),
    /// `{model, text}`: each symbol's bits and the 5 symbols expected there, as `eval --per-symbol
    /// --json` prints them. The text is scored from the model's start state, one stream.
    func score(_ request: Request, kind: ModelKind) async throws -> Response {
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: config.maxBodyBytes) } catch {
            throw APIError(.contentTooLarge, "the request body is over \(config.maxBodyBytes / 1024) KB")
        }
        let asked = try JSONDecoder().decode(ScoreRequest.self, from: Data(buffer: body))
        let limit = config.maxLength
        let scored: ScoredText
        if kind == .markov {
            let served = try await cache.markovModel(asked.model)
            guard served.model.config.unit == .char else {
                throw APIError.badRequest("model '\(served.record.name)' is a word model; scores are per character")
            }
            scored = try await pool.run {
                let ids = try Self.ids(of: try MarkovText().characters(of: asked.text), limit: limit) {
                    served.model.id($0)
                }
                return ScoredText(model: served.record.name, symbols: SymbolScores.score(served.model, ids: ids))
            }
        } else {
            let served = try await cache.charModel(asked.model)
            scored = try await pool.run {
                let generator = served.model
                let ids = try Self.ids(of: try CharacterPipeline().symbols(of: asked.text), limit: limit) {
                    generator.charModel.vocabulary.id($0)
                }
                return ScoredText(model: generator.name, symbols: SymbolScores.score(generator.generator, ids: ids))
            }
        }
        // Written by hand: Foundation's encoder took three times the scoring's time on 600 KB.
        var response = Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: scored.compactJSON)))
        response.headers[.contentType] = "application/json; charset=utf-8"
        return response
    }

    /// The ids of the symbols the model knows (the others skipped, as `eval` skips them).
    static func ids(of symbols: [String], limit: Int, id: (String) -> Int32?) throws -> [Int32] {
        guard symbols.count <= limit else {
            throw APIError.badRequest("field 'text': at most \(limit) characters (it has \(symbols.count))")
        }
        let ids = symbols.compactMap(id)
        guard ids.count > 1 else {
            throw APIError.badRequest("field 'text': fewer than two characters the model knows")
        }
        return ids
    }
}
