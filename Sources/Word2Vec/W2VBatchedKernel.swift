// pWord2Vec's skip-gram update (Ji et al. 2016): one window's contexts × shared negatives as small matrix products.
import VersoNN

/// Per-thread scratch for the batched kernel: the window's context rows (M×d), the target and
/// negative output rows ((K+1)×d), their scores (M×(K+1)) and both gradients.
final class BatchedScratch {
    let d: Int, maxM: Int, maxK: Int
    let inRows: UnsafeMutablePointer<Float>, outRows: UnsafeMutablePointer<Float>
    let dIn: UnsafeMutablePointer<Float>, dOut: UnsafeMutablePointer<Float>
    let g: UnsafeMutablePointer<Float>
    var contexts: [Int32], targets: [Int32]

    init(dim: Int, window: Int, negative: Int) {
        d = dim
        maxM = 2 * window + 1  // the window's words, and a document's row in PV-DBOW
        maxK = negative + 1
        inRows = .allocate(capacity: maxM * d)
        dIn = .allocate(capacity: maxM * d)
        outRows = .allocate(capacity: maxK * d)
        dOut = .allocate(capacity: maxK * d)
        g = .allocate(capacity: maxM * maxK)
        contexts = []
        targets = []
        contexts.reserveCapacity(maxM)
        targets.reserveCapacity(maxK)
    }
    deinit {
        inRows.deallocate()
        dIn.deallocate()
        outRows.deallocate()
        dOut.deallocate()
        g.deallocate()
    }
}

extension Worker {
    /// Skip-gram with negative sampling, one centre word at a time: the M context words of its
    /// window all predict it against the same K negatives. Scores S = In·Outᵀ (M×(K+1)),
    /// G = α·(label − σ(S)), then In += G·Out and Out += Gᵀ·In, computed from the rows as they
    /// were before the window's update (as pWord2Vec does). The same arithmetic as the classic
    /// loop up to that ordering, but each output row is read and written once per window
    /// instead of once per context word, which is what bounds the classic loop on a large vocabulary.
    /// With a `document` row (PV-DBOW, as gensim's `dbow_words=1`), that row is one more context of
    /// every word, so the document vector predicts each of its words against the same negatives.
    func trainSentenceBatched(alpha: Float, scratch s: BatchedScratch, document: UnsafeMutablePointer<Float>? = nil) {
        let t = trainer, d = t.config.dim, window = t.config.window, n = sentence.count
        let output = weights.outputNeg
        for i in 0..<n {
            let word = sentence[i]
            let b = Int(rng.next() % UInt64(window))
            let lo = max(0, i - window + b), hi = min(n - 1, i + window - b)
            s.contexts.removeAll(keepingCapacity: true)
            for c in lo...hi where c != i { s.contexts.append(sentence[c]) }
            let words = s.contexts.count
            let m = words + (document == nil ? 0 : 1)
            if m == 0 { continue }
            s.targets.removeAll(keepingCapacity: true)
            s.targets.append(word)
            for _ in 0..<t.config.negative {
                let neg = t.negatives.draw(&rng)
                if neg != word { s.targets.append(neg) }
            }
            let k = s.targets.count
            // Gather.
            for (r, w) in s.contexts.enumerated() { gatherInput(w, into: s.inRows + r * d) }
            if let document { (s.inRows + words * d).update(from: document, count: d) }
            for (r, w) in s.targets.enumerated() { (s.outRows + r * d).update(from: output + Int(w) * d, count: d) }
            // Scores and gradients: G[r][j] = α·(label_j − σ(in_r · out_j)).
            for r in 0..<m {
                for j in 0..<k {
                    let f = dot(s.inRows + r * d, s.outRows + j * d, d)
                    s.g[r * k + j] = ((j == 0 ? 1 : 0) - t.sigmoid(f)) * alpha
                }
            }
            // dIn = G·Out (M×d), dOut = Gᵀ·In (K×d), from the gathered (pre-update) rows.
            s.dIn.update(repeating: 0, count: m * d)
            s.dOut.update(repeating: 0, count: k * d)
            for r in 0..<m {
                for j in 0..<k {
                    let gj = s.g[r * k + j]
                    axpy(gj, s.outRows + j * d, s.dIn + r * d, d)
                    axpy(gj, s.inRows + r * d, s.dOut + j * d, d)
                }
            }
            // Scatter-add (a word may appear twice in a window: each delta lands).
            for (r, w) in s.contexts.enumerated() { addToInput(w, s.dIn + r * d) }
            if let document { axpy(1, s.dIn + words * d, document, d) }
            for (j, w) in s.targets.enumerated() {
                axpy(1, s.dOut + j * d, output + Int(w) * d, d)
                touched[1].mark(w)
            }
        }
    }
}
