// The sampling API's request and result shapes (char-RNN and Markov alike), and their checks.
import Evaluation
import Foundation
import Sampling

/// `POST /api/charnn/sample` and `/api/markov/sample`: a model's name and the library's sampling
/// settings, every field of which may be left out.
struct SampleRequest: Decodable, Sendable {
    var model: String?
    var settings = SamplingSettings()
    /// A field of the wrong type, reported by `validate`, which knows the server's limits.
    var mistyped: SettingsError?

    enum CodingKeys: String, CodingKey { case model }

    init() {}

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        do {
            model = try c.decodeIfPresent(String.self, forKey: .model)
            settings = try SamplingSettings(from: decoder)
        } catch let error as SettingsError {
            mistyped = error
        }
    }

    /// Refuses, naming the field, what is out of range or over the server's limits.
    func validate(_ limits: ServerConfig) throws {
        func bad(_ message: String) -> APIError { .badRequest(message) }
        if let mistyped {
            let ranges = ["length": (0, limits.maxLength), "sentences": (1, limits.maxSentences)]
            guard let (low, high) = ranges[mistyped.field] else { throw bad(mistyped.message) }
            throw bad("field '\(mistyped.field)': expected an integer from \(low) to \(high)")
        }
        do { try settings.validate() } catch let error as SettingsError {
            throw bad("field '\(error.field)': \(error.message)")
        }
        guard settings.temperatures.count * settings.count <= limits.maxTemperatures else {
            throw bad("field 'temperatures': at most \(limits.maxTemperatures) samples (temperatures × count)")
        }
        guard settings.length <= limits.maxLength else {
            throw bad("field 'length': must be between 0 and \(limits.maxLength)")
        }
        guard (1...limits.maxSentences).contains(settings.sentences) else {
            throw bad("field 'sentences': must be between 1 and \(limits.maxSentences)")
        }
        for (field, text) in [("seed", settings.seed), ("preseed", settings.preseed)]
        where text.count > limits.maxSeedSymbols {
            throw bad("field '\(field)': at most \(limits.maxSeedSymbols) characters")
        }
        if let model, model.isEmpty { throw bad("field 'model': must not be empty") }
    }
}

/// One sample: its text, speed, and what of it was copied from the training text.
struct SampleResult: Encodable, Sendable {
    var index: Int  // position among the request's samples (temperatures × count)
    var temperature: Double
    var rngSeed: UInt64
    var text: String
    var symbols: Int  // generated symbols (characters or words), the seed not counted
    var seconds: Double
    var charsPerSecond: Double
    /// Share of the sample's 20-character windows found in the training text (nil: unavailable).
    var copied: Double?
    /// Share of the sample's words (letter runs) found in the training text.
    var realWords: Double?
    /// Copied stretches as [start, end) offsets in characters (grapheme clusters) of `text`, and
    /// the same in UTF-16 code units (what JavaScript strings index).
    var copiedSpans: [[Int]]
    var copiedSpansUTF16: [[Int]]
    /// Why the sample ended before its length: "time limit", "client gone" or "stop string"
    /// (nil when it ran to the end); `stopString` is the one it met.
    var stopped: String?
    var stopString: String?
    var logProbability: Double? = nil  // beam search

    enum CodingKeys: String, CodingKey {
        case index, temperature, text, symbols, seconds, copied, stopped
        case stopString = "stop_string", rngSeed = "rng_seed", realWords = "real_words"
        case logProbability = "log_probability"
        case charsPerSecond = "chars_per_second", copiedSpans = "copied_spans"
        case copiedSpansUTF16 = "copied_spans_utf16"
    }
}

struct SampleResponse: Encodable, Sendable {
    var model: String
    var kind: String
    var step: Int?  // char-RNN: the checkpoint's training step
    var note: String?  // e.g. why the copy check is unavailable
    var results: [SampleResult]
}

extension SampleResult {
    /// The copy and real-word figures of `characters` (the whole text, seed included, as symbols).
    mutating func markCopies(_ figures: SampleCheck.Figures?, characters: [String]) {
        guard let figures else { return }
        copied = figures.copied
        realWords = figures.realWords
        copiedSpans = figures.copiedSpans.map { [$0.lowerBound, $0.upperBound] }
        var utf16 = [0]
        utf16.reserveCapacity(characters.count + 1)
        for c in characters { utf16.append(utf16.last! + c.utf16.count) }
        copiedSpansUTF16 = figures.copiedSpans.map { [utf16[$0.lowerBound], utf16[$0.upperBound]] }
    }
}
