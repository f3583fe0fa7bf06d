// Every text generator as the sampling loop sees it: the next symbol's scores in a state, and the
// state advanced by a symbol. The char-RNN, the Markov chain and their mixture implement it.

/// Where a generator stands in a text: what it expects next, and how that changes with a symbol.
public protocol GeneratorState: AnyObject {
    /// Writes scores whose softmax is the next symbol's distribution (a network's logits, or
    /// ln p), one per symbol of the generator's vocabulary.
    func scores(into scores: UnsafeMutableBufferPointer<Float>)
    /// Moves the state past `symbol`.
    func advance(_ symbol: Int32)
    /// An independent copy, which beam search extends on its own.
    func fork() -> any GeneratorState
}

/// A model that generates text one symbol (grapheme cluster) at a time.
public protocol Generator {
    /// The vocabulary: symbol ids index it.
    var symbols: [String] { get }
    func id(_ symbol: String) -> Int32?
    /// The state before any symbol.
    func startState() -> any GeneratorState
    /// The scores (as `GeneratorState.scores` writes them) after each of `ids` in turn from the
    /// start state, `ids.count` rows of `symbols.count`: row t scores the symbol after ids[t]. The
    /// default steps a state; a network computes them all at once.
    func scoresAfterEach(_ ids: [Int32]) -> [Float]
}

extension Generator {
    public func scoresAfterEach(_ ids: [Int32]) -> [Float] {
        let v = symbols.count
        var rows = [Float](repeating: 0, count: ids.count * v)
        let state = startState()
        rows.withUnsafeMutableBufferPointer { all in
            for (t, id) in ids.enumerated() {
                state.advance(id)
                state.scores(into: UnsafeMutableBufferPointer(rebasing: all[(t * v)..<((t + 1) * v)]))
            }
        }
        return rows
    }
}

extension GeneratorState {
    /// ln p of every next symbol (log-softmax of the scores), in Double.
    public func logProbabilities(count: Int) -> [Double] {
        var z = [Float](repeating: 0, count: count)
        z.withUnsafeMutableBufferPointer { scores(into: $0) }
        var top = z[0]
        for j in 1..<count where z[j] > top { top = z[j] }
        var sum = 0.0
        for j in 0..<count where z[j] > -Float.infinity { sum += _exp(Double(z[j] - top)) }
        let logSum = Double(top) + _log(sum)
        return z.map { Double($0) - logSum }
    }
}

#if canImport(Glibc)
    import Glibc
    @inline(__always) func _exp(_ x: Double) -> Double { Glibc.exp(x) }
    @inline(__always) func _log(_ x: Double) -> Double { Glibc.log(x) }
#else
    import Darwin
    @inline(__always) func _exp(_ x: Double) -> Double { Darwin.exp(x) }
    @inline(__always) func _log(_ x: Double) -> Double { Darwin.log(x) }
#endif
