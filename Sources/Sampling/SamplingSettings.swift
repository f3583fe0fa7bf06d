// The sampling settings every generator, command and route shares, their one set of bounds, and
// their JSON form (the HTTP API's request body).
import VersoRandom

/// A sampling setting out of its range: `field` is its JSON name, `message` names the value.
public struct SettingsError: Error, CustomStringConvertible, Sendable {
    public let field: String
    public let message: String
    public var description: String { message }
}

/// How to sample: temperatures, truncation, repetition penalty, stops, how many, from what seed.
public struct SamplingSettings: Sendable, Equatable {
    public static let defaultTemperature = 0.6
    public static let maxStops = 8, maxStopLength = 100, maxCount = 1000, maxBeam = 1000

    /// Symbols to generate after the seed.
    public var length = 500
    /// One sample each (times `count`), in order; p ∝ exp(score / T), 0 picks the best.
    public var temperatures = [defaultTemperature]
    public var topK = 0  // only the K best symbols (0: all)
    public var topP = 1.0  // only the nucleus reaching P (1: all)
    public var repetitionPenalty = 1.0  // CTRL's (1: off)
    public var repetitionWindow = 64  // symbols back, seed included
    public var stops: [String] = []  // the sample ends before the first it produces
    public var count = 1  // samples per temperature, with consecutive rng seeds
    public var seed = ""  // printed, then continued
    public var preseed = ""  // fed in first, not printed
    public var rngSeed: UInt64 = 1
    public var beamWidth: Int?  // beam search instead of sampling (deterministic)
    public var sentences = 5  // word-level Markov models: sentences instead of symbols
    public var tries = 10  // word-level Markov models: attempts at an original sentence

    public init() {}

    public var temperature: Double {
        get { temperatures.first ?? Self.defaultTemperature }
        set { temperatures = [newValue] }
    }

    /// The draw rules at temperature `t`.
    public func rules(temperature t: Double) -> SamplingRules {
        var rules = SamplingRules(temperature: Float(t), topK: topK, topP: Float(topP))
        rules.repetitionPenalty = Float(repetitionPenalty)
        rules.repetitionWindow = repetitionWindow
        return rules
    }

    /// The rng seeds of the `count` samples at each temperature.
    public func rngSeed(ofSample k: Int) -> UInt64 { rngSeed &+ UInt64(k) }

    /// Refuses, naming the value, a setting outside its range.
    public func validate() throws {
        func bad(_ field: String, _ message: String) -> SettingsError { SettingsError(field: field, message: message) }
        guard (1...64).contains(temperatures.count) else { throw bad("temperatures", "give 1 to 64 temperatures") }
        if let t = temperatures.first(where: { !($0 >= 0 && $0 <= 10) }) {
            throw bad("temperatures", "temperature \(t) is not between 0 and 10")
        }
        guard length >= 0 else { throw bad("length", "length \(length) is negative") }
        guard topK >= 0 else { throw bad("top_k", "top-k \(topK) is negative") }
        guard topP > 0 && topP <= 1 else { throw bad("top_p", "top-p \(topP) is not in (0, 1]") }
        guard repetitionPenalty >= 1 && repetitionPenalty <= 10 else {
            throw bad("repetition_penalty", "repetition penalty \(repetitionPenalty) is not between 1 and 10")
        }
        guard (1...10_000).contains(repetitionWindow) else {
            throw bad("repetition_window", "repetition window \(repetitionWindow) is not between 1 and 10000")
        }
        guard stops.count <= Self.maxStops, stops.allSatisfy({ (1...Self.maxStopLength).contains($0.count) }) else {
            throw bad("stop", "give at most \(Self.maxStops) stop strings of 1 to \(Self.maxStopLength) characters")
        }
        guard (1...Self.maxCount).contains(count) else {
            throw bad("count", "count \(count) is not between 1 and \(Self.maxCount)")
        }
        guard sentences >= 0 else { throw bad("sentences", "sentences \(sentences) is negative") }
        guard tries >= 1 else { throw bad("tries", "tries \(tries) is below 1") }
        if let w = beamWidth {
            guard (1...Self.maxBeam).contains(w) else {
                throw bad("beam", "beam width \(w) is not between 1 and \(Self.maxBeam)")
            }
            guard count == 1, temperatures.count == 1, stops.isEmpty else {
                throw bad("beam", "beam search gives one deterministic text: it takes no count, temperatures or stops")
            }
        }
    }
}

extension SamplingSettings: Decodable {
    enum CodingKeys: String, CodingKey {
        case length, temperatures, sentences, stop, count, seed, preseed, tries, beam
        case topK = "top_k", topP = "top_p", rngSeed = "rng_seed"
        case repetitionPenalty = "repetition_penalty", repetitionWindow = "repetition_window"
    }

    /// Every field may be left out; a field of the wrong type is named.
    public init(from decoder: any Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func value<T: Decodable>(_ key: CodingKeys, _ what: String) throws -> T? {
            guard c.contains(key), try !c.decodeNil(forKey: key) else { return nil }
            guard let v = try? c.decode(T.self, forKey: key) else {
                throw SettingsError(field: key.stringValue, message: "field '\(key.stringValue)': expected \(what)")
            }
            return v
        }
        let integer = "an integer", number = "a number"
        length = try value(.length, integer) ?? length
        temperatures = try value(.temperatures, "a list of numbers") ?? temperatures
        topK = try value(.topK, integer) ?? topK
        topP = try value(.topP, number) ?? topP
        repetitionPenalty = try value(.repetitionPenalty, number) ?? repetitionPenalty
        repetitionWindow = try value(.repetitionWindow, integer) ?? repetitionWindow
        stops = try value(.stop, "a list of strings") ?? stops
        count = try value(.count, integer) ?? count
        seed = try value(.seed, "a string") ?? seed
        preseed = try value(.preseed, "a string") ?? preseed
        rngSeed = try value(.rngSeed, "an integer from 0 to \(UInt64.max)") ?? rngSeed
        beamWidth = try value(.beam, integer)
        sentences = try value(.sentences, integer) ?? sentences
        tries = try value(.tries, integer) ?? tries
    }
}
