// One recurrent layer over a (T × B) chunk: batched input projection, the time loop, and BPTT.
import Foundation
import VersoRandom

/// What a layer reads: token ids (the first layer, one-hot as a row gather) or dense rows.
public enum LayerInput {
    case tokens(UnsafePointer<Int32>)  // T·B ids
    case dense(UnsafePointer<Float>)  // T·B × inputSize
}

public final class RecurrentLayer {
    public let cell: CellKind
    public let inputSize: Int, hidden: Int
    let params: ParameterSet
    let wx: Int, wh: Int, bias: Int  // offsets: Wx (I × G·H), Wh (H × G·H), b (G·H)
    var gh: Int { cell.gates * hidden }

    // Workspace for the current chunk shape; rows are ordered (t, b) → t·B + b.
    private(set) var steps = 0, batch = 0
    var a = FloatBuffer(0)  // T·B × G·H: pre-activations, then activations
    var hu = FloatBuffer(0)  // T·B × G·H: h_prev·Wh
    var c = FloatBuffer(0), tc = FloatBuffer(0)  // T·B × H (LSTM only)
    public private(set) var out = FloatBuffer(0)  // T·B × H: h_t
    var dA = FloatBuffer(0), dHU = FloatBuffer(0)
    public private(set) var dInput = FloatBuffer(0)  // T·B × I (dense input only)
    public private(set) var h0 = FloatBuffer(0), c0 = FloatBuffer(0)  // B × H carried state
    var dh = FloatBuffer(0), dhNext = FloatBuffer(0), dcNext = FloatBuffer(0)
    // The products by Wh and Wx (forward) and by their transposes (backward), each on weights packed
    // once per chunk; the input ones only for a dense input.
    private var stepForward: PackedProduct?, stepBackward: PackedProduct?
    /// Input dropout of a token input: each row's factor (nil: 1), set by the network per chunk.
    var tokenScale: UnsafePointer<Float>?
    /// DropConnect: Wh's mask (0 or 1/(1−p)) and Wh ⊙ mask, for this chunk when `masked`.
    private var recurrentMask = FloatBuffer(0), maskedWh = FloatBuffer(0), dWhChunk = FloatBuffer(0)
    private var masked = false
    private var inputForward: PackedProduct?, inputBackward: PackedProduct?

    init(cell: CellKind, inputSize: Int, hidden: Int, params: ParameterSet, prefix: String) {
        self.cell = cell
        self.inputSize = inputSize
        self.hidden = hidden
        self.params = params
        let g = cell.gates * hidden
        wx = params.declare("\(prefix).Wx", [inputSize, g])
        wh = params.declare("\(prefix).Wh", [hidden, g])
        bias = params.declare("\(prefix).b", [g])
    }

    /// Allocates the workspace for T steps of B streams (a no-op when the shape is unchanged).
    func prepare(steps T: Int, batch B: Int) {
        if T == steps && B == batch { return }
        let H = hidden, n = T * B
        if B != batch {
            h0 = FloatBuffer(B * H)
            c0 = FloatBuffer(B * H)
            stepForward = nil  // made on first use: scoring one stream (B = 1) needs neither
            stepBackward = nil
        }
        steps = T
        batch = B
        a = FloatBuffer(n * gh)
        hu = FloatBuffer(n * gh)
        out = FloatBuffer(n * H)
        dA = FloatBuffer(n * gh)
        dHU = cell == .gru ? FloatBuffer(n * gh) : dA
        if cell == .lstm {
            c = FloatBuffer(n * H)
            tc = FloatBuffer(n * H)
        }
        dInput = FloatBuffer(n * inputSize)
        inputForward = nil
        inputBackward = nil
        dh = FloatBuffer(B * H)
        dhNext = FloatBuffer(B * H)
        dcNext = FloatBuffer(B * H)
    }

    public func resetState() {
        h0.zero()
        c0.zero()
    }

    /// Carries the last step's h (and c) into h0 (c0) for the next chunk (truncated BPTT).
    func carryState() {
        let H = hidden, B = batch, last = (steps - 1) * B * H
        h0.p.update(from: out.p + last, count: B * H)
        if cell == .lstm { c0.p.update(from: c.p + last, count: B * H) }
    }

    /// Draws this chunk's DropConnect mask on Wh (p = 0 or no rng: the plain Wh).
    func dropConnect(p: Float, rng: UnsafeMutablePointer<SplitMix64>?) {
        guard let rng, p > 0 else {
            masked = false
            return
        }
        let count = hidden * gh, keep = 1 - p, scale = 1 / keep
        if recurrentMask.count != count {
            recurrentMask = FloatBuffer(count)
            maskedWh = FloatBuffer(count)
            dWhChunk = FloatBuffer(count)
        }
        let W = params.value(wh), m = recurrentMask.p, w = maskedWh.p
        for k in 0..<count {
            m[k] = rng.pointee.nextFloat() < keep ? scale : 0
            w[k] = W[k] * m[k]
        }
        masked = true
    }

    /// The recurrent matrix this chunk multiplies by: Wh, or Wh ⊙ mask under DropConnect.
    var recurrentWeights: UnsafePointer<Float> { UnsafePointer(masked ? maskedWh.p : params.value(wh)) }

    // MARK: Forward

    func forward(_ input: LayerInput) {
        project(input, into: a.p)
        recur()
    }

    /// The input projections of the whole chunk at once, Z = X·Wx + b (T·B × gates·H; one
    /// product, or a row gather), into `z`: the layer's own buffer, or one that `recur` copies.
    func project(_ input: LayerInput, into z: UnsafeMutablePointer<Float>) {
        let G = gh, n = steps * batch
        let W = params.value(wx)
        switch input {
        case .tokens(let ids):
            for r in 0..<n { (z + r * G).update(from: W + Int(ids[r]) * G, count: G) }
            if let scale = tokenScale {
                for r in 0..<n where scale[r] != 1 { Kernels.scale(z + r * G, G, by: scale[r]) }
            }
        case .dense(let x):
            let product = product(\.inputForward) { PackedProduct(rows: n, inner: inputSize, columns: G) }
            product.pack(W)
            product.multiply(x, into: z)
        }
        Kernels.addRow(params.value(bias), to: z, rows: n, G)
    }

    /// The recurrence over the chunk from its input projections: the layer's own (`project` into
    /// `a`), or `projected`, made elsewhere (by another thread while this one ran the last chunk).
    func recur(projected: UnsafePointer<Float>? = nil) {
        let T = steps, B = batch, H = hidden, G = gh
        if let projected { a.p.update(from: projected, count: T * B * G) }
        // One stream (scoring a text): the one-row product the sampler uses, ~20% quicker at
        // 1×128×512 than the matmul primitive, whose per-call overhead a single row cannot hide.
        let oneRow = B == 1
        let stepProduct = oneRow ? nil : product(\.stepForward) { PackedProduct(rows: B, inner: H, columns: G) }
        stepProduct?.pack(recurrentWeights)
        for t in 0..<T {
            let hPrev = t == 0 ? h0.p : out.p + (t - 1) * B * H
            let at = a.p + t * B * G, ut = hu.p + t * B * G, ht = out.p + t * B * H
            if oneRow {  // hu = h_prev·Wh
                BLAS.sgemv(trans: true, m: H, n: G, a: recurrentWeights, lda: G, x: hPrev, y: ut)
            } else {
                stepProduct!.multiply(hPrev, into: ut)
            }
            switch cell {
            case .lstm:
                let cPrev = t == 0 ? c0.p : c.p + (t - 1) * B * H
                LSTMCell.forward(
                    a: at, hu: ut, cPrev: cPrev, c: c.p + t * B * H, tc: tc.p + t * B * H,
                    h: ht, batch: B, hidden: H)
            case .gru: GRUCell.forward(a: at, hu: ut, hPrev: hPrev, h: ht, batch: B, hidden: H)
            case .rnn: RNNCell.forward(a: at, hu: ut, h: ht, batch: B, hidden: H)
            }
        }
    }

    // MARK: Backward (BPTT within the chunk)

    /// `dOut` is ∂loss/∂h_t for every step (T·B × H). Accumulates into the parameter gradients and,
    /// for a dense input, writes ∂loss/∂x into `dInput`.
    func backward(_ dOut: UnsafePointer<Float>, input: LayerInput) {
        let T = steps, B = batch, H = hidden, G = gh, n = T * B
        let stepBackward = product(\.stepBackward) {
            PackedProduct(rows: B, inner: G, columns: H, transposedWeights: true, accumulate: cell == .gru)
        }
        stepBackward.pack(recurrentWeights)
        dhNext.zero()
        dcNext.zero()
        for t in stride(from: T - 1, through: 0, by: -1) {
            let hPrev = t == 0 ? h0.p : out.p + (t - 1) * B * H
            for k in 0..<(B * H) { dh.p[k] = dOut[t * B * H + k] + dhNext.p[k] }
            let act = a.p + t * B * G, dat = dA.p + t * B * G
            switch cell {
            case .lstm:
                let cPrev = t == 0 ? c0.p : c.p + (t - 1) * B * H
                LSTMCell.backward(
                    dh: dh.p, dc: dcNext.p, act: act, cPrev: cPrev, tc: tc.p + t * B * H,
                    dz: dat, batch: B, hidden: H)
            case .gru:
                GRUCell.backward(
                    dh: dh.p, act: act, hu: hu.p + t * B * G, hPrev: hPrev, da: dat,
                    dhu: dHU.p + t * B * G, dhPrev: dhNext.p, batch: B, hidden: H)
            case .rnn:
                RNNCell.backward(dh: dh.p, act: act, dz: dat, batch: B, hidden: H)
            }
            // dh_prev = (direct part, GRU only) + d(hu)·Whᵀ
            stepBackward.multiply(dHU.p + t * B * G, into: dhNext.p)
        }
        // Weight gradients for the whole chunk, a few large sgemms instead of T small ones. Under
        // DropConnect the chunk's ∂/∂(Wh ⊙ m) is masked on its way into ∂/∂Wh.
        let dWh = masked ? dWhChunk.p : params.grad(wh)
        BLAS.sgemm(
            transA: true, m: H, n: G, k: B, a: h0.p, lda: H, b: dHU.p, ldb: G, beta: masked ? 0 : 1, c: dWh, ldc: G)
        if T > 1 {
            BLAS.sgemm(
                transA: true, m: H, n: G, k: (T - 1) * B, a: out.p, lda: H, b: dHU.p + B * G, ldb: G,
                beta: 1, c: dWh, ldc: G)
        }
        if masked {
            let g = params.grad(wh), m = recurrentMask.p
            for k in 0..<(H * G) { g[k] += dWh[k] * m[k] }
        }
        Kernels.sumRows(dA.p, rows: n, G, into: params.grad(bias))
        let dWx = params.grad(wx)
        switch input {
        case .tokens(let ids):
            if let scale = tokenScale {
                for r in 0..<n where scale[r] != 0 {
                    if scale[r] != 1 { Kernels.scale(dA.p + r * G, G, by: scale[r]) }
                    Kernels.add(dA.p + r * G, into: dWx + Int(ids[r]) * G, G)
                }
            } else {
                for r in 0..<n { Kernels.add(dA.p + r * G, into: dWx + Int(ids[r]) * G, G) }
            }
        case .dense(let x):
            BLAS.sgemm(
                transA: true, m: inputSize, n: G, k: n, a: x, lda: inputSize, b: dA.p, ldb: G,
                beta: 1, c: dWx, ldc: G)
            let product = product(\.inputBackward) {
                PackedProduct(rows: n, inner: G, columns: inputSize, transposedWeights: true)
            }
            product.pack(params.value(wx))
            product.multiply(dA.p, into: dInput.p)
        }
    }

    /// A product for this chunk shape, made on first use (a token input has no input product; one
    /// stream's forward pass has no step product).
    private func product(
        _ slot: ReferenceWritableKeyPath<RecurrentLayer, PackedProduct?>, make: () -> PackedProduct
    ) -> PackedProduct {
        if let product = self[keyPath: slot] { return product }
        let product = make()
        self[keyPath: slot] = product
        return product
    }

    // MARK: One step for one stream (sampling), with sgemv

    /// Advances the state (h, c: H each) by one input; `scratchA` holds G·H floats, `scratchU` G·H + 2·H.
    func step(
        token: Int32?, x: UnsafePointer<Float>?, h: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>,
        scratchA: UnsafeMutablePointer<Float>, scratchU: UnsafeMutablePointer<Float>, hOut: UnsafeMutablePointer<Float>
    ) {
        let G = gh, H = hidden, W = params.value(wx)
        scratchA.update(from: params.value(bias), count: G)
        if let token { Kernels.add(W + Int(token) * G, into: scratchA, G) }
        if let x { BLAS.sgemv(trans: true, m: inputSize, n: G, a: W, lda: G, x: x, beta: 1, y: scratchA) }
        BLAS.sgemv(trans: true, m: H, n: G, a: params.value(wh), lda: G, x: h, y: scratchU)
        switch cell {
        case .lstm:
            let cNew = scratchU + G
            LSTMCell.forward(a: scratchA, hu: scratchU, cPrev: c, c: cNew, tc: cNew + H, h: hOut, batch: 1, hidden: H)
            c.update(from: cNew, count: H)
        case .gru: GRUCell.forward(a: scratchA, hu: scratchU, hPrev: h, h: hOut, batch: 1, hidden: H)
        case .rnn: RNNCell.forward(a: scratchA, hu: scratchU, h: hOut, batch: 1, hidden: H)
        }
        h.update(from: hOut, count: H)
    }
}
