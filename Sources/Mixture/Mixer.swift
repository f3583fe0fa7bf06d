// Mixing two next-symbol distributions: linear interpolation, or PAQ's logistic mixing of binary
// decisions in the stretch domain, with weights chosen by the Markov context and learned online.
#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// How the parts are combined, and how fast the weights follow the text.
public struct MixerConfig: Codable, Sendable, Equatable {
    public enum Method: String, Codable, Sendable, CaseIterable {
        case linear  // p = λ·p_lstm + (1 − λ)·p_markov, one λ per context class
        case logistic  // PAQ: each binary decision of the symbol's code mixed as σ(Σ wᵢ·stretch(pᵢ))
    }
    public var method: Method = .logistic
    /// Online gradient step on −ln p (0 keeps the weights as they are).
    public var learningRate = 0.02
    public init(method: Method = .logistic, learningRate: Double = 0.02) {
        self.method = method
        self.learningRate = learningRate
    }
}

/// The two parts' distributions at one position, over the mixture's vocabulary, and what the
/// Markov chain knows of its context.
struct PartDistributions {
    var lstm: [Double], markov: [Double]
    var context = 0  // the context class (`Mixer.contextClass`)
    /// Which position of a text these are (−1: none), so the subtree sums are made once for it.
    var position = -1
}

/// The mixing weights and the arithmetic on them. Symbols are coded as the leaves of a complete
/// binary tree over the vocabulary padded to a power of two (node 1 the root, node n's children
/// 2n and 2n + 1, symbol i the leaf `leaves + i`): the logistic mixer predicts each branch.
public struct Mixer: Sendable, Equatable {
    public let config: MixerConfig
    public let contexts: Int  // context classes
    public let leaves: Int  // the vocabulary padded to a power of two
    let vocabulary: Int
    let levels: Int  // tree depth: one weight set per (context class, level)
    public var weights: [Double]
    static let inputs = 3  // stretch(p_lstm), stretch(p_markov), a bias of 1
    static let stretchLimit = 12.0  // |stretch| at most this: p within about 6·10⁻⁶ of 0 or 1

    /// Context classes: the deepest context the chain saw (0…order), times 3 bands of how often
    /// it saw it, times 4 bands of the char-RNN's confidence (its most likely symbol's probability).
    public static func contextClass(depth: Int, count: Int, order: Int, lstmTop: Double) -> Int {
        let known = min(depth, order) * 3 + (count < 4 ? 0 : count < 32 ? 1 : 2)
        return known * 4 + (lstmTop < 0.3 ? 0 : lstmTop < 0.6 ? 1 : lstmTop < 0.9 ? 2 : 3)
    }

    public init(config: MixerConfig, vocabulary: Int, order: Int) {
        self.config = config
        self.vocabulary = vocabulary
        contexts = 12 * (order + 1)
        var leaves = 1, levels = 0
        while leaves < max(vocabulary, 2) {
            leaves *= 2
            levels += 1
        }
        self.leaves = leaves
        self.levels = levels
        switch config.method {
        case .linear: weights = [Double](repeating: 0, count: contexts)  // λ = 0.5 at first
        case .logistic:
            weights = (0..<(contexts * levels)).flatMap { _ in [0.5, 0.5, 0] }  // the geometric mean at first
        }
    }

    /// The same mixer with `weights` (as stored), or nil when their count does not fit.
    public func with(weights: [Double]) -> Mixer? {
        guard weights.count == self.weights.count, weights.allSatisfy(\.isFinite) else { return nil }
        var m = self
        m.weights = weights
        return m
    }

    static func squash(_ z: Double) -> Double { 1 / (1 + exp(-z)) }

    static func stretch(right: Double, left: Double) -> Double {
        guard right > 0 else { return -stretchLimit }
        guard left > 0 else { return stretchLimit }
        return min(max(log(right) - log(left), -stretchLimit), stretchLimit)
    }

    // MARK: The mixed distribution

    /// The mixture's distribution over the vocabulary into `p` (sums to 1). `work` is scratch.
    func distribution(_ parts: PartDistributions, into p: inout [Double], work: inout Workspace) {
        switch config.method {
        case .linear:
            let lambda = Mixer.squash(weights[parts.context])
            for i in 0..<vocabulary { p[i] = lambda * parts.lstm[i] + (1 - lambda) * parts.markov[i] }
        case .logistic:
            work.sum(parts)
            work.mass[1] = 1
            for n in 1..<leaves {
                let right = branch(n, parts.context, work).probability
                work.mass[2 * n + 1] = work.mass[n] * right
                work.mass[2 * n] = work.mass[n] * (1 - right)
            }
            for i in 0..<vocabulary { p[i] = work.mass[leaves + i] }
        }
    }

    /// ln p(symbol) under the mixture, then the weights moved one gradient step on −ln p(symbol):
    /// the symbol is predicted before any weight sees it.
    mutating func observe(_ symbol: Int32, _ parts: PartDistributions, work: inout Workspace) -> Double {
        let s = Int(symbol), eta = config.learningRate
        switch config.method {
        case .linear:
            let a = weights[parts.context], lambda = Mixer.squash(a)
            let p = lambda * parts.lstm[s] + (1 - lambda) * parts.markov[s]
            // ∂(−ln p)/∂a = −(p_lstm − p_markov)·λ(1 − λ) / p
            weights[parts.context] = a + eta * (parts.lstm[s] - parts.markov[s]) * lambda * (1 - lambda) / p
            return log(p)
        case .logistic:
            work.sum(parts)
            var logP = 0.0
            var child = leaves + s
            while child > 1 {
                let n = child / 2, bit = Double(child & 1)
                let b = branch(n, parts.context, work)
                logP += log(bit == 1 ? b.probability : 1 - b.probability)
                // ∂(−ln p)/∂wᵢ = −(bit − p)·xᵢ
                let err = eta * (bit - b.probability)
                for k in 0..<Mixer.inputs { weights[b.offset + k] += err * b.inputs[k] }
                child = n
            }
            return logP
        }
    }

    /// Branch n's probability of going right, its inputs and its weight set's offset.
    func branch(
        _ n: Int, _ context: Int, _ work: Workspace
    ) -> (probability: Double, inputs: SIMD3<Double>, offset: Int) {
        let level = Int.bitWidth - 1 - n.leadingZeroBitCount
        let offset = (context * levels + level) * Mixer.inputs
        // A subtree holding only padding is never entered.
        let firstLeafRight = (2 * n + 1) << (levels - level - 1)
        guard firstLeafRight - leaves < vocabulary else { return (0, .zero, offset) }
        let x = SIMD3(work.stretchLSTM[n], work.stretchMarkov[n], 1)
        let w = SIMD3(weights[offset], weights[offset + 1], weights[offset + 2])
        let p = min(max(Mixer.squash((w * x).sum()), 1e-6), 1 - 1e-6)
        return (p, x, offset)
    }

    /// Subtree sums of both parts (node n at index n, leaves from `leaves`) and the mixed mass.
    struct Workspace {
        var lstm: [Double], markov: [Double], mass: [Double]
        var stretchLSTM: [Double], stretchMarkov: [Double]  // per branch n: ln(right mass / left mass)
        let leaves: Int
        var summed = -1  // the position the sums are of

        init(_ mixer: Mixer) {
            leaves = mixer.leaves
            lstm = [Double](repeating: 0, count: 2 * leaves)
            markov = lstm
            mass = lstm
            stretchLSTM = [Double](repeating: 0, count: leaves)
            stretchMarkov = stretchLSTM
        }

        /// Sums bottom-up, so no branch probability suffers cancellation, and each branch's stretch
        /// (once per position: sampling asks for the distribution, then observes the symbol).
        mutating func sum(_ parts: PartDistributions) {
            if parts.position >= 0 && parts.position == summed { return }
            summed = parts.position
            let V = parts.lstm.count
            for i in 0..<leaves {
                lstm[leaves + i] = i < V ? parts.lstm[i] : 0
                markov[leaves + i] = i < V ? parts.markov[i] : 0
            }
            for n in stride(from: leaves - 1, through: 1, by: -1) {
                lstm[n] = lstm[2 * n] + lstm[2 * n + 1]
                markov[n] = markov[2 * n] + markov[2 * n + 1]
                stretchLSTM[n] = Mixer.stretch(right: lstm[2 * n + 1], left: lstm[2 * n])
                stretchMarkov[n] = Mixer.stretch(right: markov[2 * n + 1], left: markov[2 * n])
            }
        }
    }
}
