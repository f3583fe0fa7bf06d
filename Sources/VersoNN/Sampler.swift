// Batch-1 inference for sampling: one stream's state advanced a symbol at a time with sgemv.
import Foundation
import VersoRandom

public final class StreamState {
    let network: StackedRNN
    var h: [FloatBuffer], c: [FloatBuffer]
    let scratchA: FloatBuffer, scratchU: FloatBuffer, hOut: FloatBuffer
    public let logits: FloatBuffer
    let probs: FloatBuffer

    public init(_ network: StackedRNN) {
        self.network = network
        let H = network.config.hidden, G = network.config.cell.gates * H
        h = (0..<network.config.layers).map { _ in FloatBuffer(H) }
        c = (0..<network.config.layers).map { _ in FloatBuffer(H) }
        scratchA = FloatBuffer(G)
        scratchU = FloatBuffer(G + 2 * H)
        hOut = FloatBuffer(H)
        logits = FloatBuffer(network.config.vocabSize)
        probs = FloatBuffer(network.config.vocabSize)
    }

    /// Feeds one symbol; afterwards `logits` scores the next one.
    public func feed(_ token: Int32) {
        for (l, layer) in network.layers.enumerated() {
            layer.step(
                token: l == 0 ? token : nil, x: l == 0 ? nil : UnsafePointer(h[l - 1].p),
                h: h[l].p, c: c[l].p, scratchA: scratchA.p, scratchU: scratchU.p, hOut: hOut.p)
        }
        let V = network.config.vocabSize, H = network.config.hidden
        logits.p.update(from: network.params.value(network.by), count: V)
        BLAS.sgemv(
            trans: true, m: H, n: V, a: network.params.value(network.wy), lda: V,
            x: h[network.layers.count - 1].p, beta: 1, y: logits.p)
    }

    /// Draws the next symbol: p_i ∝ exp(logit_i / T) over the `topK` best symbols (0: all), then
    /// over the nucleus, the fewest most likely of those whose probability reaches `topP` (1: all);
    /// T ≤ 0 means argmax.
    public func sample(temperature: Float, topK: Int = 0, topP: Float = 1, rng: inout SplitMix64) -> Int32 {
        let V = network.config.vocabSize, z = logits.p
        var best = 0
        for j in 1..<V where z[j] > z[best] { best = j }
        if temperature <= 0 { return Int32(best) }
        var cutoff = -Float.infinity
        if topK > 0 && topK < V {
            var sorted = Array(UnsafeBufferPointer(start: z, count: V))
            sorted.sort(by: >)
            cutoff = sorted[topK - 1]
        }
        let p = probs.p
        var sum: Float = 0
        for j in 0..<V {
            let e = z[j] >= cutoff ? expf((z[j] - z[best]) / temperature) : 0
            p[j] = e
            sum += e
        }
        if topP < 1 { sum = Self.keepNucleus(p, count: V, sum: sum, topP: topP) }
        var u = rng.nextFloat() * sum
        for j in 0..<V where p[j] > 0 {
            u -= p[j]
            if u < 0 { return Int32(j) }
        }
        return Int32(best)
    }

    /// Zeroes the weights outside the nucleus (the most likely symbols, in order, until their
    /// share reaches `topP`; ties at the edge broken by the lower id) and returns the kept sum.
    static func keepNucleus(_ p: UnsafeMutablePointer<Float>, count: Int, sum: Float, topP: Float) -> Float {
        let order = (0..<count).sorted { p[$0] > p[$1] || (p[$0] == p[$1] && $0 < $1) }
        var kept: Float = 0
        var end = 0
        while end < count && p[order[end]] > 0 {
            kept += p[order[end]]
            end += 1
            if kept >= topP * sum { break }
        }
        for j in order[end...] { p[j] = 0 }
        return kept
    }
}
