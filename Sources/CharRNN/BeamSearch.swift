// Beam search: the most likely continuation of a given length under a char-RNN, deterministic.
import VersoNN
import VersoRandom
import VersoText

public struct BeamResult: Sendable {
    public var text: String  // the seed, then the continuation
    public var continuation: [Int32]
    /// ln P(continuation | pre-seed and seed), summed over its symbols.
    public var logProbability: Double
    public var skippedSeedSymbols: [String]
}

public enum BeamSearch {
    /// Keeps the `width` most likely continuations at every step and returns the most likely
    /// one of `length` symbols. Width 1 is greedy decoding; a width of V^(length−1) or more keeps
    /// every prefix, so it is exhaustive search. Ties go to the earlier beam, then the lower id,
    /// so the result never varies.
    public static func search(
        _ model: CharModel, width: Int, options: SampleOptions, pipeline: CharacterPipeline
    ) throws -> BeamResult {
        var rng = SplitMix64(seed: options.rngSeed)
        let (context, seed, unknown) = try TextSampler.encodeContext(
            model, options: options, pipeline: pipeline, rng: &rng)
        let root = StreamState(model.network)
        for id in context { root.feed(id) }
        let best = continuation(from: root, network: model.network, width: width, length: options.length)
        let symbols = model.vocabulary.symbols
        return BeamResult(
            text: (seed + best.ids).map { symbols[Int($0)] }.joined(), continuation: best.ids,
            logProbability: best.logProbability, skippedSeedSymbols: unknown)
    }

    /// The search itself, from a state whose logits score the first symbol to choose.
    static func continuation(
        from root: StreamState, network: StackedRNN, width: Int, length: Int
    ) -> (ids: [Int32], logProbability: Double) {
        struct Beam {
            let state: StreamState
            var ids: [Int32]
            var logProbability: Double
        }
        var beams = [Beam(state: root, ids: [], logProbability: 0)]
        for _ in 0..<length {
            // Every (beam, symbol) extension, scored; the `width` best survive.
            var candidates: [(beam: Int, symbol: Int32, score: Double)] = []
            for (b, beam) in beams.enumerated() {
                for (j, lp) in beam.state.logProbabilities().enumerated() {
                    candidates.append((b, Int32(j), beam.logProbability + lp))
                }
            }
            candidates.sort {
                $0.score != $1.score ? $0.score > $1.score : ($0.beam, $0.symbol) < ($1.beam, $1.symbol)
            }
            var next: [Beam] = []
            for candidate in candidates.prefix(max(width, 1)) {
                let parent = beams[candidate.beam]
                let state = StreamState(network)
                state.copy(from: parent.state)
                state.feed(candidate.symbol)
                next.append(Beam(state: state, ids: parent.ids + [candidate.symbol], logProbability: candidate.score))
            }
            beams = next
        }
        return (beams[0].ids, beams[0].logProbability)
    }
}
