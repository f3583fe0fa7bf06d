// Beam search: the most likely continuation of a given length under any generator, deterministic.
import VersoRandom
import VersoText

public enum BeamSearch {
    /// Keeps the `width` most likely continuations at every step and returns the most likely one
    /// of `settings.length` symbols after the pre-seed and seed; a shorter one when `keepGoing`
    /// (asked before each step) says to stop: a server's time budget, a client gone.
    public static func search(
        _ generator: some Generator, width: Int, settings: SamplingSettings, pipeline: CharacterPipeline,
        keepGoing: () -> Bool = { true }
    ) throws -> GeneratedSample {
        var rng = SplitMix64(seed: settings.rngSeed)
        let context = try SampleLoop.Context(generator, settings: settings, pipeline: pipeline, rng: &rng)
        let root = generator.startState()
        for id in context.fed { root.advance(id) }
        let best = continuation(
            from: root, vocabulary: generator.symbols.count, width: width, length: settings.length,
            keepGoing: keepGoing)
        let text = (context.seed + best.ids).map { generator.symbols[Int($0)] }.joined()
        return GeneratedSample(
            temperature: 0, rngSeed: settings.rngSeed, text: text, symbols: try pipeline.symbols(of: text),
            generated: best.ids.count, stoppedBy: nil, skippedSeedSymbols: context.unknown,
            logProbability: best.logProbability)
    }

    /// The search itself, from a state whose scores rate the first symbol to choose. Width 1 is
    /// greedy decoding; a width of V^(length−1) or more keeps every prefix (exhaustive search).
    /// Ties go to the earlier beam, then the lower id, so the result never varies. Stopped by
    /// `keepGoing`, it returns the most likely prefix it has.
    public static func continuation(
        from root: any GeneratorState, vocabulary V: Int, width: Int, length: Int, keepGoing: () -> Bool = { true }
    ) -> (ids: [Int32], logProbability: Double) {
        struct Beam {
            let state: any GeneratorState
            var ids: [Int32]
            var logProbability: Double
        }
        var beams = [Beam(state: root, ids: [], logProbability: 0)]
        for _ in 0..<length {
            if !keepGoing() { break }
            // Every (beam, symbol) extension, scored; the `width` best survive.
            var candidates: [(beam: Int, symbol: Int32, score: Double)] = []
            candidates.reserveCapacity(beams.count * V)
            for (b, beam) in beams.enumerated() {
                for (j, lp) in beam.state.logProbabilities(count: V).enumerated() where lp > -Double.infinity {
                    candidates.append((b, Int32(j), beam.logProbability + lp))
                }
            }
            candidates.sort {
                $0.score != $1.score ? $0.score > $1.score : ($0.beam, $0.symbol) < ($1.beam, $1.symbol)
            }
            var next: [Beam] = []
            for candidate in candidates.prefix(max(width, 1)) {
                let parent = beams[candidate.beam]
                let state = parent.state.fork()
                state.advance(candidate.symbol)
                next.append(Beam(state: state, ids: parent.ids + [candidate.symbol], logProbability: candidate.score))
            }
            beams = next
        }
        return (beams[0].ids, beams[0].logProbability)
    }
}
