// ln p of every next symbol along one stream of text, the layers pipelined over two threads.
import Foundation

extension StackedRNN {
    /// ln p(next symbol | the text so far) after each symbol of `ids`, read as one stream from a
    /// zero state: `ids.count` rows of `vocabSize`. Uses this network's workspace, so call it on a
    /// replica of its own (`StackedRNN(config, sharingWeightsWith:)`).
    ///
    /// The text goes through in chunks of `chunk` steps. With two layers or more, the lower half
    /// of the layers runs chunk k + 1 on a second thread while the upper half and the decoder run
    /// chunk k. The lower half also makes the first upper layer's input projections (the larger
    /// product of that layer) and hands them over through two alternating buffers. Every layer does
    /// the same arithmetic in the same order as on one thread, so the rows are the same bits.
    public func logProbabilitiesAfterEach(_ ids: [Int32], chunk: Int = 256) -> [Float] {
        guard !ids.isEmpty else { return [] }
        let T = min(chunk, ids.count), V = config.vocabSize
        prepare(steps: T, batch: 1)
        resetState()
        layers[0].tokenScale = nil
        for layer in layers { layer.dropConnect(p: 0, rng: nil) }
        let chunks = (ids.count + T - 1) / T
        let rows = FloatBuffer(ids.count * V)
        let pipeline = StreamPipeline(
            network: self, ids: ids, steps: T, rows: rows,
            lower: layers.count >= 2 ? (layers.count + 1) / 2 : layers.count)
        if pipeline.lower == layers.count {
            for k in 0..<chunks {
                pipeline.runLower(chunk: k)
                pipeline.decode(chunk: k, top: layers[layers.count - 1].out.p)
            }
        } else {
            let G = layers[pipeline.lower].gh
            let handoff = [FloatBuffer(T * G), FloatBuffer(T * G)]
            let filled = [DispatchSemaphore(value: 0), DispatchSemaphore(value: 0)]
            let emptied = [DispatchSemaphore(value: 1), DispatchSemaphore(value: 1)]
            let finished = DispatchSemaphore(value: 0)
            // A thread of its own, not a dispatch queue's: the two stages wait on each other, so
            // both must run at once whatever else the process is doing.
            let lowerThread = Thread {
                for k in 0..<chunks {
                    emptied[k % 2].wait()
                    pipeline.runLower(chunk: k)
                    pipeline.projectUpper(into: handoff[k % 2].p)
                    filled[k % 2].signal()
                }
                finished.signal()
            }
            lowerThread.start()
            for k in 0..<chunks {
                filled[k % 2].wait()
                let top = pipeline.runUpper(chunk: k, projected: handoff[k % 2].p) {
                    emptied[k % 2].signal()  // the first upper layer has copied its projections
                }
                pipeline.decode(chunk: k, top: top)
            }
            finished.wait()
        }
        return rows.array
    }
}

/// The two stages of `logProbabilitiesAfterEach`: layers `0..<lower` over a chunk of ids, and the
/// rest of the layers plus the decoder. Each stage touches only its own layers' buffers.
private final class StreamPipeline: @unchecked Sendable {
    let network: StackedRNN
    let ids: [Int32]
    let steps: Int, lower: Int
    let rows: FloatBuffer
    private var inputs: [Int32]
    private let logits: FloatBuffer

    init(network: StackedRNN, ids: [Int32], steps: Int, rows: FloatBuffer, lower: Int) {
        self.network = network
        self.ids = ids
        self.steps = steps
        self.rows = rows
        self.lower = lower
        inputs = [Int32](repeating: 0, count: steps)
        logits = FloatBuffer(steps * network.config.vocabSize)
    }

    /// Symbols of chunk `k` that are text (the last chunk is padded with symbol 0).
    func length(of k: Int) -> Int { min(steps, ids.count - k * steps) }

    /// Layers 0..<lower over chunk `k`, each carrying its state on.
    func runLower(chunk k: Int) {
        let n = length(of: k)
        for t in 0..<steps { inputs[t] = t < n ? ids[k * steps + t] : 0 }
        inputs.withUnsafeBufferPointer { tokens in
            for l in 0..<lower {
                let layer = network.layers[l]
                layer.forward(l == 0 ? .tokens(tokens.baseAddress!) : .dense(network.layers[l - 1].out.p))
                layer.carryState()
            }
        }
    }

    /// The first upper layer's input projections from the lower half's output of the same chunk.
    func projectUpper(into z: UnsafeMutablePointer<Float>) {
        network.layers[lower].project(.dense(network.layers[lower - 1].out.p), into: z)
    }

    /// Layers lower..<L over chunk `k`, the first from its input projections `projected`;
    /// `consumed` runs once it has copied them. Returns the top layer's output.
    func runUpper(chunk k: Int, projected: UnsafePointer<Float>, consumed: () -> Void) -> UnsafePointer<Float> {
        let first = network.layers[lower]
        first.recur(projected: projected)
        consumed()
        first.carryState()
        var x = UnsafePointer(first.out.p)
        for l in (lower + 1)..<network.layers.count {
            let layer = network.layers[l]
            layer.forward(.dense(x))
            layer.carryState()
            x = UnsafePointer(layer.out.p)
        }
        return x
    }

    /// The decoder over chunk `k`: logits = top·Wy + by, then ln p = z − max − ln Σ e^(z − max).
    func decode(chunk k: Int, top: UnsafePointer<Float>) {
        let V = network.config.vocabSize, H = network.config.hidden, n = length(of: k)
        BLAS.sgemm(
            m: steps, n: V, k: H, a: top, lda: H, b: network.params.value(network.wy), ldb: V, c: logits.p, ldc: V)
        Kernels.addRow(network.params.value(network.by), to: logits.p, rows: steps, V)
        for r in 0..<n {
            let z = logits.p + r * V, out = rows.p + (k * steps + r) * V
            var high = z[0]
            for j in 1..<V where z[j] > high { high = z[j] }
            out.update(from: z, count: V)
            let logSum = logf(FastMath.expShifted(z, V, shift: high))
            for j in 0..<V { out[j] = out[j] - high - logSum }
        }
    }
}
