// Cross-entropy of a char-RNN on a symbol sequence: nats/char and bits/char over every prediction.
import VersoNN

public struct CrossEntropy: Codable, Sendable, Equatable {
    public var natsPerChar: Double
    public var chars: Int
    public var bitsPerChar: Double { natsPerChar / 0.6931471805599453 }
}

public enum Evaluator {
    /// Mean −ln p(next symbol) over all `ids.count − 1` predictions, in padded streams of `batch`
    /// with the state carried, starting from a zero state. Dropout is off.
    public static func crossEntropy(network: StackedRNN, ids: [Int32], steps: Int, batch: Int) -> CrossEntropy {
        guard ids.count > 1 else { return CrossEntropy(natsPerChar: .nan, chars: 0) }
        let streams = min(batch, ids.count - 1)
        let batches = StreamBatches(ids: ids, steps: steps, batch: streams, pad: true)
        network.prepare(steps: steps, batch: streams)
        network.resetState()
        var inputs = [Int32](repeating: 0, count: steps * streams), targets = inputs
        var total = 0.0, count = 0
        for k in 0..<batches.count {
            batches.fill(k, inputs: &inputs, targets: &targets)
            let (loss, n) = network.forward(inputs: inputs, targets: targets, dropoutRNG: nil)
            network.carryState()
            total += loss; count += n
        }
        return CrossEntropy(natsPerChar: total / Double(max(count, 1)), chars: count)
    }
}
