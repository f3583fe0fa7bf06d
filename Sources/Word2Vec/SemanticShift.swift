// Which shared words mean something else in two models: aligned cosine and neighbour overlap, word by word.
import Foundation
import VersoNN
import VersoStore

/// What `SemanticShift.compare` looks at; errors name the value that is wrong.
public struct ShiftSettings: Codable, Sendable, Equatable {
    /// How many words to list, those that moved most first.
    public var n = 50
    /// A word is compared only when each corpus counted it this often: rarer words move by noise.
    public var minCount = 20
    /// The shared words that fit the rotation (`Alignment.fit`).
    public var anchors = Alignment.defaultAnchors
    /// How many neighbours each model lists per word, and the overlap counts.
    public var neighbours = 10

    public init() {}

    public func validate() throws {
        guard n > 0 else { throw QueryError(description: "the number of words to list (\(n)) must be positive") }
        guard minCount >= 1 else { throw QueryError(description: "the minimum count (\(minCount)) must be ≥ 1") }
        guard anchors >= 2 else { throw QueryError(description: "the anchor count (\(anchors)) must be at least 2") }
        guard neighbours > 0 else {
            throw QueryError(description: "the number of neighbours (\(neighbours)) must be positive")
        }
    }
}

/// One shared word and how far it moved from model A to model B.
public struct ShiftedWord: Codable, Sendable, Equatable {
    public let word: String
    /// Cosine between its row in A and its row in B rotated into A's space.
    public let cosine: Float
    /// The share of its neighbours in A that are also among its neighbours in B (needs no alignment).
    public let overlap: Double
    public let countA: Int
    public let countB: Int
    public let neighboursA: [Neighbour]
    public let neighboursB: [Neighbour]

    enum CodingKeys: String, CodingKey {
        case word, cosine, overlap
        case countA = "count_a"
        case countB = "count_b"
        case neighboursA = "neighbours_a"
        case neighboursB = "neighbours_b"
    }
}

/// The words that moved most between two models, and how well B aligned onto A.
public struct ShiftReport: Codable, Sendable {
    public let a: String
    public let b: String
    public let anchors: Int
    public let anchorCosine: Double  // the anchors' mean cosine after alignment
    public let compared: Int  // shared words counted at least minCount times in each corpus
    public let words: [ShiftedWord]

    enum CodingKeys: String, CodingKey {
        case a, b, anchors, compared, words
        case anchorCosine = "anchor_cosine"
    }
}

public enum SemanticShift {
    /// Aligns B onto A, scores every shared word both corpora counted at least `minCount` times by
    /// the cosine of its two rows, and lists the `n` lowest with both neighbour lists.
    public static func compare(
        _ a: Embeddings, named nameA: String, _ b: Embeddings, named nameB: String, settings: ShiftSettings
    ) throws -> ShiftReport {
        try settings.validate()
        let shared = Alignment.sharedWords(a, b)
        let alignment = try Alignment.fit(b, onto: a, anchors: settings.anchors, shared: shared)
        let pairs = shared.filter {
            a.counts[Int($0.a)] >= settings.minCount && b.counts[Int($0.b)] >= settings.minCount
        }
        guard !pairs.isEmpty else {
            throw QueryError(
                description: "no word is counted \(settings.minCount) times or more in both '\(nameA)' and '\(nameB)'")
        }
        let d = a.dim, k = pairs.count
        // B's rows rotated a block at a time (a whole vocabulary's copy would double the memory).
        var cosines: [Float] = []
        cosines.reserveCapacity(k)
        for start in stride(from: 0, to: k, by: 8192) {
            let block = pairs[start..<min(k, start + 8192)]
            var rowsB = [Float](repeating: 0, count: block.count * d)
            for (i, pair) in block.enumerated() {
                for j in 0..<d { rowsB[i * d + j] = b.row(pair.b)[j] }
            }
            let aligned = alignment.rotate(rowsB, count: block.count)
            aligned.withUnsafeBufferPointer { r in
                for (i, pair) in block.enumerated() { cosines.append(dot(r.baseAddress! + i * d, a.row(pair.a), d)) }
            }
        }
        let moved = pairs.indices.sorted {
            cosines[$0] != cosines[$1]
                ? cosines[$0] < cosines[$1] : a.words[Int(pairs[$0].a)] < a.words[Int(pairs[$1].a)]
        }.prefix(settings.n)
        let words = moved.map { i -> ShiftedWord in
            let (ia, ib) = pairs[i]
            let near = settings.neighbours
            let listA = a.nearest(to: Array(UnsafeBufferPointer(start: a.row(ia), count: d)), n: near, exclude: [ia])
            let listB = b.nearest(to: Array(UnsafeBufferPointer(start: b.row(ib), count: d)), n: near, exclude: [ib])
            let shared = Set(listA.map(\.word)).intersection(listB.map(\.word)).count
            return ShiftedWord(
                word: a.words[Int(ia)], cosine: cosines[i], overlap: Double(shared) / Double(max(listA.count, 1)),
                countA: a.counts[Int(ia)], countB: b.counts[Int(ib)], neighboursA: listA, neighboursB: listB)
        }
        return ShiftReport(
            a: nameA, b: nameB, anchors: alignment.anchors, anchorCosine: alignment.meanCosineAfter, compared: k,
            words: words)
    }

    /// `compare` on two stored models, each loaded whole.
    public static func compare(store: Store, a: String, b: String, settings: ShiftSettings) throws -> ShiftReport {
        let ma = try W2VModelStore.load(store: store, name: a), mb = try W2VModelStore.load(store: store, name: b)
        return try compare(
            ma.embeddings, named: ma.record.name, mb.embeddings, named: mb.record.name, settings: settings)
    }
}

/// What `w2v align` made.
public struct AlignmentSummary: Codable, Sendable {
    public let name: String
    public let model: String  // B, rotated
    public let onto: String  // A
    public let words: Int
    public let anchors: Int
    public let cosineBefore: Double
    public let cosineAfter: Double
    public let seconds: Double

    enum CodingKeys: String, CodingKey {
        case name, model, onto, words, anchors, seconds
        case cosineBefore = "anchor_cosine_before"
        case cosineAfter = "anchor_cosine_after"
    }
}

public enum ModelAlignment {
    /// Stores model `b` rotated into model `a`'s space as model `name` (its words, counts, norms,
    /// corpus and settings are b's; a subword model's n-gram rows and the output layer rotate with
    /// it), indexed as any model of its size, in one transaction.
    public static func run(
        store: Store, a: String, b: String, name: String, anchors: Int = Alignment.defaultAnchors,
        replacing: Bool, threads: Int = 1, stop: StopRequest = .never
    ) throws -> AlignmentSummary {
        try store.checkNameAvailable(name, for: .w2v, replacing: replacing)
        let started = Date()
        let ma = try W2VModelStore.load(store: store, name: a), mb = try W2VModelStore.load(store: store, name: b)
        let alignment = try Alignment.fit(mb.embeddings, onto: ma.embeddings, anchors: anchors)
        let (norms, outputs) = try store.read { reader in
            (try reader.vectorNorms(of: mb.record), try? reader.tensor(W2VTraining.outputTensor, of: mb.record))
        }
        // The output layer turns with the input rows, so every input · output product stays (a later
        // --update goes on from it).
        let rotatedOutputs = outputs.map { t in
            Tensor(
                name: t.name, shape: t.shape, values: alignment.rotate(t.values, count: t.values.count / mb.config.dim))
        }
        let subwords = try W2VModelStore.subwords(store: store, model: mb).map { m in
            SubwordMatrix(
                config: m.config, dim: m.rows.dim, buckets: m.rows.buckets,
                values: alignment.rotate(m.rows.values, count: m.rows.buckets.count))
        }
        let d = mb.config.dim, rows = mb.embeddings.count
        let unit = alignment.rotate(
            Array(UnsafeBufferPointer(start: mb.embeddings.normalized.p, count: rows * d)), count: rows)
        let metrics = [
            Metric(step: 0, key: "alignment_anchors", value: Double(alignment.anchors)),
            Metric(step: 0, key: "alignment_cosine_before", value: alignment.meanCosineBefore),
            Metric(step: 0, key: "alignment_cosine_after", value: alignment.meanCosineAfter),
        ]
        try W2VModelStore.save(
            store: store, name: name, corpus: mb.record.corpus, config: mb.config, words: mb.embeddings.words,
            counts: mb.embeddings.counts, vectors: WordVectors(dim: d, unit: unit, norms: norms), metrics: metrics,
            replacing: replacing, threads: threads, subwords: subwords, tensors: rotatedOutputs.map { [$0] } ?? [],
            stop: stop)
        return AlignmentSummary(
            name: name, model: mb.record.name, onto: ma.record.name, words: rows, anchors: alignment.anchors,
            cosineBefore: alignment.meanCosineBefore, cosineAfter: alignment.meanCosineAfter,
            seconds: Date().timeIntervalSince(started))
    }
}
