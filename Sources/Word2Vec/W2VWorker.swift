// One training thread's loop over its share of the corpus: sentences, windows, and the SGD updates.
import Foundation
import VersoNN
import VersoRandom
import VersoStore

final class Worker {
    unowned let trainer: W2VTrainer
    let weights: WeightSet  // the trainer's own with one thread, else this thread's replica
    var rng: SplitMix64
    var sentence: [Int32] = []
    let neu1: UnsafeMutablePointer<Float>  // CBOW: mean of the context vectors
    let neu1e: UnsafeMutablePointer<Float>  // accumulated gradient for the input side
    let hidden: UnsafeMutablePointer<Float>  // subword models: the mean of a word's input rows
    let subwords: SubwordRows?  // the trainer's, held here so the hot loop reads no class field
    let batched: BatchedScratch?
    /// The rows this worker changed since the last merge, per matrix (input, negative output,
    /// Huffman nodes): a merge visits those rows alone.
    let touched: [TouchedRows]

    init(trainer: W2VTrainer, weights: WeightSet, rng: SplitMix64) {
        self.trainer = trainer
        self.weights = weights
        self.rng = rng
        subwords = trainer.subwords
        // One thread trains the weights themselves: nothing to merge, nothing to list.
        let rows =
            trainer.config.threads > 1 ? [weights.inputRows, weights.rows, max(weights.rows - 1, 1)] : [0, 0, 0]
        touched = rows.map(TouchedRows.init)
        neu1 = .allocate(capacity: trainer.config.dim)
        neu1e = .allocate(capacity: trainer.config.dim)
        hidden = .allocate(capacity: trainer.config.dim)
        let c = trainer.config
        batched = c.usesBatchedKernel ? BatchedScratch(dim: c.dim, window: c.window, negative: c.negative) : nil
    }
    deinit {
        neu1.deallocate()
        neu1e.deallocate()
        hidden.deallocate()
    }

    /// One pass over `range` of the id file; returns the in-vocabulary words it read. A line
    /// belongs to the range that holds its first word: a pass skips the partial line it starts in
    /// and finishes the one it ends in. α follows the run's progress as this thread can know it
    /// without reading the others': the words of earlier rounds plus its own, times the threads.
    func run(range: Range<Int>, wordsBefore: Int, threads: Int, reporter started: Date?) -> Int {
        let t = trainer, corpus = t.corpus, ids = corpus.ids, remap = t.remap, keep = t.keep
        let maxLength = t.config.maxSentenceLength
        let totalWords = Double(max(t.config.epochs * t.trainWords, 1))
        var pos = range.lowerBound
        if pos > 0 && ids[pos - 1] != EncodedCorpus.lineEnd {
            while pos < corpus.length && ids[pos] != EncodedCorpus.lineEnd { pos += 1 }
            pos += 1
        }
        var words = 0, wordsAtAlpha = 0
        var alpha = t.alpha(wordsDone: wordsBefore)
        var document = t.documents?.index(at: pos) ?? 0  // PV-DBOW: the line's document
        while pos < range.upperBound {
            sentence.removeAll(keepingCapacity: true)
            let sentenceDocument = document
            while pos < corpus.length {
                let raw = ids[pos]
                pos += 1
                if raw == EncodedCorpus.lineEnd {
                    document += 1
                    break
                }
                let w = remap[Int(raw)]
                if w < 0 { continue }
                words += 1
                let k = keep[Int(w)]
                if k < 1 && k < rng.nextFloat() { continue }  // frequent-word subsampling
                sentence.append(w)
                if sentence.count >= maxLength { break }
            }
            if words - wordsAtAlpha >= 10_000 {
                if t.stopRequest.isRaised { break }  // train() throws after the round
                wordsAtAlpha = words
                let done = wordsBefore + words * threads
                alpha = t.alpha(wordsDone: done)
                if let started {
                    let fraction = Double(done) / totalWords
                    let rate = Double(done) / max(Date().timeIntervalSince(started), 1e-9)
                    if fraction - (t.progressLog.last?.fraction ?? -1) >= 0.01 {
                        t.progressLog.append((fraction, alpha, rate))
                    }
                    t.onProgress?(fraction, rate, alpha)
                }
            }
            if let documents = t.documents, let scratch = batched, !sentence.isEmpty {
                let row = documents.vectors + sentenceDocument * t.config.dim
                trainSentenceBatched(alpha: alpha, scratch: scratch, document: row)
            } else if sentence.count > 1 {
                if let scratch = batched {
                    trainSentenceBatched(alpha: alpha, scratch: scratch)
                } else {
                    trainSentence(alpha: alpha)
                }
            }
        }
        return words
    }

    // MARK: The updates (Mikolov et al. 2013; the C tool's loop)

    func trainSentence(alpha: Float) {
        let t = trainer, d = t.config.dim, window = t.config.window, n = sentence.count
        for i in 0..<n {
            let word = sentence[i]
            let b = Int(rng.next() % UInt64(window))  // random window shrinking
            let lo = max(0, i - window + b), hi = min(n - 1, i + window - b)
            switch t.config.arch {
            case .skipgram:
                // The context word's input vector predicts the centre word (as the C tool and gensim).
                for c in lo...hi where c != i { trainPair(context: sentence[c], target: word, alpha: alpha) }
            case .cbow:
                // The mean of the contexts' rows (in a subword model, of all their rows, as fastText).
                neu1.update(repeating: 0, count: d)
                var rows = 0
                for c in lo...hi where c != i { rows += addRows(of: sentence[c], into: neu1) }
                if rows == 0 { continue }
                let inv = 1 / Float(rows)
                for k in 0..<d { neu1[k] *= inv }
                neu1e.update(repeating: 0, count: d)
                update(from: neu1, target: word, alpha: alpha)
                for c in lo...hi where c != i { addToInput(sentence[c], neu1e) }
            }
        }
    }

    /// One skip-gram pair: the context word's input vector predicts `target`.
    func trainPair(context: Int32, target: Int32, alpha: Float) {
        let d = trainer.config.dim
        let l1 = subwords == nil ? weights.input + Int(context) * d : hidden
        if subwords != nil { gatherInput(context, into: hidden) }
        neu1e.update(repeating: 0, count: d)
        update(from: l1, target: target, alpha: alpha)
        addToInput(context, neu1e)
    }

    // MARK: A word's input side: one row, or a subword model's rows (its own and its n-grams')

    /// Adds word `w`'s input rows into `sum`; returns how many.
    @inline(__always)
    func addRows(of w: Int32, into sum: UnsafeMutablePointer<Float>) -> Int {
        let d = trainer.config.dim, input = weights.input
        guard let subwords else {
            axpy(1, input + Int(w) * d, sum, d)
            return 1
        }
        let range = subwords.range(of: w)
        for k in range { axpy(1, input + Int(subwords.rows[k]) * d, sum, d) }
        return range.count
    }

    /// Word `w`'s input vector into `vector`: its row, or the mean of its rows (fastText's hidden).
    @inline(__always)
    func gatherInput(_ w: Int32, into vector: UnsafeMutablePointer<Float>) {
        let d = trainer.config.dim
        guard subwords != nil else { return vector.update(from: weights.input + Int(w) * d, count: d) }
        vector.update(repeating: 0, count: d)
        let inverse = 1 / Float(addRows(of: w, into: vector))
        for k in 0..<d { vector[k] *= inverse }
    }

    /// Adds the gradient step `delta` of word `w`'s input vector to each of its rows. In a subword
    /// model the vector is the mean of n rows, so each row's own gradient is delta / n; fastText's
    /// unsupervised models add the whole delta to every row (n times the step), and so do we.
    @inline(__always)
    func addToInput(_ w: Int32, _ delta: UnsafePointer<Float>) {
        let d = trainer.config.dim, input = weights.input
        guard let subwords else {
            axpy(1, delta, input + Int(w) * d, d)
            return touched[0].mark(w)
        }
        for k in subwords.range(of: w) {
            let r = subwords.rows[k]
            axpy(1, delta, input + Int(r) * d, d)
            touched[0].mark(r)
        }
    }

    /// Scores `target` from the hidden vector `l1` against hierarchical-softmax nodes and/or
    /// negative samples: g = α·(label − σ(l1·u)); neu1e += g·u; u += g·l1.
    @inline(__always)
    func update(from l1: UnsafeMutablePointer<Float>, target: Int32, alpha: Float) {
        let t = trainer, d = t.config.dim
        if let huffman = t.huffman {
            let code = huffman.codes[Int(target)], point = huffman.points[Int(target)]
            for j in 0..<code.count {
                let u = weights.outputHS + Int(point[j]) * d
                touched[2].mark(point[j])
                let f = dot(l1, u, d)
                if f <= -SigmoidTable.maxExp || f >= SigmoidTable.maxExp { continue }
                let g = (1 - Float(code[j]) - t.sigmoid(f)) * alpha
                axpy(g, u, neu1e, d)
                axpy(g, l1, u, d)
            }
        }
        if t.config.negative > 0 {
            for k in 0...t.config.negative {
                let sample: Int32, label: Float
                if k == 0 {
                    sample = target
                    label = 1
                } else {
                    sample = t.negatives.draw(&rng)
                    if sample == target { continue }
                    label = 0
                }
                let u = weights.outputNeg + Int(sample) * d
                touched[1].mark(sample)
                let g = (label - t.sigmoid(dot(l1, u, d))) * alpha
                axpy(g, u, neu1e, d)
                axpy(g, l1, u, d)
            }
        }
    }
}

/// The rows of one matrix a worker changed since the last merge, each listed once (none are
/// listed when it is made for no rows: a single thread's run).
final class TouchedRows {
    private let stamps: UnsafeMutablePointer<UInt32>  // per row: the round it was last listed in
    private let count: Int
    private var round: UInt32 = 1
    private(set) var rows: [Int32] = []

    init(_ count: Int) {
        self.count = count
        stamps = .allocate(capacity: count)
        stamps.initialize(repeating: 0, count: count)
    }

    deinit { stamps.deallocate() }

    @inline(__always) func mark(_ row: Int32) {
        if count > 0 && stamps[Int(row)] != round {
            stamps[Int(row)] = round
            rows.append(row)
        }
    }

    /// Starts the next round with no row listed.
    func clear() {
        rows.removeAll(keepingCapacity: true)
        round &+= 1
        if round == 0 {  // after 2³² rounds the stamps start again
            stamps.update(repeating: 0, count: count)
            round = 1
        }
    }
}
