// Searching an IVF index: rank lists by centroid, scan the probed lists' int8 rows, re-rank exactly.
import Dispatch
import VersoNN
import VersoStore

public struct IVFSearch: Sendable {
    public let header: VectorIndexHeader

    public init(header: VectorIndexHeader) {
        self.header = header
    }

    /// Candidates kept from the int8 scan for the exact re-rank: enough that quantisation error
    /// (about 0.4% of a row's largest component) does not drop a true top-n word.
    static func candidateCount(n: Int) -> Int { max(100, 4 * n) }

    /// Every list, best centroid first (inner product with `query`; ties to the lower list).
    public func listOrder(_ query: [Float]) -> [Int] {
        let k = header.lists, d = header.dim
        var scores = [Float](repeating: 0, count: k)
        header.centroids.withUnsafeBufferPointer { c in
            BLAS.sgemv(m: k, n: d, a: c.baseAddress!, lda: d, x: query, y: &scores)
        }
        return (0..<k).sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
    }

    /// The `count` best rows of `lists` by approximate score (scale · code · query), best first,
    /// skipping `exclude`: the candidates an exact re-rank then orders.
    public func candidates(
        _ query: [Float], lists: [VectorList], count: Int, exclude: Set<Int32>
    ) -> [(score: Float, id: Int32)] {
        var top = TopScores(capacity: count)
        query.withUnsafeBufferPointer { q in
            for list in lists { Self.scan(list, query: q.baseAddress!, dim: header.dim, exclude: exclude, into: &top) }
        }
        return top.sorted
    }

    /// The `n` best rows of the probed `lists`: the int8 scan's candidates re-ranked by their exact
    /// scores, which `exactScores` gives for a list of ids (from memory, or read from the store).
    /// Every indexed search ends here, the server's and a query command's alike.
    public func nearest(
        _ query: [Float], lists: [VectorList], n: Int, exclude: Set<Int32>,
        exactScores: ([Int32]) throws -> [(id: Int32, score: Float)]
    ) rethrows -> [(score: Float, id: Int32)] {
        let found = candidates(query, lists: lists, count: Self.candidateCount(n: n), exclude: exclude)
        var best = TopScores(capacity: n)
        for hit in try exactScores(found.map(\.id)) { best.add(hit.score, hit.id) }
        return best.sorted
    }

    /// Adds the approximate scores (scale · code · query) of a list's rows to `top`.
    static func scan(
        _ list: VectorList, query: UnsafePointer<Float>, dim: Int, exclude: Set<Int32>, into top: inout TopScores
    ) {
        list.codes.withUnsafeBufferPointer { codes in
            for (i, id) in list.ids.enumerated() {
                let score = list.scales[i] * dot(codes.baseAddress! + i * dim, query, dim)
                if score > top.threshold && !exclude.contains(id) { top.add(score, id) }
            }
        }
    }

    /// Why `header` cannot serve vectors of `dim` dimensions, judged from the header alone, or nil.
    public static func shapeProblem(_ header: VectorIndexHeader, dim: Int) -> String? {
        guard header.method == IVFIndex.method else { return "unknown method \(header.method)" }
        guard header.dim == dim, header.lists > 0, header.rows > 0, header.probe > 0,
            header.centroids.count == header.lists * dim
        else {
            return "its shape (\(header.lists) lists × \(header.dim), \(header.centroids.count) centroid values) "
                + "does not fit vectors of \(dim) dimensions"
        }
        return nil
    }

    /// Checks a list read from the store against the header: ids in range, one scale per id and
    /// dim codes per id. A list that fails means the index is corrupt.
    public func isValid(_ list: VectorList) -> Bool {
        list.scales.count == list.ids.count && list.codes.count == list.ids.count * header.dim
            && list.ids.allSatisfy { $0 >= 0 && Int($0) < header.rows }
    }
}

/// Recall@10 of an index against exact search, over sampled vocabulary rows as queries (each
/// query's own word excluded, as `w2v nearest` excludes it), at probe counts 1, 2, 4, … until
/// recall reaches 0.995 (and past `extraProbe`): each query's scan goes on from where the last
/// probe count left it, so the curve costs what its largest probe count costs.
enum IndexRecall {
    static let enough = 0.995

    static func curve(
        index: VectorIndex, unit: UnsafePointer<Float>, queries: [Int32], extraProbe: Int?, threads: Int,
        stop: StopRequest = .never
    ) -> [ProbeRecall] {
        let h = index.header
        let doubling = Array(sequence(first: 1) { $0 * 2 < h.lists ? $0 * 2 : nil }) + [h.lists]
        let probes = Array(Set(doubling + (extraProbe.map { [min(max($0, 1), h.lists)] } ?? []))).sorted()
        let exact = exactTop10(unit: unit, rows: h.rows, dim: h.dim, queries: queries, threads: threads, stop: stop)
        if stop.isRaised { return [] }
        let states = QueryStates(count: queries.count)
        let box = IndexBox(index: index, unit: unit)
        let workers = max(1, min(threads, queries.count))
        let possible = queries.count * min(10, h.rows - 1)
        var curve: [ProbeRecall] = []
        for probe in probes {
            let hits = SharedInt32s(count: queries.count)
            DispatchQueue.concurrentPerform(iterations: workers) { t in
                let search = IVFSearch(header: box.index.header)
                for q in stride(from: t, to: queries.count, by: workers) {
                    if stop.isRaised { break }
                    let id = queries[q]
                    let query = Array(UnsafeBufferPointer(start: box.unit + Int(id) * h.dim, count: h.dim))
                    let state = states.states[q] ?? QueryState(order: search.listOrder(query))
                    states.states[q] = state
                    while state.scanned < probe {
                        let list = box.index.lists[state.order[state.scanned]]
                        IVFSearch.scan(list, query: query, dim: h.dim, exclude: [id], into: &state.top)
                        state.scanned += 1
                    }
                    var best = TopScores(capacity: 10)
                    for candidate in state.top.heap {
                        best.add(dot(box.unit + Int(candidate.id) * h.dim, query, h.dim), candidate.id)
                    }
                    let truth = Set(exact[q])
                    hits.values[q] = Int32(best.heap.filter { truth.contains($0.id) }.count)
                }
            }
            if stop.isRaised { return [] }
            let found = hits.values.reduce(0) { $0 + Int($1) }
            curve.append(ProbeRecall(probe: probe, recall: possible == 0 ? 1 : Double(found) / Double(possible)))
            if curve.last!.recall >= enough && probe >= (extraProbe ?? 0) { break }
        }
        return curve
    }

    /// Exact top-10 ids (own row excluded) of each query row, by blocks of rows through sgemm.
    static func exactTop10(
        unit: UnsafePointer<Float>, rows: Int, dim: Int, queries: [Int32], threads: Int, stop: StopRequest = .never
    ) -> [[Int32]] {
        var queryRows = [Float](repeating: 0, count: queries.count * dim)
        for (q, id) in queries.enumerated() {
            for j in 0..<dim { queryRows[q * dim + j] = unit[Int(id) * dim + j] }
        }
        let blocks = (rows + KMeans.block - 1) / KMeans.block
        let workers = max(1, min(threads, blocks))
        let partial = PartialTops(workers: workers, queries: queries.count)
        queryRows.withUnsafeBufferPointer { qp in
            let box = PointerBox(points: unit, centroids: qp.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: workers) { t in
                let scores = UnsafeMutablePointer<Float>.allocate(capacity: KMeans.block * queries.count)
                defer { scores.deallocate() }
                var tops = (0..<queries.count).map { _ in TopScores(capacity: 10) }
                for b in stride(from: t, to: blocks, by: workers) {
                    if stop.isRaised { break }
                    let start = b * KMeans.block, count = min(KMeans.block, rows - start)
                    BLAS.sgemm(
                        transB: true, m: count, n: queries.count, k: dim, a: box.points + start * dim, lda: dim,
                        b: box.centroids, ldb: dim, c: scores, ldc: queries.count)
                    for r in 0..<count {
                        for q in 0..<queries.count where Int(queries[q]) != start + r {
                            let s = scores[r * queries.count + q]
                            if s > tops[q].threshold { tops[q].add(s, Int32(start + r)) }
                        }
                    }
                }
                partial.set(t, tops)
            }
        }
        return (0..<queries.count).map { q in
            var merged = TopScores(capacity: 10)
            for w in 0..<workers { for item in partial.tops[w][q].heap { merged.add(item.score, item.id) } }
            return merged.heap.map(\.id)
        }
    }
}

/// An index and its unit rows, read by the threads that measure its recall.
struct IndexBox: @unchecked Sendable {
    let index: VectorIndex
    let unit: UnsafePointer<Float>
}

/// Each worker's top lists, written once per worker.
final class PartialTops: @unchecked Sendable {
    var tops: [[TopScores]]

    init(workers: Int, queries: Int) {
        tops = Array(repeating: [], count: workers)
    }

    func set(_ worker: Int, _ value: [TopScores]) {
        tops.withUnsafeMutableBufferPointer { $0[worker] = value }
    }
}

/// Where one recall query's scan stands: its lists in probe order, how many it has scanned, and
/// the candidates so far.
final class QueryState {
    let order: [Int]
    var scanned = 0
    var top = TopScores(capacity: IVFSearch.candidateCount(n: 10))

    init(order: [Int]) {
        self.order = order
    }
}

/// The recall queries' states, each slot touched by the one thread that owns its query.
final class QueryStates: @unchecked Sendable {
    var states: UnsafeMutableBufferPointer<QueryState?>

    init(count: Int) {
        states = .allocate(capacity: count)
        states.initialize(repeating: nil)
    }

    deinit {
        _ = states.deinitialize()
        states.deallocate()
    }
}
