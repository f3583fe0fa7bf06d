// Generating text from a trained char-RNN: pre-seed, seed text, then temperature sampling.
import Evaluation
import VersoNN
import VersoRandom
import VersoText

public struct SampleOptions: Sendable {
    public var length = 500
    public var temperature: Float = 0.6
    public var topK = 0  // 0: sample from every symbol
    public var topP: Float = 1  // nucleus share; 1: every symbol
    public var repetitionPenalty: Float = 1  // CTRL's; 1: off
    public var repetitionWindow = 64  // symbols (seed included) the penalty looks back over
    public var stops: [String] = []  // the sample ends before the first of these it produces
    public var seed = ""  // printed, then continued
    public var preseed = ""  // run through the network first, not printed
    public var rngSeed: UInt64 = 1
    public init() {}
}

public struct SampleResult {
    public var text: String
    public var skippedSeedSymbols: [String]  // seed/pre-seed symbols the vocabulary lacks
    public var stoppedBy: String?  // the stop string that ended it, if one did
}

extension SampleOptions {
    public var rules: SamplingRules {
        var rules = SamplingRules(temperature: temperature, topK: topK, topP: topP)
        rules.repetitionPenalty = repetitionPenalty
        rules.repetitionWindow = repetitionWindow
        return rules
    }
}

public enum TextSampler {
    /// Streams sampled symbols to `emit` (the seed first), so long samples print as they go;
    /// stops early when `keepGoing` (asked before each symbol) says so, or before a stop string
    /// (none of which is emitted).
    public static func sample(
        _ model: CharModel, options: SampleOptions, pipeline: CharacterPipeline,
        keepGoing: () -> Bool = { true }, emit: (String) -> Void
    ) throws -> SampleResult {
        let state = StreamState(model.network)
        var rng = SplitMix64(seed: options.rngSeed)
        let (context, seed, unknown) = try encodeContext(model, options: options, pipeline: pipeline, rng: &rng)
        for id in context { state.feed(id) }
        var text = ""
        for id in seed {
            let s = model.vocabulary.symbols[Int(id)]
            emit(s)
            text += s
        }
        let rules = options.rules
        var stops = StopStrings(options.stops)
        var recent = context
        for _ in 0..<options.length {
            guard keepGoing(), stops.stopped == nil else { break }
            let next = state.sample(rules, recent: recent[...], rng: &rng)
            let shown = stops.add(model.vocabulary.symbols[Int(next)])
            if !shown.isEmpty {
                emit(shown)
                text += shown
            }
            recent.append(next)
            if recent.count > 2 * max(rules.repetitionWindow, 64) { recent.removeFirst(recent.count / 2) }
            state.feed(next)
        }
        let rest = stops.flush()
        if !rest.isEmpty {
            emit(rest)
            text += rest
        }
        return SampleResult(text: text, skippedSeedSymbols: unknown, stoppedBy: stops.stopped)
    }

    /// The ids fed in before sampling (pre-seed, then seed; a newline, or a random symbol, when
    /// both are empty), the seed's ids, and the symbols of either the vocabulary lacks.
    static func encodeContext(
        _ model: CharModel, options: SampleOptions, pipeline: CharacterPipeline, rng: inout SplitMix64
    ) throws -> (context: [Int32], seed: [Int32], unknown: [String]) {
        let pre = model.vocabulary.encode(try pipeline.symbols(of: options.preseed))
        let seed = model.vocabulary.encode(try pipeline.symbols(of: options.seed))
        var context = pre.ids + seed.ids
        if context.isEmpty {
            // No seed: start after a newline when the vocabulary has one, else from a random symbol.
            context = [model.vocabulary.id("\n") ?? Int32(rng.next() % UInt64(model.vocabulary.count))]
        }
        return (context, seed.ids, pre.unknown + seed.unknown)
    }
}

extension TextSampler {
    /// An excerpt of the model's training text (as the store keeps it), about `length` symbols of
    /// whole lines ending with a newline, to pre-seed a sample that should start at a line start
    /// (`--seed` alone). Nil when the text is a single line.
    public static func trainingExcerpt(_ text: String, length: Int, rng: inout SplitMix64) -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > 1 else { return nil }
        var end = Int(rng.next() % UInt64(lines.count))
        var excerpt: [Substring] = []
        var size = 0
        while size < length {
            excerpt.insert(lines[end], at: 0)
            size += lines[end].count + 1
            if end == 0 { break }
            end -= 1
        }
        return excerpt.joined(separator: "\n") + "\n"
    }
}
