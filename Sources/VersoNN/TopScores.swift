// The best k (score, id) pairs of a stream, as a bounded min-heap; ties go to the lower id (every top-k in Verso).

public struct TopScores: Sendable {
    public let capacity: Int
    public private(set) var heap: [(score: Float, id: Int32)] = []  // heap[0]: the worst kept

    public init(capacity: Int) {
        self.capacity = capacity
        heap.reserveCapacity(capacity)
    }

    /// True when (a) ranks below (b): a lower score, or the same score and a higher id.
    @inline(__always) static func worse(_ a: (score: Float, id: Int32), _ b: (score: Float, id: Int32)) -> Bool {
        a.score < b.score || (a.score == b.score && a.id > b.id)
    }

    /// The score a newcomer must beat once the heap is full (−∞ before).
    public var threshold: Float { heap.count < capacity ? -.infinity : heap[0].score }

    public mutating func add(_ score: Float, _ id: Int32) {
        guard capacity > 0 else { return }
        let item = (score: score, id: id)
        if heap.count < capacity {
            heap.append(item)
            var i = heap.count - 1
            while i > 0 {
                let parent = (i - 1) / 2
                if !Self.worse(heap[i], heap[parent]) { break }
                heap.swapAt(i, parent)
                i = parent
            }
            return
        }
        if !Self.worse(heap[0], item) { return }
        heap[0] = item
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var worst = i
            if l < heap.count && Self.worse(heap[l], heap[worst]) { worst = l }
            if r < heap.count && Self.worse(heap[r], heap[worst]) { worst = r }
            if worst == i { break }
            heap.swapAt(i, worst)
            i = worst
        }
    }

    /// The kept pairs, best first.
    public var sorted: [(score: Float, id: Int32)] { heap.sorted { Self.worse($1, $0) } }
}
