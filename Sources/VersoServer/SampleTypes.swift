// The sampling API's request and result shapes (char-RNN and Markov alike), and their checks.
import Foundation
import VersoRandom

/// `POST /api/charnn/sample` and `/api/markov/sample`. Every field may be left out.
struct SampleRequest: Decodable, Sendable {
    var model: String?
    var seed = ""
    var preseed = ""
    var temperatures: [Double] = [0.6]
    var length = 500
    var sentences = 5  // word-level Markov models: sentences instead of symbols
    var topK = 0
    var topP = 1.0
    var repetitionPenalty = 1.0
    var repetitionWindow = 64
    var stop: [String] = []  // character models: the sample ends before the first it produces
    var rngSeed: UInt64 = 1

    enum CodingKeys: String, CodingKey {
        case model, seed, preseed, temperatures, length, sentences, stop
        case topK = "top_k", topP = "top_p", rngSeed = "rng_seed"
        case repetitionPenalty = "repetition_penalty", repetitionWindow = "repetition_window"
    }

    /// The sampling rules at temperature `t`.
    func rules(temperature t: Double) -> SamplingRules {
        var rules = SamplingRules(temperature: Float(t), topK: topK, topP: Float(topP))
        rules.repetitionPenalty = Float(repetitionPenalty)
        rules.repetitionWindow = repetitionWindow
        return rules
    }

    init() {}

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        model = try c.decodeIfPresent(String.self, forKey: .model)
        seed = try c.decodeIfPresent(String.self, forKey: .seed) ?? seed
        preseed = try c.decodeIfPresent(String.self, forKey: .preseed) ?? preseed
        temperatures = try c.decodeIfPresent([Double].self, forKey: .temperatures) ?? temperatures
        length = try Self.integer(c, .length) ?? length
        sentences = try Self.integer(c, .sentences) ?? sentences
        topK = try Self.integer(c, .topK) ?? topK
        topP = try c.decodeIfPresent(Double.self, forKey: .topP) ?? topP
        repetitionPenalty = try c.decodeIfPresent(Double.self, forKey: .repetitionPenalty) ?? repetitionPenalty
        repetitionWindow = try Self.integer(c, .repetitionWindow) ?? repetitionWindow
        stop = try c.decodeIfPresent([String].self, forKey: .stop) ?? stop
        rngSeed = try Self.integer(c, .rngSeed) ?? rngSeed
    }

    /// An integer field, named when it is not one (Foundation's own error for 1.5 names no field).
    static func integer<T: FixedWidthInteger & Decodable>(
        _ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys
    ) throws -> T? {
        guard c.contains(key), try !c.decodeNil(forKey: key) else { return nil }
        guard let value = try? c.decode(T.self, forKey: key) else {
            throw APIError.badRequest("field '\(key.stringValue)': expected an integer from \(T.min) to \(T.max)")
        }
        return value
    }

    /// Refuses, naming the field, what is out of range or over the server's limits.
    func validate(_ limits: ServerConfig) throws {
        func bad(_ message: String) -> APIError { .badRequest(message) }
        guard !temperatures.isEmpty, temperatures.count <= limits.maxTemperatures else {
            throw bad("field 'temperatures': give 1 to \(limits.maxTemperatures) temperatures")
        }
        if let t = temperatures.first(where: { !($0 >= 0 && $0 <= 10) }) {
            throw bad("field 'temperatures': \(t) is not between 0 and 10")
        }
        guard (0...limits.maxLength).contains(length) else {
            throw bad("field 'length': must be between 0 and \(limits.maxLength)")
        }
        guard (1...limits.maxSentences).contains(sentences) else {
            throw bad("field 'sentences': must be between 1 and \(limits.maxSentences)")
        }
        guard topK >= 0 else { throw bad("field 'top_k': must be ≥ 0") }
        guard topP > 0 && topP <= 1 else { throw bad("field 'top_p': must be in (0, 1]") }
        guard repetitionPenalty >= 1 && repetitionPenalty <= 10 else {
            throw bad("field 'repetition_penalty': must be between 1 and 10")
        }
        guard (1...10_000).contains(repetitionWindow) else {
            throw bad("field 'repetition_window': must be between 1 and 10000")
        }
        guard stop.count <= 8, stop.allSatisfy({ (1...100).contains($0.count) }) else {
            throw bad("field 'stop': at most 8 strings of 1 to 100 characters")
        }
        for (field, text) in [("seed", seed), ("preseed", preseed)] where text.count > limits.maxSeedSymbols {
            throw bad("field '\(field)': at most \(limits.maxSeedSymbols) characters")
        }
        if let model, model.isEmpty { throw bad("field 'model': must not be empty") }
    }
}

/// One sample: its text, speed, and what of it was copied from the training text.
struct SampleResult: Encodable, Sendable {
    var index: Int  // position in the request's temperatures
    var temperature: Double
    var text: String
    var symbols: Int  // generated symbols (characters or words), the seed not counted
    var seconds: Double
    var charsPerSecond: Double
    /// Share of the sample's 20-character windows found in the training text (nil: unavailable).
    var copied: Double?
    /// Copied stretches as [start, end) offsets in characters (grapheme clusters) of `text`, and
    /// the same in UTF-16 code units (what JavaScript strings index).
    var copiedSpans: [[Int]]
    var copiedSpansUTF16: [[Int]]
    /// Why the sample ended before its length: "time limit", "client gone" or "stop string"
    /// (nil when it ran to the end); `stopString` is the one it met.
    var stopped: String?
    var stopString: String?

    enum CodingKeys: String, CodingKey {
        case index, temperature, text, symbols, seconds, copied, stopped
        case stopString = "stop_string"
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
    /// The copy figures of `characters` (the whole text, seed included, as symbols).
    mutating func markCopies(_ copies: (fraction: Double, spans: [Range<Int>])?, characters: [String]) {
        guard let copies else { return }
        copied = copies.fraction
        copiedSpans = copies.spans.map { [$0.lowerBound, $0.upperBound] }
        var utf16 = [0]
        utf16.reserveCapacity(characters.count + 1)
        for c in characters { utf16.append(utf16.last! + c.utf16.count) }
        copiedSpansUTF16 = copies.spans.map { [utf16[$0.lowerBound], utf16[$0.upperBound]] }
    }
}
