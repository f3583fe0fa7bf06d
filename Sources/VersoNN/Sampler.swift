// Batch-1 inference for sampling: one stream's state advanced a symbol at a time with sgemv.

public final class StreamState {
    public let network: StackedRNN
    var h: [FloatBuffer], c: [FloatBuffer]
    let scratchA: FloatBuffer, scratchU: FloatBuffer, hOut: FloatBuffer
    public let logits: FloatBuffer

    public init(_ network: StackedRNN) {
        self.network = network
        let H = network.config.hidden, G = network.config.cell.gates * H
        h = (0..<network.config.layers).map { _ in FloatBuffer(H) }
        c = (0..<network.config.layers).map { _ in FloatBuffer(H) }
        scratchA = FloatBuffer(G)
        scratchU = FloatBuffer(G + 2 * H)
        hOut = FloatBuffer(H)
        logits = FloatBuffer(network.config.vocabSize)
    }

    /// Feeds one symbol; afterwards `logits` scores the next one.
    public func feed(_ token: Int32) {
        advanceLayers(token) { _ in }
        decode()
    }

    /// What one layer computed for one symbol: its gate activations (G·H: LSTM [i, f, o, g], GRU
    /// [r, u, n], the tanh RNN [h]) and its new cell state (LSTM; H) and output h (H).
    public struct LayerStep {
        public let layer: Int
        public let gates: UnsafePointer<Float>
        public let c: UnsafePointer<Float>?
        public let h: UnsafePointer<Float>
    }

    /// Feeds one symbol and shows `observe` every layer's step; the logits are not computed
    /// (recording the cells of a long text needs no next-symbol scores).
    public func feed(_ token: Int32, observe: (LayerStep) -> Void) {
        advanceLayers(token, observe: observe)
    }

    private func advanceLayers(_ token: Int32, observe: (LayerStep) -> Void) {
        let lstm = network.config.cell == .lstm
        for (l, layer) in network.layers.enumerated() {
            layer.step(
                token: l == 0 ? token : nil, x: l == 0 ? nil : UnsafePointer(h[l - 1].p),
                h: h[l].p, c: c[l].p, scratchA: scratchA.p, scratchU: scratchU.p, hOut: hOut.p)
            observe(LayerStep(layer: l, gates: scratchA.p, c: lstm ? UnsafePointer(c[l].p) : nil, h: h[l].p))
        }
    }

    private func decode() {
        let V = network.config.vocabSize, H = network.config.hidden
        logits.p.update(from: network.params.value(network.by), count: V)
        BLAS.sgemv(
            trans: true, m: H, n: V, a: network.params.value(network.wy), lda: V,
            x: h[network.layers.count - 1].p, beta: 1, y: logits.p)
    }

    /// Takes on `other`'s place in the text: its carried state and its logits (same network).
    public func copy(from other: StreamState) {
        precondition(other.network === network, "states of one network only")
        for l in h.indices {
            h[l].p.update(from: other.h[l].p, count: h[l].count)
            c[l].p.update(from: other.c[l].p, count: c[l].count)
        }
        logits.p.update(from: other.logits.p, count: logits.count)
    }
}
