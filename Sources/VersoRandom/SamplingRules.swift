// Drawing the next symbol from a model's scores: temperature, top-k, nucleus and repetition penalty.
#if canImport(Glibc)
    import Glibc
#endif

/// How a sampler turns scores (logits, or log-probabilities) into the next symbol; the same rules
/// for char-RNN and Markov models.
public struct SamplingRules: Sendable, Equatable {
    /// p ∝ exp(score / T); T ≤ 0 picks the best score.
    public var temperature: Float = 1
    /// Only the K best scores (0: all).
    public var topK = 0
    /// Only the nucleus: the fewest most likely symbols whose probability reaches P (1: all).
    public var topP: Float = 1
    /// CTRL's penalty (Keskar et al. 2019): the score of a symbol seen in the last
    /// `repetitionWindow` symbols is divided by R when positive and multiplied by R when not, so
    /// it always becomes less likely (1: off).
    public var repetitionPenalty: Float = 1
    public var repetitionWindow = 64

    public init(temperature: Float = 1, topK: Int = 0, topP: Float = 1) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
    }

    /// Applies the repetition penalty to `scores` once for each distinct symbol among the last
    /// `repetitionWindow` of `recent`.
    public func penalize(_ scores: UnsafeMutableBufferPointer<Float>, recent: ArraySlice<Int32>) {
        guard repetitionPenalty != 1, repetitionWindow > 0 else { return }
        var seen = Set<Int32>()
        for id in recent.suffix(repetitionWindow) where seen.insert(id).inserted && Int(id) < scores.count {
            let s = scores[Int(id)]
            scores[Int(id)] = s > 0 ? s / repetitionPenalty : s * repetitionPenalty
        }
    }

    /// The next symbol for `scores` (modified: penalized), after the symbols `recent`. `weights`
    /// is scratch space of the same size.
    public func draw(
        _ scores: UnsafeMutableBufferPointer<Float>, recent: ArraySlice<Int32> = [],
        weights: UnsafeMutableBufferPointer<Float>, rng: inout SplitMix64
    ) -> Int32 {
        penalize(scores, recent: recent)
        let V = scores.count
        var best = 0
        for j in 1..<V where scores[j] > scores[best] { best = j }
        if temperature <= 0 { return Int32(best) }
        var cutoff = -Float.infinity
        if topK > 0 && topK < V {
            var sorted = Array(scores)
            sorted.sort(by: >)
            cutoff = sorted[topK - 1]
        }
        var sum: Float = 0
        for j in 0..<V {
            let e =
                scores[j] >= cutoff && scores[j] > -Float.infinity ? expf((scores[j] - scores[best]) / temperature) : 0
            weights[j] = e
            sum += e
        }
        if topP < 1 { sum = Self.keepNucleus(weights, sum: sum, topP: topP) }
        var u = rng.nextFloat() * sum
        for j in 0..<V where weights[j] > 0 {
            u -= weights[j]
            if u < 0 { return Int32(j) }
        }
        return Int32(best)
    }

    /// Zeroes the weights outside the nucleus (the most likely symbols, in order, until their
    /// share reaches `topP`; ties at the edge broken by the lower id) and returns the kept sum.
    public static func keepNucleus(_ p: UnsafeMutableBufferPointer<Float>, sum: Float, topP: Float) -> Float {
        let order = p.indices.sorted { p[$0] > p[$1] || (p[$0] == p[$1] && $0 < $1) }
        var kept: Float = 0
        var end = 0
        while end < p.count && p[order[end]] > 0 {
            kept += p[order[end]]
            end += 1
            if kept >= topP * sum { break }
        }
        for j in order[end...] { p[j] = 0 }
        return kept
    }
}
