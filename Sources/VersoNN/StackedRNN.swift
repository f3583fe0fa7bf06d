// A character language model: one-hot input → L recurrent layers (dropout between) → linear → softmax.
import Foundation
import VersoRandom

public struct NetworkConfig: Codable, Sendable, Equatable {
    public enum Initialisation: String, Codable, Sendable, CaseIterable { case glorot, uniform }
    public var cell: CellKind
    public var vocabSize: Int
    public var hidden: Int
    public var layers: Int
    public var dropout: Float
    public var initialisation: Initialisation
    /// Variational ("locked") dropout (Gal & Ghahramani 2016; AWD-LSTM): one mask per stream and
    /// unit for a whole chunk instead of a fresh one per step (nil: off, configs stored before it).
    public var lockedDropout: Bool?
    /// Dropout of input symbols, one mask per stream and symbol for a chunk (a dropped symbol feeds
    /// nothing into the first layer anywhere in the chunk); nil or 0: off.
    public var inputDropout: Float?
    /// DropConnect on every recurrent matrix Wh (Wan et al. 2013; AWD-LSTM's weight drop): one
    /// mask per chunk, shared by the chunk's streams and steps; nil or 0: off.
    public var dropConnect: Float?
    public init(
        cell: CellKind = .lstm, vocabSize: Int, hidden: Int = 128, layers: Int = 2, dropout: Float = 0,
        initialisation: Initialisation = .glorot
    ) {
        self.cell = cell
        self.vocabSize = vocabSize
        self.hidden = hidden
        self.layers = layers
        self.dropout = dropout
        self.initialisation = initialisation
    }
}

public final class StackedRNN {
    public let config: NetworkConfig
    public let params = ParameterSet()
    public let layers: [RecurrentLayer]
    let wy: Int, by: Int  // decoder: Wy (H × V), by (V)

    // Workspace (T·B rows)
    private(set) var masks: [FloatBuffer] = []  // dropout masks already scaled by 1/(1−p)
    private var dropped: [FloatBuffer] = []  // layer outputs after dropout
    private var inputScale = FloatBuffer(0)  // T·B: 0 or 1/(1−p) per input symbol (input dropout)
    private var logits = FloatBuffer(0)  // T·B × V, then probabilities, then dlogits
    private var dTop = FloatBuffer(0)
    private var steps = 0, batch = 0
    private var useDropout = false

    /// A network; with `master`, a replica that shares its weights but keeps its own gradients and
    /// workspace (data-parallel training, one replica per thread).
    public init(_ config: NetworkConfig, sharingWeightsWith master: StackedRNN? = nil) {
        self.config = config
        var layers: [RecurrentLayer] = []
        for l in 0..<config.layers {
            layers.append(
                RecurrentLayer(
                    cell: config.cell, inputSize: l == 0 ? config.vocabSize : config.hidden,
                    hidden: config.hidden, params: params, prefix: "layer\(l)"))
        }
        self.layers = layers
        wy = params.declare("decoder.W", [config.hidden, config.vocabSize])
        by = params.declare("decoder.b", [config.vocabSize])
        params.allocate(sharing: master?.params.values)
    }

    // MARK: Initialisation

    /// Glorot/Xavier uniform U[±√6/√(fan_in+fan_out)] (or char-rnn's U[±0.08]) for weights,
    /// zero biases, and forget-gate bias 1 (Jozefowicz et al. 2015).
    public func initialise(rng: inout SplitMix64) {
        for s in params.slices {
            let p = params.value(s.offset)
            if s.shape.count == 2 {
                let limit =
                    config.initialisation == .uniform
                    ? Float(0.08)
                    : (6 / Float(s.shape[0] + s.shape[1])).squareRoot()
                for k in 0..<s.count { p[k] = (rng.nextFloat() * 2 - 1) * limit }
            } else {
                p.update(repeating: 0, count: s.count)
            }
        }
        if config.cell == .lstm {
            for layer in layers { params.value(layer.bias + layer.hidden).update(repeating: 1, count: layer.hidden) }
        }
    }

    // MARK: Shapes and state

    public func prepare(steps T: Int, batch B: Int) {
        if T == steps && B == batch { return }
        steps = T
        batch = B
        for layer in layers { layer.prepare(steps: T, batch: B) }
        let n = T * B, H = config.hidden
        masks = (0..<config.layers).map { _ in FloatBuffer(n * H) }
        dropped = (0..<config.layers).map { _ in FloatBuffer(n * H) }
        logits = FloatBuffer(n * config.vocabSize)
        dTop = FloatBuffer(n * H)
        inputScale = FloatBuffer(n)
    }

    /// Input dropout: each stream keeps or drops each symbol for the whole chunk; `scale` gets
    /// each row's factor (0, or 1/(1−p) for a kept symbol).
    static func dropSymbols(
        _ inputs: UnsafePointer<Int32>, rows n: Int, batch B: Int, vocabulary V: Int, p: Float,
        into scale: inout FloatBuffer, rng: UnsafeMutablePointer<SplitMix64>
    ) {
        let keep = 1 - p
        var mask = [Float](repeating: 0, count: B * V)
        for k in mask.indices { mask[k] = rng.pointee.nextFloat() < keep ? 1 / keep : 0 }
        for r in 0..<n { scale.p[r] = mask[(r % B) * V + Int(inputs[r])] }
    }

    public func resetState() { for layer in layers { layer.resetState() } }
    public func carryState() { for layer in layers { layer.carryState() } }

    // MARK: Forward and loss

    /// Runs the chunk and returns Σ −ln p(target) over targets ≥ 0 (negative targets are padding)
    /// and how many there were. With `dropoutRNG`, inverted dropout is applied after every layer.
    public func forward(
        inputs: UnsafePointer<Int32>, targets: UnsafePointer<Int32>,
        dropoutRNG: UnsafeMutablePointer<SplitMix64>?
    ) -> (loss: Double, count: Int) {
        let n = steps * batch, H = config.hidden, V = config.vocabSize
        useDropout = dropoutRNG != nil && config.dropout > 0
        if let rng = dropoutRNG, let p = config.inputDropout, p > 0 {
            Self.dropSymbols(inputs, rows: n, batch: batch, vocabulary: V, p: p, into: &inputScale, rng: rng)
            layers[0].tokenScale = UnsafePointer(inputScale.p)
        } else {
            layers[0].tokenScale = nil
        }
        var x: UnsafePointer<Float>? = nil
        for (l, layer) in layers.enumerated() {
            if let rng = dropoutRNG, let p = config.dropConnect, p > 0 {
                layer.dropConnect(p: p, rng: rng)
            } else {
                layer.dropConnect(p: 0, rng: nil)
            }
            layer.forward(x.map { .dense($0) } ?? .tokens(inputs))
            if useDropout, let rng = dropoutRNG {
                let keep = 1 - config.dropout, scale = 1 / keep
                let m = masks[l].p, d = dropped[l].p, o = layer.out.p
                if config.lockedDropout == true {
                    // One mask per (stream, unit), repeated at every step of the chunk: rows t·B + b.
                    for k in 0..<(batch * H) { m[k] = rng.pointee.nextFloat() < keep ? scale : 0 }
                    for t in 1..<max(steps, 1) { (m + t * batch * H).update(from: m, count: batch * H) }
                } else {
                    for k in 0..<(n * H) { m[k] = rng.pointee.nextFloat() < keep ? scale : 0 }
                }
                for k in 0..<(n * H) { d[k] = o[k] * m[k] }
                x = UnsafePointer(d)
            } else {
                x = UnsafePointer(layer.out.p)
            }
        }
        // logits = top·Wy + by; softmax in place; loss in Double.
        BLAS.sgemm(m: n, n: V, k: H, a: x!, lda: H, b: params.value(wy), ldb: V, c: logits.p, ldc: V)
        Kernels.addRow(params.value(by), to: logits.p, rows: n, V)
        var loss = 0.0, count = 0
        for r in 0..<n {
            let row = logits.p + r * V
            var mx = row[0]
            for j in 1..<V where row[j] > mx { mx = row[j] }
            let sum = FastMath.expShifted(row, V, shift: mx)
            let inv = 1 / sum
            let target = Int(targets[r])
            if target >= 0 {
                // −ln p = ln Σ e^(z−max) − (z_t − max), from the unnormalised exponentials.
                loss += Double(logf(sum)) - Double(logf(row[target]))
                count += 1
            }
            for j in 0..<V { row[j] *= inv }
        }
        return (loss, count)
    }

    /// The probabilities of the last forward pass (T·B × V).
    public var probabilities: UnsafePointer<Float> { UnsafePointer(logits.p) }

    // MARK: Backward

    /// Back-propagates `scale` · Σ −ln p(target) (scale = 1/count gives the mean loss) into `params.grads`.
    public func backward(inputs: UnsafePointer<Int32>, targets: UnsafePointer<Int32>, scale: Float) {
        let n = steps * batch, H = config.hidden, V = config.vocabSize
        // dlogits = scale·(p − onehot(target)), zero for padding rows.
        for r in 0..<n {
            let row = logits.p + r * V, target = Int(targets[r])
            if target < 0 {
                row.update(repeating: 0, count: V)
                continue
            }
            for j in 0..<V { row[j] *= scale }
            row[target] -= scale
        }
        let top = topOutput(layers.count - 1)
        BLAS.sgemm(
            transA: true, m: H, n: V, k: n, a: top, lda: H, b: logits.p, ldb: V, beta: 1,
            c: params.grad(wy), ldc: V)
        Kernels.sumRows(logits.p, rows: n, V, into: params.grad(by))
        BLAS.sgemm(
            transB: true, m: n, n: H, k: V, a: logits.p, lda: V, b: params.value(wy), ldb: V,
            c: dTop.p, ldc: H)
        var dOut = dTop.p
        for l in stride(from: layers.count - 1, through: 0, by: -1) {
            if useDropout {
                let m = masks[l].p
                for k in 0..<(n * H) { dOut[k] *= m[k] }
            }
            let input: LayerInput = l == 0 ? .tokens(inputs) : .dense(topOutput(l - 1))
            layers[l].backward(dOut, input: input)
            dOut = layers[l].dInput.p
        }
    }

    private func topOutput(_ l: Int) -> UnsafePointer<Float> {
        UnsafePointer(useDropout ? dropped[l].p : layers[l].out.p)
    }
}
