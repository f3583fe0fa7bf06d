// char-rnn batching: the text as B contiguous streams, read T symbols at a time, state carried across.
public struct StreamBatches: Sendable {
    public let steps: Int, batch: Int
    public let streamLength: Int  // symbols per stream
    public let count: Int  // chunks per pass over the text
    private let ids: [Int32]

    /// Splits `ids` into `batch` streams; every symbol but the last is an input whose target is the
    /// next. With `pad`, the final partial chunk is padded (targets −1) so every prediction counts
    /// (evaluation); without it, the remainder is dropped (training, as char-rnn does).
    public init(ids: [Int32], steps: Int, batch: Int, pad: Bool) {
        self.ids = ids
        self.steps = steps
        self.batch = batch
        let predictions = max(ids.count - 1, 0)
        if pad {
            streamLength = (predictions + batch - 1) / batch
            count = (streamLength + steps - 1) / steps
        } else {
            streamLength = predictions / batch
            count = streamLength / steps
        }
    }

    /// Training chunks per pass over a text of `symbols` symbols (the `pad: false` count).
    public static func trainingCount(symbols: Int, steps: Int, batch: Int) -> Int {
        max(symbols - 1, 0) / batch / steps
    }

    /// Fills `inputs` and `targets` (T·S each, row t·S + s) with chunk `k` of the streams
    /// `streams` (default: all B), so data-parallel replicas each take a contiguous share.
    public func fill(_ k: Int, inputs: inout [Int32], targets: inout [Int32], streams: Range<Int>? = nil) {
        let predictions = ids.count - 1
        let range = streams ?? 0..<batch
        for t in 0..<steps {
            for b in range {
                let pos = b * streamLength + k * steps + t
                let inStream = k * steps + t < streamLength
                let row = t * range.count + (b - range.lowerBound)
                if inStream && pos < predictions {
                    inputs[row] = ids[pos]
                    targets[row] = ids[pos + 1]
                } else {
                    inputs[row] = 0
                    targets[row] = -1
                }
            }
        }
    }
}
