// The weights word2vec trains, and the per-thread replicas that make threaded training deterministic.
import Dispatch

/// One set of word2vec matrices. Raw pointers, because the update loops touch a few rows of
/// large matrices at a time and must not pay for copy-on-write checks.
struct WeightSet: @unchecked Sendable {
    let input: UnsafeMutablePointer<Float>  // V × d: the word vectors (syn0)
    let outputNeg: UnsafeMutablePointer<Float>  // V × d: negative-sampling output vectors (syn1neg)
    let outputHS: UnsafeMutablePointer<Float>  // (V−1) × d: Huffman inner-node vectors (syn1)
    let rows: Int, dim: Int

    init(vocabularySize: Int, dim: Int) {
        rows = vocabularySize
        self.dim = dim
        input = .allocate(capacity: vocabularySize * dim)
        outputNeg = .allocate(capacity: vocabularySize * dim)
        outputHS = .allocate(capacity: max(vocabularySize - 1, 1) * dim)
    }

    func copy() -> WeightSet {
        let copy = WeightSet(vocabularySize: rows, dim: dim)
        copy.input.initialize(from: input, count: rows * dim)
        copy.outputNeg.initialize(from: outputNeg, count: rows * dim)
        copy.outputHS.initialize(from: outputHS, count: max(rows - 1, 1) * dim)
        return copy
    }

    func deallocate() {
        input.deallocate()
        outputNeg.deallocate()
        outputHS.deallocate()
    }
}

/// Threaded training without races: each thread trains its own replica of the weights over its
/// share of a round, then the replicas' changes are summed into the base in thread order and the
/// replicas start the next round from that sum. Hogwild (the C tool, gensim) applies the same sum
/// with a delay of nanoseconds in an order set by the race, so its bits change from run to run;
/// here the delay is one round and the order is fixed, so a seed and a thread count give one
/// result. (Averaging the changes instead, as model averaging does, divides the step of every
/// row that several threads touch by their number: on the demo corpus reina fell out of the top 5.)
struct Replicas: @unchecked Sendable {
    let base: WeightSet
    let copies: [WeightSet]
    let mergesNegative: Bool, mergesHS: Bool

    init(base: WeightSet, threads: Int, negative: Bool, hierarchicalSoftmax: Bool) {
        self.base = base
        copies = (0..<threads).map { _ in base.copy() }
        mergesNegative = negative
        mergesHS = hierarchicalSoftmax
    }

    /// Each row that some copy changed: base ← base + Σₜ (copyₜ − base), then every copy ← base.
    /// Split into row ranges over the threads; each row is summed in thread order, so the split
    /// does not change the bits.
    func merge() {
        let d = base.dim
        var jobs = [MergeJob(base: base.input, copies: copies.map(\.input), rows: base.rows, dim: d)]
        if mergesNegative {
            let outputs = copies.map(\.outputNeg)
            jobs.append(MergeJob(base: base.outputNeg, copies: outputs, rows: base.rows, dim: d))
        }
        if mergesHS {
            let inner = max(base.rows - 1, 1)
            jobs.append(MergeJob(base: base.outputHS, copies: copies.map(\.outputHS), rows: inner, dim: d))
        }
        let parts = copies.count
        for job in jobs {
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                job.run(rows: job.rows * part / parts..<job.rows * (part + 1) / parts)
            }
        }
    }

    func deallocate() {
        for copy in copies { copy.deallocate() }
    }
}

private struct MergeJob: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
    let copies: [UnsafeMutablePointer<Float>]
    let rows: Int, dim: Int

    func run(rows range: Range<Int>) {
        let d = dim
        for row in range {
            let old = base + row * d
            if copies.allSatisfy({ equalRows($0 + row * d, old, d) }) { continue }
            for k in 0..<d {
                var delta: Float = 0
                for copy in copies { delta += copy[row * d + k] - old[k] }
                old[k] += delta
            }
            for copy in copies { (copy + row * d).update(from: old, count: d) }
        }
    }

    private func equalRows(_ a: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>, _ d: Int) -> Bool {
        for k in 0..<d where a[k].bitPattern != b[k].bitPattern { return false }
        return true
    }
}
