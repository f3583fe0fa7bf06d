// Generating text from a trained char-RNN: pre-seed, seed text, then temperature sampling.
import VersoNN

public struct SampleOptions: Sendable {
    public var length = 2000
    public var temperature: Float = 1
    public var seed = ""          // printed, then continued
    public var preseed = ""       // run through the network first, not printed
    public var rngSeed: UInt64 = 1
    public init() {}
}

public struct SampleResult {
    public var text: String
    public var skippedSeedSymbols: [String]   // seed/pre-seed symbols the vocabulary lacks
}

public enum TextSampler {
    /// Streams sampled symbols to `emit` (the seed first), so long samples print as they go.
    public static func sample(_ model: CharModel, options: SampleOptions, pipeline: CharTextPipeline,
                              emit: (String) -> Void) throws -> SampleResult {
        let state = StreamState(model.network)
        var rng = SplitMix64(seed: options.rngSeed)
        let pre = model.vocabulary.encode(try pipeline.symbols(of: options.preseed))
        let seed = model.vocabulary.encode(try pipeline.symbols(of: options.seed))
        var context = pre.ids + seed.ids
        if context.isEmpty {
            // No seed: start after a newline when the vocabulary has one, else from a random symbol.
            context = [model.vocabulary.id("\n") ?? Int32(rng.next() % UInt64(model.vocabulary.count))]
        }
        for id in context { state.feed(id) }
        var text = ""
        for id in seed.ids { let s = model.vocabulary.symbols[Int(id)]; emit(s); text += s }
        for _ in 0..<options.length {
            let next = state.sample(temperature: options.temperature, rng: &rng)
            let s = model.vocabulary.symbols[Int(next)]
            emit(s); text += s
            state.feed(next)
        }
        return SampleResult(text: text, skippedSeedSymbols: pre.unknown + seed.unknown)
    }
}
