// A trained char-RNN as a generator for the one sampling loop, and pre-seed excerpts of its text.
import Foundation
import Sampling
import VersoNN
import VersoRandom

/// The network's carried state in a text (batch 1, advanced a symbol at a time).
final class CharRNNState: GeneratorState {
    let stream: StreamState

    init(_ stream: StreamState) { self.stream = stream }

    func scores(into scores: UnsafeMutableBufferPointer<Float>) {
        scores.baseAddress!.update(from: stream.logits.p, count: scores.count)
    }

    func advance(_ symbol: Int32) { stream.feed(symbol) }

    func fork() -> any GeneratorState {
        let copy = StreamState(stream.network)
        copy.copy(from: stream)
        return CharRNNState(copy)
    }
}

extension CharModel: Generator {
    public var symbols: [String] { vocabulary.symbols }
    public func id(_ symbol: String) -> Int32? { vocabulary.id(symbol) }
    public func startState() -> any GeneratorState { CharRNNState(StreamState(network)) }

    /// All rows at once, ln p (whose softmax is p): the text as one stream through a replica of
    /// the network (its own workspace, so concurrent callers are safe), in chunks whose input
    /// products are batched, the layers pipelined over two threads.
    public func scoresAfterEach(_ ids: [Int32]) -> [Float] {
        StackedRNN(network.config, sharingWeightsWith: network).logProbabilitiesAfterEach(ids)
    }
}

public enum TextSampler {
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
