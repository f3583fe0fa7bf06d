// The IVF nearest-neighbour index of unit word vectors: k-means lists of int8 rows, built and measured.
import Dispatch
import VersoNN
import VersoRandom
import VersoStore

/// How an index is built; every field has a default worked out from the model's size.
public struct IVFOptions: Sendable {
    public var lists: Int?  // default √rows
    public var probe: Int?  // default: the fewest probed lists (a power of two) with recall@10 ≥ 0.95
    public var threads = 1
    public var seed: UInt64 = 1
    public var recallQueries = 1000
    public var iterations = 10
    /// Polled between the build's stages and k-means iterations: raised, the build throws
    /// `Interrupted` before anything is written.
    public var stop = StopRequest.never
    public init() {}
}

public enum IVFIndex {
    public static let method = "ivf-int8"
    /// `w2v train` and `w2v import` index models with more words than this. Below it an exact scan
    /// reads little; above it a scan costs more than the index's few lists (a 23k × 100 model: 63 ms
    /// a whole-process query exact, 18 ms indexed, the index built in 0.5 s).
    public static let minimumRows = 5_000
    public static let targetRecall = 0.95

    public static func defaultLists(rows: Int) -> Int { max(1, min(rows, Int(Double(rows).squareRoot().rounded()))) }

    /// Builds the index of `rows` unit vectors: spherical k-means on a sample (64 rows a list, at
    /// most 131,072), every row assigned to its nearest centroid and quantised to int8 with its own
    /// scale, then recall@10 against exact search measured over `recallQueries` sampled rows.
    public static func build(
        unit: UnsafePointer<Float>, rows: Int, dim: Int, options: IVFOptions
    ) throws -> VectorIndex {
        let k = max(1, min(rows, options.lists ?? defaultLists(rows: rows)))
        var rng = SplitMix64(seed: options.seed)
        let sampleIDs = sampleRows(rows, count: min(rows, max(k * 64, 10_000), 131_072), rng: &rng)
        var sample = [Float](repeating: 0, count: sampleIDs.count * dim)
        for (s, r) in sampleIDs.enumerated() {
            for j in 0..<dim { sample[s * dim + j] = unit[Int(r) * dim + j] }
        }
        let centroids = try sample.withUnsafeBufferPointer {
            try KMeans.train(
                sample: $0.baseAddress!, rows: sampleIDs.count, dim: dim, k: k, iterations: options.iterations,
                seed: rng.next(), threads: options.threads, stop: options.stop)
        }
        return try assemble(unit: unit, rows: rows, dim: dim, centroids: centroids, options: options, rng: &rng)
    }

    /// The index of `rows` unit vectors over the centroids of an earlier build (a model grown by
    /// `w2v train --update`: its new and moved rows go to their nearest lists), when its recall@10 at
    /// the earlier probe count still reaches the target; else a fresh build. Returns the index and
    /// whether it was rebuilt.
    public static func update(
        unit: UnsafePointer<Float>, rows: Int, dim: Int, previous: VectorIndexHeader, options: IVFOptions
    ) throws -> (index: VectorIndex, rebuilt: Bool) {
        if previous.dim == dim && previous.lists <= rows && !previous.centroids.isEmpty {
            var kept = options
            kept.probe = previous.probe
            var rng = SplitMix64(seed: options.seed)
            let index = try assemble(
                unit: unit, rows: rows, dim: dim, centroids: previous.centroids, options: kept, rng: &rng)
            if index.header.recallAt10 >= targetRecall { return (index, false) }
        }
        return (try build(unit: unit, rows: rows, dim: dim, options: options), true)
    }

    /// Every row assigned to its nearest centroid and quantised, then recall@10 against exact search
    /// over `recallQueries` sampled rows, and the probe count: `options.probe`, else the fewest lists
    /// reaching the target.
    static func assemble(
        unit: UnsafePointer<Float>, rows: Int, dim: Int, centroids: [Float], options: IVFOptions,
        rng: inout SplitMix64
    ) throws -> VectorIndex {
        let k = centroids.count / dim
        let assignment = centroids.withUnsafeBufferPointer {
            KMeans.assign(
                unit, rows: rows, dim: dim, centroids: $0.baseAddress!, k: k, threads: options.threads,
                stop: options.stop)
        }
        try options.stop.check()
        var members = [[Int32]](repeating: [], count: k)
        for (r, c) in assignment.enumerated() { members[Int(c)].append(Int32(r)) }
        let lists = members.map { quantize($0, unit: unit, dim: dim) }
        let draft = VectorIndexHeader(
            method: method, rows: rows, dim: dim, lists: k, probe: k, recallAt10: 1, recallCurve: [],
            fingerprint: fingerprint(rows: rows, dim: dim) {
                Array(UnsafeBufferPointer(start: unit + $0 * dim, count: dim))
            },
            centroids: centroids)
        let queries = sampleRows(rows, count: min(rows, options.recallQueries), rng: &rng)
        let curve = IndexRecall.curve(
            index: VectorIndex(header: draft, lists: lists), unit: unit, queries: queries,
            extraProbe: options.probe, threads: options.threads, stop: options.stop)
        try options.stop.check()
        let probe = options.probe ?? curve.first { $0.recall >= targetRecall }?.probe ?? k
        let header = VectorIndexHeader(
            method: method, rows: rows, dim: dim, lists: k, probe: probe,
            recallAt10: curve.first { $0.probe == probe }?.recall ?? 1, recallCurve: curve,
            fingerprint: draft.fingerprint, centroids: centroids)
        return VectorIndex(header: header, lists: lists)
    }

    /// `count` distinct row ids in random order (a partial Fisher–Yates shuffle).
    static func sampleRows(_ rows: Int, count: Int, rng: inout SplitMix64) -> [Int32] {
        var ids = (0..<rows).map(Int32.init)
        for i in 0..<count {
            let j = i + Int(rng.next() % UInt64(rows - i))
            ids.swapAt(i, j)
        }
        return Array(ids.prefix(count))
    }

    /// The rows of one list as int8 codes, each row with the scale max|x|/127 (row ≈ scale·code).
    static func quantize(_ ids: [Int32], unit: UnsafePointer<Float>, dim: Int) -> VectorList {
        var scales = [Float](repeating: 0, count: ids.count)
        var codes = [Int8](repeating: 0, count: ids.count * dim)
        for (i, id) in ids.enumerated() {
            let row = unit + Int(id) * dim
            var largest: Float = 0
            for j in 0..<dim { largest = max(largest, abs(row[j])) }
            guard largest > 0 else { continue }
            scales[i] = largest / 127
            let inverse = 127 / largest
            for j in 0..<dim { codes[i * dim + j] = Int8(max(-127, min(127, (row[j] * inverse).rounded()))) }
        }
        return VectorList(ids: ids, scales: scales, codes: codes)
    }

    /// The rows a fingerprint reads: first, last and two between.
    public static func fingerprintRows(_ rows: Int) -> [Int] {
        rows == 0 ? [] : Array(Set([0, rows / 3, 2 * rows / 3, rows - 1])).sorted()
    }

    /// FNV-1a over the row count, the dimension and the bits of the fingerprint rows: tells an
    /// index built from these vectors from one built from others (a replaced or different model).
    public static func fingerprint(rows: Int, dim: Int, row: (Int) throws -> [Float]) rethrows -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ value: UInt64) {
            for shift in stride(from: 0, to: 64, by: 8) {
                hash = (hash ^ ((value >> UInt64(shift)) & 0xff)) &* 0x100_0000_01b3
            }
        }
        mix(UInt64(rows))
        mix(UInt64(dim))
        for r in fingerprintRows(rows) {
            for x in try row(r) { mix(UInt64(x.bitPattern)) }
        }
        return String(hash, radix: 16)
    }
}
