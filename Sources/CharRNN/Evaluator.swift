// Cross-entropy of a char-RNN on a symbol sequence: nats/char and bits/char over every prediction.
import Dispatch
import Evaluation
import VersoNN

public enum Evaluator {
    /// Mean −ln p(next symbol) over all `ids.count − 1` predictions, in padded streams of `batch`
    /// with the state carried, starting from a zero state. Dropout is off.
    public static func crossEntropy(network: StackedRNN, ids: [Int32], steps: Int, batch: Int) -> CrossEntropy {
        crossEntropy(networks: [network], ids: ids, steps: steps, batch: batch)
    }

    /// The same, with the streams shared out among `networks` (replicas sharing one set of
    /// weights), each on its own thread. Each replica sums its own share and the shares are added
    /// in replica order, so the result depends on the number of replicas only, never on timing.
    public static func crossEntropy(networks: [StackedRNN], ids: [Int32], steps: Int, batch: Int) -> CrossEntropy {
        guard ids.count > 1 else { return CrossEntropy(natsPerChar: .nan, chars: 0) }
        let streams = min(batch, ids.count - 1)
        let batches = StreamBatches(ids: ids, steps: steps, batch: streams, pad: true)
        let replicas = min(networks.count, streams)
        let shares = (0..<replicas).map { r in (r * streams / replicas)..<((r + 1) * streams / replicas) }
        let totals = ResultSlots<(loss: Double, count: Int)>(repeating: (0, 0), count: replicas)
        let shared = Unchecked(value: networks)
        DispatchQueue.concurrentPerform(iterations: replicas) { r in
            let network = shared.value[r]
            let share = shares[r]
            network.prepare(steps: steps, batch: share.count)
            network.resetState()
            var inputs = [Int32](repeating: 0, count: steps * share.count)
            var targets = inputs
            var total = 0.0, count = 0
            for k in 0..<batches.count {
                batches.fill(k, inputs: &inputs, targets: &targets, streams: share)
                let (loss, n) = network.forward(inputs: inputs, targets: targets, dropoutRNG: nil)
                network.carryState()
                total += loss
                count += n
            }
            totals[r] = (total, count)
        }
        let loss = totals.values.reduce(0) { $0 + $1.loss }
        let count = totals.values.reduce(0) { $0 + $1.count }
        return CrossEntropy(natsPerChar: loss / Double(max(count, 1)), chars: count)
    }
}

/// Per-thread result slots written by `concurrentPerform` (each index by one thread only).
final class ResultSlots<T>: @unchecked Sendable {
    private(set) var values: [T]
    init(repeating value: T, count: Int) { values = Array(repeating: value, count: count) }
    subscript(i: Int) -> T {
        get { values[i] }
        set { values.withUnsafeMutableBufferPointer { $0[i] = newValue } }
    }
}
