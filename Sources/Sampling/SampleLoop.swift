// The one sampling loop: pre-seed and seed, then temperature, top-k/p, repetition penalty and
// stops, streamed as it goes, for any generator; several temperatures and counts in order.
import VersoRandom
import VersoText

/// One generated text.
public struct GeneratedSample: Sendable {
    public var temperature: Double
    public var rngSeed: UInt64
    public var text: String  // the seed's known symbols, then the continuation
    public var symbols: [String]  // the same, as symbols (what copy checks read)
    public var generated: Int  // symbols generated after the seed (a stop string's not counted)
    public var stoppedBy: String?  // the stop string that ended it
    public var skippedSeedSymbols: [String]  // pre-seed and seed symbols the vocabulary lacks
    public var logProbability: Double?  // beam search: ln P of the continuation

    public init(
        temperature: Double, rngSeed: UInt64, text: String, symbols: [String], generated: Int, stoppedBy: String?,
        skippedSeedSymbols: [String], logProbability: Double? = nil
    ) {
        self.temperature = temperature
        self.rngSeed = rngSeed
        self.text = text
        self.symbols = symbols
        self.generated = generated
        self.stoppedBy = stoppedBy
        self.skippedSeedSymbols = skippedSeedSymbols
        self.logProbability = logProbability
    }
}

/// What `SampleLoop.run` reports while it works.
public enum SampleEvent: Sendable {
    case begin(index: Int, temperature: Double, rngSeed: UInt64)  // index among all samples
    case text(index: Int, String)
    case end(index: Int, GeneratedSample)
}

public enum SampleLoop {
    /// Every sample `settings` asks for (each temperature, `count` times with consecutive rng
    /// seeds; or the beam), one after another, reported through `report` as they are made.
    public static func run(
        _ generator: some Generator, settings: SamplingSettings, pipeline: CharacterPipeline,
        keepGoing: () -> Bool = { true }, report: (SampleEvent) -> Void = { _ in }
    ) throws -> [GeneratedSample] {
        try settings.validate()
        if let width = settings.beamWidth {
            report(.begin(index: 0, temperature: 0, rngSeed: settings.rngSeed))
            let best = try BeamSearch.search(
                generator, width: width, settings: settings, pipeline: pipeline, keepGoing: keepGoing)
            report(.text(index: 0, best.text))
            report(.end(index: 0, best))
            return [best]
        }
        return try eachSample(settings, report: report) { t, rngSeed, emit in
            try sample(
                generator, settings: settings, temperature: t, rngSeed: rngSeed, pipeline: pipeline,
                keepGoing: keepGoing, emit: emit)
        }
    }

    /// The samples of `settings` in order (each temperature, `count` times with consecutive rng
    /// seeds), each made by `make` from its temperature, rng seed and text sink, and reported.
    public static func eachSample(
        _ settings: SamplingSettings, report: (SampleEvent) -> Void,
        make: (Double, UInt64, (String) -> Void) throws -> GeneratedSample
    ) rethrows -> [GeneratedSample] {
        // `make`'s text sink calls `report`: both only for the length of this call.
        try withoutActuallyEscaping(report) { report in
            var samples: [GeneratedSample] = []
            for t in settings.temperatures {
                for k in 0..<settings.count {
                    let index = samples.count, rngSeed = settings.rngSeed(ofSample: k)
                    report(.begin(index: index, temperature: t, rngSeed: rngSeed))
                    let sample = try make(t, rngSeed) { report(.text(index: index, $0)) }
                    report(.end(index: index, sample))
                    samples.append(sample)
                }
            }
            return samples
        }
    }

    /// One sample at temperature `t` from rng seed `rngSeed`, its text streamed to `emit` (the
    /// seed first); stops early when `keepGoing` (asked before each symbol) says so, or before a
    /// stop string (none of which is emitted).
    public static func sample(
        _ generator: some Generator, settings: SamplingSettings, temperature t: Double, rngSeed: UInt64,
        pipeline: CharacterPipeline, keepGoing: () -> Bool = { true }, emit: (String) -> Void = { _ in }
    ) throws -> GeneratedSample {
        var rng = SplitMix64(seed: rngSeed)
        let context = try Context(generator, settings: settings, pipeline: pipeline, rng: &rng)
        let state = generator.startState()
        for id in context.fed { state.advance(id) }
        let symbols = generator.symbols
        var out: [String] = []
        for id in context.seed {
            emit(symbols[Int(id)])
            out.append(symbols[Int(id)])
        }
        let rules = settings.rules(temperature: t)
        var stops = StopStrings(settings.stops)
        var recent = context.fed
        var scores = [Float](repeating: 0, count: symbols.count), weights = scores
        var generated = 0
        while generated < settings.length, keepGoing(), stops.stopped == nil {
            let next = scores.withUnsafeMutableBufferPointer { z in
                state.scores(into: z)
                return weights.withUnsafeMutableBufferPointer {
                    rules.draw(z, recent: recent[...], weights: $0, rng: &rng)
                }
            }
            generated += 1
            let shown = stops.add(symbols[Int(next)])
            if !shown.isEmpty {
                emit(shown)
                out.append(shown)
            }
            recent.append(next)
            if recent.count > 2 * max(rules.repetitionWindow, 64) { recent.removeFirst(recent.count / 2) }
            state.advance(next)
        }
        let rest = stops.flush()
        if !rest.isEmpty {
            emit(rest)
            out.append(rest)
        }
        let text = out.joined()
        return GeneratedSample(
            temperature: t, rngSeed: rngSeed, text: text, symbols: try pipeline.symbols(of: text),
            generated: generated, stoppedBy: stops.stopped, skippedSeedSymbols: context.unknown)
    }

    /// The ids fed in before sampling (pre-seed, then seed; a newline, or a random symbol, when
    /// both are empty), the seed's ids, and the symbols of either the vocabulary lacks.
    struct Context {
        var fed: [Int32], seed: [Int32], unknown: [String]

        init(
            _ generator: some Generator, settings: SamplingSettings, pipeline: CharacterPipeline,
            rng: inout SplitMix64
        ) throws {
            var unknown: [String] = []
            func encode(_ text: String) throws -> [Int32] {
                try pipeline.symbols(of: text).compactMap { s in
                    guard let id = generator.id(s) else {
                        unknown.append(s)
                        return nil
                    }
                    return id
                }
            }
            let pre = try encode(settings.preseed)
            seed = try encode(settings.seed)
            fed = pre + seed
            if fed.isEmpty {
                // No seed: start after a newline when the vocabulary has one, else from a random symbol.
                fed = [generator.id("\n") ?? Int32(rng.next() % UInt64(max(generator.symbols.count, 1)))]
            }
            self.unknown = unknown
        }
    }
}
