// Fine-tuning across vocabularies: a base model's network widened to the symbols a new text adds.
import VersoNN
import VersoRandom
import VersoText

public enum VocabularyGrowth {
    /// The base vocabulary followed by the symbols of `corpus` it lacks (in `build`'s order), with
    /// the new text's counts.
    public static func grown(_ base: CharVocabulary, by corpus: EncodedSymbols) -> CharVocabulary {
        let text = CharVocabulary.build(corpus)
        let added = text.symbols.filter { base.id($0) == nil }
        let symbols = base.symbols + added
        return CharVocabulary(symbols: symbols, counts: symbols.map { s in text.id(s).map { text.counts[Int($0)] } ?? 0 })
    }

    /// `base` with `vocabulary.count − base V` more symbols: the shared symbols keep their input
    /// rows (layer 0's Wx), decoder columns and output biases; the new ones get the fresh rows and
    /// columns a new network of this shape is initialised with, and the lowest output bias of the
    /// base (a symbol the base never saw starts as its rarest), so fine-tuning does not open on a
    /// loss spike. Every other weight is copied.
    public static func widen(_ base: StackedRNN, to vocabulary: Int, rng: inout SplitMix64) -> StackedRNN {
        var config = base.config
        let V = config.vocabSize
        precondition(vocabulary >= V, "a vocabulary only grows")
        config.vocabSize = vocabulary
        let network = StackedRNN(config)
        network.initialise(rng: &rng)
        let old = Dictionary(uniqueKeysWithValues: base.params.slices.map { ($0.name, $0) })
        for s in network.params.slices {
            guard let o = old[s.name] else { continue }
            let from = base.params.value(o.offset), to = network.params.value(s.offset)
            switch s.name {
            case "layer0.Wx":  // [V, G]: one row per input symbol
                to.update(from: from, count: o.count)
            case "decoder.W":  // [H, V]: one column per output symbol
                let H = s.shape[0]
                for h in 0..<H { (to + h * vocabulary).update(from: from + h * V, count: V) }
            case "decoder.b":
                to.update(from: from, count: V)
                var lowest = from[0]
                for j in 1..<V where from[j] < lowest { lowest = from[j] }
                for j in V..<vocabulary { to[j] = lowest }
            default:
                to.update(from: from, count: o.count)
            }
        }
        return network
    }
}
