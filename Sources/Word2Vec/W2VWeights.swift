// The weights word2vec trains, and the per-thread replicas that make threaded training deterministic.
import Dispatch

/// One set of word2vec matrices. Raw pointers, because the update loops touch a few rows of
/// large matrices at a time and must not pay for copy-on-write checks.
struct WeightSet: @unchecked Sendable {
    let input: UnsafeMutablePointer<Float>  // inputRows × d: the word vectors (syn0), then subword rows
    let outputNeg: UnsafeMutablePointer<Float>  // V × d: negative-sampling output vectors (syn1neg)
    let outputHS: UnsafeMutablePointer<Float>  // (V−1) × d: Huffman inner-node vectors (syn1)
    let rows: Int, inputRows: Int, dim: Int

    /// `inputRows` is V, or V plus the used n-gram buckets of a subword model.
    init(vocabularySize: Int, inputRows: Int? = nil, dim: Int) {
        rows = vocabularySize
        self.inputRows = inputRows ?? vocabularySize
        self.dim = dim
        input = .allocate(capacity: self.inputRows * dim)
        outputNeg = .allocate(capacity: vocabularySize * dim)
        outputHS = .allocate(capacity: max(vocabularySize - 1, 1) * dim)
    }

    func copy() -> WeightSet {
        let copy = WeightSet(vocabularySize: rows, inputRows: inputRows, dim: dim)
        copy.input.initialize(from: input, count: inputRows * dim)
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
    /// `touched[t][m]` lists the rows copy t changed in matrix m (input, negative output, Huffman
    /// nodes) since the last merge; no other row can differ, so no other row is read. Split over
    /// the threads; each row is summed in thread order, so neither the split nor the order of the
    /// lists changes the bits.
    func merge(touched: [[TouchedRows]]) {
        let d = base.dim
        var jobs: [(MergeJob, Int)] = [
            (MergeJob(base: base.input, copies: copies.map(\.input), rows: [], dim: d), 0)
        ]
        if mergesNegative {
            jobs.append((MergeJob(base: base.outputNeg, copies: copies.map(\.outputNeg), rows: [], dim: d), 1))
        }
        if mergesHS {
            jobs.append((MergeJob(base: base.outputHS, copies: copies.map(\.outputHS), rows: [], dim: d), 2))
        }
        let parts = copies.count
        for (job, matrix) in jobs {
            let rows = Array(Set(touched.flatMap { $0[matrix].rows })).sorted()
            let ready = MergeJob(base: job.base, copies: job.copies, rows: rows, dim: d)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                ready.run(rows.count * part / parts..<rows.count * (part + 1) / parts)
            }
        }
        for lists in touched { for list in lists { list.clear() } }
    }

    func deallocate() {
        for copy in copies { copy.deallocate() }
    }
}

private struct MergeJob: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
    let copies: [UnsafeMutablePointer<Float>]
    let rows: [Int32], dim: Int

    /// Merges `rows[range]`.
    func run(_ range: Range<Int>) {
        let d = dim
        for index in range {
            let row = Int(rows[index])
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
