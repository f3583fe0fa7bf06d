// The IVF index: recall against exact search, the store's indexed queries, and stale or broken indexes.
import Foundation
import Testing
import VersoRandom
import VersoStore
@testable import Word2Vec

/// `rows` unit vectors of `dim` dimensions around `clusters` random centres (noise 0.3 a component).
func clusteredUnitVectors(rows: Int, dim: Int, clusters: Int, seed: UInt64) -> [Float] {
    var rng = SplitMix64(seed: seed)
    let centres = (0..<clusters * dim).map { _ in rng.nextFloat() * 2 - 1 }
    var vectors = [Float](repeating: 0, count: rows * dim)
    for r in 0..<rows {
        let c = Int(rng.next() % UInt64(clusters))
        for k in 0..<dim { vectors[r * dim + k] = centres[c * dim + k] + 0.3 * (rng.nextFloat() * 2 - 1) }
    }
    return W2VModelStore.wordVectors(normalizing: &vectors, dim: dim).unit
}

/// A store holding model `name`: `rows` clustered words w0, w1, … of 16 dimensions.
func storeWithClusteredModel(name: String, rows: Int, seed: UInt64 = 3) throws -> (Store, [Float]) {
    let store = try Store(path: NSTemporaryDirectory() + "verso-index-\(UUID().uuidString).sqlite")
    var vectors = clusteredUnitVectors(rows: rows, dim: 16, clusters: 30, seed: seed)
    var config = W2VConfig()
    config.dim = 16
    let stored = W2VModelStore.wordVectors(normalizing: &vectors, dim: 16)
    try W2VModelStore.save(
        store: store, name: name, corpus: CorpusInfo(path: "synthetic", sha256: "", bytes: 0), config: config,
        words: (0..<rows).map { "w\($0)" }, counts: (0..<rows).map { rows - $0 }, vectors: stored, metrics: [],
        replacing: false, threads: 2)
    return (store, stored.unit)
}

@Suite struct VectorIndexTests {
    @Test func recallRisesWithProbesAndReachesTheTarget() throws {
        let rows = 3000, dim = 16
        let unit = clusteredUnitVectors(rows: rows, dim: dim, clusters: 40, seed: 1)
        var options = IVFOptions()
        options.lists = 32
        options.recallQueries = 300
        options.threads = 2
        let index = try unit.withUnsafeBufferPointer {
            try IVFIndex.build(unit: $0.baseAddress!, rows: rows, dim: dim, options: options)
        }
        let curve = index.header.recallCurve
        #expect(curve.first?.probe == 1)
        #expect(zip(curve, curve.dropFirst()).allSatisfy { $0.recall <= $1.recall + 1e-9 })
        #expect(index.header.recallAt10 >= IVFIndex.targetRecall)
        #expect(index.header.probe < 32, "the default probe scans fewer lists than all: \(curve)")
        #expect(index.lists.reduce(0) { $0 + $1.ids.count } == rows)
        #expect(Set(index.lists.flatMap(\.ids)).count == rows)
        // Same seed, same index.
        let again = try unit.withUnsafeBufferPointer {
            try IVFIndex.build(unit: $0.baseAddress!, rows: rows, dim: dim, options: options)
        }
        #expect(again.header.centroids == index.header.centroids)
        #expect(again.lists == index.lists)
    }

    /// After an update the index keeps its centroids while its recall holds: rows moved a little and
    /// rows added each land in exactly one list, and the recall is measured again. Vectors unlike
    /// the old ones bring the recall down, and then it is built again.
    @Test func anUpdatedIndexTakesEveryRowOnceOrIsRebuilt() throws {
        let rows = 3000, dim = 16
        let unit = clusteredUnitVectors(rows: rows, dim: dim, clusters: 40, seed: 1)
        var options = IVFOptions()
        options.lists = 32
        options.recallQueries = 300
        let first = try unit.withUnsafeBufferPointer {
            try IVFIndex.build(unit: $0.baseAddress!, rows: rows, dim: dim, options: options)
        }
        // 200 more rows from the same clusters, and every old row nudged.
        var grown = clusteredUnitVectors(rows: rows + 200, dim: dim, clusters: 40, seed: 1)
        var rng = SplitMix64(seed: 5)
        for k in 0..<(rows * dim) { grown[k] += 0.01 * (rng.nextFloat() - 0.5) }
        let (kept, rebuilt) = try grown.withUnsafeBufferPointer {
            try IVFIndex.update(
                unit: $0.baseAddress!, rows: rows + 200, dim: dim, previous: first.header, options: options)
        }
        #expect(!rebuilt && kept.header.centroids == first.header.centroids && kept.header.probe == first.header.probe)
        #expect(kept.lists.flatMap(\.ids).sorted() == (0..<Int32(rows + 200)).map { $0 })
        #expect(kept.header.rows == rows + 200 && kept.header.recallAt10 >= IVFIndex.targetRecall)
        // Vectors without clusters: at the old probe count recall falls short, so the index is built again.
        let other = clusteredUnitVectors(rows: rows, dim: dim, clusters: rows, seed: 9)  // no clusters at all
        let (fresh, again) = try other.withUnsafeBufferPointer {
            try IVFIndex.update(unit: $0.baseAddress!, rows: rows, dim: dim, previous: first.header, options: options)
        }
        #expect(again && fresh.header.centroids != first.header.centroids)
        #expect(fresh.lists.flatMap(\.ids).sorted() == (0..<Int32(rows)).map { $0 })
    }

    @Test func quantisedRowsStayCloseToTheirVectors() {
        let unit = clusteredUnitVectors(rows: 50, dim: 16, clusters: 5, seed: 2)
        let list = unit.withUnsafeBufferPointer {
            IVFIndex.quantize((0..<50).map(Int32.init), unit: $0.baseAddress!, dim: 16)
        }
        for r in 0..<50 {
            for k in 0..<16 {
                let approx = list.scales[r] * Float(list.codes[r * 16 + k])
                #expect(abs(approx - unit[r * 16 + k]) <= list.scales[r] / 2 + 1e-7)
            }
        }
    }

    @Test func indexedQueriesAgreeWithExactOnes() throws {
        let (store, _) = try storeWithClusteredModel(name: "c", rows: 4000)
        var options = IVFOptions()
        options.threads = 2
        let header = try W2VModelStore.buildIndex(store: store, name: "c", options: options)
        #expect(try store.summaries(of: .w2v).first?.indexRecallAt10 == header.recallAt10)
        var same = 0, warnings: [String] = []
        for w in stride(from: 0, to: 4000, by: 40).map({ "w\($0)" }) {
            let fast = try W2VModelStore.withVectors(
                store: store, name: "c", exact: false, warn: { warnings.append($0) }
            ) {
                _, _, source in
                #expect(source is IndexedVectors)
                return try source.nearest(positive: [w], negative: [], n: 10).map(\.word)
            }
            let slow = try W2VModelStore.withVectors(
                store: store, name: "c", exact: true, warn: { warnings.append($0) }
            ) {
                _, _, source in try source.nearest(positive: [w], negative: [], n: 10).map(\.word)
            }
            same += Set(fast).intersection(slow).count
        }
        #expect(warnings.isEmpty)
        #expect(Double(same) / 1000 >= 0.9, "\(same) of 1000 neighbours shared with exact search")
        // Word lookups go through the store: an unknown word names itself and close spellings.
        #expect(throws: QueryError.self) {
            try W2VModelStore.withVectors(store: store, name: "c", exact: false, warn: { _ in }) { _, _, source in
                try source.row("w99999")
            }
        }
    }

    @Test func anIndexOfOtherVectorsIsPassedOverWithAWarning() throws {
        let (store, _) = try storeWithClusteredModel(name: "c", rows: 2000)
        let other = clusteredUnitVectors(rows: 2000, dim: 16, clusters: 30, seed: 99)
        var options = IVFOptions()
        options.lists = 20
        options.recallQueries = 100
        let index = try other.withUnsafeBufferPointer {
            try IVFIndex.build(unit: $0.baseAddress!, rows: 2000, dim: 16, options: options)
        }
        let model = try store.read { try $0.model(named: "c", kind: .w2v) }
        try store.saveVectorIndex(index, for: model)
        var warnings: [String] = []
        let answer = try W2VModelStore.withVectors(store: store, name: "c", exact: false, warn: { warnings.append($0) })
        {
            _, _, source in
            #expect(source is Embeddings)
            return try source.nearest(positive: ["w7"], negative: [], n: 5)
        }
        #expect(answer.count == 5)
        #expect(warnings.count == 1 && warnings[0].contains("built from other vectors"), "\(warnings)")
    }

    @Test func aMissingListMakesTheQuerySearchExactly() throws {
        let (store, unit) = try storeWithClusteredModel(name: "c", rows: 2000)
        var options = IVFOptions()
        options.lists = 20
        options.recallQueries = 100
        let full = try unit.withUnsafeBufferPointer {
            try IVFIndex.build(unit: $0.baseAddress!, rows: 2000, dim: 16, options: options)
        }
        let broken = VectorIndex(header: full.header, lists: Array(full.lists.prefix(10)))
        let model = try store.read { try $0.model(named: "c", kind: .w2v) }
        try store.saveVectorIndex(broken, for: model)
        var warnings: [String] = []
        let probeAll = try W2VModelStore.withVectors(
            store: store, name: "c", exact: false, probe: 20, warn: { warnings.append($0) }
        ) { _, _, source in try source.nearest(positive: ["w7"], negative: [], n: 5).map(\.word) }
        let exact = try W2VModelStore.withVectors(store: store, name: "c", exact: true, warn: { _ in }) {
            _, _, source in
            try source.nearest(positive: ["w7"], negative: [], n: 5).map(\.word)
        }
        #expect(probeAll == exact)
        #expect(warnings.count == 1 && warnings[0].contains("missing or corrupt list"), "\(warnings)")
    }
}
